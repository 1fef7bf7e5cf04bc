import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import type { ArchiveStore } from '../../domain/ports/archive-service.port';
import { Audited, type AuditSource } from '../audit/audited.decorator';
import {
  ArchiveStoreListView,
  ArchiveStoreView,
  CreateArchiveStoreDto,
  ListArchiveStoresQueryDto,
  UpdateArchiveStoreDto,
} from './archive.dto';
import { ArchiveStoresService } from './archive-stores.service';

const NO_ARCHIVE =
  ' A tenant without an archive connection answers 409 conflict; an operation its provider lacks answers 501.';
const createdStoreId = ({ result }: AuditSource): string | undefined =>
  (result as ArchiveStore | undefined)?.id;

@ApiTags('Archive')
@Controller('v1/tenants/:tenantId/archive/stores')
export class ArchiveStoresController {
  constructor(private readonly stores: ArchiveStoresService) {}

  @Get()
  @Endpoint({
    summary: "List the tenant's archive stores",
    description: `MailStore GetStores.${NO_ARCHIVE}`,
    scopes: ['archive:read'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: ArchiveStoreListView })
  list(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Query() query: ListArchiveStoresQueryDto,
  ): Promise<ArchiveStoreListView> {
    return this.stores.list(meta, tenantId, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      includeSize: query.includeSize ?? false,
    });
  }

  @Post()
  @Endpoint({
    summary: 'Create an archive store',
    description: `MailStore CreateStore: creates the store directories and attaches the store.${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiCreatedResponse({ type: ArchiveStoreView })
  @Audited({ action: 'archive.store.created', resourceType: 'archive-store', resourceId: createdStoreId })
  create(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Body() body: CreateArchiveStoreDto,
  ): Promise<ArchiveStoreView> {
    return this.stores.create(meta, tenantId, body);
  }

  @Post('attach')
  @Endpoint({
    summary: 'Attach an existing archive store',
    description: `MailStore AttachStore: makes a store whose files already exist (e.g. detached earlier) known again.${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiCreatedResponse({ type: ArchiveStoreView })
  @Audited({ action: 'archive.store.attached', resourceType: 'archive-store', resourceId: createdStoreId })
  attach(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Body() body: CreateArchiveStoreDto,
  ): Promise<ArchiveStoreView> {
    return this.stores.attach(meta, tenantId, body);
  }

  @Post('refresh-statistics')
  @HttpCode(204)
  @Endpoint({
    summary: 'Recompute the statistics (sizes, counts) of every archive store',
    description: `MailStore RefreshAllStoreStatistics.${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiNoContentResponse()
  @Audited({ action: 'archive.stores.statistics-refreshed', resourceType: 'archive' })
  refreshStatistics(@Meta() meta: RequestMeta, @Param('tenantId') tenantId: string): Promise<void> {
    return this.stores.refreshStatistics(meta, tenantId);
  }

  @Post('retry-open')
  @HttpCode(204)
  @Endpoint({
    summary: 'Retry opening the archive stores that failed to open',
    description: `MailStore RetryOpenStores; see each store's actualState and error afterwards.${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiNoContentResponse()
  @Audited({ action: 'archive.stores.open-retried', resourceType: 'archive' })
  retryOpen(@Meta() meta: RequestMeta, @Param('tenantId') tenantId: string): Promise<void> {
    return this.stores.retryOpen(meta, tenantId);
  }

  @Get(':storeId')
  @Endpoint({
    summary: 'Get an archive store, with its size',
    description: `An id the archive does not know (or that is not a store id at all) answers 404.${NO_ARCHIVE}`,
    scopes: ['archive:read'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: ArchiveStoreView })
  get(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('storeId') storeId: string,
  ): Promise<ArchiveStoreView> {
    return this.stores.get(meta, tenantId, storeId);
  }

  @Patch(':storeId')
  @Endpoint({
    summary: 'Rename an archive store or change its requested state',
    description: `\`name\` → MailStore RenameStore; \`requestedState\` → SetStoreRequestedState (e.g. \`disabled\` to close a store). Give at least one.${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: ArchiveStoreView })
  @Audited({ action: 'archive.store.updated', resourceType: 'archive-store' })
  update(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('storeId') storeId: string,
    @Body() body: UpdateArchiveStoreDto,
  ): Promise<ArchiveStoreView> {
    return this.stores.update(meta, tenantId, storeId, body);
  }

  @Delete(':storeId')
  @HttpCode(204)
  @Endpoint({
    summary: 'Detach an archive store (its data is NOT deleted)',
    description: `MailStore DetachStore: the archive forgets the store, its database, content and index files stay on disk and can be attached again (POST …/archive/stores/attach).${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiNoContentResponse()
  @Audited({ action: 'archive.store.detached', resourceType: 'archive-store' })
  detach(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('storeId') storeId: string,
  ): Promise<void> {
    return this.stores.detach(meta, tenantId, storeId);
  }

  @Post(':storeId/repair-database')
  @HttpCode(200)
  @Endpoint({
    summary: "Try to fix known issues of an archive store's database",
    description: `MailStore RepairStoreDatabase (e.g. missing database indexes); answers the store afterwards.${NO_ARCHIVE}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: ArchiveStoreView })
  @Audited({ action: 'archive.store.database-repaired', resourceType: 'archive-store' })
  repairDatabase(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('storeId') storeId: string,
  ): Promise<ArchiveStoreView> {
    return this.stores.repairDatabase(meta, tenantId, storeId);
  }
}
