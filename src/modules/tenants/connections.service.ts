import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';
import type { Page, ServiceKind } from '../../domain/model';
import { keysetPage } from '../../common/pagination/keyset';
import type { Principal } from '../../common/auth/principal';
import { ConnectionEntity, ConnectionServiceEntity } from './connection.entity';
import type { ConnectionView, CreateConnectionDto, UpdateConnectionDto } from './connection.dto';
import { checkFields, checkServices, checkVendorUrl, throwIfAny } from './connection-input';
import { TtlCache } from '../../common/cache/ttl-cache';
import { ChangeNotifier } from '../../database/change-notifier';
import { CONNECTION_CHANGES } from '../../database/change-topics';
import { CredentialsCipher } from './credentials-cipher';
import { ID_PATTERN } from './tenant.dto';
import { TenantsService } from './tenants.service';

const UNIQUE_VIOLATION = '23505';

/** The primary key; a taken id is a 409 of its own, apart from a taken service. */
const PRIMARY_KEY = 'connections_pkey';

export type ResolvedConnection = ConnectionEntity & { credentials: Record<string, string> };

@Injectable()
export class ConnectionsService {
  constructor(
    @InjectRepository(ConnectionEntity) private readonly connections: Repository<ConnectionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly registry: AdapterRegistry,
    private readonly cipher: CredentialsCipher,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly changes: ChangeNotifier,
  ) {
    // Keyed `<tenant>:…`; a change to any connection of a tenant drops all of the tenant's entries.
    changes.subscribe(CONNECTION_CHANGES, (tenantId) =>
      tenantId === '*' ? this.resolved.clear() : this.resolved.deletePrefix(`${tenantId}:`),
    );
  }

  /** Decrypted connections on the hot path of every vendor call, announced-invalidated. */
  private readonly resolved = new TtlCache<ResolvedConnection>(60_000, 5_000);

  async create(principal: Principal, tenantId: string, input: CreateConnectionDto): Promise<ConnectionView> {
    await this.tenants.get(principal, tenantId);
    const descriptor = this.registry.get(input.provider).descriptor;
    const services = input.services ?? descriptor.services;
    const allowPrivate = this.config.allowPrivateHosts;
    const credentials = checkFields('credentials', input.credentials, descriptor, allowPrivate);
    const settings = checkFields('settings', input.settings ?? {}, descriptor, allowPrivate);
    const urlError = checkVendorUrl('baseUrl', input.baseUrl, allowPrivate);
    throwIfAny([
      ...(urlError ? [urlError] : []),
      ...credentials.errors,
      ...settings.errors,
      ...checkServices(services, descriptor),
    ]);

    const id = input.id ?? randomUUID();
    const entity = this.connections.create({
      id,
      tenantId,
      provider: descriptor.name,
      baseUrl: input.baseUrl.replace(/\/+$/, ''),
      settings: settings.clean,
      credentialsCiphertext: this.cipher.encrypt(credentials.clean as Record<string, string>, id),
      serviceRows: services.map((service) =>
        Object.assign(new ConnectionServiceEntity(), { tenantId, service, connectionId: id }),
      ),
    });
    await this.saveClaimingServices(entity, true);
    return this.get(principal, tenantId, id);
  }

  async list(
    principal: Principal,
    tenantId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<ConnectionView>> {
    await this.tenants.get(principal, tenantId);
    const qb = this.connections
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.serviceRows', 's')
      .where('c.tenant_id = :tenantId', { tenantId });
    const page = await keysetPage(qb, {
      table: 'connections',
      alias: 'c',
      orderColumn: 'created_at',
      direction: 'ASC',
      limit,
      cursor,
      idOf: (row) => row.id,
      idPattern: ID_PATTERN,
      scope: { column: 'tenant_id', value: tenantId },
    });
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, tenantId: string, id: string): Promise<ConnectionView> {
    return toView(await this.find(principal, tenantId, id));
  }

  async update(
    principal: Principal,
    tenantId: string,
    id: string,
    input: UpdateConnectionDto,
  ): Promise<ConnectionView> {
    const entity = await this.find(principal, tenantId, id);
    const descriptor = this.registry.get(entity.provider).descriptor;
    const errors = [];
    const allowPrivate = this.config.allowPrivateHosts;
    if (input.baseUrl !== undefined) {
      const urlError = checkVendorUrl('baseUrl', input.baseUrl, allowPrivate);
      if (urlError) errors.push(urlError);
      entity.baseUrl = input.baseUrl.replace(/\/+$/, '');
    }
    if (input.credentials !== undefined) {
      const credentials = checkFields('credentials', input.credentials, descriptor, allowPrivate);
      errors.push(...credentials.errors);
      entity.credentialsCiphertext = this.cipher.encrypt(credentials.clean as Record<string, string>, id);
    }
    if (input.settings !== undefined) {
      const settings = checkFields('settings', input.settings, descriptor, allowPrivate);
      errors.push(...settings.errors);
      entity.settings = settings.clean;
    }
    if (input.services !== undefined) {
      errors.push(...checkServices(input.services, descriptor));
      entity.serviceRows = input.services.map((service) =>
        Object.assign(new ConnectionServiceEntity(), { tenantId, service, connectionId: id }),
      );
    }
    throwIfAny(errors);
    await this.saveClaimingServices(entity, false);
    return this.get(principal, tenantId, id);
  }

  async remove(principal: Principal, tenantId: string, id: string): Promise<void> {
    await this.find(principal, tenantId, id);
    await this.connections.delete({ id, tenantId });
    await this.changes.publish(CONNECTION_CHANGES, tenantId);
  }

  /** The connection holding `service` for the tenant, with its credentials decrypted. */
  async resolveForService(tenantId: string, service: ServiceKind): Promise<ResolvedConnection> {
    return this.cached(`${tenantId}:service:${service}`, () => this.loadForService(tenantId, service));
  }

  /** One connection by id, decrypted, for checks and job steps. */
  async resolveById(tenantId: string, id: string): Promise<ResolvedConnection> {
    return this.cached(`${tenantId}:id:${id}`, () => this.loadById(tenantId, id));
  }

  private async loadForService(tenantId: string, service: ServiceKind): Promise<ResolvedConnection> {
    const row = await this.connections
      .createQueryBuilder('c')
      .innerJoin('c.serviceRows', 'claim', 'claim.tenant_id = :tenantId AND claim.service = :service', {
        tenantId,
        service,
      })
      .leftJoinAndSelect('c.serviceRows', 's')
      .getOne();
    if (!row) {
      if (!ID_PATTERN.test(tenantId) || !(await this.tenants.exists(tenantId)))
        throw GatewayError.notFound(`Tenant "${tenantId}"`);
      throw new GatewayError(
        'conflict',
        `Tenant "${tenantId}" has no connection for the ${service} service; create one first.`,
      );
    }
    return Object.assign(row, { credentials: this.cipher.decrypt(row.credentialsCiphertext, row.id) });
  }

  private async loadById(tenantId: string, id: string): Promise<ResolvedConnection> {
    const row = ID_PATTERN.test(id) ? await this.connections.findOne({ where: { tenantId, id } }) : null;
    if (!row) throw GatewayError.notFound(`Connection "${id}"`);
    return Object.assign(row, { credentials: this.cipher.decrypt(row.credentialsCiphertext, row.id) });
  }

  private async cached(key: string, load: () => Promise<ResolvedConnection>): Promise<ResolvedConnection> {
    const hit = this.changes.live ? this.resolved.get(key) : undefined;
    if (hit) return hit;
    const value = await load();
    this.resolved.set(key, value);
    return value;
  }

  private async find(principal: Principal, tenantId: string, id: string): Promise<ConnectionEntity> {
    await this.tenants.get(principal, tenantId);
    const row = ID_PATTERN.test(id) ? await this.connections.findOne({ where: { tenantId, id } }) : null;
    if (!row) throw GatewayError.notFound(`Connection "${id}"`);
    return row;
  }

  /** Writes the row and its service claims in one transaction; a claim held by another connection is a 409. */
  private async saveClaimingServices(entity: ConnectionEntity, isNew: boolean): Promise<void> {
    const columns = {
      id: entity.id,
      tenantId: entity.tenantId,
      provider: entity.provider,
      baseUrl: entity.baseUrl,
      settings: entity.settings,
      credentialsCiphertext: entity.credentialsCiphertext,
    };
    const claims = entity.serviceRows.map((row) => ({
      tenantId: entity.tenantId,
      service: row.service,
      connectionId: entity.id,
    }));
    try {
      await this.dataSource.transaction(async (manager) => {
        if (isNew) await manager.insert(ConnectionEntity, columns);
        else
          await manager.update(
            ConnectionEntity,
            { tenantId: entity.tenantId, id: entity.id },
            { ...columns, updatedAt: new Date() },
          );
        await manager.delete(ConnectionServiceEntity, { tenantId: entity.tenantId, connectionId: entity.id });
        await manager.insert(ConnectionServiceEntity, claims);
      });
      await this.changes.publish(CONNECTION_CHANGES, entity.tenantId);
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === UNIQUE_VIOLATION && constraint === PRIMARY_KEY) {
        throw new GatewayError('conflict', `The tenant already has a connection with the id "${entity.id}".`);
      }
      if (code === UNIQUE_VIOLATION) {
        throw new GatewayError(
          'conflict',
          'The tenant already has a connection for one of these services (one per service).',
        );
      }
      throw error;
    }
  }
}

function toView(c: ConnectionEntity): ConnectionView {
  return {
    id: c.id,
    tenantId: c.tenantId,
    provider: c.provider,
    baseUrl: c.baseUrl,
    settings: c.settings,
    services: (c.serviceRows ?? []).map((s) => s.service as ServiceKind).sort(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
