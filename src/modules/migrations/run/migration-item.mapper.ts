import { GatewayError } from '../../../domain/errors';
import type { CreateUserInput, UpdateUserInput } from '../../../domain/model';
import type { BatchItemOutcome, JobItemRef } from '../../../jobs/job-definition';

/** A migration item's `input` as intake stores it (never with the password, which is a secret row). */
export interface MigrationItemInput {
  /** The physical CSV line, for CSV uploads. */
  line?: number;
  externalId?: string;
  user: CreateUserInput;
}

/** The user to send for an item: its stored fields plus, when it has one, its password. */
export function userOf(item: JobItemRef, password: string | undefined): CreateUserInput {
  const input = item.input as unknown as MigrationItemInput | null;
  if (!input?.user?.email) {
    throw new GatewayError('internal', `Migration item ${item.seq} has no user in its input.`);
  }
  const user: CreateUserInput = { ...input.user };
  const externalId = input.externalId ?? input.user.externalId;
  if (externalId !== undefined) user.externalId = externalId;
  if (password !== undefined) user.password = password;
  return user;
}

/** The fields an upsert changes on an existing user: everything it was given but the keys. */
export function patchOf(user: CreateUserInput): UpdateUserInput {
  const { email: _email, externalId: _externalId, ...patch } = user;
  return patch;
}

/** `line <n>: ` in front of a CSV item's detail, as API.md asks. */
export function withLine(item: JobItemRef, detail: string): string {
  const line = (item.input as unknown as MigrationItemInput | null)?.line;
  return line === undefined ? detail : `line ${line}: ${detail}`;
}

export function succeeded(
  code: 'created' | 'updated' | 'would_create' | 'would_update',
  result: Record<string, unknown> | null = null,
  detail?: string,
): BatchItemOutcome {
  return { state: 'succeeded', code, result, detail };
}

/**
 * Errors the vendor may get over by itself (down, busy, rate limiting, a DataMotion status it
 * calls worth retrying): the item waits, it does not fail.
 */
export function isPassing(error: unknown): error is GatewayError {
  return (
    error instanceof GatewayError &&
    (error.retryable ?? (error.code === 'provider_unavailable' || error.code === 'rate_limited'))
  );
}

/**
 * The outcome of an item whose call failed: a passing trouble gives it back (a counted try
 * only when `answeredForItem`: the vendor processed the request and said so for this user),
 * anything else fails it with the neutral code and the vendor's reason.
 */
export function failedOutcome(item: JobItemRef, error: unknown, answeredForItem = false): BatchItemOutcome {
  if (isPassing(error)) return { state: 'pending', error, countsAsTry: answeredForItem };
  const record =
    error instanceof GatewayError
      ? { code: error.code, detail: error.detail }
      : { code: 'internal', detail: 'The migration step failed unexpectedly; see the worker log.' };
  return { state: 'failed', code: record.code, detail: withLine(item, record.detail) };
}

/**
 * Failed items `POST /v1/jobs/{id}/retry` runs again: those that failed for the vendor's or the
 * gateway's trouble (still down after every try, bad credentials fixed since, an unexpected
 * error), never those that failed for their own content (validation, conflict, rejected).
 */
export const RETRYABLE_ITEM_CODES = [
  'provider_unavailable',
  'rate_limited',
  'provider_auth_failed',
  'internal',
] as const;

export const isRetryableItemCode = (code: string | undefined): boolean =>
  (RETRYABLE_ITEM_CODES as readonly string[]).includes(code ?? '');
