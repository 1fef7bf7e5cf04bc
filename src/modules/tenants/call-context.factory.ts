import { Injectable } from '@nestjs/common';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import { connectionLimits } from '../../adapters/connection-limits';
import { VendorHttpClients } from '../../adapters/http';
import type { ProviderAdapter } from '../../adapters/provider-adapter';
import type { ServiceKind } from '../../domain/model';
import type { CallContext, ConnectionContext } from '../../domain/ports/call-context';
import type { VendorCallRecorder } from '../../domain/vendor-call';
import { ConnectionsService, type ResolvedConnection } from './connections.service';

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

  /**
   * One ConnectionContext per resolved row, shared by the calls made while the row is cached, so
   * adapters can derive what they need from it once (auth headers, parsed settings).
   */
  private readonly contexts = new WeakMap<ResolvedConnection, ConnectionContext>();

  private bind(origin: CallOrigin, row: ResolvedConnection): BoundAdapter {
    const adapter = this.registry.get(row.provider);
    origin.provider = row.provider;
    const ctx: CallContext = {
      connection: this.connectionContext(row),
      requestId: origin.requestId,
      vendorCalls: origin.vendorCalls,
      http: this.http.forConnection(
        {
          tenantId: row.tenantId,
          id: row.id,
          baseUrl: row.baseUrl,
          provider: row.provider,
          limits: connectionLimits(adapter.descriptor, row.settings),
        },
        origin.vendorCalls,
        origin.signal,
        { requestId: origin.requestId, tenantId: row.tenantId },
      ),
      signal: origin.signal,
    };
    return { adapter, ctx };
  }

  private connectionContext(row: ResolvedConnection): ConnectionContext {
    let connection = this.contexts.get(row);
    if (!connection) {
      connection = Object.freeze({
        id: row.id,
        tenantId: row.tenantId,
        provider: row.provider,
        baseUrl: row.baseUrl,
        credentials: Object.freeze({ ...row.credentials }),
        settings: Object.freeze({ ...row.settings }),
        services: Object.freeze(row.serviceRows.map((s) => s.service as ServiceKind)),
      });
      this.contexts.set(row, connection);
    }
    return connection;
  }
}
