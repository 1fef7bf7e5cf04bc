import type { ConnectionContext } from '../../domain/ports/call-context';
import { DataMotionSessions, type OpenSession } from './datamotion.sessions';

function connection(id: string, password = 'secret', tenantId = 't'): ConnectionContext {
  return {
    id,
    tenantId,
    provider: 'datamotion',
    baseUrl: 'https://api.example/SecureMail-Sandbox',
    credentials: { userIdOrEmail: 'admin', password, subscriptionKey: 'sub' },
    settings: {},
    services: ['secure-mail'],
  };
}

/** A logon the test resolves or rejects by hand, counting how often it was started. */
function manualLogon() {
  const pending: Array<{ resolve(key: string): void; reject(error: Error): void }> = [];
  const logon = () => new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  return { logon, pending };
}

describe('DataMotion sessions', () => {
  const replaced: OpenSession[] = [];
  const onReplaced = (stale: OpenSession) => replaced.push(stale);
  beforeEach(() => {
    replaced.length = 0;
  });

  it('lets concurrent callers share one logon and keeps its key', async () => {
    const sessions = new DataMotionSessions();
    const conn = connection('c1');
    const { logon, pending } = manualLogon();
    const waiting = Promise.all([1, 2, 3].map(() => sessions.key(conn, logon, onReplaced)));
    expect(pending).toHaveLength(1);
    pending[0].resolve('k1');
    expect(await waiting).toEqual(['k1', 'k1', 'k1']);
    expect(await sessions.key(conn, logon, onReplaced)).toBe('k1');
    expect(pending).toHaveLength(1);
  });

  it('keeps no failed logon: every waiter gets the error and the next call logs on again', async () => {
    const sessions = new DataMotionSessions();
    const conn = connection('c1');
    const { logon, pending } = manualLogon();
    const first = Promise.allSettled([
      sessions.key(conn, logon, onReplaced),
      sessions.key(conn, logon, onReplaced),
    ]);
    pending[0].reject(new Error('refused'));
    expect((await first).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const again = sessions.key(conn, logon, onReplaced);
    expect(pending).toHaveLength(2);
    pending[1].resolve('k2');
    expect(await again).toBe('k2');
  });

  it('forgets only the stale key it is told about', async () => {
    const sessions = new DataMotionSessions();
    const conn = connection('c1');
    const { logon, pending } = manualLogon();
    const first = sessions.key(conn, logon, onReplaced);
    pending[0].resolve('k1');
    await first;
    sessions.expire(conn, 'k1');
    const second = sessions.key(conn, logon, onReplaced);
    pending[1].resolve('k2');
    expect(await second).toBe('k2');
    sessions.expire(conn, 'k1');
    expect(await sessions.key(conn, logon, onReplaced)).toBe('k2');
  });

  it('starts a new session when the connection’s credentials change, handing back the old one', async () => {
    const sessions = new DataMotionSessions();
    const { logon, pending } = manualLogon();
    const first = sessions.key(connection('c1'), logon, onReplaced);
    pending[0].resolve('k1');
    await first;
    const edited = sessions.key(connection('c1', 'new-secret'), logon, onReplaced);
    expect(pending).toHaveLength(2);
    pending[1].resolve('k2');
    expect(await edited).toBe('k2');
    expect(replaced).toEqual([
      {
        tenantId: 't',
        connectionId: 'c1',
        baseUrl: 'https://api.example/SecureMail-Sandbox',
        subscriptionKey: 'sub',
        sessionKey: 'k1',
      },
    ]);
  });

  it('keeps one session per tenant when two tenants use the same connection id', async () => {
    const sessions = new DataMotionSessions();
    await sessions.key(connection('secure-main', 'one', 't1'), async () => 'k1', onReplaced);
    await sessions.key(connection('secure-main', 'two', 't2'), async () => 'k2', onReplaced);
    expect(replaced).toEqual([]);
    expect(await sessions.key(connection('secure-main', 'one', 't1'), async () => 'other', onReplaced)).toBe(
      'k1',
    );
    expect(sessions.drain().map((s) => [s.tenantId, s.connectionId, s.sessionKey])).toEqual([
      ['t1', 'secure-main', 'k1'],
      ['t2', 'secure-main', 'k2'],
    ]);
  });

  it('drains every open session for the shutdown logout', async () => {
    const sessions = new DataMotionSessions();
    await sessions.key(connection('a'), async () => 'ka', onReplaced);
    await sessions.key(connection('b'), async () => 'kb', onReplaced);
    expect(sessions.drain().map((s) => [s.connectionId, s.sessionKey])).toEqual([
      ['a', 'ka'],
      ['b', 'kb'],
    ]);
    expect(sessions.drain()).toEqual([]);
  });
});
