import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { VendorCallMetric } from '../../adapters/http';

/** The Prometheus registry of the process: HTTP, vendor-call and process metrics. */
@Injectable()
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'mailroom_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly vendorDuration = new Histogram({
    name: 'mailroom_vendor_call_duration_seconds',
    help: 'Vendor call attempts by provider, method and status (status "error" when no answer came)',
    labelNames: ['provider', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mailroom_' });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status: String(status) }, seconds);
  }

  observeVendorCall(call: VendorCallMetric): void {
    this.vendorDuration.observe(
      {
        provider: call.provider,
        method: call.method,
        status: call.status === null ? 'error' : String(call.status),
      },
      call.durationMs / 1000,
    );
  }
}
