import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { keysetPage } from '../../common/pagination/keyset';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import { ChangeNotifier } from '../../database/change-notifier';
import { TenantsService } from '../tenants/tenants.service';
import { API_KEY_CHANGES } from '../../database/change-topics';
import { ApiKeyEntity } from './api-key.entity';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-key.dto';
import { generateKey } from './api-key-secret';
import type { Principal } from '../../common/auth/principal';
import { grants, type Scope } from '../../common/auth/scopes';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
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
    const row = await this.keys.save(
      this.keys.create({
        id: generated.id,
        name: input.name,
        tenantId: tenantId ?? null,
        scopes: input.scopes,
        secretHash: generated.secretHash,
        createdBy: principal.id,
        revokedAt: null,
      }),
    );
    return { ...toView(row), key: generated.key };
  }

  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<ApiKeyView>> {
    const qb = this.keys.createQueryBuilder('k');
    if (principal.tenantId) qb.andWhere('k.tenant_id = :tenantId', { tenantId: principal.tenantId });
    const page = await keysetPage(qb, {
      table: 'api_keys',
      alias: 'k',
      orderColumn: 'created_at',
      direction: 'ASC',
      limit,
      cursor,
      idOf: (row) => row.id,
      idPattern: /^[a-z0-9]{16}$/,
    });
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const row = await this.keys.findOne({ where: { id, revokedAt: IsNull() } });
    if (!row || (principal.tenantId && row.tenantId !== principal.tenantId))
      throw GatewayError.notFound(`API key "${id}"`);
    await this.keys.update({ id }, { revokedAt: new Date() });
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
