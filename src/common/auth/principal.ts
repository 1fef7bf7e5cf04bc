import type { Scope } from './scopes';

/**
 * Who is calling: an API key (the bootstrap admin key has id `admin`), or a webhook source
 * (id `webhook:<sourceId>`) whose signed event runs on its tenant.
 */
export interface Principal {
  type: 'api-key' | 'webhook';
  id: string;
  /** The one tenant this key may touch; null for a global key. */
  tenantId: string | null;
  scopes: readonly Scope[];
}

export const ADMIN_PRINCIPAL_ID = 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
