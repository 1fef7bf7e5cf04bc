import { GatewayError } from '../../domain/errors';
import {
  actionOf,
  fromMigrateResult,
  fromRemoteAccount,
  isCreateDate,
  toMigrateEntry,
  toUpdateEntry,
} from './datamotion.mapper';

function fieldsOf(call: () => unknown): string[] {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return ((error as GatewayError).errors ?? []).map((e) => e.field).sort();
  }
  throw new Error('expected a validation error');
}

describe('DataMotion mapper', () => {
  it('keys a new user by its email (UserTag and UserId) unless externalId and extras say otherwise', () => {
    expect(toMigrateEntry({ email: 'a@x.example', firstName: 'A', password: 'p' }, true)).toEqual({
      user: { UserTag: 'a@x.example', Email: 'a@x.example', UserId: 'a@x.example', FirstName: 'A' },
      password: 'p',
    });
    const entry = toMigrateEntry(
      {
        email: 'a@x.example',
        externalId: 'crm-1',
        password: 'p',
        extras: { userId: 'alice', userTypeId: 4, createDate: '2024-02-29 23:59:59.999' },
      },
      true,
    );
    expect(entry.user).toMatchObject({
      UserTag: 'crm-1',
      UserId: 'alice',
      CreateDate: '2024-02-29 23:59:59.999',
    });
    expect(entry.userTypeId).toBe(4);
  });

  it("checks the reference's field rules: 50 characters, 100 for the email, its format, the date", () => {
    const fifty = 'x'.repeat(50);
    expect(() =>
      toMigrateEntry({ email: 'a@x.example', firstName: fifty, lastName: fifty, password: 'p' }, true),
    ).not.toThrow();
    expect(
      fieldsOf(() =>
        toMigrateEntry(
          {
            email: `${'e'.repeat(95)}@x.example`,
            externalId: `${fifty}1`,
            firstName: `${fifty}1`,
            lastName: `${fifty}1`,
            extras: { userId: `${fifty}1`, createDate: '2024-02-30 10:00:00' },
          },
          true,
        ),
      ),
    ).toEqual([
      'email',
      'externalId',
      'extras.createDate',
      'extras.userId',
      'firstName',
      'lastName',
      'password',
    ]);
    expect(fieldsOf(() => toMigrateEntry({ email: 'no-at-sign', password: 'p' }, true))).toEqual(['email']);
  });

  it('refuses what DataMotion cannot keep: unknown extras, aliases, mailbox settings', () => {
    expect(
      fieldsOf(() =>
        toMigrateEntry(
          {
            email: 'a@x.example',
            aliases: ['b@x.example'],
            mailbox: { quotaMb: 1 },
            extras: { plan: 'x', userTypeId: 0 },
          },
          false,
        ),
      ),
    ).toEqual(['aliases', 'extras.plan', 'extras.userTypeId', 'mailbox']);
  });

  it('sends a change without Email, so that an unknown UserTag cannot be created', () => {
    expect(toUpdateEntry('a@x.example', { lastName: 'B', password: 'new' })).toEqual({
      user: { UserTag: 'a@x.example', LastName: 'B' },
      password: 'new',
    });
  });

  it('accepts only real dates in the reference format', () => {
    expect(isCreateDate('2024-05-01 10:00:00')).toBe(true);
    expect(isCreateDate('2024-05-01 10:00:00.5')).toBe(true);
    expect(isCreateDate('2024-05-01T10:00:00')).toBe(false);
    expect(isCreateDate('2023-02-29 10:00:00')).toBe(false);
    expect(isCreateDate('2024-05-01 24:00:00')).toBe(false);
  });

  it('reads MigrateUsers results and /Remote accounts into user records', () => {
    const result = {
      Status: 0,
      Action: 'Update',
      Email: 'a@x.example',
      UserId: 'alice',
      UserTag: 'crm-1',
      FirstName: 'A',
      LastName: '',
      CompanyId: 1001,
      UserTypeId: 3,
      Uid: 5001,
      CreateDate: '2024-05-01 10:00:00.123',
    };
    expect(fromMigrateResult(result, 'fallback@x.example')).toEqual({
      email: 'a@x.example',
      externalId: 'crm-1',
      firstName: 'A',
      lastName: undefined,
      status: 'active',
      aliases: [],
      extras: {
        userId: 'alice',
        userTypeId: 3,
        companyId: 1001,
        uid: 5001,
        createDate: '2024-05-01 10:00:00.123',
      },
      createdAt: '2024-05-01T10:00:00.123Z',
    });
    expect(actionOf(result)).toBe('updated');
    expect(actionOf({ Status: 0, Action: 'Create' })).toBe('created');
    const account = { Email: 'b@x.example', UserTag: 'b@x.example', IsDisabled: true };
    expect(fromRemoteAccount(account, true)).toMatchObject({
      email: 'b@x.example',
      status: 'disabled',
      raw: account,
    });
    expect(fromRemoteAccount(account, false)).not.toHaveProperty('raw');
  });
});
