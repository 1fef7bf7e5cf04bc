import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { toProblem } from '../../common/http/problem';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';

/**
 * A worker's only HTTP face, on its PORT: `/metrics` (the job figures, vendor calls and process
 * metrics of this process) and `/health/live`. The API role serves both through Nest instead.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly registry: MetricsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.logger.log(`worker metrics on http://${address}:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const readable = request.method === 'GET' || request.method === 'HEAD';
    try {
      if (readable && path === '/metrics') {
        const body = await this.registry.metrics();
        response.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
      } else if (readable && path === '/health/live') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        this.problem(
          response,
          new GatewayError('not_found', 'A worker serves only /metrics and /health/live.'),
        );
      }
    } catch {
      this.problem(response, new GatewayError('internal', 'The metrics could not be collected.'));
    }
  }

  private problem(response: ServerResponse, error: GatewayError): void {
    const problem = toProblem(error, randomUUID());
    response.writeHead(problem.status, problem.headers).end(JSON.stringify(problem.body));
  }
}
