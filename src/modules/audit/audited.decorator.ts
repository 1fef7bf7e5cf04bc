import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { IDEMPOTENT_EXTENSION } from '../../common/http/openapi-statuses';
import { mergeRouteConfig } from '../../common/http/route-config';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { AuditInterceptor } from './audit.interceptor';
import { AUDIT_SPEC, type AuditSpec } from './audit-spec';

export { AUDIT_SPEC, type AuditSource, type AuditSpec } from './audit-spec';

/**
 * Marks a mutating route: it honours `Idempotency-Key` and its success or failure becomes one
 * audit event. Idempotency wraps auditing, so a replay is not audited twice. Applied per route
 * rather than globally so that reads pay for neither. The spec is also put in the route's Fastify
 * config, where the hook that audits requests refused before the route ran (unauthenticated,
 * unparseable body) finds it.
 */
export const Audited = (spec: AuditSpec, options: AuditedOptions = {}): MethodDecorator =>
  applyDecorators(
    SetMetadata(AUDIT_SPEC, spec),
    mergeRouteConfig({ audit: spec }),
    ...(options.replayable === false
      ? [UseInterceptors(AuditInterceptor)]
      : [
          ApiExtension(IDEMPOTENT_EXTENSION, true),
          UseInterceptors(IdempotencyInterceptor, AuditInterceptor),
        ]),
  );

export interface AuditedOptions {
  /**
   * false for an answer that carries a secret shown once (a signing secret): it must not be
   * stored for `Idempotency-Key` replays, so the route does not honour that header.
   */
  replayable?: boolean;
}
