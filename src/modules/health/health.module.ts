import { Global, Module } from '@nestjs/common';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { RedisHealth } from './redis-health';

/** Liveness, readiness (Postgres and Redis) and Prometheus metrics. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [MetricsRegistry, HttpMetrics, RedisHealth],
  exports: [MetricsRegistry, HttpMetrics, RedisHealth],
})
export class HealthModule {}
