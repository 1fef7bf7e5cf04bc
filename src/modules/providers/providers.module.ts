import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import { ALL_ADAPTERS } from '../../adapters/all-adapters';
import { VendorHttpClients } from '../../adapters/http';
import { AppConfig } from '../../config/app-config';
import { HttpMetrics } from '../health/http-metrics';
import { ProvidersController } from './providers.controller';
import { VendorCallObserver } from './vendor-call-observer';

/** The adapter registry and the one vendor HTTP client, shared by every module that calls vendors. */
@Global()
@Module({
  controllers: [ProvidersController],
  providers: [
    { provide: AdapterRegistry, useFactory: () => new AdapterRegistry(ALL_ADAPTERS) },
    {
      provide: VendorHttpClients,
      inject: [AppConfig, HttpMetrics],
      useFactory: (config: AppConfig, metrics: HttpMetrics) => {
        const observer = new VendorCallObserver(metrics);
        const clients = new VendorHttpClients({
          allowPrivateHosts: config.allowPrivateHosts,
          onCall: (call) => observer.observe(call),
        });
        observer.watchCircuits(() => clients.circuits());
        return clients;
      },
    },
  ],
  exports: [AdapterRegistry, VendorHttpClients],
})
export class ProvidersModule implements OnApplicationShutdown {
  constructor(
    @Inject(VendorHttpClients) private readonly http: VendorHttpClients,
    @Inject(AdapterRegistry) private readonly registry: AdapterRegistry,
  ) {}

  /** Providers first (DataMotion logs its sessions out), then the HTTP client they need for it. */
  async onApplicationShutdown(): Promise<void> {
    await this.registry.close(this.http);
    await this.http.close();
  }
}
