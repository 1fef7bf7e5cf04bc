import { REDACTED, redact } from './redaction';

describe('redact', () => {
  it('replaces secret-named fields at any depth', () => {
    const input = {
      user: 'a',
      password: 'p',
      nested: { list: [{ apiKey: 'k', ok: 1 }], credentials: { username: 'u' } },
      headers: { Authorization: 'Bearer x' },
    };
    expect(redact(input)).toEqual({
      user: 'a',
      password: REDACTED,
      nested: { list: [{ apiKey: REDACTED, ok: 1 }], credentials: REDACTED },
      headers: { Authorization: REDACTED },
    });
    expect(input.password).toBe('p');
  });

  it('returns objects without secrets unchanged and cuts cycles', () => {
    const clean = { a: 1, b: [{ c: 'd' }] };
    expect(redact(clean)).toBe(clean);
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: 'x', self: '[circular]' });
    expect(redact({ at: new Date('2026-01-01T00:00:00Z') })).toEqual({ at: '2026-01-01T00:00:00.000Z' });
  });

  it('keeps a field named __proto__ as a field when it copies', () => {
    const input = JSON.parse('{"__proto__":{"x":1},"password":"p"}') as Record<string, unknown>;
    const output = redact(input) as Record<string, unknown>;

    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(JSON.stringify(output)).toBe('{"__proto__":{"x":1},"password":"[redacted]"}');
  });
});
