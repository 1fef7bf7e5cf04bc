import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { openXchangeError } from './open-xchange.errors';

function response(status: number, body: unknown, headers: Record<string, string> = {}): VendorResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers, text, json: <T>() => JSON.parse(text) as T };
}

const v2 = (code: number, status: number, title: string) => ({
  errors: [{ code: String(code), id: '92f3ede7-21b1-4fb5-a340-e609dbb90585', status: String(status), title }],
});

describe('openXchangeError', () => {
  it.each([
    [1, 404, 'User not found', 'not_found', 404],
    [27, 404, 'Shared domain "x" not found', 'not_found', 404],
    [32, 409, 'User "john.doe" already exists', 'conflict', 409],
    [33, 409, 'Mail address "a@b.c" already in use', 'conflict', 409],
    [7, 409, 'Mandatory parameters missing: surName', 'provider_rejected', 422],
    [12, 409, 'Quota must be either omitted or a positive value', 'provider_rejected', 422],
    [36, 400, 'Invalid spamlevel "x"', 'provider_rejected', 422],
    [2, 401, 'Authentication failed', 'provider_auth_failed', 502],
    [6, 503, "There's a maintenance ongoing, please try again later", 'provider_unavailable', 503],
    [42, 500, 'Unexpected Email Backup API Error', 'provider_unavailable', 502],
  ])('maps code %i (HTTP %i) and keeps the title', (code, status, title, neutral, neutralStatus) => {
    const error = openXchangeError(response(status, v2(code, status, title)), 'do something');
    expect([error.code, error.status]).toEqual([neutral, neutralStatus]);
    expect(error.detail).toContain(title);
    expect(error.provider).toBe('open-xchange');
  });

  it('turns code 39 into rate_limited with the Retry-After seconds', () => {
    const error = openXchangeError(
      response(429, v2(39, 429, 'Rate limited, too many requests'), { 'retry-after': '7' }),
      'list',
    );
    expect([error.code, error.retryAfterSeconds]).toEqual(['rate_limited', 7]);
  });

  it('reads Cloud-Plugins {"error"} bodies', () => {
    const conflict = openXchangeError(
      response(409, { error: 'domain x already exists' }),
      'create explicit domain',
    );
    expect([conflict.code, conflict.detail]).toEqual([
      'conflict',
      'Open-Xchange (create explicit domain): domain x already exists',
    ]);
    expect(openXchangeError(response(404, { error: 'user 4 not found' }), 'read').code).toBe('not_found');
  });

  it('survives bodies it cannot read', () => {
    const html = openXchangeError(response(502, '<html>Bad gateway</html>'), 'get user');
    expect([html.code, html.status]).toEqual(['provider_unavailable', 502]);
    expect(html.detail).toContain('HTTP 502');
    expect(openXchangeError(response(400, ''), 'x').code).toBe('provider_rejected');
    expect(openXchangeError(response(409, { errors: [] }), 'x').code).toBe('conflict');
  });
});
