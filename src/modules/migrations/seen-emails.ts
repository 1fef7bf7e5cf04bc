const ARENA_CHUNK = 1024 * 1024;
const INITIAL_SLOTS = 1 << 12;
/** Longest key in UTF-8 bytes: an email of 254 characters at up to 4 bytes each. */
const MAX_KEY_BYTES = 254 * 4;

/**
 * The addresses seen so far in one upload, each with the line (or position) of its first row,
 * exact and compact: keys live as UTF-8 in 1 MiB chunks and an open-addressing table of typed
 * arrays points at them. A million addresses take about 40 MB here, where a Set of strings
 * takes about 100 MB, beside the rest of the API process's 300 MB budget.
 */
export class SeenEmails {
  private readonly chunks: Buffer[] = [Buffer.allocUnsafe(ARENA_CHUNK)];
  private used = 0;
  private count = 0;
  /** Per entry: chunk, offset in it, byte length, hash, first line. */
  private chunkOf = new Uint16Array(1024);
  private offsetOf = new Uint32Array(1024);
  private lengthOf = new Uint16Array(1024);
  private hashOf = new Uint32Array(1024);
  private firstOf = new Int32Array(1024);
  /** Slot → entry index + 1 (0 = empty); kept at most half full. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private readonly scratch = Buffer.allocUnsafe(MAX_KEY_BYTES);

  get size(): number {
    return this.count;
  }

  /** Records `key` as first seen at `line`, or returns the line it was first seen at. */
  firstOrAdd(key: string, line: number): number | null {
    const length = this.scratch.write(key, 0, 'utf8');
    const hash = fnv1a(this.scratch, length);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) break;
      if (this.hashOf[entry] === hash && this.equals(entry, length)) return this.firstOf[entry];
    }
    this.insert(hash, length, line);
    return null;
  }

  private equals(entry: number, length: number): boolean {
    if (this.lengthOf[entry] !== length) return false;
    const chunk = this.chunks[this.chunkOf[entry]];
    const offset = this.offsetOf[entry];
    return chunk.compare(this.scratch, 0, length, offset, offset + length) === 0;
  }

  private insert(hash: number, length: number, line: number): void {
    if (this.used + length > ARENA_CHUNK) {
      this.chunks.push(Buffer.allocUnsafe(ARENA_CHUNK));
      this.used = 0;
    }
    if (this.count === this.hashOf.length) this.growEntries();
    const entry = this.count++;
    this.scratch.copy(this.chunks[this.chunks.length - 1], this.used, 0, length);
    this.chunkOf[entry] = this.chunks.length - 1;
    this.offsetOf[entry] = this.used;
    this.lengthOf[entry] = length;
    this.hashOf[entry] = hash;
    this.firstOf[entry] = line;
    this.used += length;
    if (this.count * 2 > this.slots.length) this.growSlots();
    else this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashOf[entry] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.count; entry++) this.place(entry);
  }

  private growEntries(): void {
    const grow = <T extends Uint16Array | Uint32Array | Int32Array>(array: T, make: (n: number) => T): T => {
      const next = make(array.length * 2);
      next.set(array);
      return next;
    };
    this.chunkOf = grow(this.chunkOf, (n) => new Uint16Array(n));
    this.offsetOf = grow(this.offsetOf, (n) => new Uint32Array(n));
    this.lengthOf = grow(this.lengthOf, (n) => new Uint16Array(n));
    this.hashOf = grow(this.hashOf, (n) => new Uint32Array(n));
    this.firstOf = grow(this.firstOf, (n) => new Int32Array(n));
  }
}

/** 32-bit FNV-1a over the first `length` bytes. */
function fnv1a(bytes: Buffer, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
