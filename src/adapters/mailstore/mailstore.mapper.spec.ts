import { GatewayError } from '../../domain/errors';
import {
  emailAddressesOf,
  fullNameOf,
  toArchiveStore,
  toOperationStatus,
  toUserRecord,
  userExtrasOf,
} from './mailstore.mapper';

describe('MailStore mapper', () => {
  it('maps GetUserInfo to a user: own address dropped from aliases, privileges listed', () => {
    const user = toUserRecord(
      {
        userName: 'jane@example.com',
        fullName: 'Jane Doe',
        distinguishedName: null,
        authentication: 'integrated',
        emailAddresses: ['jane@example.com', 'jd@example.com'],
        privileges: 'login, changePassword',
      },
      false,
    );
    expect(user).toEqual({
      email: 'jane@example.com',
      externalId: 'jane@example.com',
      displayName: 'Jane Doe',
      status: 'active',
      aliases: ['jd@example.com'],
      extras: { privileges: ['login', 'changePassword'], authentication: 'integrated' },
    });
    expect(toUserRecord({ userName: 'x', privileges: ['none'] }, true)).toMatchObject({
      status: 'disabled',
      raw: { userName: 'x' },
    });
  });

  it('builds the full name and the address list MailStore keeps', () => {
    expect(fullNameOf({ firstName: 'Jane', lastName: 'Doe' })).toBe('Jane Doe');
    expect(fullNameOf({ displayName: 'JD', firstName: 'Jane' })).toBe('JD');
    expect(fullNameOf({})).toBeUndefined();
    expect(emailAddressesOf('jane@example.com', ['a@x.org', 'JANE@example.com', 'b@x.org'])).toBe(
      'jane@example.com,a@x.org,b@x.org',
    );
    expect(emailAddressesOf('admin', [])).toBe('');
  });

  it('checks extras before any call', () => {
    expect(userExtrasOf({ privileges: ['login', 'export'], authentication: 'directoryServices' })).toEqual({
      privileges: 'login,export',
      authentication: 'directoryServices',
    });
    for (const extras of [
      { privileges: ['fly'] },
      { privileges: ['admin', 'login'] },
      { quota: 1 },
      { authentication: 'ldap' },
      { archiveFolderPrivileges: [] },
      { archiveFolderPrivileges: 'read' },
      { archiveFolderPrivileges: ['read', 'none'] },
      { archiveFolderPrivileges: ['read', 'own'] },
      { archiveFolderPrivileges: ['read', 7] },
    ]) {
      expect(() => userExtrasOf(extras)).toThrow(GatewayError);
    }
    expect(userExtrasOf({ archiveFolderPrivileges: ['read', 'write'] })).toEqual({
      archiveFolderPrivileges: 'read,write',
    });
  });

  it("reads the user's privileges on its own archive folder from GetUserInfo", () => {
    const info = (privilegesOnFolders: unknown) =>
      toUserRecord({ userName: 'Ann@x.org', privileges: 'login', privilegesOnFolders }, false).extras;
    expect(
      info([
        { folder: 'ann@x.org', privileges: 'read, write' },
        { folder: 'b', privileges: 'read' },
      ]),
    ).toMatchObject({
      archiveFolderPrivileges: ['read', 'write'],
    });
    expect(info([{ folder: 'b', privileges: 'read' }])).toMatchObject({ archiveFolderPrivileges: ['none'] });
    expect(info(undefined)).not.toHaveProperty('archiveFolderPrivileges');
  });

  it('maps a GetStores entry', () => {
    expect(
      toArchiveStore({
        id: 3,
        name: 'A',
        requestedState: 'writeProtected',
        actualState: 'writeProtected',
        databasePath: 'D:\\a',
        size: 12.5,
        error: null,
      }),
    ).toEqual({
      id: '3',
      name: 'A',
      requestedState: 'writeProtected',
      actualState: 'writeProtected',
      databasePath: 'D:\\a',
      sizeMb: 12.5,
    });
  });

  it('maps a finished verification to a neutral report and a failure to its message', () => {
    const done = toOperationStatus(
      {
        token: 't',
        statusVersion: 9,
        statusCode: 'succeeded',
        percentProgress: 100,
        statusText: 'Completed.',
        errorMessage: null,
        result: { stores: [{ id: 2, name: 'B', consistent: false, problems: ['missing file'] }] },
      },
      null,
    );
    expect(done).toEqual({
      token: 't',
      statusVersion: 9,
      state: 'succeeded',
      percent: 100,
      statusText: 'Completed.',
      result: { stores: [{ storeId: '2', name: 'B', consistent: false, problems: ['missing file'] }] },
      error: null,
    });
    const failed = toOperationStatus(
      {
        token: null,
        statusVersion: 4,
        statusCode: 'failed',
        percentProgress: 40,
        statusText: null,
        errorMessage: 'cancelled',
        result: null,
      },
      'known',
    );
    expect(failed).toMatchObject({ token: 'known', state: 'failed', error: 'cancelled', result: null });
  });
});
