import { GatewayError } from '../errors';
import type { CallContext } from './call-context';
import type { UserDirectoryPort } from './user-directory.port';

/** What a store should be: `current` receives new messages, `disabled` is known but closed. */
export const ARCHIVE_STORE_STATES = ['current', 'normal', 'writeProtected', 'disabled'] as const;
export type ArchiveStoreState = (typeof ARCHIVE_STORE_STATES)[number];

/** One archive store (MailStore: a file group with its database, content and index directories). */
export interface ArchiveStore {
  id: string;
  name: string;
  requestedState: ArchiveStoreState;
  /** What the archive reports the store to be right now (may differ while opening, or on error). */
  actualState?: string;
  databasePath?: string;
  contentPath?: string;
  indexPath?: string;
  sizeMb?: number;
  /** The archive's own error text for a store that failed to open. */
  error?: string;
}

export interface CreateArchiveStoreInput {
  name: string;
  databasePath?: string;
  contentPath?: string;
  indexPath?: string;
  requestedState?: ArchiveStoreState;
}

/** One store's verdict in a verification. */
export interface StoreVerification {
  storeId: string;
  name: string;
  consistent: boolean;
  /** The archive's own descriptions of what is wrong; empty when consistent. */
  problems: string[];
}

/** The result of a verification: one entry per verified store. */
export interface ArchiveVerificationReport {
  stores: StoreVerification[];
}

/** A long-running archive operation (verification, compaction) as its token last reported it. */
export interface ArchiveOperationStatus {
  /** Opaque handle to poll or cancel the operation, valid until the archive forgets it; null when it finished at once. */
  token: string | null;
  /** Rises with each visible change; pass it back to wait for the next one. */
  statusVersion: number;
  state: 'running' | 'succeeded' | 'failed';
  percent: number | null;
  statusText: string | null;
  /** An ArchiveVerificationReport for a finished verification; otherwise the archive's result, if any. */
  result: unknown;
  /** The archive's message when the operation failed (cancelled operations fail too). */
  error: string | null;
}

/**
 * The archive no longer knows this operation token (never issued, or forgotten some time after
 * the operation ended): the job layer restarts the operation instead of polling it.
 */
export class ArchiveOperationUnknownError extends GatewayError {
  constructor(detail: string, provider?: string) {
    super('not_found', detail, { provider });
    this.name = 'ArchiveOperationUnknownError';
  }
}

/**
 * Archive service (MailStore SPE): archive users through UserDirectoryPort (the user's `email`
 * is the archive user name, `aliases` its further addresses), archive stores, and long-running
 * operations followed by token.
 */
export interface ArchiveServicePort extends UserDirectoryPort {
  renameUser?(ctx: CallContext, email: string, newName: string): Promise<void>;

  listStores?(ctx: CallContext, options: { includeSize: boolean }): Promise<ArchiveStore[]>;
  getStore?(ctx: CallContext, storeId: string): Promise<ArchiveStore>;
  createStore?(ctx: CallContext, input: CreateArchiveStoreInput): Promise<ArchiveStore>;
  /** Attaches an existing store's directories (MailStore AttachStore). */
  attachStore?(ctx: CallContext, input: CreateArchiveStoreInput): Promise<ArchiveStore>;
  renameStore?(ctx: CallContext, storeId: string, name: string): Promise<ArchiveStore>;
  setStoreRequestedState?(ctx: CallContext, storeId: string, state: ArchiveStoreState): Promise<ArchiveStore>;
  /** Removes the store from the archive; its files stay on disk. */
  detachStore?(ctx: CallContext, storeId: string): Promise<void>;
  /** Recomputes the statistics (sizes, counts) of every store. */
  refreshStoreStatistics?(ctx: CallContext): Promise<void>;
  /** Tries to fix known database issues of one store (e.g. missing database indexes). */
  repairStoreDatabase?(ctx: CallContext, storeId: string): Promise<void>;
  /** Retries opening stores that failed to open. */
  retryOpenStores?(ctx: CallContext): Promise<void>;

  startCompactStore?(ctx: CallContext, storeId: string): Promise<ArchiveOperationStatus>;
  startVerifyStore?(
    ctx: CallContext,
    storeId: string,
    includeIndexes: boolean,
  ): Promise<ArchiveOperationStatus>;
  startVerifyStores?(ctx: CallContext, includeIndexes: boolean): Promise<ArchiveOperationStatus>;
  /**
   * Waits up to `waitMs` for the operation to move past `lastKnownStatusVersion`, then reports it;
   * throws ArchiveOperationUnknownError when the token is unknown or expired.
   */
  getOperationStatus?(
    ctx: CallContext,
    token: string,
    lastKnownStatusVersion: number,
    waitMs: number,
  ): Promise<ArchiveOperationStatus>;
  /** Asks the archive to cancel; the operation ends (failed) when the archive decides. */
  cancelOperation?(ctx: CallContext, token: string): Promise<void>;
}

/** The methods a long-running archive operation is followed and cancelled with. */
export const ARCHIVE_FOLLOW_METHODS = [
  'getOperationStatus',
  'cancelOperation',
] as const satisfies readonly (keyof ArchiveServicePort)[];
