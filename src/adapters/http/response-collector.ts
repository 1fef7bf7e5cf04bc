import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the vendor response exceeded ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface CollectedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
}

/**
 * Receives one vendor answer straight from undici's dispatcher and buffers it, at most
 * `limitBytes` of body. Every answer is buffered anyway, so this skips the body stream and
 * AbortSignal that `request()` builds per call (a large share of a proxied read's cost).
 * `cancel()` ends the exchange at any point, also while the request still waits for a free
 * connection in the pool, and settles `done` at once.
 */
export class ResponseCollector implements Dispatcher.DispatchHandler {
  readonly done: Promise<CollectedResponse>;
  private resolve!: (response: CollectedResponse) => void;
  private reject!: (error: Error) => void;
  private settled = false;
  private cancelReason: Error | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limitBytes: number) {
    this.done = new Promise<CollectedResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The status line that came back, if any: a failed exchange may still have had one. */
  get answeredStatus(): number | null {
    return this.status === 0 ? null : this.status;
  }

  cancel(reason: Error): void {
    if (this.settled) return;
    this.cancelReason = reason;
    this.controller?.abort(reason);
    this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.cancelReason) {
      controller.abort(this.cancelReason);
      return;
    }
    // undici may start a request again on a fresh socket; only the last start's answer counts.
    this.controller = controller;
    this.chunks = [];
    this.size = 0;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limitBytes) {
      const error = new ResponseTooLargeError(this.limitBytes);
      controller.abort(error);
      this.fail(error);
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    const bytes = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.resolve({ status: this.status, headers: this.headers, bytes });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.reject(error);
  }
}
