import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type HttpPlugin, HttpPluginProvider } from '../../common/http/http-plugin';
import { toProblem } from '../../common/http/problem';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';
import { JobCatalogue } from '../../jobs/job-catalogue';
import { QueueFactory } from '../../jobs/queue-factory';

const QUEUE_DASHBOARD_PATH = '/admin/queues';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The admin key as a Bearer token, or as the password of Basic auth so a browser can prompt for it. */
function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/**
 * Bull Board at /admin/queues over every catalogue queue, read-only: its retries, cleans,
 * promotions and pauses would act on Redis behind the Postgres job record, which is the truth
 * (retry and cancel go through /v1/jobs). Only the admin key opens it.
 */
@Injectable()
@HttpPluginProvider()
export class QueueDashboardPlugin implements HttpPlugin {
  constructor(
    private readonly config: AppConfig,
    private readonly factory: QueueFactory,
    private readonly catalogue: JobCatalogue,
  ) {}

  async register(fastify: FastifyInstance): Promise<void> {
    const adminDigest = digest(this.config.adminApiKey);
    const factory = this.factory;
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: this.catalogue
        .queues()
        .map((name) => new BullMQAdapter(factory.queue(name), { readOnlyMode: true })),
      serverAdapter,
    });

    const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
      const key = presentedKey(request.headers.authorization);
      if (key !== null && timingSafeEqual(digest(key), adminDigest)) return;
      const problem = toProblem(
        new GatewayError('unauthorized', 'The queue dashboard needs the admin key.'),
        String(request.id),
      );
      await reply
        .code(problem.status)
        .headers({ ...problem.headers, 'www-authenticate': 'Basic realm="Mailroom queues", charset="UTF-8"' })
        .send(problem.body);
    };
    // Bull Board refuses actions on read-only queues too; this keeps any future action route out.
    const readOnly = async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      const problem = toProblem(
        new GatewayError('forbidden', 'The queue dashboard is read-only; use /v1/jobs to retry or cancel.', {
          status: 405,
        }),
        String(request.id),
      );
      await reply
        .code(problem.status)
        .headers({ ...problem.headers, allow: 'GET, HEAD' })
        .send(problem.body);
    };
    await fastify.register(async (scope) => {
      scope.addHook('onRequest', authorize);
      scope.addHook('onRequest', readOnly);
      await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    });
  }
}
