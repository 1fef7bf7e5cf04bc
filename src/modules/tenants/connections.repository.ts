import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { constraintViolation } from '../../database/pg-errors';
import { keysetPage } from '../../common/pagination/keyset';
import type { Page } from '../../domain/model';
import { ConnectionEntity, ConnectionServiceEntity } from './connection.entity';
import { ID_PATTERN } from './tenant.dto';

/** The primary key of connections; any other unique violation is a service already claimed. */
const PRIMARY_KEY = 'connections_pkey';

/** A connection's stored columns and the services it claims, as written whole by insert and update. */
export interface ConnectionWrite {
  provider: string;
  baseUrl: string;
  settings: Record<string, string | number | boolean>;
  credentialsCiphertext: string;
  services: readonly string[];
}

export type InsertOutcome = 'inserted' | 'id_taken' | 'service_taken';
export type UpdateOutcome = 'updated' | 'missing' | 'service_taken';

/**
 * The connections table and its (tenant, service) claims in connection_services; every method
 * takes the tenant id, since a connection id is unique within its tenant only.
 */
@Injectable()
export class ConnectionsRepository {
  private readonly connections: Repository<ConnectionEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.connections = dataSource.getRepository(ConnectionEntity);
  }

  /**
   * Inserts the connection with its service claims in one transaction. `id_taken`: the tenant
   * has a connection with this id; `service_taken`: another connection claims one of the services.
   */
  async insert(tenantId: string, id: string, write: ConnectionWrite): Promise<InsertOutcome> {
    const { services, ...columns } = write;
    try {
      await this.dataSource.transaction(async (tx) => {
        await tx.insert(ConnectionEntity, { tenantId, id, ...columns });
        await replaceClaims(tx, tenantId, id, services);
      });
      return 'inserted';
    } catch (error) {
      const taken = takenBy(error);
      if (!taken) throw error;
      return taken;
    }
  }

  /** Replaces the connection's columns and claims in one transaction; `missing` when there is no such row. */
  async update(tenantId: string, id: string, write: ConnectionWrite): Promise<UpdateOutcome> {
    const { services, ...columns } = write;
    try {
      return await this.dataSource.transaction(async (tx) => {
        const updated = await tx.update(
          ConnectionEntity,
          { tenantId, id },
          { ...columns, updatedAt: new Date() },
        );
        if (!updated.affected) return 'missing';
        await replaceClaims(tx, tenantId, id, services);
        return 'updated';
      });
    } catch (error) {
      if (takenBy(error) === 'service_taken') return 'service_taken';
      throw error;
    }
  }

  /** The connection with its service claims; null when the tenant has none by that id. */
  async find(tenantId: string, id: string): Promise<ConnectionEntity | null> {
    return this.connections.findOne({ where: { tenantId, id } });
  }

  /** The tenant's connection claiming `service`, with all its claims; null when none does. */
  async findForService(tenantId: string, service: string): Promise<ConnectionEntity | null> {
    return this.connections
      .createQueryBuilder('c')
      .innerJoin('c.serviceRows', 'claim', 'claim.tenant_id = :tenantId AND claim.service = :service', {
        tenantId,
        service,
      })
      .leftJoinAndSelect('c.serviceRows', 's')
      .getOne();
  }

  /** The tenant's connections in creation order, `limit` at a time after the cursor's connection. */
  async page(tenantId: string, limit: number, cursor?: string): Promise<Page<ConnectionEntity>> {
    const qb = this.connections
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.serviceRows', 's')
      .where('c.tenant_id = :tenantId', { tenantId });
    return keysetPage(qb, {
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
  }

  /** Deletes the connection and its claims (ON DELETE CASCADE); false when there was none. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    return Boolean((await this.connections.delete({ tenantId, id })).affected);
  }
}

async function replaceClaims(
  tx: EntityManager,
  tenantId: string,
  connectionId: string,
  services: readonly string[],
): Promise<void> {
  await tx.delete(ConnectionServiceEntity, { tenantId, connectionId });
  if (services.length > 0)
    await tx.insert(
      ConnectionServiceEntity,
      services.map((service) => ({ tenantId, service, connectionId })),
    );
}

/** Which key a unique violation hit; null for any other error. */
function takenBy(error: unknown): 'id_taken' | 'service_taken' | null {
  const violation = constraintViolation(error);
  if (violation?.kind !== 'unique') return null;
  return violation.constraint === PRIMARY_KEY ? 'id_taken' : 'service_taken';
}
