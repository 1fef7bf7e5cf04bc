import { GatewayError, type FieldError } from './errors';

/** One named check a password must pass; the name appears in the 422 so callers know which rule failed. */
export interface PasswordRule {
  name: string;
  /** What the rule requires, in words (never the password itself). */
  requirement: string;
  test(password: string): boolean;
}

/** A vendor's password policy, declaratively; each adapter states its own. */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  uppercase?: boolean;
  lowercase?: boolean;
  digit?: boolean;
  /** ASCII punctuation: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``. */
  special?: boolean;
  /** Case-insensitive prefixes a password may not start with. */
  forbiddenPrefixes?: readonly string[];
}

export interface PasswordRuleFailure {
  rule: string;
  message: string;
}

const SPECIAL = /[!-/:-@[-`{-~]/;

/** Length counts code points, so a non-BMP character is one character, as a user would count it. */
const length = (password: string): number => [...password].length;

export function passwordRules(policy: PasswordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = [
    {
      name: 'length',
      requirement: `must be ${policy.minLength} to ${policy.maxLength} characters long`,
      test: (p) => length(p) >= policy.minLength && length(p) <= policy.maxLength,
    },
  ];
  if (policy.uppercase) {
    rules.push({
      name: 'uppercase',
      requirement: 'must contain an upper-case letter (A-Z)',
      test: (p) => /[A-Z]/.test(p),
    });
  }
  if (policy.lowercase) {
    rules.push({
      name: 'lowercase',
      requirement: 'must contain a lower-case letter (a-z)',
      test: (p) => /[a-z]/.test(p),
    });
  }
  if (policy.digit) {
    rules.push({ name: 'digit', requirement: 'must contain a digit (0-9)', test: (p) => /[0-9]/.test(p) });
  }
  if (policy.special) {
    rules.push({
      name: 'special',
      requirement: 'must contain a special character (ASCII punctuation such as ! # $ % - _)',
      test: (p) => SPECIAL.test(p),
    });
  }
  for (const prefix of policy.forbiddenPrefixes ?? []) {
    rules.push({
      name: 'forbidden-prefix',
      requirement: `must not start with "${prefix}"`,
      test: (p) => !p.toLowerCase().startsWith(prefix.toLowerCase()),
    });
  }
  return rules;
}

/** Every rule the password breaks, in rule order; empty when it passes. */
export function checkPassword(password: string, rules: readonly PasswordRule[]): PasswordRuleFailure[] {
  return rules
    .filter((rule) => !rule.test(password))
    .map((rule) => ({ rule: rule.name, message: `${rule.requirement} (rule: ${rule.name})` }));
}

/** Throws `validation_failed` naming every broken rule, before any vendor call is made. */
export function assertPassword(
  password: string,
  rules: readonly PasswordRule[],
  field = 'password',
  vendor?: string,
): void {
  const failures = checkPassword(password, rules);
  if (failures.length === 0) return;
  const errors: FieldError[] = failures.map((f) => ({ field, message: f.message }));
  const who = vendor ? `${vendor} password rules` : 'password rules';
  throw GatewayError.validation(
    errors,
    `The ${field} breaks the ${who}: ${failures.map((f) => f.rule).join(', ')}.`,
  );
}
