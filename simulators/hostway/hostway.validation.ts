import { MAILBOX_TYPES, type MailboxType } from './hostway.store';

/**
 * Hostway's own checks, written independently of Mailroom's password rules so that the adapter's
 * pre-checks are tested against a separate implementation of the vendor's behaviour.
 */
export const MAILBOX_NAME = /^[a-zA-Z0-9._-]+$/;
const SPECIAL = /[!-/:-@[-`{-~]/;

export type FieldErrors = Record<string, string>;

export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < 8 || length > 128) return 'Password must be between 8 and 128 characters long';
  if (!/[A-Z]/.test(password)) return 'Password must contain at least one upper-case letter';
  if (!/[a-z]/.test(password)) return 'Password must contain at least one lower-case letter';
  if (!/[0-9]/.test(password)) return 'Password must contain at least one digit';
  if (!SPECIAL.test(password)) return 'Password must contain at least one special character';
  return undefined;
}

export interface MailboxWrite {
  password?: string;
  master?: 0 | 1;
  quota?: number;
  type?: MailboxType;
}

export type MailboxWriteResult = { ok: true; value: MailboxWrite } | { ok: false; errors: FieldErrors };

/** Validates a `PUT …/mailbox` body; unknown fields are ignored, as the reference does not forbid them. */
export function validateMailboxWrite(
  mailboxName: string,
  body: unknown,
  creating: boolean,
): MailboxWriteResult {
  const errors: FieldErrors = {};
  if (!MAILBOX_NAME.test(mailboxName)) {
    errors.mailboxName = 'Mailbox name may contain only letters, digits, dots, underscores and hyphens';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: { ...errors, body: 'A JSON object is required' } };
  }
  const b = body as Record<string, unknown>;
  const value: MailboxWrite = {};

  if (b.password === undefined || b.password === null || b.password === '') {
    if (creating) errors.password = 'Required';
  } else if (typeof b.password !== 'string') {
    errors.password = 'Must be a string';
  } else {
    const problem = passwordProblem(b.password);
    if (problem) errors.password = problem;
    else value.password = b.password;
  }

  if (b.master !== undefined) {
    if (b.master === 0 || b.master === 1) value.master = b.master;
    else errors.master = 'Allowed values are 0 or 1';
  }

  if (b.quota !== undefined) {
    if (typeof b.quota === 'number' && Number.isInteger(b.quota) && b.quota >= 0) value.quota = b.quota;
    else errors.quota = 'Must be a non-negative integer (megabytes)';
  }

  if (b.type !== undefined) {
    if (typeof b.type === 'string' && (MAILBOX_TYPES as readonly string[]).includes(b.type)) {
      value.type = b.type as MailboxType;
    } else {
      errors.type = 'Allowed values are standard, activesync and premium';
    }
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type ForwardTargetsResult = { ok: true; targets: string[] } | { ok: false; errors: FieldErrors };

/** Validates a `POST …/forwards` body `{targets:[{target}]}`. */
export function validateForwardTargets(body: unknown): ForwardTargetsResult {
  const targets = (body as { targets?: unknown } | null)?.targets;
  if (!Array.isArray(targets) || targets.length === 0) {
    return { ok: false, errors: { targets: 'Required' } };
  }
  const out: string[] = [];
  for (const entry of targets) {
    const target = (entry as { target?: unknown } | null)?.target;
    if (typeof target !== 'string' || !EMAIL.test(target)) {
      return { ok: false, errors: { target: 'Must be a valid email address' } };
    }
    out.push(target);
  }
  return { ok: true, targets: out };
}
