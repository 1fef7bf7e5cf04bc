import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { toGatewayError } from '../../common/http/problem';
import type { VendorCall } from '../../domain/vendor-call';
import type { Principal } from '../../common/auth/principal';
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

/** The actor of a request refused before any key was recognised. */
const ANONYMOUS = 'anonymous';

/** A vendor call that may have changed something: not a read, and answered with success. */
const changedVendor = (calls: VendorCall[]): boolean =>
  calls.some((c) => c.method !== 'GET' && c.method !== 'HEAD' && c.status !== null && c.status < 300);

/** Turns one HTTP mutation (its request, result or error) into one audit event. */
@Injectable()
export class RequestAuditor {
  constructor(private readonly audit: AuditService) {}

  /**
   * Writes the request's event (once: later calls for the same request do nothing). Waits for
   * Postgres, with retries, when a vendor was changed; a write that still fails has been counted
   * and logged by AuditService, and the caller's answer goes out regardless.
   */
  async write(
    request: FastifyRequest,
    spec: AuditSpec,
    result: unknown,
    error?: unknown,
    principal: Principal | undefined = request.principal,
  ): Promise<void> {
    if (request.auditWritten) return;
    request.auditWritten = true;
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
      principal?.tenantId;
    const failure = error === undefined ? undefined : toGatewayError(error);
    const meta = request.meta;
    const vendorCalls = meta?.vendorCalls.calls ?? [];
    try {
      await this.audit.record(
        {
          actor: { type: 'api-key', id: principal?.id ?? ANONYMOUS },
          tenantId: tenantId ?? null,
          action: spec.action,
          resource: { type: spec.resourceType, id: resourceId },
          outcome: failure ? 'failure' : 'success',
          requestId: String(request.id),
          provider: meta?.provider ?? failure?.provider ?? null,
          vendorCalls,
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
        },
        { durable: changedVendor(vendorCalls) },
      );
    } catch {
      // Counted and logged by AuditService; the mutation already happened, and losing the caller's answer would be worse.
    }
  }
}
