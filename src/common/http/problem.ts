import { ERROR_TITLES, GatewayError, type ErrorCode, type FieldError } from '../../domain/errors';
import { constraintViolation } from '../../database/pg-errors';
import { BODY_LIMIT_BYTES } from './body-parsers';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId: string;
  errors?: FieldError[];
}

export interface Problem {
  status: number;
  body: ProblemBody;
  headers: Record<string, string>;
}

/** Fastify's own error codes for bad requests it refuses before our handlers run. */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: 'Unsupported Content-Type; send application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad_request',
    detail: 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'bad_request',
    detail: 'The body is empty but Content-Type is application/json.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'bad_request', detail: 'The request body is not valid JSON.' },
  FST_ERR_BAD_URL: { code: 'not_found', detail: 'The URL is malformed.' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'not_found',
    detail: 'A path parameter is too long to name any resource.',
  },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'bad_request', detail: 'The request could not be routed.' },
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
  message?: unknown;
  type?: unknown;
}

/** The 413 detail names the limit of the route that refused the body. */
function tooLarge(bodyLimitBytes: number): string {
  const mib = bodyLimitBytes / (1024 * 1024);
  const size = Number.isInteger(mib) ? `${mib} MiB` : `${bodyLimitBytes} bytes`;
  return `The request body is larger than ${size}.`;
}

/**
 * Turns anything thrown into a GatewayError; unknown failures become `internal` without their
 * message. `bodyLimitBytes` is the refusing route's limit, named in a 413.
 */
export function toGatewayError(error: unknown, bodyLimitBytes = BODY_LIMIT_BYTES): GatewayError {
  if (error instanceof GatewayError) return error;
  const e = (error ?? {}) as ErrorLike;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new GatewayError('payload_too_large', tooLarge(bodyLimitBytes));
  if (typeof e.code === 'string' && FASTIFY_ERRORS[e.code]) {
    const known = FASTIFY_ERRORS[e.code];
    return new GatewayError(known.code, known.detail);
  }
  // Every reference cascades on delete, so a broken one means the parent was deleted while this
  // request ran (a tenant deleted during a create): the answer it would have had a moment later.
  if (constraintViolation(error)?.kind === 'foreign_key') {
    return GatewayError.notFound('A resource this request refers to');
  }
  if (error instanceof SyntaxError || e.type === 'entity.parse.failed') {
    return new GatewayError('bad_request', 'The request body is not valid JSON.');
  }
  const status =
    typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : 500;
  if (status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'bad_request';
    const fixed: Partial<Record<ErrorCode, string>> = {
      not_found: 'No such resource or route.',
      unsupported_media_type: 'Unsupported Content-Type; send application/json.',
      payload_too_large: tooLarge(bodyLimitBytes),
    };
    const detail = fixed[code] ?? (typeof e.message === 'string' ? e.message : ERROR_TITLES[code]);
    return new GatewayError(code, detail, { status: status === 405 ? 404 : status });
  }
  return new GatewayError(
    'internal',
    'An unexpected error occurred; it has been logged with the request id.',
  );
}

export function toProblem(error: GatewayError, requestId: string): Problem {
  const body: ProblemBody = {
    type: `https://mailroom.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: ERROR_TITLES[error.code],
    status: error.status,
    code: error.code,
    detail: error.detail,
    requestId,
  };
  if (error.errors?.length) body.errors = error.errors;
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  return { status: error.status, body, headers };
}
