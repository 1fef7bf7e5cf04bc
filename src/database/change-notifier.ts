import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

const CHANNEL = 'mailroom_changes';

/** `*` means: assume everything changed (sent after a lost listener connection). */
export type ChangeHandler = (key: string) => void;

/**
 * Cross-process cache invalidation over Postgres LISTEN/NOTIFY: a change to an API key or a
 * connection is announced to every API and worker process, which drop what they cached.
 */
@Injectable()
export class ChangeNotifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeNotifier.name);
  private readonly handlers = new Map<string, ChangeHandler[]>();
  private client: Client | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Caches may only be trusted while changes are being heard. */
  get live(): boolean {
    return this.client !== null;
  }

  subscribe(topic: string, handler: ChangeHandler): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /** Announces a change; local handlers run at once, other processes hear it within milliseconds. */
  async publish(topic: string, key: string): Promise<void> {
    this.dispatch(topic, key);
    await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ topic, key })]);
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: 5000 });
    client.on('notification', (message) => {
      try {
        const { topic, key } = JSON.parse(message.payload ?? '{}') as { topic?: string; key?: string };
        if (topic && key) this.dispatch(topic, key);
      } catch {
        this.logger.warn('ignored a malformed change notification');
      }
    });
    client.on('error', () => this.lost());
    client.on('end', () => this.lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.logger.warn(`change listener could not connect: ${(error as Error).message}`);
      this.lost();
    }
  }

  private lost(): void {
    for (const topic of this.handlers.keys()) this.dispatch(topic, '*');
    if (this.closed || this.reconnectTimer) return;
    this.client = null;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, 1000);
    this.reconnectTimer.unref();
  }

  private dispatch(topic: string, key: string): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }
}
