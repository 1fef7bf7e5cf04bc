/** Stable, snake_case error codes of the public contract (API.md, "Conventions"). */
export const ERROR_CODES = {
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported_operation: 501,
  provider_rejected: 422,
  provider_unavailable: 503,
  provider_auth_failed: 502,
  rate_limited: 429,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  precondition_failed: 412,
  unsupported_media_type: 415,
  bad_request: 400,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  field: string;
  message: string;
}

export interface GatewayErrorOptions {
  /** Per-field problems, for validation failures. */
  errors?: FieldError[];
  /** Seconds a caller should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** Overrides the code's default HTTP status (e.g. 502/504 for provider_unavailable). */
  status?: number;
  /** The vendor whose answer caused the error, for the audit log. */
  provider?: string;
  /** Whether trying again may succeed, where the vendor says so (e.g. a DataMotion Status); otherwise the code decides. */
  retryable?: boolean;
  cause?: unknown;
}

/** The one error type thrown below the controllers; the global filter maps it to problem+json. */
export class GatewayError extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly retryAfterSeconds?: number;
  readonly provider?: string;
  readonly retryable?: boolean;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: GatewayErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status ?? ERROR_CODES[code];
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.provider = options.provider;
    this.retryable = options.retryable;
  }

  static validation(errors: FieldError[], detail?: string): GatewayError {
    return new GatewayError(
      'validation_failed',
      detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      { errors },
    );
  }

  static notFound(what: string): GatewayError {
    return new GatewayError('not_found', `${what} was not found.`);
  }
}

export const ERROR_TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  unsupported_operation: 'Unsupported operation',
  provider_rejected: 'Provider rejected the request',
  provider_unavailable: 'Provider unavailable',
  provider_auth_failed: 'Provider authentication failed',
  rate_limited: 'Rate limited',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_in_progress: 'Idempotent request in progress',
  payload_too_large: 'Payload too large',
  precondition_failed: 'Precondition failed',
  unsupported_media_type: 'Unsupported media type',
  bad_request: 'Bad request',
  internal: 'Internal error',
};
