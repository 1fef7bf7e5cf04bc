import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker, type Processor, type WorkerOptions } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '../config/app-config';

/**
 * Creates BullMQ queues and workers under QUEUE_PREFIX on shared Redis connections, logs
 * (never throws) their connection errors, and closes them all on shutdown.
 */
@Injectable()
export class QueueFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueFactory.name);
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  // BullMQ does not close connections it was given; these are ours to end.
  private readonly workerConnections: IORedis[] = [];
  private readonly connection: IORedis;
  private lastErrorLog = 0;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.connection = this.redis();
  }

  get prefix(): string {
    return this.config.queuePrefix;
  }

  /** The shared, non-blocking connection, for small coordination scripts beside the queues. */
  get client(): IORedis {
    return this.connection;
  }

  /** Whether the queue connection answers, within `timeoutMs` (for readiness). */
  async ping(timeoutMs = 1000): Promise<boolean> {
    if (this.connection.status !== 'ready') return false;
    try {
      const answer = await Promise.race([
        this.connection.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      return answer === 'PONG';
    } catch {
      return false;
    }
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', (error) => this.logError(`queue ${name}`, error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** A worker on its own blocking connection, as BullMQ requires. */
  worker(
    name: string,
    processor: Processor,
    options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
  ): Worker {
    const connection = this.redis();
    this.workerConnections.push(connection);
    const worker = new Worker(name, processor, { ...options, connection, prefix: this.prefix });
    worker.on('error', (error) => this.logError(`worker ${name}`, error));
    this.workers.push(worker);
    return worker;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
    for (const connection of this.workerConnections) connection.disconnect();
  }

  private redis(): IORedis {
    const client = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    client.on('error', (error) => this.logError('redis', error));
    return client;
  }

  private logError(source: string, error: Error): void {
    if (Date.now() - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn(`${source}: ${error.message}`);
  }
}
