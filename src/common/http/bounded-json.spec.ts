import { GatewayError } from '../../domain/errors';
import { JSON_LIMITS, parseBoundedJson } from './bounded-json';

const parse = (text: string) => parseBoundedJson(Buffer.from(text, 'utf8'));

function refusal(text: string | Buffer): GatewayError {
  try {
    parseBoundedJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a refusal');
}

describe('parseBoundedJson', () => {
  it('parses JSON within the limits, and an empty body as undefined', () => {
    expect(parse('{"a":[1,{"b":"\\ud83d\\ude00 ok"}],"c":null}')).toEqual({
      a: [1, { b: '😀 ok' }],
      c: null,
    });
    expect(parse(' \n')).toBeUndefined();
    expect(parse(`${'['.repeat(JSON_LIMITS.depth)}${']'.repeat(JSON_LIMITS.depth)}`)).toBeDefined();
  });

  it('refuses nesting past the depth limit without recursing, whatever the depth', () => {
    const deep = refusal(`${'['.repeat(1_000_000)}`);
    expect([deep.code, deep.errors]).toEqual([
      'validation_failed',
      [{ field: 'body', message: `nests deeper than ${JSON_LIMITS.depth} levels` }],
    ]);
    // Brackets inside strings are text, not nesting.
    expect(parse(JSON.stringify({ a: '['.repeat(100) }))).toEqual({ a: '['.repeat(100) });
  });

  it.each([
    ['a high surrogate alone', '{"a":"\\ud800"}'],
    ['a high surrogate before a non-surrogate escape', '{"a":"\\ud800\\u0041"}'],
    ['a low surrogate alone', '{"a":"x\\udc00"}'],
    ['a lone surrogate in a key', '{"\\udbff":1}'],
  ])('refuses %s with 400', (_what, text) => {
    const error = refusal(text);
    expect([error.code, error.status]).toEqual(['bad_request', 400]);
    expect(error.detail).toMatch(/lone UTF-16 surrogate/);
  });

  it('does not take an escaped backslash for an escape', () => {
    expect(parse('{"a":"\\\\ud800"}')).toEqual({ a: '\\ud800' });
  });

  it('refuses invalid UTF-8, malformed JSON and prototype keys with 400', () => {
    expect(refusal(Buffer.from([0x22, 0xff, 0x22])).detail).toMatch(/UTF-8/);
    expect(refusal('{"a":').detail).toMatch(/not valid JSON/);
    expect(refusal('{"__proto__":{"x":1}}').code).toBe('bad_request');
    expect(refusal('{"a":{"constructor":{"prototype":{}}}}').code).toBe('bad_request');
    expect(refusal('{"settings":{"constructor":"/"}}').code).toBe('bad_request');
    expect(refusal('{"credentials":{"constructor":-31}}').code).toBe('bad_request');
  });

  it('names the field that is too long, too big or has too many fields', () => {
    const field = (text: string) => refusal(text).errors?.[0]?.field;
    expect(field(JSON.stringify({ a: { b: 'x'.repeat(JSON_LIMITS.stringLength + 1) } }))).toBe('a.b');
    expect(
      field(JSON.stringify({ list: Array.from({ length: JSON_LIMITS.arrayLength + 1 }, () => 0) })),
    ).toBe('list');
    expect(
      field(
        JSON.stringify([Object.fromEntries(Array.from({ length: JSON_LIMITS.keys + 1 }, (_, i) => [i, 1]))]),
      ),
    ).toBe('[0]');
    expect(field(JSON.stringify({ ['k'.repeat(JSON_LIMITS.keyLength + 1)]: 1 }))).toBe('k'.repeat(64));
  });
});
