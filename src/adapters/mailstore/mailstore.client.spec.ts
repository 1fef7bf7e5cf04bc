import { GatewayError } from '../../domain/errors';
import { ArchiveOperationUnknownError } from '../../domain/ports/archive-service.port';
import type { CallContext } from '../../domain/ports/call-context';
import type { VendorRequest, VendorResponse } from '../../domain/ports/vendor-http.port';
import { VendorCallLog } from '../../domain/vendor-call';
import { MailStoreClient } from './mailstore.client';

function response(status: number, text: string, headers: Record<string, string> = {}): VendorResponse {
  return { status, headers, text, json: <T>() => JSON.parse(text) as T };
}

const envelope = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    error: null,
    token: null,
    statusVersion: 2,
    statusCode: 'succeeded',
    percentProgress: null,
    statusText: null,
    result: null,
    ...fields,
  });

function fakeContext(answers: VendorResponse[]): { ctx: CallContext; sent: VendorRequest[] } {
  const sent: VendorRequest[] = [];
  const ctx: CallContext = {
    connection: {
      id: 'c',
      tenantId: 't',
      provider: 'mailstore',
      baseUrl: 'https://spe.example.com:8474',
      credentials: { username: 'admin', password: 'pw' },
      settings: { instanceId: 'i1' },
      services: ['archive'],
    },
    requestId: 'r',
    vendorCalls: new VendorCallLog(),
    http: {
      send: async (request) => {
        sent.push(request);
        const next = answers.shift();
        if (!next) throw new Error('no more answers');
        return next;
      },
    },
  };
  return { ctx, sent };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('MailStoreClient', () => {
  it('POSTs the command form-encoded with Basic auth, and returns the result', async () => {
    const { ctx, sent } = fakeContext([response(200, envelope({ result: [{ id: 1 }] }))]);
    const status = await new MailStoreClient(ctx).invoke('GetStores', { includeSize: true });
    expect(status.result).toEqual([{ id: 1 }]);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/api/invoke/GetStores',
      form: { instanceID: 'i1', includeSize: 'true' },
      idempotent: true,
      headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` },
    });
  });

  it('strips a BOM the HTTP client left in place', async () => {
    const { ctx } = fakeContext([response(200, `\uFEFF${envelope({ result: 'ok' })}`)]);
    expect(await new MailStoreClient(ctx).call('Ping', {})).toBe('ok');
  });

  it('does not mark writing commands as safe to repeat', async () => {
    const { ctx, sent } = fakeContext([response(200, envelope({}))]);
    await new MailStoreClient(ctx).invoke('DeleteUser', { userName: 'x' });
    expect(sent[0].idempotent).toBe(false);
  });

  it('returns the token of a long-running command', async () => {
    const { ctx } = fakeContext([
      response(200, envelope({ statusCode: 'running', token: 't-1', statusVersion: 1, percentProgress: 0 })),
    ]);
    expect(await new MailStoreClient(ctx).invoke('VerifyStores', { includeIndexes: false })).toMatchObject({
      statusCode: 'running',
      token: 't-1',
      statusVersion: 1,
    });
  });

  it('follows a short command that went long-running, then returns its result', async () => {
    const { ctx, sent } = fakeContext([
      response(200, envelope({ statusCode: 'running', token: 't-2', statusVersion: 1 })),
      response(200, envelope({ statusCode: 'succeeded', token: 't-2', statusVersion: 3, result: [] })),
    ]);
    expect(await new MailStoreClient(ctx).call('GetStores', {})).toEqual([]);
    expect(sent[1]).toMatchObject({
      path: '/api/get-status',
      form: { token: 't-2', lastKnownStatusVersion: '1', millisecondsTimeout: '5000' },
    });
  });

  it('stops following a command that never finishes (504), after a bounded number of polls', async () => {
    const running = () => response(200, envelope({ statusCode: 'running', token: 't-3', statusVersion: 1 }));
    const { ctx, sent } = fakeContext(Array.from({ length: 50 }, running));
    const error = await failure(new MailStoreClient(ctx).call('GetStores', {}));
    expect(error.code).toBe('provider_unavailable');
    expect(error.status).toBe(504);
    expect(sent.length).toBeLessThan(50);
  });

  it('refuses a running answer without a token instead of taking its result as the command’s', async () => {
    const { ctx } = fakeContext([response(200, envelope({ statusCode: 'running', result: [] }))]);
    const error = await failure(new MailStoreClient(ctx).call('GetStores', {}));
    expect(error.code).toBe('provider_unavailable');
    expect(error.status).toBe(502);
  });

  it('long-polls get-status with a request timeout longer than millisecondsTimeout', async () => {
    const { ctx, sent } = fakeContext([
      response(200, envelope({ statusCode: 'running', token: 't', statusVersion: 7 })),
    ]);
    const status = await new MailStoreClient(ctx).getStatus('t', 6, 30_000);
    expect(status.statusVersion).toBe(7);
    expect(sent[0].timeoutMs).toBeGreaterThan(30_000);
    expect(sent[0].form).toEqual({ token: 't', lastKnownStatusVersion: '6', millisecondsTimeout: '30000' });
  });

  it('maps a failed envelope with MailStore’s message kept', async () => {
    const { ctx } = fakeContext([
      response(200, envelope({ statusCode: 'failed', error: { message: "User 'x' already exists." } })),
    ]);
    const error = await failure(
      new MailStoreClient(ctx).invoke('CreateUser', { userName: 'x', privileges: 'login' }),
    );
    expect(error.code).toBe('conflict');
    expect(error.detail).toBe("MailStore CreateUser failed: User 'x' already exists.");
  });

  it.each([
    [401, 'invoke', 'provider_auth_failed'],
    [429, 'invoke', 'rate_limited'],
    [500, 'invoke', 'provider_unavailable'],
    [503, 'invoke', 'provider_unavailable'],
    [404, 'invoke', 'provider_rejected'],
    [404, 'get-status', 'not_found'],
  ])('maps HTTP %d on %s to %s', async (status, call, code) => {
    const { ctx } = fakeContext([response(status, 'nope', { 'retry-after': '3' })]);
    const error = await failure(
      call === 'invoke'
        ? new MailStoreClient(ctx).invoke('Ping', {})
        : new MailStoreClient(ctx).getStatus('t', 0, 10),
    );
    expect(error.code).toBe(code);
    if (status === 429) expect(error.retryAfterSeconds).toBe(3);
    if (call === 'get-status') expect(error).toBeInstanceOf(ArchiveOperationUnknownError);
  });

  it.each(['<html>oops</html>', '{"hello":1}', 'null'])('treats %s as an unreadable answer', async (text) => {
    const { ctx } = fakeContext([response(200, text)]);
    const error = await failure(new MailStoreClient(ctx).invoke('Ping', {}));
    expect(error.code).toBe('provider_unavailable');
    expect(error.status).toBe(502);
  });

  it('reads get-metadata as a bare list or inside an envelope', async () => {
    const list = [{ name: 'Ping', args: [] }];
    const { ctx } = fakeContext([
      response(200, JSON.stringify(list)),
      response(200, envelope({ result: list })),
    ]);
    expect(await new MailStoreClient(ctx).getMetadata()).toEqual(list);
    expect(await new MailStoreClient(ctx).getMetadata()).toEqual(list);
  });
});
