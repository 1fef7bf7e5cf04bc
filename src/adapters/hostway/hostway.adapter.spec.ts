import type { CallContext } from '../../domain/ports/call-context';
import type { VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import { VendorCallLog } from '../../domain/vendor-call';
import { HostwayMailAdapter } from './hostway.adapter';

function response(status: number, body: unknown): VendorResponse {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: {}, text, json: <T>() => JSON.parse(text) as T };
}

function context(answer: (request: VendorRequest) => VendorResponse): CallContext {
  return {
    connection: {
      id: 'c',
      tenantId: 't',
      provider: 'hostway',
      baseUrl: 'https://api.hostway.example',
      credentials: { username: 'u', password: 'p' },
      settings: { account: 'acc' },
      services: ['mail'],
    },
    requestId: 'r',
    vendorCalls: new VendorCallLog(),
    http: { send: async (request) => answer(request) },
  };
}

describe('HostwayAdapter aliases', () => {
  it('lists the forwards of a page, skipping a mailbox deleted between the listing and its read', async () => {
    const ctx = context((request) => {
      if (request.path.endsWith('/usernames')) {
        return response(200, {
          list: [
            { username: 'gone', master: 0, quota: 1 },
            { username: 'kept', master: 0, quota: 1 },
          ],
          links: [],
        });
      }
      if (request.path.includes('/usernames/gone/')) return response(404, { mailboxName: 'does not exist' });
      return response(200, { targets: [{ target: 'x@y.org' }] });
    });
    const page = await new HostwayMailAdapter().listAliases(ctx, { domain: 'd.com', limit: 10 });
    expect(page).toEqual({ data: [{ address: 'kept@d.com', recipients: ['x@y.org'] }], nextCursor: null });
  });

  it('still fails the listing when Hostway refuses a forwards read for another reason', async () => {
    const ctx = context((request) =>
      request.path.endsWith('/usernames')
        ? response(200, { list: [{ username: 'a', master: 0, quota: 1 }], links: [] })
        : response(500, { error: 'boom' }),
    );
    await expect(
      new HostwayMailAdapter().listAliases(ctx, { domain: 'd.com', limit: 10 }),
    ).rejects.toMatchObject({ code: 'provider_unavailable' });
  });
});
