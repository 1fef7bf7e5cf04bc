import { GatewayError } from '../domain/errors';
import {
  ARCHIVE_OPERATIONS,
  MAIL_OPERATIONS,
  USER_OPERATIONS,
  supportedOperations,
} from '../domain/capabilities';
import type { ServiceKind } from '../domain/model';
import type { ProviderAdapter, ProviderDescriptor } from './provider-adapter';

export interface ProviderSummary extends ProviderDescriptor {
  /** Supported neutral operations per service; anything else answers 501. */
  operations: Partial<Record<ServiceKind, string[]>>;
}

/** Catalogue of each service's port operations, keyed by the ProviderAdapter field holding the port. */
const SERVICE_PORTS: {
  service: ServiceKind;
  field: 'mail' | 'archive' | 'secureMail';
  catalogue: Record<string, string>;
}[] = [
  { service: 'mail', field: 'mail', catalogue: MAIL_OPERATIONS },
  { service: 'archive', field: 'archive', catalogue: ARCHIVE_OPERATIONS },
  { service: 'secure-mail', field: 'secureMail', catalogue: USER_OPERATIONS },
];

/** Provider name → adapter; the source of GET /v1/providers and of 501 answers. */
export class AdapterRegistry {
  private readonly adapters = new Map<string, ProviderAdapter>();

  constructor(adapters: ProviderAdapter[]) {
    for (const adapter of adapters) {
      for (const service of adapter.descriptor.services) {
        const port = SERVICE_PORTS.find((p) => p.service === service);
        if (!port || !adapter[port.field]) {
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

  summaries(): ProviderSummary[] {
    return [...this.adapters.values()].map((adapter) => ({
      ...adapter.descriptor,
      operations: Object.fromEntries(
        SERVICE_PORTS.filter((p) => adapter[p.field]).map((p) => [
          p.service,
          supportedOperations(adapter[p.field]!, p.catalogue),
        ]),
      ),
    }));
  }
}
