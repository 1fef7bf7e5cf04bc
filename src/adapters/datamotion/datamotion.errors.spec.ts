import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import {
  isStaleSession,
  mapHttpFailure,
  MIGRATE_STATUS,
  migrateStatusError,
  vendorMessage,
} from './datamotion.errors';

function response(status: number, text: string, headers: Record<string, string> = {}): VendorResponse {
  return { status, headers, text, json: <T>() => JSON.parse(text) as T };
}

/** Every per-user failure code of datamotion-smc-migrate-users.txt. */
const REFERENCE_CODES = [
  10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 155, 160, 170, 175, 180, 190, 200, 210,
  220, 230,
];

describe('DataMotion errors', () => {
  it('has one meaning for every Status code of the reference', () => {
    expect(Object.keys(MIGRATE_STATUS).map(Number)).toEqual(REFERENCE_CODES);
    const withCode = (code: string) =>
      REFERENCE_CODES.filter((status) => MIGRATE_STATUS[status].code === code);
    expect(withCode('conflict')).toEqual([110, 120, 130, 140, 180, 190]);
    expect(withCode('forbidden')).toEqual([40, 60, 155, 175]);
    expect(withCode('provider_unavailable')).toEqual([10, 30, 150, 160, 170, 200, 210, 220, 230]);
    expect(withCode('provider_rejected')).toEqual([20, 50, 70, 80, 90, 100]);
    for (const status of REFERENCE_CODES) {
      expect(MIGRATE_STATUS[status].retryable).toBe(MIGRATE_STATUS[status].code === 'provider_unavailable');
    }
  });

  it("keeps the vendor's Status, name and Details in the detail, and the retry verdict", () => {
    const error = migrateStatusError('ada@x.example', 120, 'User migration Create Email already exists.');
    expect(error).toMatchObject({ code: 'conflict', status: 409, retryable: false, provider: 'datamotion' });
    expect(error.detail).toBe(
      "DataMotion MigrateUsers status 120 (CreateEmailAlreadyExists) for UserTag 'ada@x.example': User migration Create Email already exists.",
    );
    expect(migrateStatusError('t', 160, 'boom')).toMatchObject({
      code: 'provider_unavailable',
      status: 502,
      retryable: true,
    });
    expect(migrateStatusError('t', 999, 'new')).toMatchObject({
      code: 'provider_rejected',
      retryable: false,
    });
  });

  it("reads the vendor's words from each error body it sends, and nothing else", () => {
    expect(vendorMessage(response(401, '{"Message":"Session key expired."}'))).toBe('Session key expired.');
    expect(vendorMessage(response(401, '{"statusCode":401,"message":"Access denied"}'))).toBe(
      'Access denied',
    );
    expect(vendorMessage(response(400, '{"Errors":{"Email":["The Email field is required."]}}'))).toBe(
      'Email: The Email field is required.',
    );
    expect(vendorMessage(response(400, 'Bad session key.'))).toBe('Bad session key.');
    expect(vendorMessage(response(502, '<html>proxy</html>'))).toBe('');
  });

  it('knows a stale session key from other refusals', () => {
    expect(isStaleSession(response(401, '{"Message":"Session key expired."}'))).toBe(true);
    expect(isStaleSession(response(401, '{"Message":"Bad session key."}'))).toBe(true);
    expect(isStaleSession(response(401, '{"Message":"User is not a company admin."}'))).toBe(false);
    expect(isStaleSession(response(400, '{"Message":"Session key expired."}'))).toBe(false);
  });

  it('maps HTTP failures to neutral codes with the vendor’s message', () => {
    const auth = mapHttpFailure(
      response(401, '{"Message":"User credentials are invalid."}'),
      'Account/Logon',
    );
    expect(auth).toMatchObject({ code: 'provider_auth_failed' });
    expect(auth.detail).toContain('User credentials are invalid.');
    expect(mapHttpFailure(response(429, '', { 'retry-after': '7' }), 'x')).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 7,
    });
    expect(mapHttpFailure(response(503, ''), 'x')).toMatchObject({
      code: 'provider_unavailable',
      status: 503,
    });
    expect(mapHttpFailure(response(404, ''), 'x', "DataMotion account 'a'")).toMatchObject({
      code: 'not_found',
    });
    expect(
      mapHttpFailure(response(400, '{"Message":"CompanyId type is not an integer."}'), 'x'),
    ).toMatchObject({
      code: 'provider_rejected',
    });
  });
});
