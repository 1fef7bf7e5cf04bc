import type { CallContext } from '../../domain/ports/call-context';
import type { VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import { basicAuth } from '../http';
import {
  encodeCommandArgs,
  isReadOnlyCommand,
  type MailStoreArgs,
  type MailStoreCommand,
  type MailStoreCommandMetadata,
} from './mailstore.commands';
import { malformedAnswer, mapFailedCommand, mapHttpFailure, stillRunning } from './mailstore.errors';

/** The Management API envelope, normalised. */
export interface MailStoreStatus {
  token: string | null;
  statusVersion: number;
  statusCode: 'succeeded' | 'failed' | 'running';
  percentProgress: number | null;
  statusText: string | null;
  result: unknown;
  /** MailStore's `error.message` when failed. */
  errorMessage: string | null;
}

/** What an invoke can return: failures have already been thrown. */
export type MailStoreInvokeStatus = MailStoreStatus & { statusCode: 'succeeded' | 'running' };

/** get-status holds the request up to millisecondsTimeout; the HTTP timeout must outlast it. */
const LONG_POLL_MARGIN_MS = 15_000;
/** How long a short command that unexpectedly went long-running is followed, per poll. */
const FOLLOW_POLL_MS = 5_000;
/** Polls before giving up on such a command (about a minute), so a stuck operation cannot hold a request forever. */
const MAX_FOLLOW_POLLS = 12;
const STATUS_CODES = new Set(['succeeded', 'failed', 'running']);
const BOM = /^\uFEFF/;

function parseEnvelope(call: string, response: VendorResponse): MailStoreStatus {
  let body: unknown;
  try {
    body = JSON.parse(response.text.replace(BOM, ''));
  } catch {
    throw malformedAnswer(call);
  }
  if (typeof body !== 'object' || body === null) throw malformedAnswer(call);
  const envelope = body as Record<string, unknown>;
  const statusCode = envelope.statusCode;
  if (typeof statusCode !== 'string' || !STATUS_CODES.has(statusCode)) throw malformedAnswer(call);
  const error = envelope.error as { message?: unknown } | null | undefined;
  return {
    token: typeof envelope.token === 'string' ? envelope.token : null,
    statusVersion: typeof envelope.statusVersion === 'number' ? envelope.statusVersion : 0,
    statusCode: statusCode as MailStoreStatus['statusCode'],
    percentProgress: typeof envelope.percentProgress === 'number' ? envelope.percentProgress : null,
    statusText: typeof envelope.statusText === 'string' ? envelope.statusText : null,
    result: envelope.result ?? null,
    errorMessage:
      error && typeof error === 'object'
        ? typeof error.message === 'string'
          ? error.message
          : JSON.stringify(error)
        : null,
  };
}

/**
 * The MailStore SPE Management API wire: `POST /api/invoke/{Command}` with validated,
 * form-encoded arguments and Basic auth, plus the low-level get-status, cancel-async and
 * get-metadata calls, for one call context (the connection's credentials and instance).
 */
export class MailStoreClient {
  private readonly authorization: string;
  private readonly instanceId: string | undefined;

  constructor(private readonly ctx: CallContext) {
    const { username = '', password = '' } = ctx.connection.credentials;
    this.authorization = basicAuth(username, password);
    const instanceId = ctx.connection.settings.instanceId;
    this.instanceId = typeof instanceId === 'string' && instanceId.length > 0 ? instanceId : undefined;
  }

  /** Sends a command; `failed` throws, `succeeded` and `running` (with its token) come back. */
  async invoke(command: MailStoreCommand, args: MailStoreArgs): Promise<MailStoreInvokeStatus> {
    const form = encodeCommandArgs(command, args, this.instanceId);
    const status = await this.post(command, {
      path: `/api/invoke/${command}`,
      form,
      idempotent: isReadOnlyCommand(command),
    });
    if (status.statusCode === 'failed') throw mapFailedCommand(command, status.errorMessage ?? 'no message');
    return status as MailStoreInvokeStatus;
  }

  /**
   * Sends a command and returns its result, following the token when MailStore chose to run it
   * in the background (any command may, e.g. GetStores with sizes on slow storage).
   */
  async call(command: MailStoreCommand, args: MailStoreArgs): Promise<unknown> {
    let status: MailStoreStatus = await this.invoke(command, args);
    for (let polls = 0; status.statusCode === 'running'; polls++) {
      // A running answer without a token cannot be followed; its result is not the command's.
      if (!status.token) throw malformedAnswer(command);
      if (polls === MAX_FOLLOW_POLLS) throw stillRunning(command);
      status = await this.getStatus(status.token, status.statusVersion, FOLLOW_POLL_MS);
    }
    if (status.statusCode === 'failed') throw mapFailedCommand(command, status.errorMessage ?? 'no message');
    return status.result;
  }

  /** Long-polls a token: answers when statusVersion passes `lastKnownStatusVersion` or at the timeout. */
  async getStatus(
    token: string,
    lastKnownStatusVersion: number,
    millisecondsTimeout: number,
  ): Promise<MailStoreStatus> {
    const timeout = Math.max(0, Math.floor(millisecondsTimeout));
    return this.post('get-status', {
      path: '/api/get-status',
      form: {
        token,
        lastKnownStatusVersion: String(lastKnownStatusVersion),
        millisecondsTimeout: String(timeout),
      },
      idempotent: true,
      timeoutMs: timeout + LONG_POLL_MARGIN_MS,
    });
  }

  /** Asks MailStore to cancel; the operation's own status later shows it ended. */
  async cancelAsync(token: string): Promise<void> {
    await this.post('cancel-async', { path: '/api/cancel-async', form: { token }, idempotent: true });
  }

  /** Every command the server offers, with its arguments. */
  async getMetadata(): Promise<MailStoreCommandMetadata[]> {
    const response = await this.send('get-metadata', {
      path: '/api/get-metadata',
      form: {},
      idempotent: true,
    });
    let body: unknown;
    try {
      body = JSON.parse(response.text.replace(BOM, ''));
    } catch {
      throw malformedAnswer('get-metadata');
    }
    // Servers answer the bare list; accept it wrapped in an envelope too.
    const list = Array.isArray(body) ? body : (body as { result?: unknown } | null)?.result;
    if (!Array.isArray(list)) throw malformedAnswer('get-metadata');
    return list as MailStoreCommandMetadata[];
  }

  private async post(
    call: string,
    request: Pick<VendorRequest, 'path' | 'form' | 'idempotent' | 'timeoutMs'>,
  ): Promise<MailStoreStatus> {
    return parseEnvelope(call, await this.send(call, request));
  }

  private async send(
    call: string,
    request: Pick<VendorRequest, 'path' | 'form' | 'idempotent' | 'timeoutMs'>,
  ): Promise<VendorResponse> {
    const response = await this.ctx.http.send({
      method: 'POST',
      headers: { authorization: this.authorization, accept: 'application/json' },
      ...request,
    });
    if (response.status !== 200) throw mapHttpFailure(call, response);
    return response;
  }
}
