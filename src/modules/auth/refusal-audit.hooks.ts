import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type HttpPlugin, HttpPluginProvider } from '../../common/http/http-plugin';
import { toGatewayError } from '../../common/http/problem';
import { RequestAuditor } from '../audit/request-auditor';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/**
 * Audits an @Audited route's request that was refused before the guard or the route's audit
 * interceptor saw it: no valid key (401), a body refused by the parser (400, 413, 415, 422), an
 * Idempotency-Key problem. The actor is the presented key when it is valid, else "anonymous".
 * Runs before the answer is sent, so the event exists when the caller reads the audit log.
 */
@Injectable()
@HttpPluginProvider()
export class RefusalAuditHooks implements HttpPlugin {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly auditor: RequestAuditor,
  ) {}

  register(fastify: FastifyInstance): void {
    const { authenticator, auditor } = this;
    // Callback style: every answer passes here, and almost all leave at once.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const spec = request.routeOptions.config?.audit;
      if (!spec || request.auditWritten || request.idempotentReplay || reply.statusCode < 400)
        return done(null, payload);
      auditRefusal(request, reply, authenticator, auditor).then(
        () => done(null, payload),
        () => done(null, payload),
      );
    });
  }
}

async function auditRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  authenticator: ApiKeyAuthenticator,
  auditor: RequestAuditor,
): Promise<void> {
  const spec = request.routeOptions.config.audit!;
  const principal =
    request.principal ??
    (await authenticator.authenticate(request.headers.authorization).catch(() => undefined));
  const error = request.gatewayError ?? toGatewayError({ statusCode: reply.statusCode });
  await auditor.write(request, spec, undefined, error, principal);
}
