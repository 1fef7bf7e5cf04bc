import { GatewayError } from '../../domain/errors';
import type { VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import { isSecretKey, REDACTED } from '../../domain/redaction';

/** Where one vendor request goes: the pool's origin, the path sent, and the path kept in the audit log. */
export interface VendorTarget {
  origin: string;
  hostname: string;
  /** Path and query as sent on the wire. */
  path: string;
  /** Path and query with the values of secret-named parameters replaced. */
  recordedPath: string;
}

export interface EncodedBody {
  body?: string;
  contentType?: string;
}

const UNSAFE_PATH = /[\s\u0000-\u001f\u007f#]/;

function invalidBaseUrl(): GatewayError {
  return new GatewayError('provider_unavailable', 'the connection base URL is not a valid http(s) URL', {
    status: 502,
  });
}

/**
 * Resolves a request against the connection's base URL. The base path is kept
 * (`http://h/x/` + `/a` → `/x/a`) and the request path is not normalised, because adapters
 * encode their segments themselves and a rewritten path would reach another resource.
 */
export function resolveTarget(connectionBaseUrl: string, request: VendorRequest): VendorTarget {
  const base = parsedBase(request.baseUrl ?? connectionBaseUrl);
  const [rawPath, rawQuery] = splitOnce(request.path, '?');
  if (UNSAFE_PATH.test(request.path)) {
    throw new GatewayError('internal', 'a vendor request path contains characters that cannot be sent');
  }
  const path = `${base.basePath}${rawPath.startsWith('/') ? rawPath : `/${rawPath}`}`;

  const pairs: Array<[string, string]> = rawQuery === undefined ? [] : [...new URLSearchParams(rawQuery)];
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) pairs.push([key, String(value)]);
  }
  const query = new URLSearchParams(pairs).toString();
  const secret = pairs.some(([k]) => isSecretKey(k));
  const recordedQuery = secret
    ? pairs
        .map(([k, v]) => {
          const encoded = new URLSearchParams([[k, isSecretKey(k) ? '' : v]]).toString();
          return isSecretKey(k) ? `${encoded}${REDACTED}` : encoded;
        })
        .join('&')
    : query;

  return {
    origin: base.origin,
    hostname: base.hostname,
    path: query ? `${path}?${query}` : path,
    recordedPath: recordedQuery ? `${path}?${recordedQuery}` : path,
  };
}

interface ParsedBase {
  origin: string;
  hostname: string;
  basePath: string;
}

/** Base URLs repeat on every call of a connection: parsed once, kept while the process lives. */
const parsedBases = new Map<string, ParsedBase>();
const MAX_PARSED_BASES = 10_000;

function parsedBase(baseUrl: string): ParsedBase {
  const known = parsedBases.get(baseUrl);
  if (known) return known;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw invalidBaseUrl();
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw invalidBaseUrl();
  const parsed = {
    origin: base.origin,
    hostname: base.hostname,
    basePath: base.pathname.replace(/\/+$/, ''),
  };
  if (parsedBases.size >= MAX_PARSED_BASES) parsedBases.clear();
  parsedBases.set(baseUrl, parsed);
  return parsed;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

export function encodeBody(request: VendorRequest): EncodedBody {
  if (request.json !== undefined) {
    return { body: JSON.stringify(request.json), contentType: 'application/json' };
  }
  if (request.form !== undefined) {
    return {
      body: new URLSearchParams(Object.entries(request.form)).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  return {};
}

export function vendorResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bytes: Buffer,
): VendorResponse {
  const decoded = bytes.toString('utf8');
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  return {
    status,
    headers,
    text,
    json<T = unknown>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        // The body may hold anything, secrets included: never echo it.
        throw new GatewayError('provider_unavailable', 'the vendor sent a response that is not valid JSON', {
          status: 502,
        });
      }
    },
  };
}
