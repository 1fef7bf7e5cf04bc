interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Joins the writes asked for in one turn of the event loop into one call of `write` (at most
 * `maxBatch` items a call), so concurrent requests that each store a row share one statement
 * and one commit. `write` answers one result per item, in order. When a joined call throws,
 * each of its items is written alone, so one bad item fails only its own caller.
 */
export class WriteBatcher<T, R> {
  private queue: Queued<T, R>[] = [];
  private scheduled = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queued = this.queue;
    this.queue = [];
    for (let start = 0; start < queued.length; start += this.maxBatch) {
      void this.writeBatch(queued.slice(start, start + this.maxBatch));
    }
  }

  private async writeBatch(batch: Queued<T, R>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((queued) => queued.item));
      batch.forEach((queued, n) => queued.resolve(results[n]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((queued) => this.writeBatch([queued])));
    }
  }
}
