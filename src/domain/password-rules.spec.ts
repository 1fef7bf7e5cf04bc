import { GatewayError } from './errors';
import { assertPassword, checkPassword, passwordRules } from './password-rules';

const STRICT = passwordRules({
  minLength: 8,
  maxLength: 128,
  uppercase: true,
  lowercase: true,
  digit: true,
  special: true,
  forbiddenPrefixes: ['admin'],
});

const broken = (password: string) => checkPassword(password, STRICT).map((f) => f.rule);

describe('password rules', () => {
  it('passes a password meeting every rule', () => {
    expect(checkPassword('Str0ng!Pass', STRICT)).toEqual([]);
    expect(() => assertPassword('Str0ng!Pass', STRICT)).not.toThrow();
  });

  it('names each broken rule', () => {
    expect(broken('password1')).toEqual(['uppercase', 'special']);
    expect(broken('Sh0rt!')).toEqual(['length']);
    expect(broken(`Aa1!${'x'.repeat(125)}`)).toEqual(['length']);
    expect(broken('UPPER0NLY!')).toEqual(['lowercase']);
    expect(broken('NoDigits!!')).toEqual(['digit']);
    expect(broken('NoSpecial1')).toEqual(['special']);
    expect(broken('ADMIN-Str0ng!')).toEqual(['forbidden-prefix']);
  });

  it('counts length in characters at both bounds', () => {
    expect(broken('Aa1!aaaa')).toEqual([]);
    expect(broken('Aa1!aaa')).toEqual(['length']);
    expect(broken(`Aa1!${'x'.repeat(124)}`)).toEqual([]);
    expect(broken(`Aa1!${'😀'.repeat(4)}`)).toEqual([]);
  });

  it('adds only the rules a policy asks for', () => {
    const lengthOnly = passwordRules({ minLength: 4, maxLength: 10 });
    expect(lengthOnly.map((r) => r.name)).toEqual(['length']);
    expect(checkPassword('abcd', lengthOnly)).toEqual([]);
  });

  it('throws validation_failed with one field error per broken rule, never echoing the password', () => {
    let thrown: unknown;
    try {
      assertPassword('password1', STRICT, 'password', 'hostway');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    const error = thrown as GatewayError;
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(422);
    expect(error.detail).toBe('The password breaks the hostway password rules: uppercase, special.');
    expect(error.errors).toEqual([
      { field: 'password', message: 'must contain an upper-case letter (A-Z) (rule: uppercase)' },
      { field: 'password', message: expect.stringContaining('(rule: special)') },
    ]);
    expect(JSON.stringify(error.errors)).not.toContain('password1');
  });
});
