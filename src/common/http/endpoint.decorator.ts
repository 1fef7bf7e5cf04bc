import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { ErrorCode } from '../../domain/errors';
import { ERROR_CODES, ERROR_TITLES } from '../../domain/errors';
import type { Scope } from '../auth/scopes';
import { problemExample } from './problem-examples';

export const REQUIRED_SCOPES = 'mailroom:scopes';

/** What any route that calls a vendor can answer, besides its own validation errors. */
export const VENDOR_ERRORS: ErrorCode[] = [
  'not_found',
  'conflict',
  'unsupported_operation',
  'provider_rejected',
  'provider_unavailable',
  'provider_auth_failed',
  'rate_limited',
];
/** A vendor-backed change that honours `If-Match` (412 on a stale tag). */
export const CONDITIONAL_VENDOR_ERRORS: ErrorCode[] = [...VENDOR_ERRORS, 'precondition_failed'];
export const PUBLIC_ROUTE = 'mailroom:public';

export interface EndpointOptions {
  summary: string;
  description?: string;
  /** Scopes the caller's key needs (any `admin` key passes). */
  scopes: Scope[];
  /** Error codes this endpoint can answer besides 401/403/422/500. */
  errors?: ErrorCode[];
}

const problemSchema = { $ref: '#/components/schemas/Problem' };

/** Route metadata and its OpenAPI description in one place: summary, scopes, error responses. */
export function Endpoint(options: EndpointOptions): MethodDecorator & ClassDecorator {
  const codes = new Set<ErrorCode>([
    'unauthorized',
    'forbidden',
    'validation_failed',
    'internal',
    ...(options.errors ?? []),
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  const scopes = options.scopes.length ? options.scopes.join(', ') : 'any valid key';
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, options.scopes),
    ApiBearerAuth(),
    ApiOperation({
      summary: options.summary,
      description: `${options.description ? options.description + '\n\n' : ''}**Scopes:** ${scopes}`,
    }),
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: `Problem: ${list.join(', ')}`,
        content: {
          'application/problem+json': {
            schema: problemSchema,
            examples: Object.fromEntries(
              list.map((code) => [
                code,
                { summary: ERROR_TITLES[code], value: problemExample(code, status) },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

/** No key needed (health, metrics, docs, signed webhooks). */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiSecurity({}));
}
