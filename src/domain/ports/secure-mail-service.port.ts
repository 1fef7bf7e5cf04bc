import type { GatewayError } from '../errors';
import type { CreateUserInput, UserRecord } from '../model';
import type { CallContext } from './call-context';
import type { UserDirectoryPort } from './user-directory.port';
/** One user's outcome of a bulk call, in input order. */
export type BulkUserResult =
  | { email: string; ok: true; action: 'created' | 'updated'; user: UserRecord }
  | { email: string; ok: false; error: GatewayError };
/** Secure mail (DataMotion): the users API plus the vendor's native bulk create-or-update. */
export interface SecureMailServicePort extends UserDirectoryPort {
  /** Creates or updates the given users (keyed by externalId, DataMotion's UserTag) in as few vendor calls as the vendor allows; one result per input, in input order. */
  migrateUsers?(ctx: CallContext, users: CreateUserInput[]): Promise<BulkUserResult[]>;
}
