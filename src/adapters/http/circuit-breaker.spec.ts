import { CircuitBreaker } from './circuit-breaker';

function breakerWithClock() {
  let now = 0;
  const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000 }, () => now);
  const acquire = () => {
    const decision = breaker.tryAcquire();
    if (!decision.allowed) throw new Error('circuit unexpectedly open');
    return decision.ticket;
  };
  return { breaker, acquire, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after consecutive failures and reports the time left', () => {
    const { breaker, acquire, advance } = breakerWithClock();
    for (let i = 0; i < 3; i++) breaker.onFailure(acquire());
    advance(400);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 600 });
  });

  it('a success resets the count of consecutive failures', () => {
    const { breaker, acquire } = breakerWithClock();
    breaker.onFailure(acquire());
    breaker.onFailure(acquire());
    breaker.onSuccess(acquire());
    breaker.onFailure(acquire());
    breaker.onFailure(acquire());
    expect(breaker.tryAcquire().allowed).toBe(true);
  });

  it('lets one trial through after openMs; its success closes the circuit', () => {
    const { breaker, acquire, advance } = breakerWithClock();
    for (let i = 0; i < 3; i++) breaker.onFailure(acquire());
    advance(1000);
    const trial = acquire();
    expect(trial.trial).toBe(true);
    expect(breaker.tryAcquire().allowed).toBe(false);
    breaker.onSuccess(trial);
    expect(acquire().trial).toBe(false);
  });

  it('a failed trial opens the circuit again for openMs', () => {
    const { breaker, acquire, advance } = breakerWithClock();
    for (let i = 0; i < 3; i++) breaker.onFailure(acquire());
    advance(1000);
    breaker.onFailure(acquire());
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 1000 });
  });

  it('a neutral trial hands the trial to the next caller', () => {
    const { breaker, acquire, advance } = breakerWithClock();
    for (let i = 0; i < 3; i++) breaker.onFailure(acquire());
    advance(1000);
    breaker.onNeutral(acquire());
    expect(acquire().trial).toBe(true);
  });

  it('ignores late results of calls that started before the circuit opened', () => {
    const { breaker, acquire } = breakerWithClock();
    const late = acquire();
    for (let i = 0; i < 3; i++) breaker.onFailure(acquire());
    breaker.onSuccess(late);
    expect(breaker.tryAcquire().allowed).toBe(false);
  });
});
