import { GatewayError } from '../../domain/errors';
import type { CallContext, ConnectionContext } from '../../domain/ports/call-context';
import type { VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import { basicAuth } from '../http';
import { openXchangeError } from './open-xchange.errors';
import { pluginPath, type OxUserAttribute, type OxUserList } from './open-xchange-plugins.paths';

export const DEFAULT_PLUGINS_PATH_PREFIX = '/oxaas/v1/admin';

/** A user as `GET /cloudapi/v2/users[/{login}]` returns it (GetUser v2 / ListUser v2). */
export interface OxUser {
  name: string;
  givenName: string;
  surName: string;
  mail: string;
  displayName: string;
  isContextAdmin?: boolean;
  classOfService: string[];
  language?: string | null;
  aliases?: string[] | null;
  timezone?: string | null;
  spamLevel?: string | null;
  unifiedQuota?: number | null;
  mailQuota?: number | null;
  fileQuota?: number | null;
  usedQuota?: number | null;
  usedMailQuota?: number | null;
  usedFileQuota?: number | null;
  uid?: number | null;
  contextName?: string;
}

/** CreateUser v2. */
export interface OxCreateUser {
  name: string;
  password: string;
  givenName: string;
  surName: string;
  mail: string;
  displayName?: string;
  classOfService?: string[];
  language?: string;
  aliases?: string[];
  timezone?: string;
  spamLevel?: string;
  unifiedQuota?: number;
}

/** ChangeUser v2: only the fields being changed are sent. */
export type OxChangeUser = Partial<{
  password: string;
  givenName: string;
  surName: string;
  displayName: string;
  classOfService: string[];
  unifiedQuota: number;
  mailQuota: number;
  language: string;
  aliases: string[];
  timezone: string;
  spamLevel: string;
}>;

export interface OxForward {
  address: string;
  forwardTo: string[];
  spamLevel?: string | null;
}

/** The connection's settings and credentials as the OX client needs them. */
interface OxConnection {
  contextName: string;
  contextId?: number;
  brandAuth: string;
  pluginsAuth: string;
  pluginsBaseUrl?: string;
  pluginsPathPrefix: string;
}

function settingError(field: string, message: string): GatewayError {
  return GatewayError.validation([{ field, message }], `Open-Xchange connection: ${field} ${message}`);
}

/** Derived once per connection context (the gateway shares one while the connection is cached). */
const derived = new WeakMap<ConnectionContext, OxConnection>();

function oxConnection(connection: ConnectionContext): OxConnection {
  let conn = derived.get(connection);
  if (!conn) {
    conn = deriveOxConnection(connection);
    derived.set(connection, conn);
  }
  return conn;
}

function deriveOxConnection({ credentials, settings }: ConnectionContext): OxConnection {
  const contextName = settings.context;
  if (typeof contextName !== 'string' || contextName === '')
    throw settingError('settings.context', 'is required');
  if (!credentials.username || !credentials.password)
    throw settingError('credentials', 'need username and password');
  const rawId = settings.contextId;
  const contextId = rawId === undefined || rawId === null || rawId === '' ? undefined : Number(rawId);
  if (contextId !== undefined && (!Number.isInteger(contextId) || contextId < 0)) {
    throw settingError('settings.contextId', 'must be a non-negative integer');
  }
  const prefix =
    typeof settings.pluginsPathPrefix === 'string' ? settings.pluginsPathPrefix : DEFAULT_PLUGINS_PATH_PREFIX;
  const pluginsUser = credentials.pluginsUsername ?? credentials.username;
  const pluginsPassword = credentials.pluginsPassword ?? credentials.password;
  return {
    contextName,
    contextId,
    brandAuth: basicAuth(credentials.username, credentials.password),
    pluginsAuth: basicAuth(pluginsUser, pluginsPassword),
    pluginsBaseUrl:
      typeof settings.pluginsBaseUrl === 'string' && settings.pluginsBaseUrl
        ? settings.pluginsBaseUrl
        : undefined,
    pluginsPathPrefix: prefix === '/' ? '' : prefix.replace(/\/+$/, ''),
  };
}

const V2 = '/cloudapi/v2';
const seg = encodeURIComponent;

/**
 * The two Open-Xchange wire APIs for one call: Cloud Provisioning v2 (context chosen by `?name=`)
 * and Cloud-Plugins (numeric context and user ids). Every non-2xx answer becomes a GatewayError.
 */
export class OpenXchangeClient {
  private readonly conn: OxConnection;

  constructor(private readonly ctx: CallContext) {
    this.conn = oxConnection(ctx.connection);
  }

  get contextName(): string {
    return this.conn.contextName;
  }

  /** Whether Cloud-Plugins calls are possible: they need the numeric context id, which v2 never reveals. */
  get hasContextId(): boolean {
    return this.conn.contextId !== undefined;
  }

  // Users (v2)

  listUsers(pattern: string): Promise<OxUser[]> {
    return this.v2Json('GET', '/users', 'list users', { query: { pattern } });
  }

  countUsers(): Promise<{ count: number }> {
    return this.v2Json('GET', '/users/count', 'count users');
  }

  getUser(login: string, includeId: boolean): Promise<OxUser> {
    return this.v2Json('GET', `/users/${seg(login)}`, `get user ${login}`, {
      query: includeId ? { includeid: true } : {},
    });
  }

  createUser(body: OxCreateUser): Promise<OxUser> {
    return this.v2Json('POST', '/users', `create user ${body.name}`, {
      query: { includeid: true },
      json: body,
    });
  }

  async changeUser(login: string, body: OxChangeUser): Promise<void> {
    await this.v2('PUT', `/users/${seg(login)}`, `change user ${login}`, { json: body, idempotent: true });
  }

  async deleteUser(login: string): Promise<void> {
    await this.v2('DELETE', `/users/${seg(login)}`, `delete user ${login}`);
  }

  // Mail forwards (v2)

  listForwards(): Promise<OxForward[]> {
    return this.v2Json('GET', '/mail/forwards', 'list mail forwards');
  }

  async forwardExists(address: string): Promise<boolean> {
    const response = await this.send(this.v2Request('HEAD', `/mail/forwards/${seg(address)}/exists`));
    if (response.status === 404) return false;
    this.ensureOk(response, `check mail forward ${address}`);
    return true;
  }

  forwardRecipients(address: string): Promise<string[]> {
    return this.v2Json('GET', `/mail/forwards/${seg(address)}/recipients`, `get mail forward ${address}`);
  }

  async createForward(forward: OxForward): Promise<void> {
    await this.v2('POST', '/mail/forwards', `create mail forward ${forward.address}`, { json: forward });
  }

  async addForwardRecipients(address: string, recipients: string[]): Promise<void> {
    await this.v2('PUT', `/mail/forwards/${seg(address)}/recipients`, `add recipients to ${address}`, {
      json: recipients,
    });
  }

  async removeForwardRecipient(address: string, recipient: string): Promise<void> {
    await this.v2(
      'DELETE',
      `/mail/forwards/${seg(address)}/${seg(recipient)}`,
      `remove ${recipient} from ${address}`,
    );
  }

  async deleteForward(address: string): Promise<void> {
    await this.v2('DELETE', `/mail/forwards/${seg(address)}`, `delete mail forward ${address}`, {
      idempotent: true,
    });
  }

  // Shared domains (v2, brand-wide: no context parameter)

  listSharedDomains(): Promise<string[]> {
    return this.v2Json('GET', '/mail/shareddomains', 'list shared domains', { context: false });
  }

  async sharedDomainExists(domain: string): Promise<boolean> {
    const response = await this.send(
      this.v2Request('HEAD', `/mail/shareddomains/${seg(domain)}`, { context: false }),
    );
    if (response.status === 404) return false;
    this.ensureOk(response, `check shared domain ${domain}`);
    return true;
  }

  async createSharedDomain(domain: string): Promise<void> {
    await this.v2('POST', `/mail/shareddomains/${seg(domain)}`, `create shared domain ${domain}`, {
      context: false,
    });
  }

  async deleteSharedDomain(domain: string): Promise<void> {
    await this.v2('DELETE', `/mail/shareddomains/${seg(domain)}`, `delete shared domain ${domain}`, {
      context: false,
      idempotent: true,
    });
  }

  // Cloud-Plugins

  /** The attribute's value, or undefined when the user has none (the API answers 404). */
  async getAttribute(uid: number, attribute: OxUserAttribute): Promise<unknown> {
    const path = pluginPath('userAttribute', { contextid: this.contextId(), userid: uid, attribute });
    const response = await this.send(this.pluginRequest('GET', path));
    if (response.status === 404) return undefined;
    this.ensureOk(response, `read ${attribute}`);
    return response.json<Record<string, unknown>>()[attribute];
  }

  async putAttribute(uid: number, attribute: OxUserAttribute, value: unknown): Promise<void> {
    const path = pluginPath('userAttribute', { contextid: this.contextId(), userid: uid, attribute });
    const response = await this.send(
      this.pluginRequest('PUT', path, { json: { [attribute]: value }, idempotent: true }),
    );
    this.ensureOk(response, `set ${attribute}`);
  }

  /**
   * Sets the user's custom ids the way the reference documents each call: PUT `{"custom": "id"}`
   * ("change custom id(s)") for one id, POST `{"custom": [ids]}` ("change or remove msisdn or
   * custom id(s)") for several, DELETE ("delete custom id(s)") for none.
   */
  async setCustomIds(uid: number, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return this.deleteAttribute(uid, 'custom');
    if (ids.length === 1) return this.putAttribute(uid, 'custom', ids[0]);
    const path = pluginPath('userData', { contextid: this.contextId(), userid: uid });
    // The POST sets the list it carries, so sending it twice leaves the same ids.
    const response = await this.send(
      this.pluginRequest('POST', path, { json: { custom: ids }, idempotent: true }),
    );
    this.ensureOk(response, 'set custom');
  }

  async deleteAttribute(uid: number, attribute: OxUserAttribute): Promise<void> {
    const path = pluginPath('userAttribute', { contextid: this.contextId(), userid: uid, attribute });
    const response = await this.send(this.pluginRequest('DELETE', path, { idempotent: true }));
    if (response.status !== 404) this.ensureOk(response, `remove ${attribute}`);
  }

  async getList(uid: number, list: OxUserList): Promise<string[]> {
    const path = pluginPath('userList', { contextid: this.contextId(), userid: uid, list });
    const response = await this.send(this.pluginRequest('GET', path));
    if (response.status === 404) return [];
    this.ensureOk(response, `read ${list}`);
    const entries = response.json<Record<string, unknown>>()[list];
    return Array.isArray(entries) ? entries.filter((e): e is string => typeof e === 'string') : [];
  }

  async addListEntry(uid: number, list: OxUserList, value: string): Promise<void> {
    const path = pluginPath('userListEntry', { contextid: this.contextId(), userid: uid, list, value });
    this.ensureOk(await this.send(this.pluginRequest('PUT', path)), `add ${value} to ${list}`);
  }

  async removeListEntry(uid: number, list: OxUserList, value: string): Promise<void> {
    const path = pluginPath('userListEntry', { contextid: this.contextId(), userid: uid, list, value });
    const response = await this.send(this.pluginRequest('DELETE', path));
    if (response.status !== 404) this.ensureOk(response, `remove ${value} from ${list}`);
  }

  async listExplicitDomains(): Promise<string[]> {
    const path = pluginPath('explicitDomains', { contextid: this.contextId() });
    const response = await this.send(this.pluginRequest('GET', path));
    this.ensureOk(response, 'list explicit domains');
    const domains = response.json<{ domains?: unknown }>().domains;
    return Array.isArray(domains) ? domains.filter((d): d is string => typeof d === 'string') : [];
  }

  async explicitDomainExists(domain: string): Promise<boolean> {
    const path = pluginPath('explicitDomain', { contextid: this.contextId(), domain });
    const response = await this.send(this.pluginRequest('GET', path));
    if (response.status === 404) return false;
    this.ensureOk(response, `check explicit domain ${domain}`);
    return true;
  }

  async createExplicitDomain(domain: string): Promise<void> {
    const path = pluginPath('explicitDomain', { contextid: this.contextId(), domain });
    this.ensureOk(await this.send(this.pluginRequest('POST', path)), `create explicit domain ${domain}`);
  }

  async deleteExplicitDomain(domain: string): Promise<void> {
    const path = pluginPath('explicitDomain', { contextid: this.contextId(), domain });
    const response = await this.send(this.pluginRequest('DELETE', path, { idempotent: true }));
    this.ensureOk(response, `delete explicit domain ${domain}`);
  }

  // Plumbing

  private contextId(): number {
    if (this.conn.contextId === undefined) {
      throw settingError(
        'settings.contextId',
        'is required for Cloud-Plugins features (antivirus, extras, explicit domains)',
      );
    }
    return this.conn.contextId;
  }

  private v2Request(
    method: VendorRequest['method'],
    path: string,
    options: { query?: VendorRequest['query']; json?: unknown; idempotent?: boolean; context?: boolean } = {},
  ): VendorRequest {
    return {
      method,
      path: `${V2}${path}`,
      query: options.context === false ? options.query : { name: this.conn.contextName, ...options.query },
      headers: {
        authorization: this.conn.brandAuth,
        'x-trace-id': this.ctx.requestId,
        accept: 'application/json',
      },
      json: options.json,
      idempotent: options.idempotent,
    };
  }

  private pluginRequest(
    method: VendorRequest['method'],
    path: string,
    options: { json?: unknown; idempotent?: boolean } = {},
  ): VendorRequest {
    return {
      method,
      path: `${this.conn.pluginsPathPrefix}${path}`,
      baseUrl: this.conn.pluginsBaseUrl,
      headers: { authorization: this.conn.pluginsAuth, accept: 'application/json' },
      json: options.json,
      idempotent: options.idempotent,
    };
  }

  private async v2(
    method: VendorRequest['method'],
    path: string,
    action: string,
    options: Parameters<OpenXchangeClient['v2Request']>[2] = {},
  ): Promise<VendorResponse> {
    const response = await this.send(this.v2Request(method, path, options));
    this.ensureOk(response, action);
    return response;
  }

  private async v2Json<T>(
    method: VendorRequest['method'],
    path: string,
    action: string,
    options: Parameters<OpenXchangeClient['v2Request']>[2] = {},
  ): Promise<T> {
    return (await this.v2(method, path, action, options)).json<T>();
  }

  private send(request: VendorRequest): Promise<VendorResponse> {
    return this.ctx.http.send(request);
  }

  private ensureOk(response: VendorResponse, action: string): void {
    if (response.status < 200 || response.status >= 300) throw openXchangeError(response, action);
  }
}
