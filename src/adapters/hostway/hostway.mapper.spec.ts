import { GatewayError } from '../../domain/errors';
import {
  decodeCursor,
  encodeCursor,
  filterFromQuery,
  listParams,
  mailboxWriteFromPatch,
  mailboxWriteFromUser,
  nextCursorFrom,
  pageFrom,
  parseAddress,
  toMailboxSettings,
} from './hostway.mapper';

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

const PASSWORD = 'Str0ng!Pass';
const link = (rel: string, page: number, size = 2) => ({
  rel,
  href: `https://api.hostway.com/accounts/a/email/d.com/usernames?page=${page}&pageSize=${size}`,
});

describe('hostway mapper', () => {
  describe('addresses', () => {
    it('splits an address into mailbox name and lower-cased domain', () => {
      expect(parseAddress('John.Doe_1-x@Example.COM')).toEqual({
        mailboxName: 'John.Doe_1-x',
        domain: 'example.com',
      });
    });

    it('refuses names outside [a-zA-Z0-9._-]+ and non-addresses, naming the field', () => {
      expect(thrown(() => parseAddress('a+b@x.com')).errors?.[0].field).toBe('email');
      expect(thrown(() => parseAddress('nodomain', 'address')).errors?.[0].field).toBe('address');
      expect(thrown(() => parseAddress('@x.com')).code).toBe('validation_failed');
    });
  });

  describe('q → filterUsername', () => {
    it('keeps the * wildcard on the mailbox name', () => {
      expect(filterFromQuery('test*', 'd.com')).toEqual({ filterUsername: 'test*' });
      expect(filterFromQuery('*st*', 'd.com')).toEqual({ filterUsername: '*st*' });
      expect(filterFromQuery(undefined, 'd.com')).toEqual({});
    });

    it('drops a domain part matching the listed domain, and matches nothing for another domain', () => {
      expect(filterFromQuery('test*@d.com', 'd.com')).toEqual({ filterUsername: 'test*' });
      expect(filterFromQuery('*@D.com', 'd.com')).toEqual({});
      expect(filterFromQuery('a@*.com', 'd.com')).toEqual({ filterUsername: 'a' });
      expect(filterFromQuery('a@other.com', 'd.com')).toBeUndefined();
    });
  });

  describe('cursors and links', () => {
    it('round-trips page and page size through an opaque base64url cursor', () => {
      const cursor = encodeCursor({ page: 3, pageSize: 25 });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual({ page: 3, pageSize: 25 });
      expect(pageFrom({ limit: 10 })).toEqual({ page: 1, pageSize: 10 });
      expect(pageFrom({ limit: 10, cursor })).toEqual({ page: 3, pageSize: 25 });
    });

    it('refuses a forged or broken cursor', () => {
      for (const bad of [
        'x',
        encodeCursor({ page: 0, pageSize: 2 }),
        Buffer.from('{"p":1}').toString('base64url'),
      ]) {
        expect(thrown(() => decodeCursor(bad)).errors?.[0].field).toBe('cursor');
      }
    });

    it('follows the next link, and ends without one or on an empty list', () => {
      const middle = [
        link('self', 2),
        link('first', 1),
        link('previous', 1),
        link('next', 3),
        link('last', 3),
      ];
      expect(decodeCursor(nextCursorFrom(middle, 2, { page: 2, pageSize: 2 })!)).toEqual({
        page: 3,
        pageSize: 2,
      });
      const last = [link('self', 3), link('first', 1), link('previous', 2), link('last', 3)];
      expect(nextCursorFrom(last, 1, { page: 3, pageSize: 2 })).toBeNull();
      expect(nextCursorFrom(middle, 0, { page: 2, pageSize: 2 })).toBeNull();
    });

    it('takes the page after this one when the next link has no page parameters', () => {
      const next = [{ rel: 'next', href: '/accounts/a/email/d.com/usernames/' }];
      expect(decodeCursor(nextCursorFrom(next, 2, { page: 4, pageSize: 2 })!)).toEqual({
        page: 5,
        pageSize: 2,
      });
    });

    it('always sends an explicit sort, paging and details', () => {
      expect(
        listParams(
          { limit: 5, sort: 'quota', order: 'desc' },
          { filterUsername: 'a*' },
          { page: 2, pageSize: 5 },
        ),
      ).toEqual({
        filterUsername: 'a*',
        page: 2,
        pageSize: 5,
        sortField: 'quota',
        sortOrder: 'desc',
        details: true,
      });
      expect(listParams({ limit: 5, sort: 'email' }, {}, { page: 1, pageSize: 5 })).toMatchObject({
        sortField: 'username',
        sortOrder: 'asc',
      });
    });
  });

  describe('mailbox settings', () => {
    it('maps quota, usage, type and extras, leaving out what Hostway did not say', () => {
      expect(
        toMailboxSettings(
          {
            username: 'a',
            master: 1,
            quota: 10,
            webmailAccess: 'premium',
            trialType: 'premium',
            trialExpiration: '2030-01-01',
          },
          { username: 'a', master: 1, quota: 10, usage: 3 },
        ),
      ).toEqual({
        quotaMb: 10,
        usedMb: 3,
        plan: 'premium',
        webmailAccess: 'premium',
        extras: { master: 1, trialType: 'premium', trialExpiration: '2030-01-01' },
      });
      expect(toMailboxSettings({ username: 'a', master: 0, quota: 5 }, undefined)).toEqual({
        quotaMb: 5,
        extras: { master: 0 },
      });
    });
  });

  describe('PUT …/mailbox bodies', () => {
    it('builds a create body from the neutral input', () => {
      expect(
        mailboxWriteFromUser(
          {
            email: 'a@d.com',
            password: PASSWORD,
            mailbox: { quotaMb: 50, plan: 'premium' },
            extras: { master: true },
          },
          true,
        ),
      ).toEqual({ password: PASSWORD, master: 1, quota: 50, type: 'premium' });
      expect(mailboxWriteFromUser({ mailbox: { webmailAccess: 'activesync' } }, false)).toEqual({
        type: 'activesync',
      });
      expect(mailboxWriteFromPatch({ quotaMb: 0, extras: { master: 0 } })).toEqual({ master: 0, quota: 0 });
    });

    it('drops names, which Hostway cannot store but other vendors require', () => {
      expect(
        mailboxWriteFromUser(
          { email: 'a@d.com', password: PASSWORD, firstName: 'A', lastName: 'B', displayName: 'A B' },
          true,
        ),
      ).toEqual({ password: PASSWORD });
      expect(mailboxWriteFromUser({ displayName: 'A B', mailbox: { quotaMb: 5 } }, false)).toEqual({
        quota: 5,
      });
    });

    it('refuses anything else Hostway cannot store, all problems at once', () => {
      const error = thrown(() =>
        mailboxWriteFromUser(
          {
            email: 'a@d.com',
            lastName: 'X',
            aliases: ['b@d.com'],
            password: 'password1',
            mailbox: { plan: 'gold', quotaMb: 1.5, spamLevel: 'low', antivirus: true },
            extras: { color: 'red', trialExpiration: '2030-01-01', master: 2 },
          },
          true,
        ),
      );
      expect(error.errors?.map((e) => e.field)).toEqual([
        'aliases',
        'mailbox.spamLevel',
        'mailbox.antivirus',
        'mailbox.plan',
        'mailbox.quotaMb',
        'extras.color',
        'extras.trialExpiration',
        'extras.master',
        'password',
        'password',
      ]);
      expect(error.detail).toContain('(rule: uppercase)');
      expect(error.detail).not.toContain('password1');
    });

    it('requires a password on create only, and plan and webmailAccess to agree', () => {
      expect(thrown(() => mailboxWriteFromUser({ email: 'a@d.com' }, true)).errors?.[0].field).toBe(
        'password',
      );
      expect(mailboxWriteFromUser({}, false)).toEqual({});
      expect(
        thrown(() => mailboxWriteFromPatch({ plan: 'premium', webmailAccess: 'standard' })).errors?.[0].field,
      ).toBe('mailbox.webmailAccess');
    });
  });
});
