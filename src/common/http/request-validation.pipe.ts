import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { GatewayError, type FieldError } from '../../domain/errors';

/** Constraints on a value's type: when one fails, the others (range, length, format) only repeat it. */
const TYPE_CONSTRAINTS = new Set([
  'isInt',
  'isNumber',
  'isString',
  'isBoolean',
  'isArray',
  'isObject',
  'isDate',
]);

/** A field's messages: the type error alone when the value has the wrong type, else every failure. */
function messagesOf(constraints: Record<string, string> = {}): string[] {
  const failed = Object.entries(constraints);
  const typeErrors = failed.filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return (typeErrors.length ? typeErrors : failed).map(([, message]) => message);
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    const own = messagesOf(e.constraints).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Postgres refuses NUL in text; refuse it at the edge so it can never become a 500. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findNul(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Bodies and queries are validated against their DTO class (unknown fields refused, every bad
 * field named in `errors[]`). Attached to each body and query (see validated-params.ts); path
 * parameters are bounded by the router and the HTTP app, resources decide what exists.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  /** Synchronous when the verdict is known: most reads carry an empty query. */
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const metatype = metadata.metatype;
    if (!metatype || [String, Number, Boolean, Array, Object].includes(metatype as never)) return value;

    if (metadata.type === 'body') {
      if (value === undefined || value === null) {
        throw GatewayError.validation([{ field: 'body', message: 'a JSON object body is required' }]);
      }
      if (!isPlainObject(value)) {
        throw GatewayError.validation([{ field: 'body', message: 'the body must be a JSON object' }]);
      }
    }
    const nul = findNul(value, '');
    if (nul) throw GatewayError.validation([{ field: nul, message: 'must not contain NUL characters' }]);

    const input = value ?? {};
    // Most reads carry no query at all: whether an empty input is valid is a fact of the DTO class.
    const empty = isPlainObject(input) && Object.keys(input).length === 0;
    const known = empty ? this.emptyVerdicts.get(metatype) : undefined;
    if (known) throw GatewayError.validation(known);
    // An empty input has nothing to transform: the instance is a plain `new` of the class.
    if (known === null) return new (metatype as new () => unknown)();
    return this.validated(metatype, input, empty);
  }

  private async validated(metatype: new () => unknown, input: unknown, empty: boolean): Promise<unknown> {
    const instance = plainToInstance(metatype, input, { enableImplicitConversion: false });
    const errors = await validate(instance as object, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
    const fieldErrors = errors.length > 0 ? flatten(errors) : null;
    if (empty) this.emptyVerdicts.set(metatype, fieldErrors);
    if (fieldErrors) throw GatewayError.validation(fieldErrors);
    return instance;
  }

  /** Per DTO class: the errors of an empty input, or null when an empty input is valid. */
  private readonly emptyVerdicts = new WeakMap<object, FieldError[] | null>();
}
