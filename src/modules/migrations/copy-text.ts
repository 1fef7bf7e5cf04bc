const INITIAL_BYTES = 1024 * 1024;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;

/**
 * The rows of one COPY batch in COPY's text format, encoded straight into a buffer that is
 * reused batch after batch: a batch never exists as one long string, so its text neither lives
 * through garbage collections on the V8 heap (a million-row upload would grow the heap by
 * a hundred MB of such garbage) nor is encoded a second time on its way to the socket.
 */
export class CopyText {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  /** Text that needs no escaping (numbers, fixed words, separators). */
  raw(text: string): this {
    const most = text.length * 3;
    if (this.used + most > this.buffer.length) this.grow(most);
    this.used += this.buffer.write(text, this.used);
    return this;
  }

  /** One field's value, escaped; `\N` for null. */
  field(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.raw('\\N');
    return this.raw(
      COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]) : value,
    );
  }

  /**
   * The bytes written since the last `clear`. They stay valid until the next `clear`: the
   * writer must not clear a batch before its COPY has finished.
   */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  clear(): void {
    this.used = 0;
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + needed));
    this.buffer.copy(next, 0, 0, this.used);
    this.buffer = next;
  }
}
