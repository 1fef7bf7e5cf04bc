import { GatewayError } from '../../domain/errors';
import { AddressNotAllowedError } from './address-guard';
import { ResponseTooLargeError } from './response-collector';

/** How a failed attempt affects the retry loop and the circuit breaker. */
export interface AttemptFailure {
  error: GatewayError;
  /** A transport failure that a safe request may repeat. */
  retryable: boolean;
  /** Says the vendor is unhealthy (counts towards opening the circuit). */
  vendorFault: boolean;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

const TRANSPORT_DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'reset the connection',
  EPIPE: 'closed the connection',
  UND_ERR_SOCKET: 'closed the connection',
  ENOTFOUND: 'could not be resolved',
  EAI_AGAIN: 'could not be resolved',
  EHOSTUNREACH: 'is unreachable',
  ENETUNREACH: 'is unreachable',
};

/** The error and its causes, outermost first. Socket errors may come from another realm, so no `instanceof Error`. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = error;
    typeof e === 'object' && e !== null && chain.length < 5;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e);
  }
  return chain;
}

function errorCode(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  return causeChain(error).find((e): e is T => e instanceof type);
}

export interface FailureContext {
  host: string;
  timeoutMs: number;
  timedOut: boolean;
  callerSignal?: AbortSignal;
}

/**
 * Maps whatever undici or the socket threw to a GatewayError. Messages name the host and an
 * error code only: raw library messages may quote URLs, and URLs may carry credentials.
 */
export function classifyFailure(error: unknown, context: FailureContext): AttemptFailure {
  const { host } = context;
  if (context.callerSignal?.aborted) {
    const reason: unknown = context.callerSignal.reason;
    return {
      error:
        reason instanceof GatewayError
          ? reason
          : new GatewayError('provider_unavailable', `the call to vendor ${host} was cancelled`),
      retryable: false,
      vendorFault: false,
    };
  }
  const refused = findCause(error, AddressNotAllowedError);
  if (refused) {
    return { error: addressNotAllowed(host), retryable: false, vendorFault: false };
  }
  const tooLarge = findCause(error, ResponseTooLargeError);
  if (tooLarge) {
    const detail = `vendor ${host} sent a response larger than ${tooLarge.limitBytes} bytes`;
    return {
      error: new GatewayError('provider_unavailable', detail, { status: 502 }),
      retryable: false,
      vendorFault: false,
    };
  }
  const code = errorCode(error);
  if (context.timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    const detail = `vendor ${host} did not answer within ${context.timeoutMs} ms`;
    return {
      error: new GatewayError('provider_unavailable', detail, { status: 504 }),
      retryable: true,
      vendorFault: true,
    };
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    return {
      error: new GatewayError('internal', `a request to vendor ${host} could not be built`),
      retryable: false,
      vendorFault: false,
    };
  }
  const what = (code && TRANSPORT_DESCRIPTIONS[code]) ?? 'could not be reached';
  const detail = `vendor ${host} ${what}${code ? ` (${code})` : ''}`;
  return {
    error: new GatewayError('provider_unavailable', detail, { status: 503 }),
    retryable: true,
    vendorFault: true,
  };
}

function addressNotAllowed(host: string): GatewayError {
  return new GatewayError(
    'provider_unavailable',
    `vendor address ${host} is not allowed (private/loopback)`,
    {
      status: 502,
    },
  );
}

export function circuitOpen(host: string, retryAfterMs: number): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GatewayError(
    'provider_unavailable',
    `circuit open for vendor ${host} after repeated failures; retry in ${retryAfterSeconds} s`,
    { retryAfterSeconds, status: 503 },
  );
}
