import type { OpenAPIObject } from '@nestjs/swagger';
import type { ErrorCode } from '../../domain/errors';
import { problemExample } from './problem-examples';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PROBLEM_TYPE = 'application/problem+json';
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/Problem' };

/** Set by @Audited (it honours Idempotency-Key); read and removed here. */
export const IDEMPOTENT_EXTENSION = 'x-mailroom-idempotent';

interface Rule {
  status: number;
  code: ErrorCode;
  why: string;
  applies: (facts: {
    method: string;
    hasPathParams: boolean;
    authenticated: boolean;
    idempotent: boolean;
  }) => boolean;
}

/**
 * What the platform answers on routes besides what each route declares: the body parser, the
 * router, Node's HTTP parser, the rate limiter and the idempotency store. One table, so the
 * document and the behaviour cannot drift apart route by route (the fuzz suite checks them).
 */
const PLATFORM_STATUSES: Rule[] = [
  { status: 400, code: 'bad_request', why: 'unparseable request or body', applies: () => true },
  { status: 431, code: 'bad_request', why: 'headers over 16 KiB', applies: () => true },
  { status: 404, code: 'not_found', why: 'no such resource', applies: (f) => f.hasPathParams },
  { status: 429, code: 'rate_limited', why: 'inbound rate limit', applies: (f) => f.authenticated },
  { status: 401, code: 'unauthorized', why: 'no valid API key', applies: (f) => f.authenticated },
  {
    status: 408,
    code: 'bad_request',
    why: 'body not received in time',
    applies: (f) => BODY_METHODS.has(f.method),
  },
  {
    status: 413,
    code: 'payload_too_large',
    why: 'body over the limit',
    applies: (f) => BODY_METHODS.has(f.method),
  },
  {
    status: 415,
    code: 'unsupported_media_type',
    why: 'body not JSON',
    applies: (f) => BODY_METHODS.has(f.method),
  },
  {
    status: 422,
    code: 'validation_failed',
    why: 'body beyond the JSON limits',
    applies: (f) => BODY_METHODS.has(f.method),
  },
  {
    status: 409,
    code: 'idempotency_in_progress',
    why: 'Idempotency-Key in use',
    applies: (f) => f.idempotent,
  },
  {
    status: 422,
    code: 'idempotency_key_reused',
    why: 'Idempotency-Key reused',
    applies: (f) => f.idempotent,
  },
];

/** Adds every platform status to each operation of the document, merging with what the route declared. */
export function documentPlatformStatuses(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const extensions = operation as Operation & Record<string, unknown>;
      const facts = {
        method,
        hasPathParams: path.includes('{'),
        authenticated: (operation.security ?? []).some((requirement) => Object.keys(requirement).length > 0),
        idempotent: extensions[IDEMPOTENT_EXTENSION] === true,
      };
      delete extensions[IDEMPOTENT_EXTENSION];
      for (const rule of PLATFORM_STATUSES) if (rule.applies(facts)) addStatus(operation, rule);
    }
  }
}

interface ProblemContent {
  schema?: unknown;
  examples?: Record<string, { value: unknown }>;
}

function addStatus(operation: Operation, rule: Rule): void {
  const key = String(rule.status);
  const response = (operation.responses[key] ??= { description: '' }) as {
    description: string;
    content?: Record<string, ProblemContent>;
  };
  const entry = `${rule.code} (${rule.why})`;
  if (!response.description.includes(rule.code))
    response.description = response.description ? `${response.description}, ${entry}` : `Problem: ${entry}`;
  const content = ((response.content ??= {})[PROBLEM_TYPE] ??= { schema: PROBLEM_SCHEMA });
  (content.examples ??= {})[rule.code] ??= { value: problemExample(rule.code, rule.status) };
}
