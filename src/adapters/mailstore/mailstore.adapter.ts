import { GatewayError } from '../../domain/errors';
import type { CreateUserInput, Page, UpdateUserInput, UserListQuery, UserRecord } from '../../domain/model';
import {
  ARCHIVE_STORE_STATES,
  type ArchiveOperationStatus,
  type ArchiveServicePort,
  type ArchiveStore,
  type ArchiveStoreState,
  type CreateArchiveStoreInput,
} from '../../domain/ports/archive-service.port';
import type { CallContext } from '../../domain/ports/call-context';
import type { ProviderAdapter } from '../provider-adapter';
import { MailStoreClient } from './mailstore.client';
import { MAILSTORE_DESCRIPTOR } from './mailstore.descriptor';
import {
  DEFAULT_ARCHIVE_FOLDER_PRIVILEGES,
  DEFAULT_PRIVILEGES,
  emailAddressesOf,
  fullNameOf,
  isAddress,
  toArchiveStore,
  toOperationStatus,
  toUserRecord,
  userExtrasOf,
} from './mailstore.mapper';

/** GetUserInfo calls in flight at once while filling a page of users. */
const USER_INFO_CONCURRENCY = 4;

function parseStoreId(storeId: string): number {
  if (!/^\d{1,9}$/.test(storeId)) throw GatewayError.notFound(`Archive store '${storeId}'`);
  return Number(storeId);
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor))
    throw GatewayError.validation([{ field: 'cursor', message: 'not a cursor of this list' }]);
  return Number(cursor);
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The archive port over the MailStore SPE Management API; stateless. */
export class MailStoreArchiveAdapter implements ArchiveServicePort {
  async listUsers(ctx: CallContext, query: UserListQuery): Promise<Page<UserRecord>> {
    const entries = await new MailStoreClient(ctx).call('GetUsers', {});
    let names = (Array.isArray(entries) ? entries : [])
      .map((e: unknown) => (e && typeof e === 'object' ? (e as { userName?: unknown }).userName : undefined))
      .filter((n): n is string => typeof n === 'string');
    if (query.q) names = names.filter((n) => wildcard(query.q as string).test(n));
    if (query.domain) {
      const suffix = `@${query.domain.toLowerCase()}`;
      names = names.filter((n) => n.toLowerCase().endsWith(suffix));
    }
    names.sort((a, b) => a.localeCompare(b) * (query.order === 'desc' ? -1 : 1));
    const offset = parseCursor(query.cursor);
    const pageNames = names.slice(offset, offset + query.limit);
    const users = await mapLimited(pageNames, USER_INFO_CONCURRENCY, async (userName) => {
      try {
        return await this.getUser(ctx, userName, { includeRaw: query.includeRaw ?? false });
      } catch (error) {
        // Deleted between GetUsers and GetUserInfo: it is simply no longer there.
        if (error instanceof GatewayError && error.code === 'not_found') return null;
        throw error;
      }
    });
    return {
      data: users.filter((u): u is UserRecord => u !== null),
      nextCursor: offset + query.limit < names.length ? String(offset + query.limit) : null,
    };
  }

  async getUser(ctx: CallContext, email: string, options: { includeRaw: boolean }): Promise<UserRecord> {
    return toUserRecord(
      await new MailStoreClient(ctx).call('GetUserInfo', { userName: email }),
      options.includeRaw,
    );
  }

  /**
   * CreateUser, then what the reference says to do next: grant the user its own archive folder
   * (named after the user) with SetUserPrivilegesOnFolder, and set its addresses. A failure after
   * CreateUser deletes the user again, so no half-made user stays behind.
   */
  async createUser(ctx: CallContext, input: CreateUserInput): Promise<UserRecord> {
    if (input.mailbox !== undefined) {
      throw GatewayError.validation([{ field: 'mailbox', message: 'archive users have no mailbox' }]);
    }
    const extras = userExtrasOf(input.extras);
    const client = new MailStoreClient(ctx);
    await client.call('CreateUser', {
      userName: input.email,
      privileges: extras.privileges ?? DEFAULT_PRIVILEGES,
      fullName: fullNameOf(input),
      distinguishedName: extras.distinguishedName,
      authentication: extras.authentication,
      password: input.password,
    });
    try {
      await client.call('SetUserPrivilegesOnFolder', {
        userName: input.email,
        folder: input.email,
        privileges: extras.archiveFolderPrivileges ?? DEFAULT_ARCHIVE_FOLDER_PRIVILEGES,
      });
      const addresses = emailAddressesOf(input.email, input.aliases ?? []);
      if (addresses.length > 0) {
        await client.call('SetUserEmailAddresses', { userName: input.email, emailAddresses: addresses });
      }
    } catch (error) {
      // The caller learns why the create failed either way; a failed undo cannot be made better here.
      await client.call('DeleteUser', { userName: input.email }).catch(() => undefined);
      throw error;
    }
    return this.getUser(ctx, input.email, { includeRaw: false });
  }

  async updateUser(ctx: CallContext, email: string, patch: UpdateUserInput): Promise<UserRecord> {
    if (patch.mailbox !== undefined) {
      throw GatewayError.validation([{ field: 'mailbox', message: 'archive users have no mailbox' }]);
    }
    const extras = userExtrasOf(patch.extras);
    const fullName = fullNameOf(patch);
    if (fullName !== undefined)
      await new MailStoreClient(ctx).call('SetUserFullName', { userName: email, fullName });
    if (patch.password !== undefined) {
      await new MailStoreClient(ctx).call('SetUserPassword', { userName: email, password: patch.password });
    }
    if (extras.privileges !== undefined) {
      await new MailStoreClient(ctx).call('SetUserPrivileges', {
        userName: email,
        privileges: extras.privileges,
      });
    }
    if (extras.authentication !== undefined) {
      await new MailStoreClient(ctx).call('SetUserAuthentication', {
        userName: email,
        authentication: extras.authentication,
      });
    }
    if (extras.distinguishedName !== undefined) {
      await new MailStoreClient(ctx).call('SetUserDistinguishedName', {
        userName: email,
        distinguishedName: extras.distinguishedName,
      });
    }
    if (extras.archiveFolderPrivileges !== undefined) {
      await new MailStoreClient(ctx).call('SetUserPrivilegesOnFolder', {
        userName: email,
        folder: email,
        privileges: extras.archiveFolderPrivileges,
      });
    }
    if (patch.aliases !== undefined) {
      await new MailStoreClient(ctx).call('SetUserEmailAddresses', {
        userName: email,
        emailAddresses: emailAddressesOf(email, patch.aliases) || null,
      });
    }
    return this.getUser(ctx, email, { includeRaw: false });
  }

  async renameUser(ctx: CallContext, email: string, newName: string): Promise<void> {
    await new MailStoreClient(ctx).call('RenameUser', { oldUserName: email, newUserName: newName });
    // MailStore keeps the old address; the user's own address follows its name, as the aliases model assumes.
    const renamed = toUserRecord(
      await new MailStoreClient(ctx).call('GetUserInfo', { userName: newName }),
      true,
    );
    const raw = renamed.raw as { emailAddresses?: unknown };
    const hadOwnAddress =
      Array.isArray(raw.emailAddresses) &&
      raw.emailAddresses.some((a) => typeof a === 'string' && a.toLowerCase() === email.toLowerCase());
    if (hadOwnAddress && isAddress(newName)) {
      const aliases = renamed.aliases.filter((a) => a.toLowerCase() !== email.toLowerCase());
      await new MailStoreClient(ctx).call('SetUserEmailAddresses', {
        userName: newName,
        emailAddresses: emailAddressesOf(newName, aliases),
      });
    }
  }

  async deleteUser(ctx: CallContext, email: string): Promise<void> {
    await new MailStoreClient(ctx).call('DeleteUser', { userName: email });
  }

  async listStores(ctx: CallContext, options: { includeSize: boolean }): Promise<ArchiveStore[]> {
    const stores = await new MailStoreClient(ctx).call('GetStores', { includeSize: options.includeSize });
    return (Array.isArray(stores) ? stores : []).map(toArchiveStore);
  }

  async getStore(ctx: CallContext, storeId: string): Promise<ArchiveStore> {
    parseStoreId(storeId);
    const store = (await this.listStores(ctx, { includeSize: true })).find((s) => s.id === storeId);
    if (!store) throw GatewayError.notFound(`Archive store '${storeId}'`);
    return store;
  }

  async createStore(ctx: CallContext, input: CreateArchiveStoreInput): Promise<ArchiveStore> {
    return this.addStore(ctx, 'CreateStore', input);
  }

  async attachStore(ctx: CallContext, input: CreateArchiveStoreInput): Promise<ArchiveStore> {
    return this.addStore(ctx, 'AttachStore', input);
  }

  async renameStore(ctx: CallContext, storeId: string, name: string): Promise<ArchiveStore> {
    await new MailStoreClient(ctx).call('RenameStore', { id: parseStoreId(storeId), name });
    return this.getStore(ctx, storeId);
  }

  async setStoreRequestedState(
    ctx: CallContext,
    storeId: string,
    state: ArchiveStoreState,
  ): Promise<ArchiveStore> {
    if (!(ARCHIVE_STORE_STATES as readonly string[]).includes(state)) {
      throw GatewayError.validation([
        { field: 'requestedState', message: `must be one of ${ARCHIVE_STORE_STATES.join(', ')}` },
      ]);
    }
    await new MailStoreClient(ctx).call('SetStoreRequestedState', {
      id: parseStoreId(storeId),
      requestedState: state,
    });
    return this.getStore(ctx, storeId);
  }

  async detachStore(ctx: CallContext, storeId: string): Promise<void> {
    await new MailStoreClient(ctx).call('DetachStore', { id: parseStoreId(storeId) });
  }

  async refreshStoreStatistics(ctx: CallContext): Promise<void> {
    await new MailStoreClient(ctx).call('RefreshAllStoreStatistics', {});
  }

  async repairStoreDatabase(ctx: CallContext, storeId: string): Promise<void> {
    await new MailStoreClient(ctx).call('RepairStoreDatabase', { id: parseStoreId(storeId) });
  }

  async retryOpenStores(ctx: CallContext): Promise<void> {
    await new MailStoreClient(ctx).call('RetryOpenStores', {});
  }

  async startCompactStore(ctx: CallContext, storeId: string): Promise<ArchiveOperationStatus> {
    return toOperationStatus(
      await new MailStoreClient(ctx).invoke('CompactStore', { id: parseStoreId(storeId) }),
      null,
    );
  }

  async startVerifyStore(
    ctx: CallContext,
    storeId: string,
    includeIndexes: boolean,
  ): Promise<ArchiveOperationStatus> {
    const status = await new MailStoreClient(ctx).invoke('VerifyStore', {
      id: parseStoreId(storeId),
      includeIndexes,
    });
    return toOperationStatus(status, null);
  }

  async startVerifyStores(ctx: CallContext, includeIndexes: boolean): Promise<ArchiveOperationStatus> {
    return toOperationStatus(await new MailStoreClient(ctx).invoke('VerifyStores', { includeIndexes }), null);
  }

  async getOperationStatus(
    ctx: CallContext,
    token: string,
    lastKnownStatusVersion: number,
    waitMs: number,
  ): Promise<ArchiveOperationStatus> {
    return toOperationStatus(
      await new MailStoreClient(ctx).getStatus(token, lastKnownStatusVersion, waitMs),
      token,
    );
  }

  async cancelOperation(ctx: CallContext, token: string): Promise<void> {
    await new MailStoreClient(ctx).cancelAsync(token);
  }

  private async addStore(
    ctx: CallContext,
    command: 'CreateStore' | 'AttachStore',
    input: CreateArchiveStoreInput,
  ): Promise<ArchiveStore> {
    const result = await new MailStoreClient(ctx).call(command, {
      name: input.name,
      databasePath: input.databasePath,
      contentPath: input.contentPath,
      indexPath: input.indexPath,
      requestedState: input.requestedState,
    });
    if (result && typeof result === 'object' && 'id' in result) return toArchiveStore(result);
    // Versions that answer without the new store: find it by its (unique) name.
    const created = (await this.listStores(ctx, { includeSize: false }))
      .filter((s) => s.name === input.name)
      .at(-1);
    if (!created)
      throw new GatewayError('internal', `MailStore ${command} succeeded but the store is not listed.`);
    return created;
  }
}

const archive = new MailStoreArchiveAdapter();

/** MailStore Service Provider Edition: the archive service. */
export const MAILSTORE_PROVIDER: ProviderAdapter = {
  descriptor: MAILSTORE_DESCRIPTOR,
  archive,
  async check(ctx) {
    await new MailStoreClient(ctx).call('Ping', {});
    const stores = await archive.listStores(ctx, { includeSize: false });
    return `MailStore SPE answered; instance ${String(ctx.connection.settings.instanceId)} has ${stores.length} archive store(s).`;
  },
};
