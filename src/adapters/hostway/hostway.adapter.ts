import { GatewayError } from '../../domain/errors';
import type {
  Alias,
  AliasListQuery,
  CreateUserInput,
  MailDomain,
  MailboxPatch,
  MailboxSettings,
  Page,
  UpdateUserInput,
  UserListQuery,
  UserRecord,
} from '../../domain/model';
import type { CallContext } from '../../domain/ports/call-context';
import type { MailServicePort } from '../../domain/ports/mail-service.port';
import type { ProviderAdapter } from '../provider-adapter';
import {
  HostwayClient,
  type HostwayListItem,
  type HostwayMailbox,
  type HostwayMailboxWrite,
} from './hostway.client';
import { HOSTWAY_DESCRIPTOR } from './hostway.descriptor';
import { PROVIDER } from './hostway.errors';
import {
  filterFromQuery,
  listParams,
  mailboxWriteFromPatch,
  mailboxWriteFromUser,
  nextCursorFrom,
  pageFrom,
  parseAddress,
  requireDomain,
  toMailboxSettings,
  toUserRecord,
  type HostwayAddress,
} from './hostway.mapper';

/** A reserved (RFC 2606) domain: asking for it proves the credentials without needing a real domain. */
const PROBE_DOMAIN = 'mailroom-check.invalid';
/** Large enough that an exact-name lookup finds its mailbox even if Hostway matched more loosely. */
const LOOKUP_PAGE_SIZE = 50;

/** The mail port over the Hostway Email API: mailboxes as users, forwards as aliases, domain lookup; stateless. */
export class HostwayMailAdapter implements MailServicePort {
  async listUsers(ctx: CallContext, query: UserListQuery): Promise<Page<UserRecord>> {
    const domain = requireDomain(query.domain);
    const page = pageFrom(query);
    const filter = filterFromQuery(query.q, domain);
    if (filter === undefined) return { data: [], nextCursor: null };
    const listing = await new HostwayClient(ctx).listUsernames(domain, listParams(query, filter, page));
    return {
      data: listing.list.map((item) => toUserRecord(domain, { item }, query.includeRaw === true)),
      nextCursor: nextCursorFrom(listing.links, listing.list.length, page),
    };
  }

  async getUser(ctx: CallContext, email: string, options: { includeRaw: boolean }): Promise<UserRecord> {
    const address = parseAddress(email);
    const found = await this.read(new HostwayClient(ctx), address);
    return toUserRecord(address.domain, found, options.includeRaw);
  }

  async createUser(ctx: CallContext, input: CreateUserInput): Promise<UserRecord> {
    const address = parseAddress(input.email);
    const body = mailboxWriteFromUser(input, true);
    const client = new HostwayClient(ctx);
    // PUT …/mailbox also updates; without this check a duplicate would silently overwrite.
    if (await client.findMailbox(address.domain, address.mailboxName)) {
      throw new GatewayError('conflict', `Mailbox ${input.email} already exists at Hostway.`, {
        provider: PROVIDER,
      });
    }
    await client.putMailbox(address.domain, address.mailboxName, body);
    return toUserRecord(address.domain, await this.read(client, address), false);
  }

  async updateUser(ctx: CallContext, email: string, patch: UpdateUserInput): Promise<UserRecord> {
    const address = parseAddress(email);
    const body = mailboxWriteFromUser(patch, false);
    const client = new HostwayClient(ctx);
    await this.write(client, address, body);
    return toUserRecord(address.domain, await this.read(client, address), false);
  }

  async deleteUser(ctx: CallContext, email: string): Promise<void> {
    const { domain, mailboxName } = parseAddress(email);
    await new HostwayClient(ctx).deleteMailbox(domain, mailboxName);
  }

  async getMailbox(ctx: CallContext, email: string): Promise<MailboxSettings> {
    const address = parseAddress(email);
    const found = await this.read(new HostwayClient(ctx), address);
    return toMailboxSettings(found.item, found.mailbox);
  }

  async updateMailbox(ctx: CallContext, email: string, patch: MailboxPatch): Promise<MailboxSettings> {
    const address = parseAddress(email);
    const body = mailboxWriteFromPatch(patch);
    const client = new HostwayClient(ctx);
    await this.write(client, address, body);
    const found = await this.read(client, address);
    return toMailboxSettings(found.item, found.mailbox);
  }

  async listAliases(ctx: CallContext, query: AliasListQuery): Promise<Page<Alias>> {
    const domain = requireDomain(query.domain);
    const page = pageFrom(query);
    const client = new HostwayClient(ctx);
    const listing = await client.listUsernames(domain, {
      page: page.page,
      pageSize: page.pageSize,
      sortField: 'username',
      sortOrder: 'asc',
      details: false,
    });
    const data: Alias[] = [];
    for (const item of listing.list) {
      const recipients = await client.getForwards(domain, item.username).catch((error: unknown) => {
        // Deleted between the listing and this read: it has no forwards any more.
        if (error instanceof GatewayError && error.code === 'not_found') return [];
        throw error;
      });
      if (recipients.length > 0) data.push({ address: `${item.username}@${domain}`, recipients });
    }
    return { data, nextCursor: nextCursorFrom(listing.links, listing.list.length, page) };
  }

  async getAlias(ctx: CallContext, address: string): Promise<Alias> {
    const { domain, mailboxName } = parseAddress(address, 'address');
    const recipients = await new HostwayClient(ctx).getForwards(domain, mailboxName);
    if (recipients.length === 0) throw GatewayError.notFound(`Alias ${address} (no Hostway forwards)`);
    return { address, recipients };
  }

  async putAlias(ctx: CallContext, address: string, recipients: string[]): Promise<Alias> {
    const { domain, mailboxName } = parseAddress(address, 'address');
    const client = new HostwayClient(ctx);
    const current = await client.getForwards(domain, mailboxName);
    const key = (a: string) => a.toLowerCase();
    const wanted = new Set(recipients.map(key));
    const have = new Set(current.map(key));
    const added = recipients.filter(
      (r, i) => !have.has(key(r)) && recipients.findIndex((x) => key(x) === key(r)) === i,
    );
    if (added.length > 0) await client.addForwards(domain, mailboxName, added);
    for (const target of current.filter((t) => !wanted.has(key(t)))) {
      await client.deleteForward(domain, mailboxName, target);
    }
    return { address, recipients: await client.getForwards(domain, mailboxName) };
  }

  async deleteAlias(ctx: CallContext, address: string): Promise<void> {
    const { domain, mailboxName } = parseAddress(address, 'address');
    const client = new HostwayClient(ctx);
    const current = await client.getForwards(domain, mailboxName);
    if (current.length === 0) throw GatewayError.notFound(`Alias ${address} (no Hostway forwards)`);
    for (const target of current) await client.deleteForward(domain, mailboxName, target);
  }

  async addAliasRecipient(ctx: CallContext, address: string, recipient: string): Promise<Alias> {
    const { domain, mailboxName } = parseAddress(address, 'address');
    const client = new HostwayClient(ctx);
    await client.addForwards(domain, mailboxName, [recipient]);
    return { address, recipients: await client.getForwards(domain, mailboxName) };
  }

  async removeAliasRecipient(ctx: CallContext, address: string, recipient: string): Promise<Alias> {
    const { domain, mailboxName } = parseAddress(address, 'address');
    const client = new HostwayClient(ctx);
    await client.deleteForward(domain, mailboxName, recipient);
    return { address, recipients: await client.getForwards(domain, mailboxName) };
  }

  async getDomain(ctx: CallContext, name: string): Promise<MailDomain> {
    const domain = name.toLowerCase();
    await new HostwayClient(ctx).getDomain(domain);
    return { name: domain, kind: 'explicit' };
  }

  /** The mailbox (usage) and its listing entry (type, trials): Hostway splits them over two calls. */
  private async read(
    client: HostwayClient,
    { domain, mailboxName }: HostwayAddress,
  ): Promise<{ mailbox: HostwayMailbox; item?: HostwayListItem }> {
    const mailbox = await client.findMailbox(domain, mailboxName);
    if (!mailbox) throw GatewayError.notFound(`Mailbox ${mailboxName}@${domain}`);
    const listing = await client.listUsernames(domain, {
      filterUsername: mailboxName,
      page: 1,
      pageSize: LOOKUP_PAGE_SIZE,
      sortField: 'username',
      sortOrder: 'asc',
      details: true,
    });
    const item = listing.list.find((i) => i.username.toLowerCase() === mailboxName.toLowerCase());
    return { mailbox, item };
  }

  /** Updates an existing mailbox; PUT alone would create a missing one. */
  private async write(
    client: HostwayClient,
    { domain, mailboxName }: HostwayAddress,
    body: HostwayMailboxWrite,
  ): Promise<void> {
    if (!(await client.findMailbox(domain, mailboxName))) {
      throw GatewayError.notFound(`Mailbox ${mailboxName}@${domain}`);
    }
    if (Object.keys(body).length > 0) await client.putMailbox(domain, mailboxName, body);
  }
}

/** Hostway Email API: the mail service. */
export const HOSTWAY_PROVIDER: ProviderAdapter = {
  descriptor: HOSTWAY_DESCRIPTOR,
  mail: new HostwayMailAdapter(),
  async check(ctx) {
    const client = new HostwayClient(ctx);
    const account = String(ctx.connection.settings.account);
    const checkDomain = ctx.connection.settings.checkDomain;
    if (typeof checkDomain === 'string' && checkDomain !== '') {
      const info = await client.getDomain(checkDomain.toLowerCase());
      return `Hostway account ${account}, domain ${checkDomain} reachable (quota ${info.quota} MB).`;
    }
    try {
      await client.getDomain(PROBE_DOMAIN);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'not_found') {
        return `Hostway accepted the credentials (set settings.checkDomain to verify account ${account} and a domain).`;
      }
      throw error;
    }
    return `Hostway accepted the credentials for account ${account}.`;
  },
};
