import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataMotionState, SimAccount } from './datamotion-state';
import { sendMessage, sessionAccountOr401 } from './datamotion-http';

/** Accounts per List page (the vendor's page size is not documented; a guess, README). */
export const REMOTE_PAGE_SIZE = 25;

const ORDER_FIELDS = {
  Email: 'email',
  FirstName: 'firstName',
  LastName: 'lastName',
  CreateDate: 'createDate',
} as const;

/** One account as the /Remote API shows it (field names follow MigrateUsers'; a guess, README). */
export function remoteAccountView(account: SimAccount): Record<string, unknown> {
  return {
    Uid: account.uid,
    Email: account.email,
    UserId: account.userId,
    UserTag: account.userTag,
    FirstName: account.firstName,
    LastName: account.lastName,
    CompanyId: account.companyId,
    UserTypeId: account.userTypeId,
    CreateDate: account.createDate,
    IsDisabled: account.disabled,
  };
}

function errors(reply: FastifyReply, status: number, field: string, message: string): FastifyReply {
  return reply.code(status).send({ Errors: { [field]: [message] } });
}

function companyAdminOr401(
  state: DataMotionState,
  request: FastifyRequest,
  reply: FastifyReply,
): SimAccount | undefined {
  const admin = sessionAccountOr401(state, request, reply);
  if (!admin) return undefined;
  if (!admin.companyAdmin) {
    void sendMessage(reply, 401, 'User is not a company admin.');
    return undefined;
  }
  return admin;
}

/** The company account named by `{Email}` or `{Uid}`, or an `Errors` answer already sent. */
function namedAccount(
  state: DataMotionState,
  admin: SimAccount,
  body: { Email?: unknown; Uid?: unknown },
  reply: FastifyReply,
): SimAccount | undefined {
  let account: SimAccount | undefined;
  if (typeof body.Email === 'string' && body.Email !== '') account = state.byEmail(body.Email);
  else if (typeof body.Uid === 'number') account = state.accounts.get(body.Uid);
  else {
    void errors(reply, 400, 'Email', 'The Email field is required.');
    return undefined;
  }
  if (!account || account.companyId !== admin.companyId) {
    void errors(reply, 404, 'Email', 'The account does not exist.');
    return undefined;
  }
  return account;
}

/** Company-admin user management at `{prefix}/Account/*`, authenticated by a SecureMail session key. */
export function registerRemoteRoutes(app: FastifyInstance, prefix: string, state: DataMotionState): void {
  app.post(`${prefix}/Account/List`, async (request, reply) => {
    const admin = companyAdminOr401(state, request, reply);
    if (!admin) return reply;
    const body = (request.body ?? {}) as {
      UserTypeId?: unknown;
      PageNumber?: unknown;
      CompanyId?: unknown;
      OrderBy?: unknown;
      Filter?: unknown;
    };
    if (typeof body.CompanyId === 'number' && body.CompanyId > 0 && body.CompanyId !== admin.companyId) {
      return errors(reply, 400, 'CompanyId', 'The CompanyId is not the company of the session user.');
    }
    const page =
      typeof body.PageNumber === 'number' && body.PageNumber >= 1 ? Math.floor(body.PageNumber) : 1;
    const orderKey =
      ORDER_FIELDS[(typeof body.OrderBy === 'string' ? body.OrderBy : 'Email') as keyof typeof ORDER_FIELDS];
    if (!orderKey)
      return errors(reply, 400, 'OrderBy', `OrderBy must be one of ${Object.keys(ORDER_FIELDS).join(', ')}.`);
    const filter = typeof body.Filter === 'string' ? body.Filter.toLowerCase() : '';
    const matching = [...state.accounts.values()]
      .filter((a) => a.companyId === admin.companyId)
      .filter(
        (a) =>
          typeof body.UserTypeId !== 'number' || body.UserTypeId <= 0 || a.userTypeId === body.UserTypeId,
      )
      .filter((a) => filter === '' || a.email.toLowerCase().includes(filter))
      .sort((a, b) => a[orderKey].localeCompare(b[orderKey]) || a.uid - b.uid);
    const accounts = matching.slice((page - 1) * REMOTE_PAGE_SIZE, page * REMOTE_PAGE_SIZE);
    return {
      Accounts: accounts.map(remoteAccountView),
      Count: accounts.length,
      CurrentPage: page,
      TotalPages: Math.max(1, Math.ceil(matching.length / REMOTE_PAGE_SIZE)),
      TotalUsers: matching.length,
      PageSize: REMOTE_PAGE_SIZE,
    };
  });

  app.post(`${prefix}/Account/Read`, async (request, reply) => {
    const admin = companyAdminOr401(state, request, reply);
    if (!admin) return reply;
    const account = namedAccount(state, admin, (request.body ?? {}) as object, reply);
    return account ? remoteAccountView(account) : reply;
  });

  app.post(`${prefix}/Account/Delete`, async (request, reply) => {
    const admin = companyAdminOr401(state, request, reply);
    if (!admin) return reply;
    const account = namedAccount(state, admin, (request.body ?? {}) as object, reply);
    if (!account) return reply;
    if (account.uid === admin.uid)
      return errors(reply, 400, 'Email', 'The session user cannot delete itself.');
    state.accounts.delete(account.uid);
    return { Success: true };
  });

  app.get(`${prefix}/Account/GetUserTypes`, async (request, reply) => {
    const admin = companyAdminOr401(state, request, reply);
    if (!admin) return reply;
    const ids = state.companies.get(admin.companyId)?.userTypeIds ?? [];
    return ids.map((id) => ({ UserTypeId: id, Name: state.userTypes.get(id)?.name ?? '' }));
  });
}
