import { GatewayError } from '../../domain/errors';

/** What a JSON body may hold; anything beyond is refused before validation, redaction or audit walk it. */
export const JSON_LIMITS = {
  depth: 32,
  stringLength: 16_384,
  keyLength: 256,
  arrayLength: 10_000,
  keys: 1_000,
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

const badRequest = (detail: string) => new GatewayError('bad_request', detail);
const tooBig = (field: string, message: string) => GatewayError.validation([{ field, message }]);

/**
 * Parses a JSON request body within JSON_LIMITS. Invalid UTF-8, lone UTF-16 surrogates (also as
 * `\ud800` escapes), `__proto__` and `constructor` keys and malformed JSON are 400 `bad_request`; a body beyond the
 * limits is 422 `validation_failed` naming where. Every check is a loop, never a recursion, so no
 * input can exhaust the stack. An empty body is `undefined`.
 */
export function parseBoundedJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return undefined;
  scanText(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  checkShape(value);
  return value;
}

/** One pass over the text: nesting depth and escapes, outside and inside strings. */
function scanText(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === QUOTE) inString = false;
      else if (c === BACKSLASH) i = checkEscape(text, i);
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > JSON_LIMITS.depth) throw tooBig('body', `nests deeper than ${JSON_LIMITS.depth} levels`);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
}

/** Checks the escape at `i` (a backslash); returns the index of its last character. */
function checkEscape(text: string, i: number): number {
  if (text.charCodeAt(i + 1) !== 0x75 /* u */) return i + 1;
  const unit = hexUnit(text, i + 2);
  if (unit === null) return i + 1;
  if (isLowSurrogate(unit)) throw loneSurrogate(unit);
  if (!isHighSurrogate(unit)) return i + 5;
  const next = text.startsWith('\\u', i + 6) ? hexUnit(text, i + 8) : null;
  if (next === null || !isLowSurrogate(next)) throw loneSurrogate(unit);
  return i + 11;
}

function hexUnit(text: string, at: number): number | null {
  const hex = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : null;
}

function loneSurrogate(unit: number): GatewayError {
  return badRequest(
    `The request body holds a lone UTF-16 surrogate (\\u${unit.toString(16)}); only well-formed Unicode is accepted.`,
  );
}

interface Pending {
  value: unknown;
  path: string;
}

/** Walks the parsed value with an explicit stack: sizes of strings, arrays and objects, and prototype keys. */
function checkShape(root: unknown): void {
  const stack: Pending[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > JSON_LIMITS.stringLength)
        throw tooBig(path || 'body', `is longer than ${JSON_LIMITS.stringLength} characters`);
    } else if (Array.isArray(value)) {
      if (value.length > JSON_LIMITS.arrayLength)
        throw tooBig(path || 'body', `has more than ${JSON_LIMITS.arrayLength} items`);
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], path: `${path}[${i}]` });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length > JSON_LIMITS.keys)
        throw tooBig(path || 'body', `has more than ${JSON_LIMITS.keys} fields`);
      for (const key of keys) {
        const field = path ? `${path}.${key.slice(0, 64)}` : key.slice(0, 64);
        if (key.length > JSON_LIMITS.keyLength)
          throw tooBig(field, `field name is longer than ${JSON_LIMITS.keyLength} characters`);
        const item = (value as Record<string, unknown>)[key];
        // An own `constructor` of any value breaks code that reads `value.constructor` (class-transformer
        // on a free-form `settings` object threw a TypeError, fuzz seed 761069807), not only prototype pollution.
        if (key === '__proto__' || key === 'constructor')
          throw badRequest(`The request body holds a "${key}" key, which is refused.`);
        stack.push({ value: item, path: field });
      }
    }
  }
}
