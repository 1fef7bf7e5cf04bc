import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import type { AliasListQueryDto, AliasListView, AliasView } from './aliases.dto';

/** Aliases of the tenant's mail connection, for the REST API and signed webhooks alike. */
@Injectable()
export class AliasesService {
  constructor(private readonly ports: ServicePortResolver) {}

  async list(meta: RequestMeta, tenantId: string, query: AliasListQueryDto): Promise<AliasListView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.list');
    return port.listAliases(ctx, {
      domain: query.domain,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
  }

  async get(meta: RequestMeta, tenantId: string, address: string): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.get');
    return port.getAlias(ctx, address);
  }

  async put(meta: RequestMeta, tenantId: string, address: string, recipients: string[]): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.put');
    return port.putAlias(ctx, address, recipients);
  }

  async remove(meta: RequestMeta, tenantId: string, address: string): Promise<void> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.delete');
    await port.deleteAlias(ctx, address);
  }

  async addRecipient(
    meta: RequestMeta,
    tenantId: string,
    address: string,
    recipient: string,
  ): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.recipients.add');
    return port.addAliasRecipient(ctx, address, recipient);
  }

  async removeRecipient(
    meta: RequestMeta,
    tenantId: string,
    address: string,
    recipient: string,
  ): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.recipients.remove');
    return port.removeAliasRecipient(ctx, address, recipient);
  }
}
