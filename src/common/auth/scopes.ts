/** Every scope of API.md; `admin` grants all of them, a `:write` scope grants its `:read`. */
export const SCOPES = [
  'admin',
  'tenants:read',
  'tenants:write',
  'users:read',
  'users:write',
  'aliases:read',
  'aliases:write',
  'domains:read',
  'domains:write',
  'archive:read',
  'archive:write',
  'migrations:write',
  'jobs:read',
  'jobs:write',
  'audit:read',
  'webhooks:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export function grants(held: readonly string[], required: Scope): boolean {
  if (held.includes('admin') || held.includes(required)) return true;
  return required.endsWith(':read') && held.includes(required.replace(/:read$/, ':write'));
}
