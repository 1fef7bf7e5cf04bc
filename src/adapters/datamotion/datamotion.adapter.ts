import { GatewayError } from '../../domain/errors';
import type { CreateUserInput, Page, UpdateUserInput, UserListQuery, UserRecord } from '../../domain/model';
import type { CallContext } from '../../domain/ports/call-context';
import type { BulkUserResult, SecureMailServicePort } from '../../domain/ports/secure-mail-service.port';
import type { ProviderAdapter } from '../provider-adapter';
import {
  companyIdOf,
  DataMotionClient,
  logoutAll,
  positiveSetting,
  type MigrateResultWire,
} from './datamotion.client';
import { DATAMOTION_DESCRIPTOR } from './datamotion.descriptor';
import { migrateStatusError, missingResult, PROVIDER } from './datamotion.errors';
import {
  actionOf,
  fromMigrateResult,
  fromRemoteAccount,
  toMigrateEntry,
  toUpdateEntry,
  type MigrateEntry,
} from './datamotion.mapper';
import { DataMotionSessions } from './datamotion.sessions';

/** /Remote pages read at most per list request, so that a narrow filter cannot hold a request for long. */
const MAX_PAGES_PER_LIST = 20;

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** `<vendor page>.<index in it>`, both from the /Remote List. */
function parseCursor(cursor: string | undefined): { page: number; offset: number } {
  if (cursor === undefined) return { page: 1, offset: 0 };
  const match = /^(\d{1,6})\.(\d{1,4})$/.exec(cursor);
  if (!match || Number(match[1]) < 1)
    throw GatewayError.validation([{ field: 'cursor', message: 'not a cursor of this list' }]);
  return { page: Number(match[1]), offset: Number(match[2]) };
}

/** The /Remote Filter (part of the address) that narrows a listing most: the longest literal piece. */
function vendorFilter(query: UserListQuery): string {
  const pieces = [...(query.q ?? '').split('*'), query.domain ? `@${query.domain}` : ''];
  return pieces.reduce((longest, piece) => (piece.length > longest.length ? piece : longest), '');
}

/** Results paired with their entries: by position when DataMotion kept the order, else by UserTag. */
function pairResults(
  entries: MigrateEntry[],
  results: MigrateResultWire[],
): Array<MigrateResultWire | undefined> {
  const inOrder =
    results.length === entries.length &&
    results.every((r, i) => r.UserTag === undefined || r.UserTag === entries[i].user.UserTag);
  if (inOrder) return results;
  return entries.map((entry) => results.find((r) => r.UserTag === entry.user.UserTag));
}

/** The secure-mail port over DataMotion's MigrateUsers (create, change, bulk) and /Remote (get, list, delete). */
export class DataMotionSecureMailAdapter implements SecureMailServicePort {
  /** Sessions are DataMotion's per-connection state; see DataMotionSessions for why they live here. */
  constructor(private readonly sessions: DataMotionSessions) {}

  async listUsers(ctx: CallContext, query: UserListQuery): Promise<Page<UserRecord>> {
    const refused = [
      ...(query.sort === 'quota' ? [{ field: 'sort', message: 'DataMotion lists by email only' }] : []),
      ...(query.order === 'desc'
        ? [{ field: 'order', message: 'DataMotion lists in ascending order only' }]
        : []),
    ];
    if (refused.length > 0) throw GatewayError.validation(refused);
    const client = this.client(ctx);
    const matches = query.q ? wildcard(query.q) : null;
    const suffix = query.domain ? `@${query.domain.toLowerCase()}` : null;
    const filter = vendorFilter(query);
    let { page, offset } = parseCursor(query.cursor);
    const data: UserRecord[] = [];
    for (let read = 0; read < MAX_PAGES_PER_LIST; read++) {
      const answer = await client.listAccounts(page, filter);
      for (let index = offset; index < answer.Accounts.length; index++) {
        const account = answer.Accounts[index];
        const email = (account.Email ?? '').toLowerCase();
        if ((matches && !matches.test(email)) || (suffix && !email.endsWith(suffix))) continue;
        data.push(fromRemoteAccount(account, query.includeRaw ?? false));
        if (data.length === query.limit) {
          const more = index + 1 < answer.Accounts.length || page < (answer.TotalPages ?? page);
          return { data, nextCursor: more ? `${page}.${index + 1}` : null };
        }
      }
      if (answer.Accounts.length === 0 || page >= (answer.TotalPages ?? page))
        return { data, nextCursor: null };
      page += 1;
      offset = 0;
    }
    return { data, nextCursor: `${page}.0` };
  }

  async getUser(ctx: CallContext, email: string, options: { includeRaw: boolean }): Promise<UserRecord> {
    return fromRemoteAccount(await this.client(ctx).readAccount(email), options.includeRaw);
  }

  /**
   * Creates one account. MigrateUsers is a create-or-update by UserTag; with the /Remote API the
   * address is looked up first so that an existing account is a 409, not silently changed.
   */
  async createUser(ctx: CallContext, input: CreateUserInput): Promise<UserRecord> {
    const entry = toMigrateEntry(input, true);
    const client = this.client(ctx);
    if (
      typeof ctx.connection.settings.remoteBaseUrl === 'string' &&
      (await this.exists(client, input.email))
    ) {
      throw new GatewayError(
        'conflict',
        `A DataMotion account with the email '${input.email}' already exists.`,
        {
          provider: PROVIDER,
        },
      );
    }
    const result = await this.migrateOne(
      ctx,
      client,
      entry,
      entry.userTypeId ?? positiveSetting(ctx, 'userTypeId'),
    );
    if (result.Status !== 0)
      throw migrateStatusError(entry.user.UserTag, result.Status, result.Details ?? '');
    const user = fromMigrateResult(result, input.email);
    user.extras = { ...user.extras, action: actionOf(result) };
    return user;
  }

  async updateUser(ctx: CallContext, email: string, patch: UpdateUserInput): Promise<UserRecord> {
    const entry = toUpdateEntry(email, patch);
    const result = await this.migrateOne(ctx, this.client(ctx), entry, entry.userTypeId);
    // Sent without Email, an unknown UserTag fails as an incomplete create (90), never creates.
    if (result.Status === 90) {
      throw new GatewayError('not_found', `No DataMotion account has the UserTag '${email}'.`, {
        provider: PROVIDER,
      });
    }
    if (result.Status !== 0) throw migrateStatusError(email, result.Status, result.Details ?? '');
    return fromMigrateResult(result, email);
  }

  async deleteUser(ctx: CallContext, email: string): Promise<void> {
    await this.client(ctx).deleteAccount(email);
  }

  /**
   * DataMotion takes one Password and UserTypeId per request: users are grouped by both, in input
   * order, and each group is one call. A user breaking a field rule gets its error without a call.
   */
  async migrateUsers(ctx: CallContext, users: CreateUserInput[]): Promise<BulkUserResult[]> {
    const results = new Array<BulkUserResult>(users.length);
    const groups = new Map<string, { entries: MigrateEntry[]; indexes: number[]; userTypeId: number }>();
    const client = this.client(ctx);
    const defaultType = positiveSetting(ctx, 'userTypeId');
    users.forEach((user, index) => {
      let entry: MigrateEntry;
      try {
        entry = toMigrateEntry(user, false);
      } catch (error) {
        results[index] = { email: user.email, ok: false, error: error as GatewayError };
        return;
      }
      const userTypeId = entry.userTypeId ?? defaultType;
      const key = JSON.stringify([entry.password ?? null, userTypeId]);
      const group = groups.get(key) ?? { entries: [], indexes: [], userTypeId };
      group.entries.push(entry);
      group.indexes.push(index);
      groups.set(key, group);
    });
    for (const group of groups.values()) {
      let answers: Array<MigrateResultWire | undefined>;
      try {
        answers = await this.migrate(ctx, client, group.entries, group.userTypeId);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        for (const index of group.indexes) results[index] = { email: users[index].email, ok: false, error };
        continue;
      }
      group.indexes.forEach((index, i) => {
        const email = users[index].email;
        const answer = answers[i];
        const tag = group.entries[i].user.UserTag;
        if (!answer) {
          results[index] = { email, ok: false, error: missingResult(tag) };
        } else if (answer.Status !== 0) {
          results[index] = {
            email,
            ok: false,
            error: migrateStatusError(tag, answer.Status, answer.Details ?? ''),
          };
        } else {
          results[index] = {
            email,
            ok: true,
            action: actionOf(answer),
            user: fromMigrateResult(answer, email),
          };
        }
      });
    }
    return results;
  }

  client(ctx: CallContext): DataMotionClient {
    return new DataMotionClient(ctx, this.sessions);
  }

  private async migrate(
    ctx: CallContext,
    client: DataMotionClient,
    entries: MigrateEntry[],
    userTypeId: number | undefined,
  ): Promise<Array<MigrateResultWire | undefined>> {
    const results = await client.migrateUsers({
      Password: entries[0].password,
      CompanyId: companyIdOf(ctx),
      UserTypeId: userTypeId,
      Users: entries.map((e) => e.user),
    });
    return pairResults(entries, results);
  }

  private async migrateOne(
    ctx: CallContext,
    client: DataMotionClient,
    entry: MigrateEntry,
    userTypeId: number | undefined,
  ): Promise<MigrateResultWire> {
    const [result] = await this.migrate(ctx, client, [entry], userTypeId);
    if (!result) throw missingResult(entry.user.UserTag);
    return result;
  }

  private async exists(client: DataMotionClient, email: string): Promise<boolean> {
    try {
      await client.readAccount(email);
      return true;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'not_found') return false;
      throw error;
    }
  }
}

const sessions = new DataMotionSessions();
const secureMail = new DataMotionSecureMailAdapter(sessions);

/** DataMotion SecureMail: the secure-mail service. */
export const DATAMOTION_PROVIDER: ProviderAdapter = {
  descriptor: DATAMOTION_DESCRIPTOR,
  secureMail,
  /** Logs on afresh (a cached session would prove nothing about the credentials) and reads Account/Details. */
  async check(ctx) {
    const client = secureMail.client(ctx);
    const me = await client.details(true);
    const who = `${me.EmailAddress ?? me.UserId ?? 'the administrator'} (Uid ${String(me.Uid ?? '?')})`;
    if (typeof ctx.connection.settings.remoteBaseUrl !== 'string') {
      return `DataMotion answered; logged on as ${who}, company ${companyIdOf(ctx)}; no /Remote API configured.`;
    }
    const page = await client.listAccounts(1, '');
    return `DataMotion answered; logged on as ${who}, company ${companyIdOf(ctx)}; the /Remote API lists ${String(page.TotalUsers ?? page.Accounts.length)} account(s).`;
  },
  close: (source) => logoutAll(sessions, source),
};
