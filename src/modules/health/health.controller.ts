import { Controller, Get, Header, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute } from '../../common/http/endpoint.decorator';
import { DatabaseHealth } from '../../database/database-health';
import { QueueFactory } from '../../jobs/queue-factory';
import { HttpMetrics } from './http-metrics';
import { RedisHealth } from './redis-health';

class ReadinessView {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';
  @ApiProperty({ example: { postgres: 'up', redis: 'up', queues: 'up' } })
  checks: Record<string, 'up' | 'down'>;
}

@ApiTags('Operations')
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly redis: RedisHealth,
    private readonly metrics: HttpMetrics,
    private readonly queues: QueueFactory,
  ) {}

  @Get('health/live')
  @PublicRoute()
  @ApiOperation({
    summary: 'Liveness',
    description: 'Answers 200 while the process runs (no dependency is checked).',
  })
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @PublicRoute()
  @ApiOperation({
    summary: 'Readiness',
    description:
      'Answers 200 when Postgres, Redis and the queue connection answer, 503 with the failing checks otherwise.',
  })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({
    type: ReadinessView,
    description: 'Postgres, Redis or the queue connection is unreachable.',
    example: { status: 'unavailable', checks: { postgres: 'up', redis: 'down', queues: 'down' } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessView> {
    const [postgres, redis, queues] = await Promise.all([
      this.database.ping(),
      this.redis.ping(),
      this.queues.ping(),
    ]);
    const up = (v: boolean): 'up' | 'down' => (v ? 'up' : 'down');
    // `queues` is the connection BullMQ enqueues and works on, not only a Redis ping.
    const checks = { postgres: up(postgres), redis: up(redis), queues: up(queues) };
    const ok = postgres && redis && queues;
    void reply.code(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  @Get('metrics')
  @PublicRoute()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
