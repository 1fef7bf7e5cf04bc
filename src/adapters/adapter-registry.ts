import { operationsByService, portFor } from '../domain/capabilities';
import { GatewayError } from '../domain/errors';
import type { ServiceKind } from '../domain/model';
import type { VendorHttpClientSource } from '../domain/ports/vendor-http.port';
import { DEFAULT_CONNECTION_LIMITS, limitSettingSpecs } from './connection-limits';
import type { ProviderAdapter, ProviderDescriptor } from './provider-adapter';

export interface ProviderSummary extends ProviderDescriptor {
  /** Supported neutral operations per service; anything else answers 501. */
  operations: Partial<Record<ServiceKind, string[]>>;
}

/** Provider name → provider; the source of GET /v1/providers and of 501 answers. */
export class AdapterRegistry {
  private readonly adapters = new Map<string, ProviderAdapter>();

  constructor(adapters: ProviderAdapter[]) {
    for (const adapter of adapters) {
      for (const service of adapter.descriptor.services) {
        if (!portFor(adapter, service)) {
          throw new Error(
            `${adapter.descriptor.name} declares service ${service} but implements no port for it`,
          );
        }
      }
      this.adapters.set(adapter.descriptor.name, adapter);
    }
  }

  names(): string[] {
    return [...this.adapters.keys()];
  }

  get(provider: string): ProviderAdapter {
    const adapter = this.adapters.get(provider);
    if (!adapter)
      throw GatewayError.validation([
        { field: 'provider', message: `must be one of ${this.names().join(', ')}` },
      ]);
    return adapter;
  }

  /** Lets every provider end what it keeps open with its vendor (shutdown), through `source`. */
  async close(source: VendorHttpClientSource): Promise<void> {
    await Promise.allSettled([...this.adapters.values()].map((adapter) => adapter.close?.(source)));
  }

  summaries(): ProviderSummary[] {
    return [...this.adapters.values()].map((adapter) => ({
      ...adapter.descriptor,
      settings: [...adapter.descriptor.settings, ...limitSettingSpecs(adapter.descriptor)],
      limits: { ...DEFAULT_CONNECTION_LIMITS, ...adapter.descriptor.limits },
      operations: operationsByService(adapter),
    }));
  }
}
