import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { GatewayError } from '../../domain/errors';
import type { VendorHttpClient, VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import type { VendorCall, VendorCallRecorder } from '../../domain/vendor-call';
import { AddressNotAllowedError, guardedLookup, ipLiteral, isPrivateAddress } from './address-guard';
import { ConnectionThrottle, type ThrottleLimits } from './connection-throttle';
import {
  CircuitBreaker,
  DEFAULT_BREAKER,
  type BreakerOptions,
  type BreakerStateName,
  type BreakerTicket,
} from './circuit-breaker';
import {
  backoffDelayMs,
  DEFAULT_RETRY,
  isRetryableStatus,
  isSafeToRepeat,
  retryAfterMs,
  type RetryOptions,
} from './retry-policy';
import { circuitOpen, classifyFailure, type AttemptFailure } from './vendor-http.errors';
import { ResponseCollector } from './response-collector';
import { encodeBody, resolveTarget, vendorResponse, type VendorTarget } from './vendor-message';

/** A vendor call attempt as reported to metrics and logs: the audit record plus where it went and for whom. */
export type VendorCallMetric = VendorCall & {
  provider: string;
  connectionId: string;
  /** 1 for the first attempt; higher for retries. */
  attempt: number;
  requestId: string | null;
  tenantId: string | null;
};

/** Who a call is made for, for the log line and the vendor's request-id header. */
export interface VendorCallTrace {
  requestId: string;
  tenantId: string | null;
}

/** A connection's circuit as the breaker gauge reports it. */
export interface VendorCircuit {
  provider: string;
  tenantId: string;
  connectionId: string;
  state: BreakerStateName;
}

/**
 * The request id goes to every vendor under this header. Only Open-Xchange documents one
 * (`X-Trace-Id`, set by its client, echoed back); for Hostway, MailStore and DataMotion the
 * documents are silent, and an extra `X-Request-Id` is the common convention that servers
 * ignore when they do not log it (a README vendor guess).
 */
const REQUEST_ID_HEADER = 'x-request-id';

export interface VendorHttpOptions {
  /** Lets vendors resolve to private and loopback addresses; for tests and local simulators only. */
  allowPrivateHosts: boolean;
  /** Time to establish a TCP (and TLS) connection. */
  connectTimeoutMs?: number;
  /**
   * Time for one call, unless a request sets its own: every attempt and every wait between
   * them, from sending to the last body byte. A vendor that hangs fails the call once, not once
   * per retry.
   */
  requestTimeoutMs?: number;
  /** Requests in flight per connection and origin; more wait in the pool's queue. */
  maxConcurrencyPerConnection?: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  /** Larger vendor answers fail rather than fill memory. */
  maxResponseBytes?: number;
  /** Called for every attempt, for metrics and the vendor-call log. */
  onCall?: (call: VendorCallMetric) => void;
}

/** The part of a connection the HTTP client needs. */
export interface VendorConnectionTarget {
  /** A connection id is unique only within its tenant, so pools, breakers and limits are keyed by both. */
  tenantId: string;
  id: string;
  baseUrl: string;
  provider: string;
  /** The connection's concurrency and rate limits; unset, only the pool size bounds it. */
  limits?: ThrottleLimits;
}

interface ConnectionState {
  tenantId: string;
  id: string;
  baseUrl: string;
  provider: string;
  breaker: CircuitBreaker;
  pools: Map<string, Pool>;
  throttle?: ConnectionThrottle;
}

interface PreparedRequest {
  method: VendorRequest['method'];
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

type AttemptOutcome = { durationMs: number; status: number | null } & (
  { response: VendorResponse } | { failure: AttemptFailure }
);

const MIB = 1024 * 1024;

/**
 * The one vendor HTTP client of the gateway: a keep-alive pool per connection and origin,
 * timeouts, retries of calls safe to repeat, a circuit breaker per connection, the SSRF
 * guard and a record of every attempt. Framework-free; the Nest module wraps it.
 */
export class VendorHttpClients {
  private readonly connections = new Map<string, ConnectionState>();
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxConcurrency: number;
  private readonly retry: RetryOptions;
  private readonly breaker: BreakerOptions;
  private readonly maxResponseBytes: number;
  private closed = false;

  constructor(private readonly options: VendorHttpOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxConcurrency = options.maxConcurrencyPerConnection ?? 16;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.breaker = { ...DEFAULT_BREAKER, ...options.breaker };
    this.maxResponseBytes = options.maxResponseBytes ?? 10 * MIB;
  }

  /** A client bound to one connection, recording every attempt into `recorder`. */
  forConnection(
    connection: VendorConnectionTarget,
    recorder: VendorCallRecorder,
    signal?: AbortSignal,
    trace?: VendorCallTrace,
  ): VendorHttpClient {
    return { send: (request) => this.send(connection, recorder, signal, request, trace) };
  }

  /** Every connection's circuit, read when metrics are scraped. */
  circuits(): VendorCircuit[] {
    const circuits: VendorCircuit[] = [];
    for (const state of this.connections.values()) {
      circuits.push({
        provider: state.provider,
        tenantId: state.tenantId,
        connectionId: state.id,
        state: state.breaker.stateName,
      });
    }
    return circuits;
  }

  /** Closes every pool, letting requests in flight finish. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.connections.values()].flatMap((state) => [...state.pools.values()]);
    this.connections.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private async send(
    connection: VendorConnectionTarget,
    recorder: VendorCallRecorder,
    signal: AbortSignal | undefined,
    request: VendorRequest,
    trace: VendorCallTrace | undefined,
  ): Promise<VendorResponse> {
    if (this.closed) {
      throw new GatewayError('provider_unavailable', 'the vendor HTTP client has been shut down');
    }
    const target = resolveTarget(connection.baseUrl, request);
    const state = this.connectionState(connection);
    const prepared = this.prepare(request, trace);
    // Built field by field: in V8 a spread followed by more fields is a slow path (~0.7 µs a copy).
    const record = (attempt: number, status: number | null, durationMs: number, error?: string) => {
      const entry: VendorCall = { method: request.method, path: target.recordedPath, status, durationMs };
      if (error !== undefined) entry.error = error;
      recorder.record(entry);
      if (!this.options.onCall) return;
      const metric: VendorCallMetric = {
        method: entry.method,
        path: entry.path,
        status,
        durationMs,
        provider: connection.provider,
        connectionId: connection.id,
        attempt,
        requestId: trace?.requestId ?? null,
        tenantId: trace?.tenantId ?? null,
      };
      if (error !== undefined) metric.error = error;
      this.options.onCall(metric);
    };
    const repeatable = isSafeToRepeat(request);
    const deadline = performance.now() + prepared.timeoutMs;

    let previous: AttemptOutcome | undefined;
    for (let attempt = 1; ; attempt++) {
      const decision = state.breaker.tryAcquire();
      if (!decision.allowed) {
        // A retry that finds the circuit open ends the loop with what the vendor last said.
        if (previous) return settle(previous);
        const error = circuitOpen(target.hostname, decision.retryAfterMs);
        record(attempt, null, 0, error.detail);
        throw error;
      }

      const send = () =>
        this.attempt(state, target, prepared, Math.max(1, Math.round(deadline - performance.now())), signal);
      const outcome = await (state.throttle ? state.throttle.run(send) : send());
      record(
        attempt,
        outcome.status,
        outcome.durationMs,
        'failure' in outcome ? outcome.failure.error.detail : undefined,
      );
      this.judge(state.breaker, decision.ticket, outcome);

      const wait =
        repeatable && attempt < this.retry.maxAttempts ? this.retryWait(outcome, attempt) : undefined;
      // A retry needs time left after its wait; otherwise the vendor's last word stands.
      if (wait === undefined || performance.now() + wait >= deadline) return settle(outcome);
      try {
        await delay(wait, undefined, { signal });
      } catch (error) {
        throw classifyFailure(error, {
          host: target.hostname,
          timeoutMs: 0,
          timedOut: false,
          callerSignal: signal,
        }).error;
      }
      previous = outcome;
    }
  }

  /** Milliseconds to wait before repeating the attempt, or undefined when it must not be repeated. */
  private retryWait(outcome: AttemptOutcome, attempt: number): number | undefined {
    if ('failure' in outcome) {
      return outcome.failure.retryable ? backoffDelayMs(attempt, this.retry) : undefined;
    }
    const { status, headers } = outcome.response;
    if (!isRetryableStatus(status)) return undefined;
    const asked = retryAfterMs(status, headers['retry-after']);
    if (asked === undefined) return backoffDelayMs(attempt, this.retry);
    return asked > this.retry.maxRetryAfterMs ? undefined : asked;
  }

  private judge(breaker: CircuitBreaker, ticket: BreakerTicket, outcome: AttemptOutcome): void {
    if ('failure' in outcome) {
      if (outcome.failure.vendorFault) breaker.onFailure(ticket);
      else breaker.onNeutral(ticket);
    } else if (outcome.response.status >= 500) {
      breaker.onFailure(ticket);
    } else {
      breaker.onSuccess(ticket);
    }
  }

  private async attempt(
    state: ConnectionState,
    target: VendorTarget,
    prepared: PreparedRequest,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const collector = new ResponseCollector(this.maxResponseBytes);
    let timedOut = false;
    // undici's headers/body timeouts only watch for silence; this timer bounds the whole attempt.
    const timer = setTimeout(() => {
      timedOut = true;
      collector.cancel(new Error('the attempt timed out'));
    }, timeoutMs);
    const forwardAbort = () => collector.cancel(new Error('the caller cancelled the call'));
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      signal?.throwIfAborted();
      const literal = ipLiteral(target.hostname);
      if (literal !== undefined && !this.options.allowPrivateHosts && isPrivateAddress(literal)) {
        throw new AddressNotAllowedError(target.hostname);
      }
      this.pool(state, target.origin).dispatch(
        {
          method: prepared.method,
          path: target.path,
          headers: prepared.headers,
          body: prepared.body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        collector,
      );
      const answer = await collector.done;
      return {
        status: answer.status,
        durationMs: elapsed(),
        response: vendorResponse(answer.status, answer.headers, answer.bytes),
      };
    } catch (error) {
      const failure = classifyFailure(error, {
        host: target.hostname,
        timeoutMs,
        timedOut,
        callerSignal: signal,
      });
      return { status: collector.answeredStatus, durationMs: elapsed(), failure };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
  }

  private prepare(request: VendorRequest, trace: VendorCallTrace | undefined): PreparedRequest {
    const { body, contentType } = encodeBody(request);
    const headers: Record<string, string> = { 'user-agent': 'mailroom' };
    if (trace) headers[REQUEST_ID_HEADER] = trace.requestId;
    if (contentType) headers['content-type'] = contentType;
    const given = request.headers;
    for (const name in given) headers[name.toLowerCase()] = given[name];
    return { method: request.method, headers, body, timeoutMs: request.timeoutMs ?? this.requestTimeoutMs };
  }

  private connectionState(connection: VendorConnectionTarget): ConnectionState {
    const key = `${connection.tenantId}/${connection.id}`;
    const existing = this.connections.get(key);
    if (existing?.baseUrl === connection.baseUrl) {
      // Edited limits apply to calls from now on; a call without limits (a logout) keeps them.
      const { limits } = connection;
      if (limits && !existing.throttle?.sameAs(limits)) existing.throttle = new ConnectionThrottle(limits);
      return existing;
    }
    if (existing) {
      // The connection was edited: its old pools and failure history belong to another endpoint.
      for (const pool of existing.pools.values()) void pool.close();
    }
    const state: ConnectionState = {
      tenantId: connection.tenantId,
      id: connection.id,
      baseUrl: connection.baseUrl,
      provider: connection.provider,
      breaker: new CircuitBreaker(this.breaker),
      pools: new Map(),
      throttle: connection.limits ? new ConnectionThrottle(connection.limits) : undefined,
    };
    this.connections.set(key, state);
    return state;
  }

  private pool(state: ConnectionState, origin: string): Pool {
    let pool = state.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.maxConcurrency,
        connect: {
          timeout: this.connectTimeoutMs,
          ...(this.options.allowPrivateHosts ? {} : { lookup: guardedLookup }),
        },
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
      });
      state.pools.set(origin, pool);
    }
    return pool;
  }
}

function settle(outcome: AttemptOutcome): VendorResponse {
  if ('failure' in outcome) throw outcome.failure.error;
  return outcome.response;
}
