import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import type { Principal } from '../../common/auth/principal';
import type { CreateTenantDto, TenantView, UpdateTenantDto } from './tenant.dto';
import { ID_PATTERN } from './tenant.dto';
import { ChangeNotifier } from '../../database/change-notifier';
import { API_KEY_CHANGES, CONNECTION_CHANGES } from '../../database/change-topics';
import type { TenantEntity } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly changes: ChangeNotifier,
  ) {}

  async create(principal: Principal, input: CreateTenantDto): Promise<TenantView> {
    if (principal.tenantId) throw new GatewayError('forbidden', 'A tenant-bound key cannot create tenants.');
    if (!(await this.tenants.insert(input.id, input.name))) {
      throw new GatewayError('conflict', `Tenant "${input.id}" already exists.`);
    }
    return this.get(principal, input.id);
  }

  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<TenantView>> {
    const after = decodeCursor<{ id: string }>(cursor, ['id']);
    const rows = await this.tenants.page({
      onlyId: principal.tenantId ?? undefined,
      afterId: after ? String(after.id) : undefined,
      limit: limit + 1,
    });
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map(toView),
      nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null,
    };
  }

  /** The tenant, if the principal may see it; another tenant's answers 404, never 403. */
  async get(principal: Principal, id: string): Promise<TenantView> {
    return toView(await this.find(principal, id));
  }

  async update(principal: Principal, id: string, input: UpdateTenantDto): Promise<TenantView> {
    await this.find(principal, id);
    const renamed = await this.tenants.rename(id, input.name);
    if (!renamed) throw GatewayError.notFound(`Tenant "${id}"`);
    return toView(renamed);
  }

  /** Deletes the tenant with its connections and keys; its audit events stay. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.find(principal, id);
    await this.tenants.delete(id);
    // The tenant's keys and connections went with it (ON DELETE CASCADE): no process may keep them.
    await this.changes.publish(CONNECTION_CHANGES, id);
    await this.changes.publish(API_KEY_CHANGES, '*');
  }

  async exists(id: string): Promise<boolean> {
    return this.tenants.exists(id);
  }

  private async find(principal: Principal, id: string): Promise<TenantEntity> {
    const visible = !principal.tenantId || principal.tenantId === id;
    const tenant = visible && ID_PATTERN.test(id) ? await this.tenants.find(id) : null;
    if (!tenant) throw GatewayError.notFound(`Tenant "${id}"`);
    return tenant;
  }
}

function toView(t: TenantEntity): TenantView {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
