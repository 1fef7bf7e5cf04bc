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
import type { ProviderAdapter, ProviderDescriptor } from '../provider-adapter';
import {
  HostwayClient,
  type HostwayListItem,
  type HostwayMailbox,
  type HostwayMailboxWrite,
} from './hostway.client';
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

export const HOSTWAY_DESCRIPTOR: ProviderDescriptor = {
  name: PROVIDER,
  displayName: 'Hostway',
  services: ['mail'],
  credentials: [
    { name: 'username', required: true, description: 'Hostway API user (HTTP Basic auth).' },
    { name: 'password', required: true, description: 'Password of the Hostway API user.' },
  ],
  settings: [
    { name: 'account', required: true, description: 'Hostway account owning the domains and mailboxes.' },
    {
      name: 'checkDomain',
      required: false,
      description:
        'A domain of the account; the connection check reads it (GET /accounts/{account}/email/{checkDomain}).',
    },
  ],
  extras: [
    {
      name: 'master',
      on: 'mailbox',
      type: '0 | 1',
      description:
        "Hostway's master flag. Read in mailbox.extras; set with extras.master on user create/update or mailbox.extras.master on a mailbox patch.",
    },
    {
      name: 'trialType',
      on: 'mailbox',
      type: 'standard | activesync | premium',
      description:
        'Trial mailbox type, when the mailbox is on a trial. Read-only: the Hostway API has no way to set it.',
    },
    {
      name: 'trialExpiration',
      on: 'mailbox',
      type: 'date (YYYY-MM-DD)',
      description: 'End of the trial period. Read-only.',
    },
  ],
  userFields: ['quotaMb', 'plan', 'webmailAccess'],
  notes: [
    'A user is a Hostway mailbox: email = {mailboxName}@{domain} under settings.account; mailbox names match [a-zA-Z0-9._-]+ (checked before any call).',
    'Hostway stores no first, last or display name: firstName, lastName and displayName are accepted on create and update so a portal written for a vendor that requires names works unchanged, but nothing is sent to Hostway and the user returned has no name fields.',
    'Hostway has no additional addresses on a mailbox: a non-empty aliases on a user answers 422 validation_failed (forwards are the aliases resource).',
    'mailbox: quotaMb ↔ quota (MB), usedMb ↔ usage, plan ↔ type (standard|activesync|premium); webmailAccess is the same Hostway value (the listing shows type as webmailAccess with details=1), so plan and webmailAccess must agree when both are set. spamLevel and antivirus are not supported (422).',
    'status is always active (Hostway has no disabled state); externalId is the address.',
    "Listing users needs ?domain= (422 without it). q is a * pattern on the mailbox name (a domain part, if given, must match domain); sort email → sortField username, quota → quota; limit and cursor become page/pageSize, and paging follows Hostway's next link. Without a cursor the page size is limit; with one, the page size stored in the cursor.",
    'Password rules checked before the call (422 naming each rule): 8–128 characters, an upper-case letter, a lower-case letter, a digit and an ASCII special character. The Hostway reference documents no forbidden prefixes, so none are enforced. A password is required on create.',
    'Create checks that the mailbox does not exist (GET …/mailbox) before PUT …/mailbox, so a duplicate is 409 conflict rather than an overwrite; update and mailbox patch check that it exists.',
    'Aliases are Hostway forwards: the alias address is the mailbox address and its recipients are the forward targets. get = GET …/forwards (no targets = not found); put replaces targets (POST new, DELETE removed); add = POST; remove = DELETE …/forwards/{target}; delete removes every target. An alias needs an existing mailbox. Hostway answers 409 for a delivery loop (→ conflict). Listing aliases needs ?domain= and reads the forwards of each mailbox on a page, so a page may hold fewer than limit aliases.',
    "Domains: get = GET /accounts/{account}/email/{domain} (kind explicit). Hostway has no call to list, create or delete an account's domains: those answer 501 unsupported_operation. Hostway's domain-name aliases are not exposed.",
    'Connection check: GET /accounts/{account}/email/{settings.checkDomain} when checkDomain is set; otherwise GET of a reserved .invalid domain, where 404 proves only that the credentials were accepted.',
  ],
};

class HostwayMailService implements MailServicePort {
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

/** Hostway Email API: mail users (mailboxes), mailbox settings, forwards as aliases, domain lookup. */
export class HostwayAdapter implements ProviderAdapter {
  readonly descriptor = HOSTWAY_DESCRIPTOR;
  readonly mail: MailServicePort = new HostwayMailService();

  async check(ctx: CallContext): Promise<string> {
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
  }
}
