import { GatewayError } from '../../domain/errors';
import type { OxUser } from './open-xchange.client';
import { toChangeUser, toCreateUser, toUserRecord } from './open-xchange.mapper';

const oxUser = (over: Partial<OxUser> = {}): OxUser => ({
  name: 'john@acme.example',
  givenName: 'John',
  surName: 'Doe',
  mail: 'john@acme.example',
  displayName: 'John Doe',
  classOfService: ['cloud_pim', 'cloud_drive'],
  aliases: ['john@acme.example', 'jd@acme.example'],
  spamLevel: 'medium',
  unifiedQuota: 1000,
  usedQuota: 12,
  ...over,
});

describe('Open-Xchange mapper', () => {
  it('maps an OX user to the neutral record', () => {
    expect(toUserRecord(oxUser({ language: 'de_DE' }), false)).toEqual({
      email: 'john@acme.example',
      externalId: 'john@acme.example',
      firstName: 'John',
      lastName: 'Doe',
      displayName: 'John Doe',
      status: 'active',
      aliases: ['jd@acme.example'],
      mailbox: { quotaMb: 1000, usedMb: 12, plan: 'cloud_pim', spamLevel: 'medium' },
      extras: { classOfService: ['cloud_drive'], language: 'de_DE' },
    });
  });

  it('uses mailQuota for users with separate mail and file quotas', () => {
    const record = toUserRecord(
      oxUser({ unifiedQuota: null, usedQuota: null, mailQuota: 300, fileQuota: 700, usedMailQuota: 5 }),
      true,
    );
    expect(record.mailbox).toMatchObject({ quotaMb: 300, usedMb: 5 });
    expect(record.raw).toBeDefined();
  });

  it('builds CreateUser v2 with the login as the address and the primary mail first in aliases', () => {
    expect(
      toCreateUser({
        email: 'ann@acme.example',
        firstName: 'Ann',
        lastName: 'Lee',
        password: 'pw-123456',
        aliases: ['a@acme.example'],
        mailbox: { quotaMb: 500, plan: 'cloud_mail', spamLevel: 'low' },
        extras: { classOfService: ['cloud_drive'], timezone: 'Europe/Berlin' },
      }),
    ).toEqual({
      name: 'ann@acme.example',
      mail: 'ann@acme.example',
      password: 'pw-123456',
      givenName: 'Ann',
      surName: 'Lee',
      aliases: ['ann@acme.example', 'a@acme.example'],
      classOfService: ['cloud_mail', 'cloud_drive'],
      spamLevel: 'low',
      unifiedQuota: 500,
      timezone: 'Europe/Berlin',
    });
  });

  it('names every missing mandatory field and bad value', () => {
    let caught: unknown;
    try {
      toCreateUser({ email: 'x@acme.example', mailbox: { quotaMb: -1 }, extras: { msisdn: '1' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).errors?.map((e) => e.field)).toEqual([
      'password',
      'firstName',
      'lastName',
      'extras.msisdn',
      'mailbox.quotaMb',
    ]);
  });

  it('sends only what changed, keeping the quota mode and the other classes of service', () => {
    expect(
      toChangeUser(oxUser(), { firstName: 'John', mailbox: { quotaMb: 1000, plan: 'cloud_nine' } }),
    ).toEqual({
      classOfService: ['cloud_nine', 'cloud_drive'],
    });
    expect(
      toChangeUser(oxUser({ unifiedQuota: null, mailQuota: 100 }), { mailbox: { quotaMb: 200 } }),
    ).toEqual({ mailQuota: 200 });
    expect(toChangeUser(oxUser(), { aliases: ['jd@acme.example'] })).toEqual({});
    expect(toChangeUser(oxUser(), { aliases: [] })).toEqual({ aliases: ['john@acme.example'] });
  });
});
