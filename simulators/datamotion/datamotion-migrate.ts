import type { DataMotionState, SimAccount } from './datamotion-state';

/** The reference's `Details` text of every per-user Status (the first one where a code has several). */
export const STATUS_TEXT: Record<number, string> = {
  0: 'User migration successful. User migration validation successful.',
  10: 'User migration failed.',
  20: 'User migration Password exceeds maximum length.',
  30: 'User migration company ID retrieval failed.',
  40: 'User migration CompanyId in the request body does not match the company of the user associated with the session key.',
  50: 'User migration UserTypeId does not exist.',
  60: 'User migration cannot migrate user into integrator user type.',
  70: 'User migration Users collection is NULL or empty.',
  80: 'User migration UserTag exceeds maximum length.',
  90: 'User migration Create required CompanyId field is not greater than zero.',
  100: 'User migration Update no valid optional field supplied.',
  110: 'User migration Create UserId already exists.',
  120: 'User migration Create Email already exists.',
  130: 'User migration Create UserId and Email already exist.',
  140: 'User migration Create UserTag insert UserTag already exists.',
  150: 'User migration Create failed to set CreateDate.',
  155: 'User migration Create User Type Id is not associated with specified Company Id',
  160: 'User migration Create unexpected exception occurred. Check the server logs.',
  170: 'User migration Update user information retrieval failed.',
  175: 'User migration Update CompanyId associated with the UserTag does not match the company of the user associated with the session key.',
  180: 'User migration Update UserId already exists.',
  190: 'User migration Update Email already exists.',
  200: 'User migration Update failed to set CreateDate.',
  210: 'User migration Update unexpected exception occurred. Check the server logs.',
  220: 'User migration validation failed. User migration validation could not get migrated user data.',
  230: 'User migration validation failed. User migration validation could not get migrated user data. Unexpected exception occurred. Check the server logs.',
};

/** Simulator choices where the reference gives no number (README: vendor guesses). */
export const LIMITS = {
  shortField: 50,
  email: 100,
  createDate: 23,
  password: 100,
  int32: 2_147_483_647,
} as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface MigrateUserIn {
  Email?: unknown;
  UserId?: unknown;
  UserTag?: unknown;
  FirstName?: unknown;
  LastName?: unknown;
  CreateDate?: unknown;
}

export interface MigrateRequestIn {
  Password?: unknown;
  CompanyId?: unknown;
  UserTypeId?: unknown;
  Users?: unknown;
}

export interface MigrateUserOut {
  CompanyId: number;
  UserTypeId: number;
  Action: string;
  Email: string;
  UserId: string;
  UserTag: string;
  FirstName: string;
  LastName: string;
  CreateDate: string;
  Uid: number;
  Status: number;
  Details: string;
}

/** A refusal of the whole request (HTTP 400), with the reference's text. */
export class MigrateBadRequest extends Error {}

export function isValidCreateDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60
  );
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const blank = (value: string | undefined): boolean => value === undefined || value.trim() === '';
const isIntOrAbsent = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'number' && Number.isInteger(value));

/** The 400s of the reference, checked before any user is looked at. */
export function checkRequestShape(body: unknown): MigrateRequestIn {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new MigrateBadRequest('The MigrateUsersRequestData model is required in the request body.');
  }
  const request = body as MigrateRequestIn;
  if (!isIntOrAbsent(request.CompanyId)) throw new MigrateBadRequest('CompanyId type is not an integer.');
  if (!isIntOrAbsent(request.UserTypeId)) throw new MigrateBadRequest('UserTypeId type is not an integer.');
  if (Array.isArray(request.Users)) {
    for (const user of request.Users as unknown[]) {
      const tag = user && typeof user === 'object' ? (user as MigrateUserIn).UserTag : undefined;
      if (typeof tag !== 'string' || tag === '')
        throw new MigrateBadRequest('The UserTag field is required.');
    }
  }
  return request;
}

interface Batch {
  state: DataMotionState;
  admin: SimAccount;
  password: string | undefined;
  companyId: number;
  userTypeId: number;
  /** Statuses forced per UserTag (`*` for every user) by the control API. */
  forced: Record<string, number>;
}

/** The request-level checks that fail every user of the request alike (20–60). */
function requestStatus(b: Batch, request: MigrateRequestIn): { status: number; details?: string } | null {
  if (b.password !== undefined && b.password.length > LIMITS.password) return { status: 20 };
  for (const field of ['CompanyId', 'UserTypeId'] as const) {
    const value = request[field];
    if (typeof value !== 'number') continue;
    if (value > LIMITS.int32)
      return { status: 20, details: `User migration ${field} exceeds maximum length.` };
    if (value < 0) return { status: 20, details: `User migration ${field} less than zero.` };
  }
  if (b.companyId > 0 && b.companyId !== b.admin.companyId) return { status: 40 };
  if (b.userTypeId > 0) {
    const type = b.state.userTypes.get(b.userTypeId);
    if (!type) return { status: 50 };
    if (type.integrator) return { status: 60 };
  }
  return null;
}

function lengthFailure(user: MigrateUserIn): string | null {
  const limits: Array<[keyof MigrateUserIn, number]> = [
    ['UserTag', LIMITS.shortField],
    ['UserId', LIMITS.shortField],
    ['Email', LIMITS.email],
    ['FirstName', LIMITS.shortField],
    ['LastName', LIMITS.shortField],
    ['CreateDate', LIMITS.createDate],
  ];
  for (const [field, max] of limits) {
    const value = str(user[field]);
    if (value !== undefined && value.length > max) return `User migration ${field} exceeds maximum length.`;
  }
  return null;
}

function createFailure(b: Batch, user: MigrateUserIn): { status: number; details?: string } | null {
  const email = str(user.Email);
  const userId = str(user.UserId);
  const createDate = str(user.CreateDate);
  const required = 'User migration Create required';
  if (!(b.companyId > 0))
    return { status: 90, details: `${required} CompanyId field is not greater than zero.` };
  if (!(b.userTypeId > 0))
    return { status: 90, details: `${required} UserTypeId field is not greater than zero.` };
  if (blank(b.password)) return { status: 90, details: `${required} Password field is NULL or empty.` };
  if (blank(userId)) return { status: 90, details: `${required} UserId field is NULL or empty.` };
  if (blank(email)) return { status: 90, details: `${required} Email field is NULL or empty.` };
  if (!EMAIL.test(email as string)) return { status: 90, details: `${required} Email field is invalid.` };
  if (createDate !== undefined && !isValidCreateDate(createDate))
    return { status: 90, details: 'User migration Create optional CreateDate field is invalid.' };
  if (!b.state.companies.get(b.companyId)?.userTypeIds.includes(b.userTypeId)) return { status: 155 };
  const idTaken = b.state.byUserId(userId as string) !== undefined;
  const emailTaken = b.state.byEmail(email as string) !== undefined;
  if (idTaken && emailTaken) return { status: 130 };
  if (idTaken) return { status: 110 };
  if (emailTaken) return { status: 120 };
  return null;
}

function updateFailure(
  b: Batch,
  user: MigrateUserIn,
  account: SimAccount,
): { status: number; details?: string } | null {
  if (account.companyId !== b.admin.companyId) return { status: 175 };
  const email = str(user.Email);
  const userId = str(user.UserId);
  const createDate = str(user.CreateDate);
  const optional = [email, userId, str(user.FirstName), str(user.LastName), createDate, b.password];
  if (optional.every((value) => value === undefined)) return { status: 100 };
  if (email !== undefined && !EMAIL.test(email))
    return { status: 100, details: 'User migration Update optional Email field is invalid.' };
  if (createDate !== undefined && !isValidCreateDate(createDate))
    return { status: 100, details: 'User migration Update optional CreateDate field is invalid.' };
  if (b.password !== undefined && blank(b.password))
    return { status: 100, details: 'User migration Update cannot update user with blank password.' };
  const otherId = userId === undefined ? undefined : b.state.byUserId(userId);
  if (otherId && otherId.uid !== account.uid) return { status: 180 };
  const otherEmail = email === undefined ? undefined : b.state.byEmail(email);
  if (otherEmail && otherEmail.uid !== account.uid) return { status: 190 };
  return null;
}

function echo(
  b: Batch,
  user: MigrateUserIn,
  action: string,
  status: number,
  details?: string,
): MigrateUserOut {
  return {
    CompanyId: b.companyId,
    UserTypeId: b.userTypeId,
    Action: action,
    Email: str(user.Email) ?? '',
    UserId: str(user.UserId) ?? '',
    UserTag: str(user.UserTag) ?? '',
    FirstName: str(user.FirstName) ?? '',
    LastName: str(user.LastName) ?? '',
    CreateDate: str(user.CreateDate) ?? '',
    Uid: 0,
    Status: status,
    Details: details ?? STATUS_TEXT[status],
  };
}

function view(account: SimAccount, action: string): MigrateUserOut {
  return {
    CompanyId: account.companyId,
    UserTypeId: account.userTypeId,
    Action: action,
    Email: account.email,
    UserId: account.userId,
    UserTag: account.userTag,
    FirstName: account.firstName,
    LastName: account.lastName,
    CreateDate: account.createDate,
    Uid: account.uid,
    Status: 0,
    Details: STATUS_TEXT[0],
  };
}

function migrateOne(
  b: Batch,
  user: MigrateUserIn,
  requestFailure: ReturnType<typeof requestStatus>,
): MigrateUserOut {
  const tag = user.UserTag as string;
  const existing = b.state.byTag(tag);
  const action = existing ? 'Update' : 'Create';
  const forced = b.forced[tag] ?? b.forced['*'];
  if (forced !== undefined) return echo(b, user, action, forced);
  if (requestFailure) return echo(b, user, action, requestFailure.status, requestFailure.details);
  const tooLong = lengthFailure(user);
  if (tooLong) return echo(b, user, action, 80, tooLong);
  if (!existing) {
    const failure = createFailure(b, user);
    if (failure) return echo(b, user, action, failure.status, failure.details);
    const created = b.state.insert({
      email: user.Email as string,
      userId: user.UserId as string,
      userTag: tag,
      firstName: str(user.FirstName) ?? '',
      lastName: str(user.LastName) ?? '',
      password: b.password as string,
      companyId: b.companyId,
      userTypeId: b.userTypeId,
      ...(str(user.CreateDate) === undefined ? {} : { createDate: user.CreateDate as string }),
    });
    return view(created, action);
  }
  const failure = updateFailure(b, user, existing);
  if (failure) return echo(b, user, action, failure.status, failure.details);
  for (const [field, key] of [
    ['Email', 'email'],
    ['UserId', 'userId'],
    ['FirstName', 'firstName'],
    ['LastName', 'lastName'],
    ['CreateDate', 'createDate'],
  ] as const) {
    const value = str(user[field]);
    if (value !== undefined) existing[key] = value;
  }
  if (b.password !== undefined) existing.password = b.password;
  if (b.userTypeId > 0) existing.userTypeId = b.userTypeId;
  b.state.reindex(existing);
  return view(existing, action);
}

/** `Account/MigrateUsers` for a company admin: one result per user, in request order. */
export function migrateUsers(
  state: DataMotionState,
  admin: SimAccount,
  request: MigrateRequestIn,
  forced: Record<string, number>,
): MigrateUserOut[] {
  const batch: Batch = {
    state,
    admin,
    password: str(request.Password),
    companyId: typeof request.CompanyId === 'number' ? request.CompanyId : 0,
    userTypeId: typeof request.UserTypeId === 'number' ? request.UserTypeId : 0,
    forced,
  };
  const users = Array.isArray(request.Users) ? (request.Users as MigrateUserIn[]) : [];
  if (users.length === 0) return [echo(batch, { UserTag: '' }, 'None', 70)];
  const failure = requestStatus(batch, request);
  return users.map((user) => migrateOne(batch, user, failure));
}
