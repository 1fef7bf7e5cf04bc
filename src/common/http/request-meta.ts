import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../domain/errors';
import type { VendorCallLog } from '../../domain/vendor-call';
import type { Principal } from '../auth/principal';

/** Per-request facts a service needs and the audit hook reads back afterwards. */
export interface RequestMeta {
  requestId: string;
  principal: Principal;
  vendorCalls: VendorCallLog;
  /** Set by services that call a vendor, for the audit event. */
  provider?: string;
  /** Extra, non-secret facts for the audit event's detail. */
  auditDetail?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    meta?: RequestMeta;
  }
}

/** Injects the RequestMeta the auth guard attached to the request. */
export const Meta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMeta => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (!request.meta) throw new GatewayError('internal', 'Request metadata is missing.');
  return request.meta;
});
