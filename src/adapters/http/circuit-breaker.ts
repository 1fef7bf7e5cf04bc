export interface BreakerOptions {
  /** Consecutive failures (transport errors, timeouts, 5xx) that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  openMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, openMs: 10_000 };

/** Permission to make one call; `trial` marks the single half-open probe. */
export interface BreakerTicket {
  trial: boolean;
}

export type BreakerDecision =
  { allowed: true; ticket: BreakerTicket } | { allowed: false; retryAfterMs: number };

export type BreakerStateName = 'closed' | 'open' | 'half-open';

type State =
  | { kind: 'closed'; failures: number }
  | { kind: 'open'; until: number }
  | { kind: 'half-open'; trialInFlight: boolean };

/**
 * Per-connection circuit breaker. Results of calls that started before the circuit opened
 * are ignored once it is open, so only the half-open trial decides whether it closes again.
 */
export class CircuitBreaker {
  private state: State = { kind: 'closed', failures: 0 };

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The state a call made now would meet (an open circuit whose time is up is half-open). */
  get stateName(): BreakerStateName {
    if (this.state.kind === 'open' && this.state.until <= this.now()) return 'half-open';
    return this.state.kind;
  }

  tryAcquire(): BreakerDecision {
    if (this.state.kind === 'open') {
      const remaining = this.state.until - this.now();
      if (remaining > 0) return { allowed: false, retryAfterMs: remaining };
      this.state = { kind: 'half-open', trialInFlight: false };
    }
    if (this.state.kind === 'half-open') {
      // While the probe is out nobody knows when the verdict comes; a second is an honest hint.
      if (this.state.trialInFlight) return { allowed: false, retryAfterMs: 1000 };
      this.state.trialInFlight = true;
      return { allowed: true, ticket: { trial: true } };
    }
    return { allowed: true, ticket: { trial: false } };
  }

  onSuccess(ticket: BreakerTicket): void {
    if (ticket.trial || this.state.kind === 'closed') this.state = { kind: 'closed', failures: 0 };
  }

  onFailure(ticket: BreakerTicket): void {
    if (ticket.trial) {
      this.open();
    } else if (this.state.kind === 'closed') {
      const failures = this.state.failures + 1;
      if (failures >= this.options.failureThreshold) this.open();
      else this.state = { kind: 'closed', failures };
    }
  }

  /** The call ended without saying anything about the vendor's health (cancelled, refused locally). */
  onNeutral(ticket: BreakerTicket): void {
    if (ticket.trial && this.state.kind === 'half-open') this.state.trialInFlight = false;
  }

  private open(): void {
    this.state = { kind: 'open', until: this.now() + this.options.openMs };
  }
}
