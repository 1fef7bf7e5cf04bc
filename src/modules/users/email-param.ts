import { isEmail } from 'class-validator';
import { isWellFormed } from '../../common/text/unicode';
import { GatewayError } from '../../domain/errors';

/** Addresses already found valid: the check is pure, and portals ask for the same ones again and again. */
const knownValid = new Set<string>();
const MAX_KNOWN_VALID = 10_000;

/** A path segment that must be an email address: a bad one is a 422 before any vendor call. */
export function emailParam(value: string, field: string): string {
  if (knownValid.has(value)) return value;
  // isEmail throws a URIError on a lone surrogate; such a string is no address anyway.
  if (value.length > 254 || !isWellFormed(value) || !isEmail(value)) {
    throw GatewayError.validation([{ field, message: 'must be an email address' }]);
  }
  if (knownValid.size >= MAX_KNOWN_VALID) knownValid.clear();
  knownValid.add(value);
  return value;
}
