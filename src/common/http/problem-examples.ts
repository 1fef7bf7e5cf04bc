import { ERROR_TITLES, type ErrorCode, type FieldError } from '../../domain/errors';
import type { ProblemBody } from './problem';

/** A realistic `detail` (and field errors) per code, for the OpenAPI document's examples. */
const EXAMPLES: Record<ErrorCode, { detail: string; errors?: FieldError[] }> = {
  validation_failed: {
    detail: 'email: email must be an email address',
    errors: [{ field: 'email', message: 'email must be an email address' }],
  },
  unauthorized: { detail: 'A valid API key is required (Authorization: Bearer <key>).' },
  forbidden: { detail: 'This API key lacks the scope users:write.' },
  not_found: { detail: 'User "ada.lovelace@example.com" was not found.' },
  conflict: { detail: 'User "ada.lovelace@example.com" already exists.' },
  unsupported_operation: { detail: 'hostway does not support domains.create.' },
  provider_rejected: { detail: 'open-xchange refused the request: Invalid value for "spamLevel" (code 21).' },
  provider_unavailable: { detail: 'open-xchange did not answer within 10000 ms.' },
  provider_auth_failed: { detail: 'open-xchange refused the connection credentials (HTTP 401).' },
  rate_limited: { detail: 'Too many requests; retry in 12 s.' },
  idempotency_key_reused: {
    detail: 'This Idempotency-Key was already used with a different method, path or body.',
  },
  idempotency_in_progress: {
    detail: 'A request with this Idempotency-Key is still being processed; retry after it finishes.',
  },
  payload_too_large: { detail: 'The request body is larger than 1 MiB.' },
  precondition_failed: {
    detail:
      'If-Match does not name the current version of this resource; read it again and retry with its ETag.',
  },
  unsupported_media_type: { detail: 'Unsupported Content-Type; send application/json.' },
  bad_request: { detail: 'The request body is not valid JSON.' },
  internal: { detail: 'An unexpected error occurred; it has been logged with the request id.' },
};

/** The problem+json body a route answers with `code`, as an OpenAPI example. */
export function problemExample(code: ErrorCode, status: number): ProblemBody {
  const example = EXAMPLES[code];
  const body: ProblemBody = {
    type: `https://mailroom.dev/problems/${code.replace(/_/g, '-')}`,
    title: ERROR_TITLES[code],
    status,
    code,
    detail: example.detail,
    requestId: '7c1e4b9a-2f3d-4e8a-b5c6-0d9f8e7a6b51',
  };
  if (example.errors) body.errors = example.errors;
  return body;
}
