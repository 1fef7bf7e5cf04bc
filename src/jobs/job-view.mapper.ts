import type { ItemState, JobEntity, JobErrorRecord, JobItemEntity, JobState } from './job.entity';

/** A job as API.md shows it (the jobs API documents it with its DTO classes). */
export interface JobView {
  id: string;
  type: string;
  tenantId: string | null;
  state: JobState;
  progress: {
    total: number;
    done: number;
    succeeded: number;
    failed: number;
    percent: number;
    message?: string | null;
    /** Items by state (batch jobs). */
    items?: { pending: number; running: number; succeeded: number; failed: number; cancelled: number };
    ratePerSecond?: number;
    waitingUntil?: string | null;
  };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequestedAt: string | null;
  createdBy: string;
  result: Record<string, unknown> | null;
  error: JobErrorRecord | null;
}

export interface JobItemView {
  key: string;
  state: ItemState;
  attempts: number;
  code: string | null;
  detail: string | null;
  result: Record<string, unknown> | null;
  updatedAt: string;
}

/** Percent from the operation's own report when it has one, else from the item counters. */
function percentOf(job: JobEntity): number {
  if (job.progressPercent !== null) return job.progressPercent;
  if (job.total > 0) return Math.floor((job.done * 100) / job.total);
  return job.state === 'succeeded' ? 100 : 0;
}

export function toJobView(job: JobEntity): JobView {
  const view: JobView = {
    id: job.id,
    type: job.type,
    tenantId: job.tenantId,
    state: job.state,
    progress: {
      total: job.total,
      done: job.done,
      succeeded: job.succeeded,
      failed: job.failed,
      percent: percentOf(job),
      message: job.progressMessage,
    },
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    cancelRequestedAt: job.cancelRequestedAt?.toISOString() ?? null,
    createdBy: job.createdBy,
    result: job.result,
    error: job.error,
  };
  if (job.stats) {
    const running = job.state === 'running' ? job.stats.running : 0;
    const unfinished = Math.max(0, job.total - job.done - running);
    const cancelled = job.state === 'cancelled';
    view.progress.items = {
      pending: cancelled ? 0 : unfinished,
      running,
      succeeded: job.succeeded,
      failed: job.failed,
      cancelled: cancelled ? unfinished : 0,
    };
    view.progress.ratePerSecond = job.stats.ratePerSecond;
    view.progress.waitingUntil = job.state === 'running' ? job.stats.waitingUntil : null;
  }
  return view;
}

export function toJobItemView(item: JobItemEntity): JobItemView {
  return {
    key: item.key,
    state: item.state,
    attempts: item.attempts,
    code: item.code,
    detail: item.detail,
    result: item.result,
    updatedAt: item.updatedAt.toISOString(),
  };
}
