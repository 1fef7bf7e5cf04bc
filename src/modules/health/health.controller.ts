import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { PublicRoute } from '../../common/http/endpoint.decorator';
import { HttpMetrics } from './http-metrics';
import { RedisHealth } from './redis-health';

class ReadinessView {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';
  @ApiProperty({ example: { postgres: 'up', redis: 'up' } })
  checks: Record<string, 'up' | 'down'>;
}

@ApiTags('Operations')
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealth,
    private readonly metrics: HttpMetrics,
  ) {}

  @Get('health/live')
  @PublicRoute()
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @PublicRoute()
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({ type: ReadinessView, description: 'Postgres or Redis is unreachable.' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessView> {
    const [postgres, redis] = await Promise.all([this.pingPostgres(), this.redis.ping()]);
    const checks = { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' } as const;
    const ok = postgres && redis;
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

  private async pingPostgres(): Promise<boolean> {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1500).unref()),
      ]);
      return true;
    } catch {
      return false;
    }
  }
}
