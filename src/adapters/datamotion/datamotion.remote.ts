/**
 * The company-admin `/Remote` API as this adapter assumes it. PROTOCOLS.md names the paths and
 * the List request and answer; everything else here is a guess (README, "Vendor guesses"), kept
 * in this one file so that a correction is one edit:
 * - it accepts the SecureMail session key (`X-Session-Key`) and needs no subscription key;
 * - Read and Delete take `{"Email"}`; Read answers the account itself;
 * - an account carries the MigrateUsers field names (`Uid, Email, UserId, UserTag, FirstName,
 *   LastName, CompanyId, UserTypeId, CreateDate`) plus `IsDisabled`;
 * - `OrderBy: "Email"` sorts by address and `Filter` matches part of the address;
 * - an unknown account is a 404 (or a 400 whose `Errors` say it does not exist).
 */
export const REMOTE_PATHS = {
  list: '/Account/List',
  read: '/Account/Read',
  delete: '/Account/Delete',
} as const;

export interface RemoteAccount {
  Uid?: number;
  Email?: string;
  UserId?: string;
  UserTag?: string;
  FirstName?: string;
  LastName?: string;
  CompanyId?: number;
  UserTypeId?: number;
  CreateDate?: string;
  IsDisabled?: boolean;
}

export interface RemoteListAnswer {
  Accounts: RemoteAccount[];
  Count?: number;
  CurrentPage?: number;
  TotalPages?: number;
  TotalUsers?: number;
  PageSize?: number;
}

export function listRequest(companyId: number, pageNumber: number, filter: string): Record<string, unknown> {
  return { UserTypeId: 0, PageNumber: pageNumber, CompanyId: companyId, OrderBy: 'Email', Filter: filter };
}

export function accountRequest(email: string): Record<string, unknown> {
  return { Email: email };
}

/** A 400 that means "no such account" in the /Remote API's words. */
export const REMOTE_NOT_FOUND = /does not exist|not found|no account/i;

export function isRemoteAccount(value: unknown): value is RemoteAccount {
  return value !== null && typeof value === 'object' && typeof (value as RemoteAccount).Email === 'string';
}

export function isRemoteListAnswer(value: unknown): value is RemoteListAnswer {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as RemoteListAnswer).Accounts) &&
    (value as RemoteListAnswer).Accounts.every(isRemoteAccount)
  );
}
