import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Fault injection shared by every simulator, driven over HTTP at `/__sim/faults`. */
export interface FaultSettings {
  /** Added to every vendor request before it is answered. */
  latencyMs: number;
  /** Share (0–1) of vendor requests answered with `errorStatus`. */
  errorRate: number;
  errorStatus: number;
  /** The next N vendor requests are answered 429 with `Retry-After: rateLimitRetryAfterSeconds`. */
  rateLimitNext: number;
  rateLimitRetryAfterSeconds: number;
  /** When true, vendor requests are accepted but never answered. */
  hang: boolean;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  rateLimitNext: 0,
  rateLimitRetryAfterSeconds: 1,
  hang: false,
};

/** A vendor request as the simulator received it, for tests that check the wire format. */
export interface RecordedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: unknown;
  at: string;
}

export interface FaultControlOptions {
  /** The vendor's own error body for an injected status. */
  errorBody(status: number): unknown;
  /** Snapshot of the simulator's state for `GET /__sim/state`. */
  snapshot(): unknown;
  /** Clears the simulator's state for `POST /__sim/reset`. */
  reset(): void;
  /** How many requests to keep for `GET /__sim/requests`. */
  keepRequests?: number;
}

export class FaultControls {
  settings: FaultSettings = { ...DEFAULT_FAULTS };
  readonly requests: RecordedRequest[] = [];
  private readonly hanging = new Set<() => void>();

  set(patch: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...patch };
    if (!this.settings.hang) this.releaseHanging();
  }

  reset(): void {
    this.settings = { ...DEFAULT_FAULTS };
    this.requests.length = 0;
    this.releaseHanging();
  }

  /** Lets hung requests go so that a server can close. */
  releaseHanging(): void {
    for (const release of this.hanging) release();
    this.hanging.clear();
  }

  hangUntilReleased(): Promise<void> {
    return new Promise((resolve) => this.hanging.add(resolve));
  }
}

const isControlPath = (url: string): boolean => url.startsWith('/__sim/');

/** Registers the `/__sim/*` control routes and the fault hook on a simulator's Fastify app. */
export function installFaultControls(app: FastifyInstance, options: FaultControlOptions): FaultControls {
  const faults = new FaultControls();
  const keep = options.keepRequests ?? 1000;

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isControlPath(request.url)) return;
    faults.requests.push({
      method: request.method,
      url: request.url,
      contentType: request.headers['content-type'],
      body: request.body,
      at: new Date().toISOString(),
    });
    if (faults.requests.length > keep) faults.requests.splice(0, faults.requests.length - keep);

    const s = faults.settings;
    if (s.hang) {
      await faults.hangUntilReleased();
      return reply.code(503).send(options.errorBody(503));
    }
    if (s.latencyMs > 0) await new Promise((r) => setTimeout(r, s.latencyMs));
    if (s.rateLimitNext > 0) {
      faults.settings = { ...s, rateLimitNext: s.rateLimitNext - 1 };
      return reply
        .code(429)
        .header('retry-after', String(s.rateLimitRetryAfterSeconds))
        .send(options.errorBody(429));
    }
    if (s.errorRate > 0 && Math.random() < s.errorRate) {
      return reply.code(s.errorStatus).send(options.errorBody(s.errorStatus));
    }
  });

  app.get('/__sim/faults', async () => faults.settings);
  app.put('/__sim/faults', async (request) => {
    faults.set((request.body ?? {}) as Partial<FaultSettings>);
    return faults.settings;
  });
  app.get('/__sim/state', async () => options.snapshot());
  app.get('/__sim/requests', async () => faults.requests);
  app.post('/__sim/reset', async () => {
    faults.reset();
    options.reset();
    return { ok: true };
  });
  app.addHook('preClose', async () => faults.releaseHanging());
  return faults;
}
