import { createHash } from 'node:crypto';
import type { ConnectionContext } from '../../domain/ports/call-context';

/** What a session was opened with: enough to log it out again, and nothing else. */
export interface OpenSession {
  tenantId: string;
  connectionId: string;
  baseUrl: string;
  subscriptionKey: string;
  sessionKey: string;
}

interface Slot {
  tenantId: string;
  connectionId: string;
  fingerprint: string;
  baseUrl: string;
  subscriptionKey: string;
  sessionKey?: string;
  /** The logon in flight: every caller waits for this one instead of starting its own. */
  logon?: Promise<string>;
}

/** Fingerprints are derived once per ConnectionContext (the gateway shares one while the connection is cached). */
const fingerprints = new WeakMap<ConnectionContext, string>();

/** A connection id is unique only within its tenant: two tenants' "secure-main" are two sessions. */
function slotKey(connection: ConnectionContext): string {
  return `${connection.tenantId}/${connection.id}`;
}

function fingerprintOf(connection: ConnectionContext): string {
  let fingerprint = fingerprints.get(connection);
  if (!fingerprint) {
    const { userIdOrEmail = '', password = '', subscriptionKey = '' } = connection.credentials;
    fingerprint = createHash('sha256')
      .update([connection.baseUrl, userIdOrEmail, password, subscriptionKey].join('\u0000'))
      .digest('hex');
    fingerprints.set(connection, fingerprint);
  }
  return fingerprint;
}

/**
 * DataMotion session keys, one per connection, shared by every call made for it.
 *
 * Why a cache in the adapter (which is otherwise stateless): a session key is DataMotion's own
 * per-connection state, and logging on for every call would double the calls and race the
 * vendor's session limits. The state is owned per connection — a slot keyed by tenant and connection id and
 * checked against a fingerprint of the base URL and credentials, so an edited connection gets a
 * new session at once (the old key is handed back to be logged out) and two connections never
 * share one. It holds no tenant data beyond the key itself, lives only in process memory (never
 * logged, audited or persisted), and a lost key costs one logon. Each process (API, worker) keeps
 * its own sessions; the single logon per connection holds within a process.
 */
export class DataMotionSessions {
  private readonly slots = new Map<string, Slot>();

  /**
   * The connection's session key, logging on through `logon` when there is none; concurrent
   * callers share one logon. `onReplaced` receives a session the connection's edit made stale.
   */
  async key(
    connection: ConnectionContext,
    logon: () => Promise<string>,
    onReplaced: (stale: OpenSession) => void,
  ): Promise<string> {
    const slot = this.slotFor(connection, onReplaced);
    if (slot.sessionKey) return slot.sessionKey;
    if (!slot.logon) {
      slot.logon = logon().then(
        (sessionKey) => {
          slot.logon = undefined;
          // A slot replaced while logging on keeps nothing; the new key is logged out right away.
          if (this.slots.get(slotKey(connection)) === slot) slot.sessionKey = sessionKey;
          else onReplaced(this.openSession(slot, sessionKey));
          return sessionKey;
        },
        (error: unknown) => {
          slot.logon = undefined;
          throw error;
        },
      );
    }
    return slot.logon;
  }

  /** Forgets `staleKey` (expired or refused) so that the next call logs on; a newer key is kept. */
  expire(connection: ConnectionContext, staleKey: string): void {
    const slot = this.slots.get(slotKey(connection));
    if (slot?.sessionKey === staleKey) slot.sessionKey = undefined;
  }

  /** Drops the connection's key so that the next call logs on anew; returns the dropped session to log out. */
  forget(connection: ConnectionContext): OpenSession | undefined {
    const slot = this.slots.get(slotKey(connection));
    if (!slot?.sessionKey) return undefined;
    const open = this.openSession(slot, slot.sessionKey);
    slot.sessionKey = undefined;
    return open;
  }

  /** Removes and returns every open session, for logging out at shutdown. */
  drain(): OpenSession[] {
    const open = [...this.slots.values()]
      .filter((slot) => slot.sessionKey !== undefined)
      .map((slot) => this.openSession(slot, slot.sessionKey as string));
    this.slots.clear();
    return open;
  }

  private slotFor(connection: ConnectionContext, onReplaced: (stale: OpenSession) => void): Slot {
    const fingerprint = fingerprintOf(connection);
    const existing = this.slots.get(slotKey(connection));
    if (existing?.fingerprint === fingerprint) return existing;
    if (existing?.sessionKey) onReplaced(this.openSession(existing, existing.sessionKey));
    const slot: Slot = {
      tenantId: connection.tenantId,
      connectionId: connection.id,
      fingerprint,
      baseUrl: connection.baseUrl,
      subscriptionKey: connection.credentials.subscriptionKey ?? '',
    };
    this.slots.set(slotKey(connection), slot);
    return slot;
  }

  private openSession(slot: Slot, sessionKey: string): OpenSession {
    const { tenantId, connectionId, baseUrl, subscriptionKey } = slot;
    return { tenantId, connectionId, baseUrl, subscriptionKey, sessionKey };
  }
}
