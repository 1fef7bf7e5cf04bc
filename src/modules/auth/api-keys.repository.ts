import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, IsNull, type Repository } from 'typeorm';
import { keysetPage } from '../../common/pagination/keyset';
import type { Page } from '../../domain/model';
import { ApiKeyEntity } from './api-key.entity';

const KEY_ID_PATTERN = /^[a-z0-9]{16}$/;

export interface NewApiKey {
  id: string;
  name: string;
  scopes: string[];
  secretHash: Buffer;
  createdBy: string;
}

/**
 * The api_keys table. Keys may be admin-wide, so the tenant is an explicit parameter where a
 * caller may see every tenant: `null` there means all tenants, not keys without a tenant.
 */
@Injectable()
export class ApiKeysRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /**
   * Stores a new key of the tenant (`null`: an admin-wide key) and returns the stored row. A
   * taken id fails with Postgres' unique violation; the existing key is never overwritten.
   */
  async insert(tenantId: string | null, key: NewApiKey): Promise<ApiKeyEntity> {
    await this.keys.insert({ ...key, tenantId, revokedAt: null });
    return this.keys.findOneOrFail({ where: { id: key.id } });
  }

  /** Keys of the tenant (`null`: every tenant's and the admin-wide ones), oldest first. */
  async page(tenantId: string | null, limit: number, cursor?: string): Promise<Page<ApiKeyEntity>> {
    const qb = this.keys.createQueryBuilder('k');
    if (tenantId !== null) qb.andWhere('k.tenant_id = :tenantId', { tenantId });
    return keysetPage(qb, {
      table: 'api_keys',
      alias: 'k',
      orderColumn: 'created_at',
      direction: 'ASC',
      limit,
      cursor,
      idOf: (row) => row.id,
      idPattern: KEY_ID_PATTERN,
    });
  }

  /**
   * The key with this id, revoked or not, whatever its tenant: authentication looks the
   * presented key up before anyone knows the tenant, which the key itself decides.
   */
  async findForAuthentication(id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { id } });
  }

  /**
   * Revokes the key if it is live and belongs to the tenant (`null`: any tenant); false when
   * there is no such key.
   */
  async revoke(tenantId: string | null, id: string): Promise<boolean> {
    const result = await this.keys.update(
      { id, revokedAt: IsNull(), ...(tenantId !== null ? { tenantId } : {}) },
      { revokedAt: new Date() },
    );
    return Boolean(result.affected);
  }
}
