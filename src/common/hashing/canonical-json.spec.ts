import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('gives equal text for equal values whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: null }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, { x: null, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: [true, 'é"'] })).toBe('{"a":[true,"é\\""],"b":1}');
  });

  it('is JSON that parses back to the value (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('writes an undefined member as null, so a field that is set and unset gives two texts', () => {
    expect(canonicalJson({ a: undefined })).toBe('{"a":null}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
