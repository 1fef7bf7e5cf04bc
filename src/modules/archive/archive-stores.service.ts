import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import type { ArchiveStore } from '../../domain/ports/archive-service.port';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import type { CreateArchiveStoreDto, UpdateArchiveStoreDto } from './archive.dto';

/** Archive stores of a tenant's archive connection; every call goes through the archive port. */
@Injectable()
export class ArchiveStoresService {
  constructor(private readonly ports: ServicePortResolver) {}

  /** MailStore lists all stores at once (an instance holds a handful), so pages are cut here. */
  async list(
    meta: RequestMeta,
    tenantId: string,
    query: { limit: number; cursor?: string; includeSize: boolean },
  ): Promise<Page<ArchiveStore>> {
    const offset = decodeCursor<{ offset: number }>(query.cursor, ['offset'])?.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw GatewayError.validation([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
    }
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.list');
    const stores = await port.listStores(ctx, { includeSize: query.includeSize });
    const end = offset + query.limit;
    return {
      data: stores.slice(offset, end),
      nextCursor: end < stores.length ? encodeCursor({ offset: end }) : null,
    };
  }

  async get(meta: RequestMeta, tenantId: string, storeId: string): Promise<ArchiveStore> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.get');
    return port.getStore(ctx, storeId);
  }

  async create(meta: RequestMeta, tenantId: string, input: CreateArchiveStoreDto): Promise<ArchiveStore> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.create');
    return port.createStore(ctx, input);
  }

  async attach(meta: RequestMeta, tenantId: string, input: CreateArchiveStoreDto): Promise<ArchiveStore> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.attach');
    return port.attachStore(ctx, input);
  }

  /** Rename first, then the state, so a refused state change leaves a correctly named store. */
  async update(
    meta: RequestMeta,
    tenantId: string,
    storeId: string,
    patch: UpdateArchiveStoreDto,
  ): Promise<ArchiveStore> {
    if (patch.name === undefined && patch.requestedState === undefined) {
      throw GatewayError.validation([
        { field: 'body', message: 'give at least one of name and requestedState' },
      ]);
    }
    let store: ArchiveStore | undefined;
    if (patch.name !== undefined) {
      const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.rename');
      store = await port.renameStore(ctx, storeId, patch.name);
    }
    if (patch.requestedState !== undefined) {
      const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.set-requested-state');
      store = await port.setStoreRequestedState(ctx, storeId, patch.requestedState);
    }
    return store as ArchiveStore;
  }

  async detach(meta: RequestMeta, tenantId: string, storeId: string): Promise<void> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.detach');
    await port.detachStore(ctx, storeId);
  }

  async refreshStatistics(meta: RequestMeta, tenantId: string): Promise<void> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.refresh-statistics');
    await port.refreshStoreStatistics(ctx);
  }

  async retryOpen(meta: RequestMeta, tenantId: string): Promise<void> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.retry-open');
    await port.retryOpenStores(ctx);
  }

  async repairDatabase(meta: RequestMeta, tenantId: string, storeId: string): Promise<ArchiveStore> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.repair-database');
    await port.repairStoreDatabase(ctx, storeId);
    const bound = await this.ports.bind(meta, tenantId, 'archive', 'stores.get');
    return bound.port.getStore(bound.ctx, storeId);
  }
}
