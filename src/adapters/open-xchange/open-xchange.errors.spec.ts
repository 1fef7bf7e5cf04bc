import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { openXchangeError } from './open-xchange.errors';

const SPEC = '../../../test/fixtures/vendors/open-xchange-cloud-provisioning-api-v2.yml';

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

describe('openXchangeError: every v2 code of the spec', () => {
  /** The neutral code each spec code means for a caller (spec info.description table). */
  const EXPECTED: Record<number, string> = {
    1: 'not_found', // User not found
    2: 'provider_auth_failed', // Authentication failed
    3: 'not_found', // Context not found
    4: 'provider_rejected', // Either name or id parameter must be provided
    5: 'provider_rejected', // Unknown error (HTTP 400)
    6: 'provider_unavailable', // Maintenance ongoing
    7: 'provider_rejected', // Mandatory parameters missing
    8: 'conflict', // Context already exists
    9: 'provider_rejected', // Missing context admin parameters
    10: 'provider_unavailable', // One or more services not available
    11: 'provider_rejected', // Either only unifiedQuota or mail- and fileQuota
    12: 'provider_rejected', // Quota must be omitted or positive
    13: 'provider_rejected', // Invalid CoS values
    14: 'conflict', // The mail domain is already in use
    15: 'provider_rejected', // A parameter contains invalid characters
    16: 'provider_rejected', // Dark logo requires the light logo
    17: 'provider_rejected', // Only one of … allowed
    18: 'provider_rejected', // At least one of … must be specified
    19: 'not_found', // User to reassign does not exist
    20: 'not_found', // Login not found
    21: 'not_found', // Alias not found
    22: 'not_found', // Forward or recipient not found
    23: 'not_found', // Forward recipient not found
    24: 'provider_rejected', // Invalid mail address
    25: 'provider_rejected', // Maximum amount of external forward recipients exceeded
    26: 'provider_rejected', // Maximum amount of internal forward recipients exceeded
    27: 'not_found', // Shared domain not found
    28: 'conflict', // Shared domain already exists
    29: 'not_found', // No such catchall user
    30: 'not_found', // Catchall domain not found assigned to user
    31: 'conflict', // Catchall domain already exists
    32: 'conflict', // User already exists
    33: 'conflict', // Mail address already in use
    34: 'conflict', // The display name is already in use
    35: 'provider_rejected', // Invalid timezone
    36: 'provider_rejected', // Invalid spamlevel
    37: 'provider_rejected', // The list of aliases does not include the current mail address
    38: 'provider_rejected', // Unable to create more users (context maximum)
    39: 'rate_limited', // Rate limited
    40: 'conflict', // The shared mail domain is already in use
    41: 'conflict', // Forward already exists
    42: 'provider_unavailable', // Unexpected Email Backup API Error (HTTP 500)
    43: 'conflict', // Alias already exists
  };

  /** Code → [HTTP status, message] as the spec's table lists them. */
  const specCodes = (): Map<number, [number, string]> => {
    const spec = parse(readFileSync(join(__dirname, SPEC), 'utf8')) as { info: { description: string } };
    const rows = spec.info.description.matchAll(/^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*\[(\d{3})\]/gm);
    return new Map([...rows].map((m) => [Number(m[1]), [Number(m[3]), m[2]]]));
  };

  it('knows all 43 codes the spec lists, and no other', () => {
    expect([...specCodes().keys()].sort((a, b) => a - b)).toEqual(
      Object.keys(EXPECTED)
        .map(Number)
        .sort((a, b) => a - b),
    );
    expect(specCodes().size).toBe(43);
  });

  it.each(Object.entries(EXPECTED).map(([code, neutral]) => [Number(code), neutral]))(
    'maps code %i, answered with the spec status and message, to %s',
    (code, neutral) => {
      const [status, message] = specCodes().get(code)!;
      const error = openXchangeError(response(status, v2(code, status, message)), 'call');
      expect(error.code).toBe(neutral);
      expect(error.detail).toContain(`(OX code ${code})`);
    },
  );
});
