import { Injectable } from '@nestjs/common';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import { VendorHttpClients } from '../../adapters/http';
import type { ProviderAdapter } from '../../adapters/provider-adapter';
import type { ServiceKind } from '../../domain/model';
import type { CallContext } from '../../domain/ports/call-context';
import type { VendorCallRecorder } from '../../domain/vendor-call';
import type { ConnectionEntity } from './connection.entity';
import { ConnectionsService } from './connections.service';

/** Who a vendor call is made for: an HTTP request (its RequestMeta) or a job step. */
export interface CallOrigin {
  requestId: string;
  vendorCalls: VendorCallRecorder;
  signal?: AbortSignal;
  /** Filled with the provider's name, for the audit event. */
  provider?: string;
}

export interface BoundAdapter {
  adapter: ProviderAdapter;
  ctx: CallContext;
}

/** Builds the CallContext for a port call: the connection, its decrypted credentials, the HTTP client. */
@Injectable()
export class CallContextFactory {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly registry: AdapterRegistry,
    private readonly http: VendorHttpClients,
  ) {}

  async forService(origin: CallOrigin, tenantId: string, service: ServiceKind): Promise<BoundAdapter> {
    return this.bind(origin, await this.connections.resolveForService(tenantId, service));
  }

  async forConnection(origin: CallOrigin, tenantId: string, connectionId: string): Promise<BoundAdapter> {
    return this.bind(origin, await this.connections.resolveById(tenantId, connectionId));
  }

  private bind(
    origin: CallOrigin,
    row: ConnectionEntity & { credentials: Record<string, string> },
  ): BoundAdapter {
    const adapter = this.registry.get(row.provider);
    origin.provider = row.provider;
    const ctx: CallContext = {
      connection: {
        id: row.id,
        tenantId: row.tenantId,
        provider: row.provider,
        baseUrl: row.baseUrl,
        credentials: row.credentials,
        settings: row.settings,
        services: row.serviceRows.map((s) => s.service as ServiceKind),
      },
      requestId: origin.requestId,
      vendorCalls: origin.vendorCalls,
      http: this.http.forConnection(
        { id: row.id, baseUrl: row.baseUrl, provider: row.provider },
        origin.vendorCalls,
        origin.signal,
      ),
      signal: origin.signal,
    };
    return { adapter, ctx };
  }
}
