import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { AuditInterceptor } from './audit.interceptor';
import { AUDIT_SPEC, type AuditSpec } from './audit-spec';

export { AUDIT_SPEC, type AuditSource, type AuditSpec } from './audit-spec';

/**
 * Marks a mutating route: it honours `Idempotency-Key` and its success or failure becomes one
 * audit event. Idempotency wraps auditing, so a replay is not audited twice. Applied per route
 * rather than globally so that reads pay for neither.
 */
export const Audited = (spec: AuditSpec): MethodDecorator =>
  applyDecorators(SetMetadata(AUDIT_SPEC, spec), UseInterceptors(IdempotencyInterceptor, AuditInterceptor));
