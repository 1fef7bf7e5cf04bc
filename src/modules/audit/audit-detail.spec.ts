import { AUDIT_LIMITS, storableJson, storableText } from './audit-detail';

describe('storable audit details', () => {
  it('writes NULs and lone surrogates out as text, and keeps pairs', () => {
    expect(storableText('a\u0000b\ud800c\udc00 \ud83d\ude00')).toBe('a\\u0000b\\ud800c\\udc00 \ud83d\ude00');
  });

  it('bounds strings, depth, arrays and fields, and escapes keys', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const out = storableJson({
      long: 'x'.repeat(AUDIT_LIMITS.stringLength + 5),
      deep,
      list: Array.from({ length: AUDIT_LIMITS.arrayItems + 3 }, (_, i) => i),
      'a\u0000': { big: 10n, fn: () => 1, nan: Number.NaN, when: new Date(0) },
    }) as Record<string, unknown>;
    expect(out.long).toBe(`${'x'.repeat(AUDIT_LIMITS.stringLength)}…[5 more characters]`);
    expect(JSON.stringify(out.deep)).toContain('[nested too deep]');
    expect((out.list as unknown[]).at(-1)).toBe('[3 more items]');
    expect(out['a\\u0000']).toEqual({
      big: '10',
      fn: '[function]',
      nan: 'NaN',
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it('keeps a __proto__ key as a plain field', () => {
    const out = storableJson(JSON.parse('{"__proto__":{"x":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});
