import { type DynamicModule, Global, Module } from '@nestjs/common';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import type { AppConfig } from '../../config/app-config';
import { DatabaseHealth } from '../../database/database-health';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { RedisHealth } from './redis-health';
import { WorkerMetricsServer } from './worker-metrics.server';

/** Liveness, readiness (Postgres and Redis) and Prometheus metrics, in every role. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [MetricsRegistry, HttpMetrics, RedisHealth, DatabaseHealth],
  exports: [MetricsRegistry, HttpMetrics, RedisHealth],
})
export class HealthModule {
  /** A worker (no HTTP API) serves /metrics and /health/live on its own small server. */
  static forRole(config: AppConfig): DynamicModule {
    return { module: HealthModule, providers: config.runsApi ? [] : [WorkerMetricsServer] };
  }
}
