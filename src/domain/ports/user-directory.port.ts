import type { CreateUserInput, Page, UpdateUserInput, UserListQuery, UserRecord } from '../model';
import type { CallContext } from './call-context';

/**
 * The user operations every service shares (mail, archive, secure mail): the users API and
 * batch migrations talk to any service through this port.
 */
export interface UserDirectoryPort {
  listUsers?(ctx: CallContext, query: UserListQuery): Promise<Page<UserRecord>>;
  getUser?(ctx: CallContext, email: string, options: { includeRaw: boolean }): Promise<UserRecord>;
  createUser?(ctx: CallContext, input: CreateUserInput): Promise<UserRecord>;
  updateUser?(ctx: CallContext, email: string, patch: UpdateUserInput): Promise<UserRecord>;
  deleteUser?(ctx: CallContext, email: string): Promise<void>;
}
