import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';
import type { Page, ServiceKind } from '../../domain/model';
import type { Principal } from '../../common/auth/principal';
import type { ConnectionEntity } from './connection.entity';
import type { ConnectionView, CreateConnectionDto, UpdateConnectionDto } from './connection.dto';
import { checkFields, checkServices, checkVendorUrl, throwIfAny } from './connection-input';
import { TtlCache } from '../../common/cache/ttl-cache';
import { ChangeNotifier } from '../../database/change-notifier';
import { CONNECTION_CHANGES } from '../../database/change-topics';
import { type ConnectionWrite, ConnectionsRepository } from './connections.repository';
import { openCredentials, sealCredentials } from './connection-credentials';
import { CredentialsCipher } from './credentials-cipher';
import { ID_PATTERN } from './tenant.dto';
import { TenantsService } from './tenants.service';

export type ResolvedConnection = ConnectionEntity & { credentials: Record<string, string> };

@Injectable()
export class ConnectionsService {
  constructor(
    private readonly connections: ConnectionsRepository,
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
    const outcome = await this.connections.insert(tenantId, id, {
      provider: descriptor.name,
      baseUrl: input.baseUrl.replace(/\/+$/, ''),
      settings: settings.clean,
      credentialsCiphertext: sealCredentials(
        this.cipher,
        credentials.clean as Record<string, string>,
        tenantId,
        id,
      ),
      services,
    });
    if (outcome === 'id_taken')
      throw new GatewayError('conflict', `The tenant already has a connection with the id "${id}".`);
    if (outcome === 'service_taken') throw serviceTaken();
    await this.changes.publish(CONNECTION_CHANGES, tenantId);
    return this.get(principal, tenantId, id);
  }

  async list(
    principal: Principal,
    tenantId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<ConnectionView>> {
    await this.tenants.get(principal, tenantId);
    const page = await this.connections.page(tenantId, limit, cursor);
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
    const write: ConnectionWrite = {
      provider: entity.provider,
      baseUrl: entity.baseUrl,
      settings: entity.settings,
      credentialsCiphertext: entity.credentialsCiphertext,
      services: entity.serviceRows.map((row) => row.service),
    };
    if (input.baseUrl !== undefined) {
      const urlError = checkVendorUrl('baseUrl', input.baseUrl, allowPrivate);
      if (urlError) errors.push(urlError);
      write.baseUrl = input.baseUrl.replace(/\/+$/, '');
    }
    if (input.credentials !== undefined) {
      const credentials = checkFields('credentials', input.credentials, descriptor, allowPrivate);
      errors.push(...credentials.errors);
      write.credentialsCiphertext = sealCredentials(
        this.cipher,
        credentials.clean as Record<string, string>,
        tenantId,
        id,
      );
    }
    if (input.settings !== undefined) {
      const settings = checkFields('settings', input.settings, descriptor, allowPrivate);
      errors.push(...settings.errors);
      write.settings = settings.clean;
    }
    if (input.services !== undefined) {
      errors.push(...checkServices(input.services, descriptor));
      write.services = input.services;
    }
    throwIfAny(errors);
    const outcome = await this.connections.update(tenantId, id, write);
    if (outcome === 'missing') throw GatewayError.notFound(`Connection "${id}"`);
    if (outcome === 'service_taken') throw serviceTaken();
    await this.changes.publish(CONNECTION_CHANGES, tenantId);
    return this.get(principal, tenantId, id);
  }

  async remove(principal: Principal, tenantId: string, id: string): Promise<void> {
    await this.find(principal, tenantId, id);
    await this.connections.delete(tenantId, id);
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
    const row = await this.connections.findForService(tenantId, service);
    if (!row) {
      if (!ID_PATTERN.test(tenantId) || !(await this.tenants.exists(tenantId)))
        throw GatewayError.notFound(`Tenant "${tenantId}"`);
      throw new GatewayError(
        'conflict',
        `Tenant "${tenantId}" has no connection for the ${service} service; create one first.`,
      );
    }
    return Object.assign(row, {
      credentials: openCredentials(this.cipher, row.credentialsCiphertext, tenantId, row.id),
    });
  }

  private async loadById(tenantId: string, id: string): Promise<ResolvedConnection> {
    const row = ID_PATTERN.test(id) ? await this.connections.find(tenantId, id) : null;
    if (!row) throw GatewayError.notFound(`Connection "${id}"`);
    return Object.assign(row, {
      credentials: openCredentials(this.cipher, row.credentialsCiphertext, tenantId, row.id),
    });
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
    const row = ID_PATTERN.test(id) ? await this.connections.find(tenantId, id) : null;
    if (!row) throw GatewayError.notFound(`Connection "${id}"`);
    return row;
  }
}

/** A claim held by another connection of the tenant. */
function serviceTaken(): GatewayError {
  return new GatewayError(
    'conflict',
    'The tenant already has a connection for one of these services (one per service).',
  );
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
