/** One request to a vendor, as kept in the audit log: never bodies, never secrets. */
export interface VendorCall {
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
  /** Set when no HTTP answer came back (timeout, refused connection, open breaker). */
  error?: string;
}

/** Collects the vendor calls made on behalf of one request or job step. */
export interface VendorCallRecorder {
  record(call: VendorCall): void;
}

export class VendorCallLog implements VendorCallRecorder {
  readonly calls: VendorCall[] = [];
  record(call: VendorCall): void {
    this.calls.push(call);
  }
}
