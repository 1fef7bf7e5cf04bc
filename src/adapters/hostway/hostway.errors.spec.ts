import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { mapHostwayError } from './hostway.errors';

function response(status: number, body: unknown, headers: Record<string, string> = {}): VendorResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers, text, json: <T>() => JSON.parse(text) as T };
}

describe('mapHostwayError', () => {
  it('maps a 400 flat error to provider_rejected, keeping every message and pointing at neutral fields', () => {
    const error = mapHostwayError(
      response(400, { password: 'Required', quota: 'Must be a non-negative integer', other: 'x' }),
      'PUT mailbox a@d.com',
      'Mailbox a@d.com',
    );
    expect(error.code).toBe('provider_rejected');
    expect(error.status).toBe(422);
    expect(error.provider).toBe('hostway');
    expect(error.detail).toBe(
      'Hostway rejected PUT mailbox a@d.com. Hostway said: password: Required; quota: Must be a non-negative integer; other: x',
    );
    expect(error.errors).toEqual([
      { field: 'password', message: 'Required' },
      { field: 'mailbox.quotaMb', message: 'Must be a non-negative integer' },
      { field: 'other', message: 'x' },
    ]);
  });

  it.each([
    [401, 'provider_auth_failed', 502],
    [403, 'provider_auth_failed', 502],
    [404, 'not_found', 404],
    [409, 'conflict', 409],
    [429, 'rate_limited', 429],
    [500, 'provider_unavailable', 502],
    [503, 'provider_unavailable', 503],
    [504, 'provider_unavailable', 504],
    [418, 'provider_rejected', 422],
  ])('maps HTTP %i to %s (%i)', (status, code, httpStatus) => {
    const error = mapHostwayError(response(status, { error: 'nope' }), 'GET x', 'Thing x');
    expect(error.code).toBe(code);
    expect(error.status).toBe(httpStatus);
  });

  it('names the missing resource on 404 and keeps the reason of a 409', () => {
    expect(
      mapHostwayError(response(404, { domain: 'does not exist' }), 'GET', 'Hostway domain d.com').detail,
    ).toBe('Hostway domain d.com was not found. Hostway said: domain: does not exist');
    expect(mapHostwayError(response(409, { targets: 'loop' }), 'POST forwards', 'x').detail).toContain(
      'targets: loop',
    );
  });

  it("keeps Hostway's reason on auth failures, rate limits and 5xx answers", () => {
    for (const status of [401, 429, 503]) {
      expect(mapHostwayError(response(status, { error: 'nope' }), 'GET x', 'x').detail).toContain(
        'Hostway said: error: nope',
      );
    }
  });

  it('passes Retry-After on through 429 and 503', () => {
    expect(mapHostwayError(response(429, '', { 'retry-after': '7' }), 'GET', 'x').retryAfterSeconds).toBe(7);
    expect(mapHostwayError(response(503, '', { 'retry-after': '3' }), 'GET', 'x').retryAfterSeconds).toBe(3);
  });

  it('keeps nothing of a body that is not a flat object of strings', () => {
    const html = mapHostwayError(response(400, '<html>secret stuff</html>'), 'PUT x', 'x');
    expect(html.detail).toBe('Hostway rejected PUT x.');
    expect(html.errors).toEqual([]);
    const nested = mapHostwayError(response(400, { a: { b: 'c' }, n: 1 }), 'PUT x', 'x');
    expect(nested.errors).toEqual([]);
  });
});
