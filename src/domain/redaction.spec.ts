import fc from 'fast-check';
import { REDACTED, isSecretKey, redact } from './redaction';

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

  it('replaces vendor session and subscription keys however their header is spelled', () => {
    const headers = {
      'x-session-key': 's',
      'Ocp-Apim-Subscription-Key': 'k',
      SessionKey: 's',
      subscription_key: 'k',
      accept: 'application/json',
    };
    expect(redact({ headers })).toEqual({
      headers: {
        'x-session-key': REDACTED,
        'Ocp-Apim-Subscription-Key': REDACTED,
        SessionKey: REDACTED,
        subscription_key: REDACTED,
        accept: 'application/json',
      },
    });
  });

  it('returns objects without secrets unchanged and cuts cycles', () => {
    const clean = { a: 1, b: [{ c: 'd' }] };
    expect(redact(clean)).toBe(clean);
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: 'x', self: '[circular]' });
    expect(redact({ at: new Date('2026-01-01T00:00:00Z') })).toEqual({ at: '2026-01-01T00:00:00.000Z' });
  });

  it('walks an object referenced twice (not a cycle) both times', () => {
    const shared = { host: 'h', password: 'p' };
    expect(redact({ a: shared, b: shared, list: [shared, shared] })).toEqual({
      a: { host: 'h', password: REDACTED },
      b: { host: 'h', password: REDACTED },
      list: [
        { host: 'h', password: REDACTED },
        { host: 'h', password: REDACTED },
      ],
    });
    const clean = { n: 1 };
    const twice = { a: clean, b: clean };
    expect(redact(twice)).toBe(twice);
  });

  it('keeps a field named __proto__ as a field when it copies', () => {
    const input = JSON.parse('{"__proto__":{"x":1},"password":"p"}') as Record<string, unknown>;
    const output = redact(input) as Record<string, unknown>;

    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(JSON.stringify(output)).toBe('{"__proto__":{"x":1},"password":"[redacted]"}');
  });
});

/** What redact must return for an acyclic value: the same structure, secret-named fields replaced. */
function expected(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(expected);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, {
      value: isSecretKey(key) ? REDACTED : expected(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('password', 'apiKey', 'token', 'name', 'id'),
);

/** JSON-like values whose objects and arrays are drawn from a pool, so the same one appears in several places. */
const sharedValue = fc
  .array(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), { minLength: 1, maxLength: 4 })
  .chain((pool) => {
    const node = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(...pool),
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    return fc.tuple(fc.constantFrom(...pool), node).map(([first, rest]) => ({ first, again: first, rest }));
  });

describe('redact (properties)', () => {
  it('keeps the structure of any acyclic value, shared references included, and never says [circular]', () => {
    fc.assert(
      fc.property(sharedValue, (value) => {
        const out = redact(value);
        expect(out).toEqual(expected(value));
        expect(JSON.stringify(out)).not.toContain('"[circular]"');
      }),
    );
  });

  it('cuts every real cycle and says where', () => {
    fc.assert(
      fc.property(sharedValue, fc.nat(), (generated, pick) => {
        // A copy (sharing kept) to close the cycle in: fast-check reuses generated values.
        const value = structuredClone(generated);
        const objects: Record<string, unknown>[] = [];
        const walk = (v: unknown): void => {
          if (v === null || typeof v !== 'object' || objects.includes(v as Record<string, unknown>)) return;
          if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
          // Below a secret-named field everything is redacted, a cycle included.
          for (const [k, item] of Object.entries(v)) if (!isSecretKey(k)) walk(item);
        };
        walk(value);
        const inner = objects[pick % objects.length];
        inner.loop = value;
        expect(JSON.stringify(redact(value))).toContain('"[circular]"');
      }),
    );
  });
});
