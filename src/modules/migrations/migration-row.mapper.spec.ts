import { rowRules, validateRow } from './migration-row.mapper';

const neutral = rowRules('hostway', undefined);
const datamotion = rowRules('datamotion', {
  maxLength: { firstName: 50, lastName: 50 },
  password: { minLength: 8, maxLength: 64, digit: true },
});

describe('validateRow', () => {
  it('turns a good row into the neutral input, with the password apart and the key lower-cased', () => {
    const verdict = validateRow(
      {
        email: 'Ann.Lee@Example.com',
        firstName: 'Ann',
        lastName: 'Lee',
        password: 'Secret-123',
        externalId: 'tag-1',
        quotaMb: 2048,
        plan: 'premium',
        aliases: ['a@example.com'],
        extras: { userTypeId: '3' },
      },
      neutral,
      { n: 4, line: 4 },
    );
    expect(verdict).toEqual({
      ok: true,
      key: 'ann.lee@example.com',
      line: 4,
      password: 'Secret-123',
      input: {
        line: 4,
        externalId: 'tag-1',
        user: {
          email: 'Ann.Lee@Example.com',
          firstName: 'Ann',
          lastName: 'Lee',
          mailbox: { quotaMb: 2048, plan: 'premium' },
          aliases: ['a@example.com'],
          extras: { userTypeId: '3' },
        },
      },
    });
    expect(JSON.stringify(verdict.ok && verdict.input)).not.toContain('Secret-123');
  });

  it('names every problem of a bad row at once, with its line, and keys it by address and line', () => {
    const verdict = validateRow(
      { email: 'ann@example.com', firstName: '', quotaMb: 0, aliases: ['x'], nickname: 'A' },
      neutral,
      { n: 7, line: 7 },
    );
    expect(verdict).toEqual({
      ok: false,
      key: 'ann@example.com#line:7',
      line: 7,
      code: 'validation_failed',
      detail:
        'line 7: nickname is not a known field; firstName must be 1-100 characters, found 0; ' +
        'quotaMb must be a whole number of MB from 1 to 100000000; each alias must be an email address',
    });
  });

  it('keys a row without a usable email by its position', () => {
    for (const email of [undefined, '', 'not-an-email', 42]) {
      const verdict = validateRow({ email }, neutral, { n: 3 });
      expect(verdict).toMatchObject({ ok: false, key: 'line:3', code: 'validation_failed' });
      expect(verdict.ok ? '' : verdict.detail).toMatch(/^email (is required|must be)/);
    }
  });

  it('applies the target vendor’s declared limits and password rules, naming the vendor', () => {
    const name51 = 'n'.repeat(51);
    const verdict = validateRow(
      { email: 'a@example.com', firstName: name51, password: 'short' },
      datamotion,
      {
        n: 2,
        line: 2,
      },
    );
    expect(verdict.ok).toBe(false);
    const detail = verdict.ok ? '' : verdict.detail;
    expect(detail).toContain('firstName must be 1-50 characters (datamotion limit), found 51');
    expect(detail).toContain('(datamotion password rules)');
    expect(detail).toContain('rule: length');
    expect(detail).toContain('rule: digit');
    expect(detail).not.toContain('short');
    expect(validateRow({ email: 'a@example.com', firstName: name51 }, neutral, { n: 2 }).ok).toBe(true);
  });

  it('counts characters as code points and refuses text Postgres cannot store', () => {
    expect(validateRow({ email: 'a@example.com', firstName: '😀'.repeat(100) }, neutral, { n: 1 }).ok).toBe(
      true,
    );
    for (const firstName of ['nul\u0000', 'lone\ud800']) {
      const verdict = validateRow({ email: 'a@example.com', firstName }, neutral, { n: 1 });
      expect(verdict.ok ? '' : verdict.detail).toContain('firstName must be text without NUL characters');
    }
    const extras = validateRow({ email: 'a@example.com', extras: { note: 'x\u0000' } }, neutral, { n: 1 });
    expect(extras.ok ? '' : extras.detail).toContain('extras must be text without NUL');
  });

  it('refuses ill-typed fields one by one', () => {
    const verdict = validateRow(
      { email: 'a@example.com', firstName: 5, aliases: 'a@example.com', extras: [1], quotaMb: '10' },
      neutral,
      { n: 1 },
    );
    expect(verdict.ok ? '' : verdict.detail).toBe(
      'firstName must be a string; quotaMb must be a whole number of MB from 1 to 100000000; ' +
        'aliases must be a list of email addresses; extras must be an object',
    );
  });
});
