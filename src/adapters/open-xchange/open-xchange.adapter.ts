import { GatewayError, type FieldError } from '../../domain/errors';
import type {
  Alias,
  AliasListQuery,
  CreateUserInput,
  DomainKind,
  MailboxPatch,
  MailboxSettings,
  MailDomain,
  Page,
  UpdateUserInput,
  UserListQuery,
  UserRecord,
} from '../../domain/model';
import type { CallContext } from '../../domain/ports/call-context';
import type { MailServicePort } from '../../domain/ports/mail-service.port';
import type { ProviderAdapter } from '../provider-adapter';
import { OpenXchangeClient, type OxUser } from './open-xchange.client';
import { OPEN_XCHANGE_DESCRIPTOR } from './open-xchange.descriptor';
import { toChangeUser, toCreateUser, toMailbox, toUserRecord } from './open-xchange.mapper';
import { pageByKey, wildcardMatcher } from './open-xchange.paging';
import {
  OX_USER_ATTRIBUTES,
  OX_USER_LISTS,
  type OxUserAttribute,
  type OxUserList,
} from './open-xchange-plugins.paths';

/** Mailbox extras held by Cloud-Plugins per-user attributes and lists (antivirus has its own neutral field). */
const MAILBOX_ATTRIBUTE_EXTRAS = OX_USER_ATTRIBUTES.filter((a) => a !== 'antivirus' && a !== 'quotamode');
const READ_ONLY_EXTRAS = ['quotamode'] as const;

type MailboxExtraAttribute = Exclude<OxUserAttribute, 'antivirus' | 'quotamode'>;

function unknownKey(field: string): FieldError {
  return { field, message: 'is not an Open-Xchange mailbox field' };
}

/** The mail port over Open-Xchange Cloud Provisioning v2 and Cloud-Plugins; stateless. */
export class OpenXchangeMailAdapter implements MailServicePort {
  // Users

  async listUsers(ctx: CallContext, query: UserListQuery): Promise<Page<UserRecord>> {
    const client = new OpenXchangeClient(ctx);
    const matches = wildcardMatcher(query.q);
    const domain = query.domain?.toLowerCase();
    const users = (await client.listUsers(query.q || '*')).filter(
      (u) => matches(u.mail) && (domain === undefined || u.mail.toLowerCase().endsWith(`@${domain}`)),
    );
    const sort = query.sort ?? 'email';
    const page = pageByKey(
      users,
      (u) =>
        sort === 'quota'
          ? [toMailbox(u).quotaMb ?? Number.MAX_SAFE_INTEGER, u.mail.toLowerCase()]
          : [u.mail.toLowerCase()],
      {
        sort,
        descending: query.order === 'desc',
        limit: query.limit,
        cursor: query.cursor,
      },
    );
    return {
      data: page.data.map((u) => toUserRecord(u, query.includeRaw ?? false)),
      nextCursor: page.nextCursor,
    };
  }

  async getUser(ctx: CallContext, email: string, options: { includeRaw: boolean }): Promise<UserRecord> {
    return toUserRecord(await this.findUser(new OpenXchangeClient(ctx), email, false), options.includeRaw);
  }

  async createUser(ctx: CallContext, input: CreateUserInput): Promise<UserRecord> {
    const body = toCreateUser(input);
    const client = new OpenXchangeClient(ctx);
    const antivirus = input.mailbox?.antivirus;
    this.ensureAntivirusPossible(client, antivirus);
    const created = await client.createUser(body);
    const record = toUserRecord(created, false);
    if (antivirus !== undefined) {
      await client.putAttribute(this.uidOf(created), 'antivirus', antivirus);
      record.mailbox = { ...record.mailbox, antivirus };
    }
    return record;
  }

  async updateUser(ctx: CallContext, email: string, patch: UpdateUserInput): Promise<UserRecord> {
    const client = new OpenXchangeClient(ctx);
    this.ensureAntivirusPossible(client, patch.mailbox?.antivirus);
    const current = await this.findUser(client, email, patch.mailbox?.antivirus !== undefined);
    const change = toChangeUser(current, patch);
    if (Object.keys(change).length > 0) await client.changeUser(current.name, change);
    if (patch.mailbox?.antivirus !== undefined) {
      await client.putAttribute(this.uidOf(current), 'antivirus', patch.mailbox.antivirus);
    }
    return toUserRecord(await client.getUser(current.name, false), false);
  }

  async deleteUser(ctx: CallContext, email: string): Promise<void> {
    const client = new OpenXchangeClient(ctx);
    await client.deleteUser((await this.findUser(client, email, false)).name);
  }

  /**
   * The login is the address for users Mailroom created; users provisioned otherwise are found by
   * their mail address in the context's user list.
   */
  private async findUser(client: OpenXchangeClient, email: string, includeId: boolean): Promise<OxUser> {
    try {
      return await client.getUser(email, includeId);
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'not_found') throw error;
      const found = (await client.listUsers(email)).find((u) => u.mail.toLowerCase() === email.toLowerCase());
      if (!found) throw error;
      return includeId ? client.getUser(found.name, true) : found;
    }
  }

  private ensureAntivirusPossible(client: OpenXchangeClient, antivirus: boolean | undefined): void {
    if (antivirus !== undefined && !client.hasContextId) {
      throw GatewayError.validation([
        { field: 'mailbox.antivirus', message: 'needs the connection setting contextId (Cloud-Plugins)' },
      ]);
    }
  }

  private uidOf(user: OxUser): number {
    if (typeof user.uid !== 'number') {
      throw new GatewayError('provider_unavailable', `Open-Xchange returned no uid for ${user.name}`, {
        status: 502,
        provider: 'open-xchange',
      });
    }
    return user.uid;
  }

  // Mailbox

  async getMailbox(ctx: CallContext, email: string): Promise<MailboxSettings> {
    const client = new OpenXchangeClient(ctx);
    const user = await this.findUser(client, email, client.hasContextId);
    const mailbox = toMailbox(user);
    if (!client.hasContextId) return mailbox;

    const uid = this.uidOf(user);
    const attributes: OxUserAttribute[] = ['antivirus', ...MAILBOX_ATTRIBUTE_EXTRAS, ...READ_ONLY_EXTRAS];
    const [values, lists] = await Promise.all([
      Promise.all(attributes.map((a) => client.getAttribute(uid, a))),
      Promise.all(OX_USER_LISTS.map((l) => client.getList(uid, l))),
    ]);
    const extras: Record<string, unknown> = {};
    attributes.forEach((attribute, i) => {
      const value = values[i];
      if (value === undefined || value === null) return;
      if (attribute === 'antivirus') mailbox.antivirus = value === true || value === 'true';
      else extras[attribute] = value;
    });
    OX_USER_LISTS.forEach((list, i) => (extras[list] = lists[i]));
    mailbox.extras = extras;
    return mailbox;
  }

  async updateMailbox(ctx: CallContext, email: string, patch: MailboxPatch): Promise<MailboxSettings> {
    const client = new OpenXchangeClient(ctx);
    const extras = this.readMailboxExtras(patch.extras);
    const needsPlugins =
      patch.antivirus !== undefined || extras.attributes.length > 0 || extras.lists.length > 0;
    if (needsPlugins && !client.hasContextId) {
      throw GatewayError.validation([
        {
          field: 'extras',
          message: 'antivirus and mailbox extras need the connection setting contextId (Cloud-Plugins)',
        },
      ]);
    }
    const user = await this.findUser(client, email, needsPlugins);
    const change = toChangeUser(user, {
      mailbox: {
        quotaMb: patch.quotaMb,
        plan: patch.plan,
        spamLevel: patch.spamLevel,
        webmailAccess: patch.webmailAccess,
      },
    });
    if (Object.keys(change).length > 0) await client.changeUser(user.name, change);
    if (needsPlugins) {
      const uid = this.uidOf(user);
      if (patch.antivirus !== undefined) await client.putAttribute(uid, 'antivirus', patch.antivirus);
      for (const [attribute, value] of extras.attributes) {
        if (attribute === 'custom') await client.setCustomIds(uid, (value as string[] | null) ?? []);
        else if (value === null) await client.deleteAttribute(uid, attribute);
        else await client.putAttribute(uid, attribute, value);
      }
      for (const [list, entries] of extras.lists) await this.replaceList(client, uid, list, entries);
    }
    return this.getMailbox(ctx, user.mail);
  }

  /**
   * Brings a black or white list to exactly `entries` by its difference, adding before removing,
   * so a call failing halfway leaves every entry that was and is still wanted in place.
   */
  private async replaceList(
    client: OpenXchangeClient,
    uid: number,
    list: OxUserList,
    entries: readonly string[],
  ): Promise<void> {
    const current = new Set(await client.getList(uid, list));
    const wanted = new Set(entries);
    for (const entry of wanted) if (!current.has(entry)) await client.addListEntry(uid, list, entry);
    for (const entry of current) if (!wanted.has(entry)) await client.removeListEntry(uid, list, entry);
  }

  private readMailboxExtras(extras: Record<string, unknown> | undefined): {
    attributes: Array<[MailboxExtraAttribute, unknown]>;
    lists: Array<[OxUserList, string[]]>;
  } {
    const errors: FieldError[] = [];
    const attributes: Array<[MailboxExtraAttribute, unknown]> = [];
    const lists: Array<[OxUserList, string[]]> = [];
    for (const [key, value] of Object.entries(extras ?? {})) {
      const field = `extras.${key}`;
      const list = OX_USER_LISTS.find((l) => l === key);
      const attribute = MAILBOX_ATTRIBUTE_EXTRAS.find((a) => a === key);
      if (list) {
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) lists.push([list, value]);
        else errors.push({ field, message: 'must be an array of strings' });
      } else if (attribute === 'custom') {
        if (value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string')))
          attributes.push([attribute, value]);
        else errors.push({ field, message: 'must be an array of strings or null' });
      } else if (attribute) {
        if (value === null || typeof value === 'string') attributes.push([attribute, value]);
        else errors.push({ field, message: 'must be a string or null' });
      } else if ((READ_ONLY_EXTRAS as readonly string[]).includes(key)) {
        errors.push({ field, message: 'is read-only' });
      } else errors.push(unknownKey(field));
    }
    if (errors.length > 0) throw GatewayError.validation(errors);
    return { attributes, lists };
  }

  // Aliases (mail forwards)

  async listAliases(ctx: CallContext, query: AliasListQuery): Promise<Page<Alias>> {
    const domain = query.domain?.toLowerCase();
    const forwards = (await new OpenXchangeClient(ctx).listForwards()).filter(
      (f) => domain === undefined || f.address.toLowerCase().endsWith(`@${domain}`),
    );
    const page = pageByKey(forwards, (f) => [f.address.toLowerCase()], {
      sort: 'address',
      descending: false,
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      data: page.data.map((f) => ({ address: f.address, recipients: f.forwardTo })),
      nextCursor: page.nextCursor,
    };
  }

  async getAlias(ctx: CallContext, address: string): Promise<Alias> {
    return { address, recipients: await new OpenXchangeClient(ctx).forwardRecipients(address) };
  }

  /** Creates the forward, or brings an existing one to exactly `recipients` (adding before removing, so it never empties). */
  async putAlias(ctx: CallContext, address: string, recipients: string[]): Promise<Alias> {
    if (recipients.length === 0) {
      throw GatewayError.validation([
        { field: 'recipients', message: 'Open-Xchange forwards need at least one recipient' },
      ]);
    }
    const client = new OpenXchangeClient(ctx);
    if (!(await client.forwardExists(address))) {
      await client.createForward({ address, forwardTo: recipients });
      return this.getAlias(ctx, address);
    }
    const current = await client.forwardRecipients(address);
    const toAdd = recipients.filter((r) => !current.includes(r));
    if (toAdd.length > 0) await client.addForwardRecipients(address, toAdd);
    for (const r of current.filter((c) => !recipients.includes(c)))
      await client.removeForwardRecipient(address, r);
    return this.getAlias(ctx, address);
  }

  async deleteAlias(ctx: CallContext, address: string): Promise<void> {
    await new OpenXchangeClient(ctx).deleteForward(address);
  }

  async addAliasRecipient(ctx: CallContext, address: string, recipient: string): Promise<Alias> {
    await new OpenXchangeClient(ctx).addForwardRecipients(address, [recipient]);
    return this.getAlias(ctx, address);
  }

  async removeAliasRecipient(ctx: CallContext, address: string, recipient: string): Promise<Alias> {
    await new OpenXchangeClient(ctx).removeForwardRecipient(address, recipient);
    return this.getAlias(ctx, address);
  }

  // Domains

  async listDomains(ctx: CallContext): Promise<MailDomain[]> {
    const client = new OpenXchangeClient(ctx);
    const [shared, explicit] = await Promise.all([
      client.listSharedDomains(),
      client.hasContextId ? client.listExplicitDomains() : Promise.resolve([]),
    ]);
    return [
      ...shared.map((name) => ({ name, kind: 'shared' as const })),
      ...explicit.map((name) => ({ name, kind: 'explicit' as const })),
    ].sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
  }

  async getDomain(ctx: CallContext, name: string): Promise<MailDomain> {
    const client = new OpenXchangeClient(ctx);
    if (await client.sharedDomainExists(name)) return { name, kind: 'shared' };
    if (client.hasContextId && (await client.explicitDomainExists(name))) return { name, kind: 'explicit' };
    throw GatewayError.notFound(`Domain ${name}`);
  }

  async createDomain(ctx: CallContext, name: string, kind: DomainKind): Promise<MailDomain> {
    const client = new OpenXchangeClient(ctx);
    if (kind === 'explicit') await client.createExplicitDomain(name);
    else await client.createSharedDomain(name);
    return { name, kind };
  }

  async deleteDomain(ctx: CallContext, name: string): Promise<void> {
    const domain = await this.getDomain(ctx, name);
    const client = new OpenXchangeClient(ctx);
    if (domain.kind === 'explicit') await client.deleteExplicitDomain(name);
    else await client.deleteSharedDomain(name);
  }
}

/** Open-Xchange App Suite (hosted): the mail service. */
export const OPEN_XCHANGE_PROVIDER: ProviderAdapter = {
  descriptor: OPEN_XCHANGE_DESCRIPTOR,
  mail: new OpenXchangeMailAdapter(),
  async check(ctx) {
    const client = new OpenXchangeClient(ctx);
    const { count } = await client.countUsers();
    return `context "${client.contextName}" reachable, ${count} users`;
  },
};
