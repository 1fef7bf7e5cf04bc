import { isISO8601, ValidateBy } from 'class-validator';

/** `2026-01-01`, or a date-time with its offset: the ISO 8601 forms a `Date` reads without guessing. */
const EXTENDED_FORM = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function isTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    EXTENDED_FORM.test(value) &&
    isISO8601(value, { strict: true }) &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * An ISO 8601 date (`2026-01-01`, midnight UTC) or date-time with `Z` or an offset, in the extended
 * form. Basic (`20260101`) and week (`2026-W01`) forms, and date-times without an offset, are
 * refused rather than read: `Date` cannot parse them, or would read them in the server's zone.
 */
export const IsTimestamp = (): PropertyDecorator =>
  ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: isTimestamp,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be an ISO 8601 date (2026-01-31) or date-time with an offset (2026-01-31T12:00:00Z)`,
    },
  });
