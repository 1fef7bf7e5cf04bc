import { isEmail } from 'class-validator';
import fc from 'fast-check';
import { isEmailAddress } from './email-address';

/** The verdict, or the error class when the check throws (isEmail throws on a lone surrogate). */
function verdict(check: (value: string) => boolean, value: string): boolean | string {
  try {
    return check(value);
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

const expectSameAsIsEmail = (values: readonly string[]) =>
  expect(values.map((value) => [value, verdict(isEmailAddress, value)])).toEqual(
    values.map((value) => [value, verdict(isEmail, value)]),
  );

describe('isEmailAddress', () => {
  it("accepts exactly what class-validator's isEmail accepts, on hand-picked addresses", () => {
    const local64 = 'a'.repeat(64);
    const label63 = 'd'.repeat(63);
    expectSameAsIsEmail([
      // the bench's rows and the migration specs' addresses
      'user1@bench.example',
      'not-an-email-100',
      'alias7@bench.example',
      'Ann.Lee@Example.com',
      'ann@example.com#line:5',
      'a@x.com',
      'admin@securemail.example',
      // local part: dots, specials, length
      'a.b.c@example.com',
      '.a@example.com',
      'a.@example.com',
      'a..b@example.com',
      "o'brien+tag@example.com",
      "!#$%&'*+-/=?^_`{|}~@example.com",
      `${local64}@example.com`,
      `${local64}a@example.com`,
      '"quoted local"@example.com',
      '"a@b"@example.com',
      '"@example.com',
      'a"b@example.com',
      'a b@example.com',
      'jörg@example.com',
      'ünïcödé@exämple.com',
      '😀@example.com',
      // domain: labels, TLD, IPs, underscores, dots, case
      'a@example',
      'a@example.c',
      'a@example.123',
      'a@123.example.com',
      'a@ex_ample.com',
      'a@-example.com',
      'a@example-.com',
      'a@exa--mple.com',
      'a@example.com.',
      'a@.example.com',
      'a@example..com',
      'a@EXAMPLE.COM',
      'a@xn--bcher-kva.example',
      'a@[127.0.0.1]',
      'a@127.0.0.1',
      `a@${label63}.com`,
      `a@${label63}d.com`,
      `a@${Array.from({ length: 5 }, () => label63).join('.')}.com`,
      `${'b'.repeat(60)}@${Array.from({ length: 3 }, () => label63).join('.')}.com`,
      `${'b'.repeat(64)}@${Array.from({ length: 3 }, () => label63).join('.')}.com`,
      'a@example.c0m',
      'a@example.co\u00a0m',
      'a@exa mple.com',
      'a@b@example.com',
      '@example.com',
      'a@',
      '',
      '@',
      'a@example.com\n',
      ' a@example.com',
      'a@example.com ',
      '\ud800@example.com',
    ]);
  });

  it('agrees with isEmail on generated strings made of the characters that matter', () => {
    const char = fc.constantFrom(
      ...'aZ09.@-_+"\\ !#~\t(),:;<>[]éß😀\u00a0'.split(''),
      ...'abcdefghijklmnopqrstuvwxyz'.split(''),
    );
    const tld = fc.constantFrom('com', 'example', 'c', '123', 'co1', 'xn--p1ai', 'com.', '');
    const plainPart = (chars: string, maxLength: number) =>
      fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength });
    const address = fc.oneof(
      fc.string({ unit: char, maxLength: 40 }),
      // near-valid addresses: the plain shape the fast path takes, with its edges (lengths, dots, dashes)
      fc
        .tuple(
          plainPart('ab9.-_+', 66),
          fc.array(plainPart('ab9-_', 64), { minLength: 1, maxLength: 4 }),
          tld,
        )
        .map(([local, labels, end]) => `${local}@${labels.join('.')}.${end}`),
      fc
        .tuple(fc.string({ unit: char, maxLength: 70 }), fc.string({ unit: char, maxLength: 70 }), tld)
        .map(([local, domain, end]) => `${local}@${domain}.${end}`),
    );
    fc.assert(
      fc.property(address, (value) => {
        expect(verdict(isEmailAddress, value)).toBe(verdict(isEmail, value));
      }),
      { numRuns: 20_000, seed: 13 },
    );
  });

  it('gives the same verdict for a domain whether its answer was remembered or not', () => {
    for (let round = 0; round < 2; round++) {
      expectSameAsIsEmail(['x@ok.example', 'x@bad_domain.example', 'y@ok.example', 'y@bad_domain.example']);
    }
  });
});
