import type { DestinationStream } from 'pino';

/** What the batches are written to: pino's file destination (sonic-boom). */
export interface BatchSink {
  write(chunk: string): unknown;
  flushSync(): void;
}

export interface BatchOptions {
  /** Lines are handed on once this many characters are pending… */
  batchChars: number;
  /** …or this long after the first of them, whichever comes first. */
  maxDelayMs: number;
}

const DEFAULT_BATCH: BatchOptions = { batchChars: 4096, maxDelayMs: 100 };

/**
 * Gathers log lines and hands them to the sink in batches. sonic-boom measures (and so
 * flattens) its whole pending string on every write, up to 16 KB per log line on a busy
 * gateway; fed a batch at a time it does that once per batch. And unlike sonic-boom's own
 * `minLength`, which keeps lines until enough have come, a quiet process still writes every
 * line within `maxDelayMs`.
 */
export class BatchedDestination implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: BatchSink,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.options.batchChars) this.drain();
    else this.timer ??= setTimeout(() => this.drain(), this.options.maxDelayMs).unref();
  }

  /** Hands every pending line to the sink. */
  drain(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.lines.length === 0) return;
    const batch = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(batch);
  }

  /** Writes everything pending before the process ends. */
  flushSync(): void {
    this.drain();
    this.sink.flushSync();
  }
}
