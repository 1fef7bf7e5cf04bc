import { connectionLimits, limitSettingErrors, limitSettingSpecs } from './connection-limits';
import { ConnectionThrottle } from './http/connection-throttle';

describe('connection limits', () => {
  const descriptor = { limits: { maxConcurrency: 4, maxRequestsPerSecond: 10 } };

  it('takes the connection settings, else the provider defaults', () => {
    expect(connectionLimits(descriptor, {})).toEqual({ maxConcurrency: 4, maxRequestsPerSecond: 10 });
    expect(connectionLimits(descriptor, { maxConcurrency: 2 })).toEqual({
      maxConcurrency: 2,
      maxRequestsPerSecond: 10,
    });
    expect(connectionLimits({}, {})).toEqual({ maxConcurrency: 4, maxRequestsPerSecond: 10 });
  });

  it('refuses values out of bounds or of the wrong type, naming the setting', () => {
    expect(limitSettingErrors({ maxConcurrency: 8, maxRequestsPerSecond: 0.5 })).toEqual([]);
    expect(limitSettingErrors({ maxConcurrency: 0 })).toEqual([
      { field: 'settings.maxConcurrency', message: 'must be an integer from 1 to 64' },
    ]);
    expect(
      limitSettingErrors({ maxConcurrency: 2.5, maxRequestsPerSecond: '5' }).map((e) => e.field),
    ).toEqual(['settings.maxConcurrency', 'settings.maxRequestsPerSecond']);
  });

  it('documents both settings with the provider default', () => {
    const specs = limitSettingSpecs(descriptor);
    expect(specs.map((s) => [s.name, s.required])).toEqual([
      ['maxConcurrency', false],
      ['maxRequestsPerSecond', false],
    ]);
    expect(specs[0].description).toContain('default 4');
  });

  it('the throttle never has more than maxConcurrency attempts in flight', async () => {
    const throttle = new ConnectionThrottle({ maxConcurrency: 3, maxRequestsPerSecond: 10_000 });
    let inFlight = 0;
    let peak = 0;
    const attempts = Array.from({ length: 10 }, () =>
      throttle.run(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
      }),
    );
    await Promise.all(attempts);
    expect(peak).toBe(3);
  });
});
