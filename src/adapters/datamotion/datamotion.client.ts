import { GatewayError } from '../../domain/errors';
import type { CallContext } from '../../domain/ports/call-context';
import { positiveInteger } from '../setting-values';
import type {
  VendorHttpClient,
  VendorHttpClientSource,
  VendorRequest,
  VendorResponse,
} from '../../domain/ports/vendor-http.port';
import {
  isStaleSession,
  malformedAnswer,
  mapHttpFailure,
  PROVIDER,
  vendorMessage,
} from './datamotion.errors';
import {
  accountRequest,
  isRemoteAccount,
  isRemoteListAnswer,
  listRequest,
  REMOTE_NOT_FOUND,
  REMOTE_PATHS,
  type RemoteAccount,
  type RemoteListAnswer,
} from './datamotion.remote';
import { DataMotionSessions, type OpenSession } from './datamotion.sessions';

/** One user of a MigrateUsers request, as the reference names its fields. */
export interface MigrateUserWire {
  UserTag: string;
  Email?: string;
  UserId?: string;
  FirstName?: string;
  LastName?: string;
  CreateDate?: string;
}

/** The MigrateUsers request: one Password, CompanyId and UserTypeId for all its users. */
export interface MigrateRequestWire {
  Password?: string;
  CompanyId: number;
  UserTypeId?: number;
  Users: MigrateUserWire[];
}

/** One per-user result of MigrateUsers. */
export interface MigrateResultWire {
  CompanyId?: number;
  UserTypeId?: number;
  Action?: string;
  Email?: string;
  UserId?: string;
  UserTag?: string;
  FirstName?: string;
  LastName?: string;
  CreateDate?: string;
  Uid?: number;
  Status: number;
  Details?: string;
}

export interface AccountDetailsWire {
  EmailAddress?: string;
  FirstName?: string;
  LastName?: string;
  Uid?: number;
  UserId?: string;
}

/** Logouts at shutdown must not hold the process up. */
const LOGOUT_TIMEOUT_MS = 2_000;

type SessionCall = Pick<VendorRequest, 'method' | 'path' | 'json' | 'idempotent' | 'baseUrl'>;

function isMigrateResults(value: unknown): value is { Users: MigrateResultWire[] } {
  const users = (value as { Users?: unknown } | null)?.Users;
  return (
    Array.isArray(users) &&
    users.every(
      (u) => u !== null && typeof u === 'object' && typeof (u as MigrateResultWire).Status === 'number',
    )
  );
}

/**
 * The DataMotion wire: the Secure Message Center API at the connection's base URL (every call
 * with `Ocp-Apim-Subscription-Key`, later calls with the session's `X-Session-Key`) and the
 * company-admin /Remote API at `settings.remoteBaseUrl`. A key that expired is replaced by one
 * new logon and the call is sent once more.
 */
export class DataMotionClient {
  constructor(
    private readonly ctx: CallContext,
    private readonly sessions: DataMotionSessions,
  ) {}

  /** `POST Account/Logon`: a new session key; refused credentials are provider_auth_failed with the vendor's words. */
  async logon(): Promise<string> {
    const ctx = this.ctx;
    const { userIdOrEmail = '', password = '' } = ctx.connection.credentials;
    const response = await ctx.http.send({
      method: 'POST',
      path: '/Account/Logon',
      headers: gatewayHeaders(ctx.connection.credentials.subscriptionKey),
      json: { UserIdOrEmail: userIdOrEmail, Password: password },
      // A repeated logon only opens another session.
      idempotent: true,
    });
    if (response.status !== 200) throw mapHttpFailure(response, 'Account/Logon');
    const sessionKey = response.json<{ SessionKey?: unknown } | null>()?.SessionKey;
    if (typeof sessionKey !== 'string' || sessionKey === '') throw malformedAnswer('Account/Logon');
    return sessionKey;
  }

  /** `GET Account/Details`: the session user; `freshSession` logs on anew first (and the old session out). */
  async details(freshSession = false): Promise<AccountDetailsWire> {
    if (freshSession) {
      const old = this.sessions.forget(this.ctx.connection);
      if (old) this.logoutInBackground(old);
    }
    const response = await this.withSession('Account/Details', { method: 'GET', path: '/Account/Details' });
    const body = response.json<AccountDetailsWire | null>();
    if (!body || typeof body !== 'object') throw malformedAnswer('Account/Details');
    return body;
  }

  /** `POST Account/MigrateUsers`: one result per user; per-user failures are results, not errors. */
  async migrateUsers(request: MigrateRequestWire): Promise<MigrateResultWire[]> {
    const response = await this.withSession('Account/MigrateUsers', {
      method: 'POST',
      path: '/Account/MigrateUsers',
      json: request,
      // Keyed by UserTag, a repeat creates nothing twice: it updates with the same values.
      idempotent: true,
    });
    const body = response.json<unknown>();
    if (!isMigrateResults(body)) throw malformedAnswer('Account/MigrateUsers');
    return body.Users;
  }

  /** /Remote `Account/List`, one vendor page. */
  async listAccounts(pageNumber: number, filter: string): Promise<RemoteListAnswer> {
    const response = await this.remote(
      'Account/List',
      REMOTE_PATHS.list,
      listRequest(companyIdOf(this.ctx), pageNumber, filter),
      true,
    );
    const body = response.json<unknown>();
    if (!isRemoteListAnswer(body)) throw malformedAnswer('Account/List');
    return body;
  }

  /** /Remote `Account/Read`. */
  async readAccount(email: string): Promise<RemoteAccount> {
    const response = await this.remote('Account/Read', REMOTE_PATHS.read, accountRequest(email), true, email);
    const body = response.json<unknown>();
    if (!isRemoteAccount(body)) throw malformedAnswer('Account/Read');
    return body;
  }

  /** /Remote `Account/Delete`. */
  async deleteAccount(email: string): Promise<void> {
    await this.remote('Account/Delete', REMOTE_PATHS.delete, accountRequest(email), false, email);
  }

  private async remote(
    call: string,
    path: string,
    json: Record<string, unknown>,
    idempotent: boolean,
    email?: string,
  ): Promise<VendorResponse> {
    const baseUrl = remoteBaseUrlOf(this.ctx);
    return this.withSession(call, { method: 'POST', path, json, idempotent, baseUrl }, email);
  }

  /** Sends with the connection's session, logging on first when needed and once more when the key went stale. */
  private async withSession(call: string, request: SessionCall, email?: string): Promise<VendorResponse> {
    const ctx = this.ctx;
    const remote = request.baseUrl !== undefined;
    const send = async (sessionKey: string) =>
      ctx.http.send({
        ...request,
        headers: remote
          ? { accept: 'application/json', 'x-session-key': sessionKey }
          : { ...gatewayHeaders(ctx.connection.credentials.subscriptionKey), 'x-session-key': sessionKey },
      });
    let sessionKey = await this.sessionKey();
    let response = await send(sessionKey);
    if (isStaleSession(response)) {
      this.sessions.expire(ctx.connection, sessionKey);
      sessionKey = await this.sessionKey();
      response = await send(sessionKey);
    }
    if (response.status >= 200 && response.status < 300) return response;
    const what = email === undefined ? undefined : `DataMotion account '${email}'`;
    if (remote && response.status === 400 && REMOTE_NOT_FOUND.test(vendorMessage(response))) {
      throw new GatewayError(
        'not_found',
        `${what ?? 'The DataMotion account'} was not found. DataMotion said: ${vendorMessage(response)}`,
        { provider: PROVIDER },
      );
    }
    throw mapHttpFailure(response, call, what);
  }

  private sessionKey(): Promise<string> {
    return this.sessions.key(
      this.ctx.connection,
      () => this.logon(),
      (stale) => this.logoutInBackground(stale),
    );
  }

  /** A session left behind (the connection was edited, or a check renewed it): logged out where it was opened. */
  private logoutInBackground(stale: OpenSession): void {
    void logout(this.ctx.http, stale, stale.baseUrl).catch(() => undefined);
  }
}

function gatewayHeaders(subscriptionKey: string | undefined): Record<string, string> {
  return { accept: 'application/json', 'ocp-apim-subscription-key': subscriptionKey ?? '' };
}

async function logout(http: VendorHttpClient, open: OpenSession, baseUrl?: string): Promise<void> {
  await http.send({
    method: 'POST',
    path: '/Account/Logout',
    baseUrl,
    headers: { ...gatewayHeaders(open.subscriptionKey), 'x-session-key': open.sessionKey },
    timeoutMs: LOGOUT_TIMEOUT_MS,
  });
}

/** Logs out every session in `sessions` (at shutdown); failures are ignored, the keys expire anyway. */
export async function logoutAll(sessions: DataMotionSessions, source: VendorHttpClientSource): Promise<void> {
  const ignore = { record: () => undefined };
  await Promise.allSettled(
    sessions
      .drain()
      .map((open) =>
        logout(
          source.forConnection(
            { tenantId: open.tenantId, id: open.connectionId, baseUrl: open.baseUrl, provider: PROVIDER },
            ignore,
          ),
          open,
        ),
      ),
  );
}

/** `settings.companyId`: a positive integer (a number, or digits as a string). */
export function companyIdOf(ctx: CallContext): number {
  return positiveSetting(ctx, 'companyId');
}

export function positiveSetting(ctx: CallContext, name: 'companyId' | 'userTypeId'): number {
  const value = positiveInteger(ctx.connection.settings[name]);
  if (value === null) {
    throw GatewayError.validation(
      [{ field: `settings.${name}`, message: 'must be a positive integer' }],
      `DataMotion connection: settings.${name} must be a positive integer.`,
    );
  }
  return value;
}

/** Get, list and delete need the company-admin /Remote API; without it they answer 501 and say why. */
export function remoteBaseUrlOf(ctx: CallContext): string {
  const value = ctx.connection.settings.remoteBaseUrl;
  if (typeof value === 'string' && value !== '') return value.replace(/\/+$/, '');
  throw new GatewayError(
    'unsupported_operation',
    "DataMotion's Secure Message Center API cannot read, list or delete users; set the connection's settings.remoteBaseUrl (the company-admin /Remote API, e.g. https://ssl.datamotion.com/Remote) to enable them.",
    { provider: PROVIDER },
  );
}
