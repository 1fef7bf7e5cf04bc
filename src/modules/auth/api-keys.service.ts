import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import { ChangeNotifier } from '../../database/change-notifier';
import { TenantsService } from '../tenants/tenants.service';
import { API_KEY_CHANGES } from '../../database/change-topics';
import type { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-key.dto';
import { generateKey } from './api-key-secret';
import type { Principal } from '../../common/auth/principal';
import { grants, type Scope } from '../../common/auth/scopes';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly tenants: TenantsService,
    private readonly changes: ChangeNotifier,
  ) {}

  async create(principal: Principal, input: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const tenantId = input.tenantId ?? principal.tenantId;
    if (principal.tenantId && tenantId !== principal.tenantId)
      throw GatewayError.notFound(`Tenant "${input.tenantId}"`);
    const widened = input.scopes.filter((s) => !grants(principal.scopes, s as Scope));
    if (widened.length > 0) {
      throw new GatewayError(
        'forbidden',
        `A key cannot grant scopes it does not hold: ${widened.join(', ')}.`,
      );
    }
    if (tenantId) await this.tenants.get(principal, tenantId);
    const generated = generateKey();
    const row = await this.keys.insert(tenantId ?? null, {
      id: generated.id,
      name: input.name,
      scopes: input.scopes,
      secretHash: generated.secretHash,
      createdBy: principal.id,
    });
    return { ...toView(row), key: generated.key };
  }

  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<ApiKeyView>> {
    const page = await this.keys.page(principal.tenantId, limit, cursor);
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    if (!(await this.keys.revoke(principal.tenantId, id))) throw GatewayError.notFound(`API key "${id}"`);
    await this.changes.publish(API_KEY_CHANGES, id);
  }
}

function toView(row: ApiKeyEntity): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    tenantId: row.tenantId,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}
