import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toGatewayError, toProblem } from './problem';

/** The one place where failures become HTTP: every error leaves as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(request, reply, exception);
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
  const error = toGatewayError(exception);
  if (error.code === 'internal') request.log.error({ err: exception }, 'unhandled error');
  const problem = toProblem(error, String(request.id));
  request.gatewayError = error;
  if (reply.sent) return;
  void reply.code(problem.status).headers(problem.headers).send(problem.body);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The error a request ended with, for the audit and metrics hooks. */
    gatewayError?: import('../../domain/errors').GatewayError;
  }
}
