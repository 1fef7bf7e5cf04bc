/** The Postgres failures repositories and the error mapper answer for themselves (SQLSTATE codes). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/** What a constraint violation says: the kind and the constraint's name. */
export interface ConstraintViolation {
  kind: 'unique' | 'foreign_key';
  constraint: string | undefined;
}

/**
 * The constraint a failed statement broke, or null for any other error. Works on pg's
 * DatabaseError and on TypeORM's QueryFailedError, which copies the driver's fields.
 */
export function constraintViolation(error: unknown): ConstraintViolation | null {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  const name = typeof constraint === 'string' ? constraint : undefined;
  if (code === UNIQUE_VIOLATION) return { kind: 'unique', constraint: name };
  if (code === FOREIGN_KEY_VIOLATION) return { kind: 'foreign_key', constraint: name };
  return null;
}
