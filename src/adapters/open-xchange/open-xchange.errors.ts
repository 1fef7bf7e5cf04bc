import { GatewayError, type ErrorCode } from '../../domain/errors';
import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { retryAfterSeconds } from '../http';

const PROVIDER = 'open-xchange';

/**
 * v2 error codes (spec info.description) grouped by the neutral code they become; the spec
 * suite checks all 43. 25 and 26 are forward-recipient limits (a "not found" forward is 22/23).
 */
const NOT_FOUND = new Set([1, 3, 19, 20, 21, 22, 23, 27, 29, 30]);
const CONFLICT = new Set([8, 14, 28, 31, 32, 33, 34, 40, 41, 43]);
const REJECTED = new Set([4, 5, 7, 9, 11, 12, 13, 15, 16, 17, 18, 24, 25, 26, 35, 36, 37, 38]);
const UNAVAILABLE = new Set([6, 10, 42]);

interface ParsedOxError {
  code?: number;
  title?: string;
}

/** Reads the v2 JSON:API error, a Cloud-Plugins `{"error": …}` body, or nothing usable. */
function parse(text: string): ParsedOxError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (body === null || typeof body !== 'object') return {};
  const errors = (body as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors[0] && typeof errors[0] === 'object') {
    const first = errors[0] as Record<string, unknown>;
    const code = Number(first.code);
    return {
      code: Number.isInteger(code) ? code : undefined,
      title: typeof first.title === 'string' ? first.title : undefined,
    };
  }
  const single = (body as { error?: unknown }).error;
  return typeof single === 'string' ? { title: single } : {};
}

function neutralCode(status: number, code: number | undefined): ErrorCode {
  if (code === 39 || status === 429) return 'rate_limited';
  if (code === 2 || status === 401 || status === 403) return 'provider_auth_failed';
  if ((code !== undefined && UNAVAILABLE.has(code)) || status >= 500) return 'provider_unavailable';
  if (code !== undefined) {
    if (NOT_FOUND.has(code)) return 'not_found';
    if (CONFLICT.has(code)) return 'conflict';
    if (REJECTED.has(code)) return 'provider_rejected';
  }
  if (status === 404) return 'not_found';
  // Without a v2 code (Cloud-Plugins), 409 means the thing already exists.
  if (status === 409 && code === undefined) return 'conflict';
  return 'provider_rejected';
}

/** Maps a non-2xx Open-Xchange answer to a GatewayError, keeping the vendor's own words in `detail`. */
export function openXchangeError(response: VendorResponse, action: string): GatewayError {
  const { code, title } = parse(response.text);
  const neutral = neutralCode(response.status, code);
  const reason =
    title !== undefined
      ? `${title}${code !== undefined ? ` (OX code ${code})` : ''}`
      : `HTTP ${response.status} without a readable error body`;
  const retryAfter =
    neutral === 'rate_limited' || neutral === 'provider_unavailable'
      ? retryAfterSeconds(response.headers['retry-after'])
      : undefined;
  return new GatewayError(neutral, `Open-Xchange (${action}): ${reason}`, {
    provider: PROVIDER,
    retryAfterSeconds: retryAfter ?? (neutral === 'rate_limited' ? 1 : undefined),
    status:
      neutral === 'provider_unavailable'
        ? response.status === 503 || response.status === 504
          ? response.status
          : 502
        : undefined,
  });
}
