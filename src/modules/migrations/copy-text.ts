const INITIAL_BYTES = 1024 * 1024;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;

/** One field of COPY's text format: specials escaped, `\N` for null. */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]) : value;
}

/**
 * The rows of one COPY batch, encoded row by row into a buffer that is reused batch after
 * batch: a batch never exists as one long string, so its text does not live through garbage
 * collections on the V8 heap (a million-row upload grew the heap by a hundred MB of such
 * garbage) and is not encoded a second time on its way to the socket. Each row is one short
 * string, dead before the next scavenge.
 */
export class CopyText {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  /** One row of fields already in COPY text format (see copyField), ending in a newline. */
  row(text: string): this {
    const most = text.length * 3;
    if (this.used + most > this.buffer.length) this.grow(most);
    this.used += this.buffer.write(text, this.used);
    return this;
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
