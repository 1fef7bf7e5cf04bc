import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { RedisHealth } from './redis-health';

/** Liveness, readiness (Postgres and Redis) and Prometheus metrics. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [HttpMetrics, RedisHealth],
  exports: [HttpMetrics, RedisHealth],
})
export class HealthModule {}
