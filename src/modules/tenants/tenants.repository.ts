import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { constraintViolation } from '../../database/pg-errors';
import { TenantEntity } from './tenant.entity';

export interface TenantPageQuery {
  /** Only this tenant (a tenant-bound key sees its own); unset, every tenant. */
  onlyId?: string;
  /** Ids after this one, in id order. */
  afterId?: string;
  limit: number;
}

/** The tenants table; every method takes the tenant id it works on. */
@Injectable()
export class TenantsRepository {
  private readonly tenants: Repository<TenantEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.tenants = dataSource.getRepository(TenantEntity);
  }

  /** Inserts the tenant; false when the id is taken. */
  async insert(tenantId: string, name: string): Promise<boolean> {
    try {
      await this.tenants.insert({ id: tenantId, name });
      return true;
    } catch (error) {
      if (constraintViolation(error)?.kind === 'unique') return false;
      throw error;
    }
  }

  /** Up to `limit` tenants in id order. */
  async page(query: TenantPageQuery): Promise<TenantEntity[]> {
    const qb = this.tenants.createQueryBuilder('t');
    if (query.onlyId !== undefined) qb.andWhere('t.id = :own', { own: query.onlyId });
    if (query.afterId !== undefined) qb.andWhere('t.id > :after', { after: query.afterId });
    return qb.orderBy('t.id', 'ASC').limit(query.limit).getMany();
  }

  async find(tenantId: string): Promise<TenantEntity | null> {
    return this.tenants.findOne({ where: { id: tenantId } });
  }

  async exists(tenantId: string): Promise<boolean> {
    return this.tenants.exists({ where: { id: tenantId } });
  }

  /** Renames the tenant; null when there is none. */
  async rename(tenantId: string, name: string): Promise<TenantEntity | null> {
    const result = await this.tenants.update({ id: tenantId }, { name, updatedAt: new Date() });
    return result.affected ? this.find(tenantId) : null;
  }

  /** Deletes the tenant with its connections and keys (ON DELETE CASCADE); false when there was none. */
  async delete(tenantId: string): Promise<boolean> {
    return Boolean((await this.tenants.delete({ id: tenantId })).affected);
  }
}
