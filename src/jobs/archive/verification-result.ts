import type {
  ArchiveOperationStatus,
  ArchiveVerificationReport,
} from '../../domain/ports/archive-service.port';

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
