import type { VendorCallRecorder } from '../vendor-call';

/** One request to a vendor, relative to the connection's base URL unless `baseUrl` is given. */
export interface VendorRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, already percent-encoded where needed (use `encodeURIComponent` per segment). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`, in the given order. */
  form?: Record<string, string>;
  /**
   * Safe to repeat. GET and HEAD are always retried; PUT and DELETE only when the caller sets
   * this because the vendor documents them as idempotent; POST never unless set.
   */
  idempotent?: boolean;
  /** Whole-request timeout; the client's default applies otherwise. */
  timeoutMs?: number;
  /** Another origin of the same vendor (e.g. OX Cloud-Plugins); same SSRF guard, breaker and pool rules. */
  baseUrl?: string;
}

export interface VendorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, with a leading UTF-8 BOM removed. */
  text: string;
  /** Parses `text` as JSON; vendor garbage becomes a `provider_unavailable` GatewayError (502). */
  json<T = unknown>(): T;
}

/**
 * The vendor HTTP client bound to one connection and one recorder (request or job step).
 * Every HTTP answer is returned, whatever its status, so adapters map vendor errors
 * themselves; transport failures, timeouts and an open circuit throw `provider_unavailable`.
 */
export interface VendorHttpClient {
  send(request: VendorRequest): Promise<VendorResponse>;
}

/** Makes vendor clients outside any request or job step, e.g. for an adapter logging out at shutdown. */
export interface VendorHttpClientSource {
  forConnection(
    connection: { tenantId: string; id: string; baseUrl: string; provider: string },
    recorder: VendorCallRecorder,
  ): VendorHttpClient;
}
