import type { JobEntity, JobItemEntity } from './job.entity';
import type { JobItemView, JobView } from './jobs.dto';

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
