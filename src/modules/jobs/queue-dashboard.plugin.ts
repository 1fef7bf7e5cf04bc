import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** Bull Board at /admin/queues over every catalogue queue; only the admin key opens it. */
export async function registerQueueDashboard(fastify: FastifyInstance, app: INestApplication): Promise<void> {
  const adminDigest = digest(app.get(AppConfig).adminApiKey);
  const factory = app.get(QueueFactory);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: app
      .get(JobCatalogue)
      .queues()
      .map((name) => new BullMQAdapter(factory.queue(name))),
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
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', authorize);
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
