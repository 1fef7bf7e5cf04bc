import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../domain/errors';
import type { MethodIndex } from './method-index';
import { toGatewayError, toProblem } from './problem';

/** The one place where failures become HTTP: every error leaves as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly methods?: MethodIndex) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(request, reply, this.methodNotAllowed(request, reply, exception) ?? exception);
  }

  /** A path no route serves for this method, but that other methods serve: 405 with `Allow`. */
  private methodNotAllowed(
    request: FastifyRequest,
    reply: FastifyReply,
    exception: unknown,
  ): GatewayError | null {
    if (!this.methods || request.routeOptions.url !== undefined || toGatewayError(exception).status !== 404)
      return null;
    const allowed = this.methods.allowed(request.url.split('?')[0]);
    if (allowed.length === 0) return null;
    void reply.header('allow', allowed.join(', '));
    return new GatewayError(
      'not_found',
      `${request.method} is not served here; this path takes ${allowed.join(', ')}.`,
      {
        status: 405,
      },
    );
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
  const error = toGatewayError(exception, request.routeOptions.bodyLimit);
  if (error.code === 'internal') request.log.error({ err: exception }, 'unhandled error');
  const problem = toProblem(error, String(request.id));
  request.gatewayError = error;
  if (reply.sent) return;
  // A request refused before its body was read leaves bytes on the connection: it cannot be reused.
  if (!request.raw.complete) void reply.header('connection', 'close');
  void reply.code(problem.status).headers(problem.headers).send(problem.body);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The error a request ended with, for the audit and metrics hooks. */
    gatewayError?: import('../../domain/errors').GatewayError;
  }
}
