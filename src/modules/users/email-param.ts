import { isEmail } from 'class-validator';
import { GatewayError } from '../../domain/errors';

/** A path segment that must be an email address: a bad one is a 422 before any vendor call. */
export function emailParam(value: string, field: string): string {
  if (value.length > 254 || !isEmail(value)) {
    throw GatewayError.validation([{ field, message: 'must be an email address' }]);
  }
  return value;
}
