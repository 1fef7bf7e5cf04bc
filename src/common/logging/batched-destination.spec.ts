import { BatchedDestination, type BatchSink } from './batched-destination';

function sink(): BatchSink & { chunks: string[]; flushed: number } {
  const chunks: string[] = [];
  return {
    chunks,
    flushed: 0,
    write(chunk: string) {
      chunks.push(chunk);
    },
    flushSync() {
      this.flushed++;
    },
  };
}

describe('BatchedDestination', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands lines on as one batch once enough are pending', () => {
    const target = sink();
    const destination = new BatchedDestination(target, { batchChars: 10, maxDelayMs: 1000 });

    destination.write('abcd\n');
    destination.write('efgh\n');
    expect(target.chunks).toEqual(['abcd\nefgh\n']);
    destination.write('ij\n');
    expect(target.chunks).toEqual(['abcd\nefgh\n']);
  });

  it('writes a lone line within the delay', () => {
    const target = sink();
    const destination = new BatchedDestination(target, { batchChars: 4096, maxDelayMs: 100 });

    destination.write('quiet\n');
    jest.advanceTimersByTime(99);
    expect(target.chunks).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(target.chunks).toEqual(['quiet\n']);
  });

  it('writes everything pending and flushes the sink on flushSync', () => {
    const target = sink();
    const destination = new BatchedDestination(target, { batchChars: 4096, maxDelayMs: 100 });

    destination.write('a\n');
    destination.write('b\n');
    destination.flushSync();

    expect(target.chunks).toEqual(['a\nb\n']);
    expect(target.flushed).toBe(1);
    jest.advanceTimersByTime(200);
    expect(target.chunks).toEqual(['a\nb\n']);
  });
});
