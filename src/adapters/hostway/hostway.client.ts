import { GatewayError } from '../../domain/errors';
import type { CallContext } from '../../domain/ports/call-context';
import type { VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import { basicAuth } from '../http';
import { malformedAnswer, mapHostwayError } from './hostway.errors';

/** Wire types of the Hostway Email API (vendors/PROTOCOLS.md); they never leave this adapter. */
export interface HostwayLink {
  href: string;
  rel: string;
}

export interface HostwayListItem {
  username: string;
  master: number;
  quota: number;
  webmailAccess?: string;
  trialType?: string;
  trialExpiration?: string;
}

export interface HostwayListing {
  list: HostwayListItem[];
  links: HostwayLink[];
}

export interface HostwayListParams {
  filterUsername?: string;
  page: number;
  pageSize: number;
  sortField: 'username' | 'quota';
  sortOrder: 'asc' | 'desc';
  details: boolean;
}

export interface HostwayMailbox {
  username: string;
  master: number;
  quota: number;
  usage: number;
}

export interface HostwayMailboxWrite {
  password?: string;
  master?: 0 | 1;
  quota?: number;
  type?: string;
}

export interface HostwayDomainInfo {
  quota: number;
}

const JSON_UTF8 = 'application/json; charset=UTF-8';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Stateless wire client for one call context: the account and credentials come from the connection. */
export class HostwayClient {
  private readonly account: string;
  private readonly authorization: string;

  constructor(private readonly ctx: CallContext) {
    const account = ctx.connection.settings.account;
    if (typeof account !== 'string' || account === '') {
      throw GatewayError.validation(
        [{ field: 'settings.account', message: 'the Hostway connection needs settings.account' }],
        'The Hostway connection has no settings.account.',
      );
    }
    this.account = account;
    const { username = '', password = '' } = ctx.connection.credentials;
    this.authorization = basicAuth(username, password);
  }

  private domainPath(domain: string): string {
    return `/accounts/${encodeURIComponent(this.account)}/email/${encodeURIComponent(domain)}`;
  }

  private userPath(domain: string, mailboxName: string): string {
    return `${this.domainPath(domain)}/usernames/${encodeURIComponent(mailboxName)}`;
  }

  private async send(
    request: VendorRequest,
    expected: number[],
    call: string,
    what: string,
  ): Promise<VendorResponse> {
    const response = await this.ctx.http.send({
      ...request,
      headers: {
        authorization: this.authorization,
        accept: 'application/json',
        ...(request.json === undefined ? {} : { 'content-type': JSON_UTF8 }),
      },
    });
    if (!expected.includes(response.status)) throw mapHostwayError(response, call, what);
    return response;
  }

  async getDomain(domain: string): Promise<HostwayDomainInfo> {
    const call = `GET domain ${domain}`;
    const response = await this.send(
      { method: 'GET', path: this.domainPath(domain) },
      [200],
      call,
      `Hostway account or domain ${domain}`,
    );
    const body = response.json<unknown>();
    if (!isObject(body) || typeof body.quota !== 'number') throw malformedAnswer(call);
    return { quota: body.quota };
  }

  async listUsernames(domain: string, params: HostwayListParams): Promise<HostwayListing> {
    const call = `GET usernames of ${domain}`;
    const response = await this.send(
      {
        method: 'GET',
        path: `${this.domainPath(domain)}/usernames`,
        query: {
          filterUsername: params.filterUsername,
          page: params.page,
          pageSize: params.pageSize,
          sortField: params.sortField,
          sortOrder: params.sortOrder,
          details: params.details ? 1 : undefined,
        },
      },
      [200],
      call,
      `Hostway account or domain ${domain}`,
    );
    const body = response.json<unknown>();
    if (!isObject(body) || !Array.isArray(body.list)) throw malformedAnswer(call);
    const list = body.list.filter(
      (item): item is HostwayListItem => isObject(item) && typeof item.username === 'string',
    );
    const links = Array.isArray(body.links)
      ? body.links.filter(
          (l): l is HostwayLink => isObject(l) && typeof l.href === 'string' && typeof l.rel === 'string',
        )
      : [];
    return { list, links };
  }

  /** The mailbox, or undefined on 404 (which Hostway also answers for an unknown account or domain). */
  async findMailbox(domain: string, mailboxName: string): Promise<HostwayMailbox | undefined> {
    const call = `GET mailbox ${mailboxName}@${domain}`;
    const response = await this.send(
      { method: 'GET', path: `${this.userPath(domain, mailboxName)}/mailbox` },
      [200, 404],
      call,
      `Mailbox ${mailboxName}@${domain}`,
    );
    if (response.status === 404) return undefined;
    const body = response.json<unknown>();
    if (!isObject(body) || typeof body.username !== 'string') throw malformedAnswer(call);
    return {
      username: body.username,
      master: typeof body.master === 'number' ? body.master : 0,
      quota: typeof body.quota === 'number' ? body.quota : 0,
      usage: typeof body.usage === 'number' ? body.usage : 0,
    };
  }

  /** Creates or updates; resolves to whether Hostway created it (201) or updated it (204). */
  async putMailbox(
    domain: string,
    mailboxName: string,
    body: HostwayMailboxWrite,
  ): Promise<'created' | 'updated'> {
    const response = await this.send(
      // PUT sets the values it carries (create or update), so sending it twice leaves the same mailbox.
      { method: 'PUT', path: `${this.userPath(domain, mailboxName)}/mailbox`, json: body, idempotent: true },
      [200, 201, 204],
      `PUT mailbox ${mailboxName}@${domain}`,
      `Hostway account or domain ${domain}`,
    );
    return response.status === 201 ? 'created' : 'updated';
  }

  async deleteMailbox(domain: string, mailboxName: string): Promise<void> {
    await this.send(
      { method: 'DELETE', path: `${this.userPath(domain, mailboxName)}/mailbox` },
      [200, 204],
      `DELETE mailbox ${mailboxName}@${domain}`,
      `Mailbox ${mailboxName}@${domain}`,
    );
  }

  async getForwards(domain: string, mailboxName: string): Promise<string[]> {
    const call = `GET forwards of ${mailboxName}@${domain}`;
    const response = await this.send(
      { method: 'GET', path: `${this.userPath(domain, mailboxName)}/forwards` },
      [200],
      call,
      `Mailbox ${mailboxName}@${domain}`,
    );
    const body = response.json<unknown>();
    if (!isObject(body) || !Array.isArray(body.targets)) throw malformedAnswer(call);
    return body.targets
      .map((t) => (isObject(t) && typeof t.target === 'string' ? t.target : undefined))
      .filter((t): t is string => t !== undefined);
  }

  async addForwards(domain: string, mailboxName: string, targets: string[]): Promise<void> {
    await this.send(
      {
        method: 'POST',
        path: `${this.userPath(domain, mailboxName)}/forwards`,
        json: { targets: targets.map((target) => ({ target })) },
      },
      [200, 201, 204],
      `POST forwards of ${mailboxName}@${domain}`,
      `Mailbox ${mailboxName}@${domain}`,
    );
  }

  async deleteForward(domain: string, mailboxName: string, target: string): Promise<void> {
    await this.send(
      {
        method: 'DELETE',
        path: `${this.userPath(domain, mailboxName)}/forwards/${encodeURIComponent(target)}`,
      },
      [200, 204],
      `DELETE forward of ${mailboxName}@${domain}`,
      `Forward from ${mailboxName}@${domain} to ${target}`,
    );
  }
}
