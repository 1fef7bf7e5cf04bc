import fc from 'fast-check';
import { GatewayError } from '../../domain/errors';
import { pageByKey, wildcardMatcher } from './open-xchange.paging';

describe('pageByKey', () => {
  it('returns every item exactly once, in order, whatever the page size', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 })),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (items, limit, descending) => {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (;;) {
            const page = pageByKey(items, (s) => [s], { sort: 'email', descending, limit, cursor });
            seen.push(...page.data);
            if (!page.nextCursor) break;
            cursor = page.nextCursor;
          }
          const sorted = [...items].sort();
          expect(seen).toEqual(descending ? sorted.reverse() : sorted);
        },
      ),
    );
  });

  it('rejects a cursor from another sort', () => {
    const first = pageByKey(['a', 'b'], (s) => [s], { sort: 'email', descending: false, limit: 1 });
    expect(() =>
      pageByKey(['a', 'b'], (s) => [1, s], {
        sort: 'quota',
        descending: false,
        limit: 1,
        cursor: first.nextCursor!,
      }),
    ).toThrow(GatewayError);
    expect(() =>
      pageByKey([], (s: string) => [s], { sort: 'email', descending: false, limit: 1, cursor: 'garbage' }),
    ).toThrow(GatewayError);
  });
});

describe('wildcardMatcher', () => {
  it('treats * as a wildcard and everything else literally', () => {
    const jo = wildcardMatcher('jo*');
    expect([jo('John@x.example'), jo('ajo@x.example')]).toEqual([true, false]);
    expect(wildcardMatcher('a.b@x.example')('axb@x.example')).toBe(false);
  });
});
