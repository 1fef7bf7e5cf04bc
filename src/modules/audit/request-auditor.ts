import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { toGatewayError } from '../../common/http/problem';
import type { AuditSpec } from './audit-spec';
import { AuditService } from './audit.service';

const idOf = (value: unknown): string | undefined => {
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['id', 'email', 'address', 'name']) {
      if (typeof record[key] === 'string' || typeof record[key] === 'number') return String(record[key]);
    }
  }
  return undefined;
};

/** Turns one HTTP mutation (its request, result or error) into one audit event. */
@Injectable()
export class RequestAuditor {
  private readonly logger = new Logger(RequestAuditor.name);

  constructor(private readonly audit: AuditService) {}

  async write(request: FastifyRequest, spec: AuditSpec, result: unknown, error?: unknown): Promise<void> {
    const principal = request.principal;
    if (!principal) return;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const body = request.body;
    const source = { params, body, result };
    // The tenant is the scope, not the resource: a create under /tenants/{t}/… names its new resource.
    const lastParam = Object.entries(params)
      .filter(([name, v]) => name !== 'tenantId' && v !== undefined)
      .map(([, v]) => v)
      .pop();
    const resourceId = spec.resourceId?.(source) ?? lastParam ?? idOf(result) ?? idOf(body) ?? null;
    const bodyTenant =
      body && typeof body === 'object' ? (body as Record<string, unknown>).tenantId : undefined;
    const tenantId =
      spec.tenantId?.(source) ??
      params.tenantId ??
      (result && typeof result === 'object'
        ? ((result as Record<string, unknown>).tenantId as string | undefined)
        : undefined) ??
      (typeof bodyTenant === 'string' ? bodyTenant : undefined) ??
      principal.tenantId;
    const failure = error === undefined ? undefined : toGatewayError(error);
    const meta = request.meta;
    try {
      await this.audit.record({
        actor: { type: 'api-key', id: principal.id },
        tenantId: tenantId ?? null,
        action: spec.action,
        resource: { type: spec.resourceType, id: resourceId },
        outcome: failure ? 'failure' : 'success',
        requestId: String(request.id),
        provider: meta?.provider ?? failure?.provider ?? null,
        vendorCalls: meta?.vendorCalls.calls ?? [],
        detail: {
          method: request.method,
          ...(spec.request
            ? { request: spec.request(source) }
            : body !== undefined && body !== null
              ? { request: body }
              : {}),
          ...(meta?.auditDetail ?? {}),
          ...(failure
            ? { error: { code: failure.code, status: failure.status, detail: failure.detail } }
            : {}),
        },
      });
    } catch (auditError) {
      // The mutation already happened; losing the caller's answer would be worse than a logged gap.
      this.logger.error(
        { err: auditError, action: spec.action, requestId: request.id },
        'audit write failed',
      );
    }
  }
}
