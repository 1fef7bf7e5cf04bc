import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { AUDIT_SPEC, type AuditSpec } from './audit-spec';
import { RequestAuditor } from './request-auditor';

/** Records one audit event per @Audited route call, success or failure. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly auditor: RequestAuditor,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_SPEC, context.getHandler());
    if (!spec) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      mergeMap((result: unknown) => from(this.auditor.write(request, spec, result).then(() => result))),
      catchError((error: unknown) =>
        from(this.auditor.write(request, spec, undefined, error)).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}
