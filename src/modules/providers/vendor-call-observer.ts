import { Logger } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { VendorCallMetric, VendorCircuit } from '../../adapters/http';
import type { HttpMetrics } from '../health/http-metrics';

/** Gauge values of a circuit: what an alert compares against. */
const CIRCUIT_VALUE: Record<VendorCircuit['state'], number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * What operators see of vendor calls: one structured log line per attempt, the duration
 * histogram, a retry counter, and each connection's circuit as a gauge read at scrape time.
 */
export class VendorCallObserver {
  private readonly logger = new Logger('VendorCall');
  private readonly retries: Counter<'provider'>;

  constructor(private readonly metrics: HttpMetrics) {
    this.retries = new Counter({
      name: 'vendor_call_retries_total',
      help: 'Vendor call attempts that repeated an earlier attempt of the same call, by provider',
      labelNames: ['provider'],
      registers: [metrics.registry],
    });
  }

  /** Registers `vendor_circuit_state{provider,connection}` over the circuits `read` returns. */
  watchCircuits(read: () => VendorCircuit[]): void {
    new Gauge({
      name: 'vendor_circuit_state',
      help: 'Circuit breaker per vendor connection: 0 closed, 1 half-open (a trial call may pass), 2 open',
      labelNames: ['provider', 'connection'],
      registers: [this.metrics.registry],
      collect() {
        this.reset();
        for (const circuit of read()) {
          this.set(
            // A connection id is unique within its tenant only; the label carries both.
            { provider: circuit.provider, connection: `${circuit.tenantId}/${circuit.connectionId}` },
            CIRCUIT_VALUE[circuit.state],
          );
        }
      },
    });
  }

  observe(call: VendorCallMetric): void {
    this.metrics.observeVendorCall(call);
    if (call.attempt > 1) this.retries.inc({ provider: call.provider });
    const line: Record<string, unknown> = {
      msg: 'vendor call',
      requestId: call.requestId,
      tenantId: call.tenantId,
      provider: call.provider,
      connectionId: call.connectionId,
      method: call.method,
      path: call.path,
      status: call.status,
      durationMs: call.durationMs,
      attempt: call.attempt,
    };
    if (call.error !== undefined) line.error = call.error;
    this.logger.log(line);
  }
}
