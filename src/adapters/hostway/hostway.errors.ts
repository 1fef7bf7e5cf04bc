import { GatewayError, type FieldError } from '../../domain/errors';
import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { retryAfterSeconds } from '../http';

export const PROVIDER = 'hostway';

/** Hostway's field names as the neutral API calls them, so a 400's errors[] point at fields the caller sent. */
const NEUTRAL_FIELD: Record<string, string> = {
  mailboxName: 'email',
  quota: 'mailbox.quotaMb',
  type: 'mailbox.plan',
  master: 'extras.master',
  targets: 'recipients',
  target: 'recipients',
};

/**
 * Hostway's error body is a flat `{field: message}` object. Anything else (HTML from a proxy,
 * an empty body) yields no messages; only string values are kept, so nothing else leaks through.
 */
function flatErrors(response: VendorResponse): FieldError[] {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return [];
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.entries(body as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([field, message]) => ({ field, message }));
}

/**
 * Maps a Hostway answer outside 2xx to the neutral code, keeping Hostway's messages in `detail`.
 * `what` names the resource asked for (for 404s) and `call` the request (for everything else).
 */
export function mapHostwayError(response: VendorResponse, call: string, what: string): GatewayError {
  const { status } = response;
  const vendorErrors = flatErrors(response);
  const said = vendorErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
  const reason = said ? ` Hostway said: ${said}` : '';
  const options = { provider: PROVIDER };

  if (status === 400) {
    return new GatewayError('provider_rejected', `Hostway rejected ${call}.${reason}`, {
      ...options,
      errors: vendorErrors.map((e) => ({ field: NEUTRAL_FIELD[e.field] ?? e.field, message: e.message })),
    });
  }
  if (status === 401 || status === 403) {
    return new GatewayError(
      'provider_auth_failed',
      `Hostway refused the connection's credentials (HTTP ${status}) for ${call}.${reason}`,
      options,
    );
  }
  if (status === 404) return new GatewayError('not_found', `${what} was not found.${reason}`, options);
  if (status === 409)
    return new GatewayError('conflict', `Hostway refused ${call}: conflict.${reason}`, options);
  if (status === 429) {
    return new GatewayError('rate_limited', `Hostway is rate limiting requests (${call}).${reason}`, {
      ...options,
      retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
    });
  }
  if (status >= 500) {
    return new GatewayError('provider_unavailable', `Hostway answered HTTP ${status} for ${call}.${reason}`, {
      ...options,
      status: status === 503 || status === 504 ? status : 502,
      retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
    });
  }
  return new GatewayError(
    'provider_rejected',
    `Hostway answered HTTP ${status} for ${call}.${reason}`,
    options,
  );
}

/** A 2xx answer that is not the documented shape. */
export function malformedAnswer(call: string): GatewayError {
  return new GatewayError('provider_unavailable', `Hostway sent an unreadable answer for ${call}.`, {
    provider: PROVIDER,
    status: 502,
  });
}
