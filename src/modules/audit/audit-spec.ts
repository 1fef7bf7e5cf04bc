/** How one mutating route becomes an audit event. */
export const AUDIT_SPEC = 'mailroom:audit';

export interface AuditSource {
  params: Record<string, string | undefined>;
  body: unknown;
  result: unknown;
}

export interface AuditSpec {
  /** Dotted action name, e.g. `tenant.created`. */
  action: string;
  resourceType: string;
  /** Defaults to the last path parameter, else the result's `id`. */
  resourceId?: (source: AuditSource) => string | null | undefined;
  /** What the event keeps of the request; defaults to the whole body (too large, or secret, for bulk uploads). */
  request?: (source: AuditSource) => unknown;
  /** Defaults to the `tenantId` path parameter, the result's or body's `tenantId`, or the key's tenant. */
  tenantId?: (source: AuditSource) => string | null | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @Audited: read by the hooks that audit requests refused before the route ran. */
    audit?: AuditSpec;
  }
  interface FastifyRequest {
    /** Whether this request's audit event has been written. */
    auditWritten?: boolean;
  }
}
