import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import type { VendorCallMetric } from '../../adapters/http';
import { type HttpPlugin, HttpPluginProvider } from '../../common/http/http-plugin';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import { HotPathHistogram } from './hot-path-histogram';

/** HTTP, vendor-call and process metrics in the process registry; observes every HTTP answer. */
@Injectable()
@HttpPluginProvider()
export class HttpMetrics implements HttpPlugin {
  private readonly requestDuration = new HotPathHistogram(
    'mailroom_http_request_duration_seconds',
    'HTTP request duration by route template and status',
    ['method', 'route', 'status'],
    [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  private readonly vendorDuration = new HotPathHistogram(
    'mailroom_vendor_call_duration_seconds',
    'Vendor call attempts by provider, method and status (status "error" when no answer came)',
    ['provider', 'method', 'status'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );

  constructor(readonly registry: MetricsRegistry) {
    this.registry.registerMetric(this.requestDuration.metric);
    this.registry.registerMetric(this.vendorDuration.metric);
    collectDefaultMetrics({ register: this.registry, prefix: 'mailroom_' });
  }

  register(fastify: FastifyInstance): void {
    // Callback style: it runs on every request, and needs no promise.
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe(seconds, method, route, status);
  }

  observeVendorCall(call: VendorCallMetric): void {
    this.vendorDuration.observe(call.durationMs / 1000, call.provider, call.method, call.status ?? 'error');
  }
}
