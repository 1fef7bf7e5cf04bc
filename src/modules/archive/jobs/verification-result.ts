import type {
  ArchiveOperationStatus,
  ArchiveVerificationReport,
} from '../../../domain/ports/archive-service.port';
import type { OperationItem } from '../../../jobs/job-definition';

function isReport(value: unknown): value is ArchiveVerificationReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as { stores?: unknown }).stores);
}

/**
 * A verification's job result: every store's verdict and whether all are consistent; an answer
 * that is not a per-store report is kept as the archive sent it, with no verdict claimed.
 */
export function verificationResult(
  status: ArchiveOperationStatus,
  includeIndexes: boolean,
): Record<string, unknown> {
  if (!isReport(status.result)) {
    return {
      consistent: null,
      stores: [],
      includeIndexes,
      archiveResult: status.result ?? null,
      statusText: status.statusText,
    };
  }
  const stores = status.result.stores;
  return {
    consistent: stores.every((s) => s.consistent),
    stores,
    includeIndexes,
    statusText: status.statusText,
  };
}

/** One job item per verified store: a store with problems is a failed `store_inconsistent` item. */
export function verificationItems(status: ArchiveOperationStatus): OperationItem[] {
  if (!isReport(status.result)) return [];
  return status.result.stores.map((store) => {
    const result = {
      storeId: store.storeId,
      name: store.name,
      consistent: store.consistent,
      problems: store.problems,
    };
    if (store.consistent) return { key: store.storeId, state: 'succeeded', code: 'consistent', result };
    return {
      key: store.storeId,
      state: 'failed',
      code: 'store_inconsistent',
      detail: store.problems.length
        ? store.problems.join('; ')
        : 'The archive reported the store inconsistent.',
      result,
    };
  });
}
