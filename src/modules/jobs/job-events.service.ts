import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobView } from './jobs.dto';
import { FINISHED_STATES } from '../../jobs/job.entity';
import { JobsRepository } from '../../jobs/jobs.repository';
import { toJobView } from '../../jobs/job-view.mapper';

/** Poll period of a watched job: also the throttle, at most four progress events a second. */
const POLL_MS = 250;
const KEEP_ALIVE_MS = 15_000;

type Listener = (view: JobView) => void;

interface Watch {
  listeners: Set<Listener>;
  timer: NodeJS.Timeout;
  last?: string;
  lastView?: JobView;
  busy: boolean;
}

/**
 * Server-Sent Events for a job. The API process reads the job record from Postgres (the
 * worker doing the work may be another process); every watcher of one job shares one poll,
 * and an event is sent only when the job changed.
 */
@Injectable()
export class JobEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(JobEventsService.name);
  private readonly watches = new Map<string, Watch>();
  private readonly streams = new Set<() => void>();

  constructor(private readonly repository: JobsRepository) {}

  /** Streams `progress` per change, then `done` with the final job, then ends. */
  stream(request: FastifyRequest, reply: FastifyReply, jobId: string): void {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    let sequence = 0;
    const send = (event: 'progress' | 'done', view: JobView) =>
      raw.write(`id: ${++sequence}\nevent: ${event}\ndata: ${JSON.stringify(view)}\n\n`);
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unwatch();
      this.streams.delete(close);
      raw.end();
    };
    const unwatch = this.watch(jobId, (view) => {
      if (closed) return;
      if (FINISHED_STATES.includes(view.state)) {
        send('done', view);
        close();
      } else {
        send('progress', view);
      }
    });
    this.streams.add(close);
    request.raw.on('close', close);
  }

  onModuleDestroy(): void {
    for (const close of [...this.streams]) close();
  }

  private watch(jobId: string, listener: Listener): () => void {
    let watch = this.watches.get(jobId);
    if (!watch) {
      const created: Watch = {
        listeners: new Set(),
        busy: false,
        timer: setInterval(() => void this.poll(jobId, created), POLL_MS),
      };
      created.timer.unref();
      watch = created;
      this.watches.set(jobId, watch);
      void this.poll(jobId, created);
    }
    watch.listeners.add(listener);
    // A newcomer gets the current state at once instead of waiting for the next change.
    if (watch.lastView) listener(watch.lastView);
    const current = watch;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        clearInterval(current.timer);
        this.watches.delete(jobId);
      }
    };
  }

  private async poll(jobId: string, watch: Watch): Promise<void> {
    if (watch.busy) return;
    watch.busy = true;
    try {
      const job = await this.repository.find(jobId);
      if (!job) return;
      const view = toJobView(job);
      const snapshot = JSON.stringify(view);
      if (snapshot === watch.last) return;
      watch.last = snapshot;
      watch.lastView = view;
      for (const listener of [...watch.listeners]) listener(view);
    } catch (error) {
      this.logger.warn(`job ${jobId} events: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      watch.busy = false;
    }
  }
}
