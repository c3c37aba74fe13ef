/**
 * Many short strings (message and request ids, ~30 bytes each) packed as UTF-8 in one growing byte
 * array, with an optional hash index: a JS string and a Map entry per id cost ~100 bytes, here ~40.
 * A history of 100k calls keeps two ids per call in memory while it is built.
 */
export class StringArena {
  private bytes: Buffer<ArrayBufferLike> = Buffer.allocUnsafe(64 << 10);
  private used = 0;
  private starts: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
  private lengths: Int32Array<ArrayBufferLike> = new Int32Array(1024); // -1: null
  private hashes: Uint32Array<ArrayBufferLike> = new Uint32Array(1024); // indexed arenas only
  private slots: Int32Array | undefined; // index + 1, open addressing
  count = 0;

  /** `indexed`: keep a hash index so that indexOf() is fast (first come wins for equal strings). */
  constructor(indexed = false) {
    if (indexed) this.slots = new Int32Array(2048);
  }

  push(text: string | null): number {
    const i = this.count++;
    if (i === this.starts.length) this.growList();
    if (text === null) {
      this.lengths[i] = -1;
      return i;
    }
    const need = text.length * 3;
    if (this.used + need > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(Math.ceil(this.bytes.length * 1.5), this.used + need));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const n = this.bytes.write(text, this.used, 'utf8');
    this.starts[i] = this.used;
    this.lengths[i] = n;
    this.used += n;
    if (this.slots) {
      this.hashes[i] = hashBytes(this.bytes, this.used - n, this.used);
      if (2 * this.count > this.slots.length) this.rehash(this.slots.length * 2);
      else this.place(i);
    }
    return i;
  }

  get(i: number): string | null {
    const n = this.lengths[i]!;
    return n < 0 ? null : this.bytes.toString('utf8', this.starts[i]!, this.starts[i]! + n);
  }

  /** The index of `text` (indexed arenas only), or undefined. */
  indexOf(text: string): number | undefined {
    const slots = this.slots!;
    const mask = slots.length - 1;
    const hash = hashString(text);
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const at = slots[s]!;
      if (at === 0) return undefined;
      if (this.hashes[at - 1] === hash && this.equals(at - 1, text)) return at - 1;
    }
  }

  /** Whether string i is `text` (null matches null). */
  equals(i: number, text: string | null): boolean {
    const n = this.lengths[i]!;
    if (text === null || n < 0) return text === null && n < 0;
    if (n !== text.length) return n >= text.length && this.get(i) === text; // non-ASCII: compare decoded
    const { bytes } = this;
    const start = this.starts[i]!;
    for (let k = 0; k < n; k++) if (bytes[start + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** As plain typed arrays (for postMessage; transferable). */
  pack(): PackedArena {
    return {
      count: this.count,
      bytes: this.bytes.subarray(0, this.used),
      starts: this.starts.slice(0, this.count),
      lengths: this.lengths.slice(0, this.count),
      hashes: this.slots ? this.hashes.slice(0, this.count) : new Uint32Array(0),
    };
  }

  static unpack(p: PackedArena, indexed = false): StringArena {
    const a = new StringArena(false);
    a.bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length);
    a.used = p.bytes.length;
    a.count = p.count;
    a.starts = p.starts.length ? p.starts : new Uint32Array(1024);
    a.lengths = p.lengths.length ? p.lengths : new Int32Array(1024);
    a.hashes = p.hashes.length || !indexed ? p.hashes : new Uint32Array(1024);
    if (indexed) a.rehash(Math.max(2048, 1 << Math.ceil(Math.log2(4 * p.count + 1))));
    return a;
  }

  private place(i: number): void {
    const slots = this.slots!;
    const mask = slots.length - 1;
    let s = this.hashes[i]! & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = i + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let i = 0; i < this.count; i++) if (this.lengths[i]! >= 0) this.place(i);
  }

  /**
   * Room for `count` strings of `bytes` bytes in all, made at once: a scan that knows how much it
   * will read grows nothing step by step, and leaves no outgrown arrays behind (their memory
   * stays with the process long after they are freed). Room never used is never touched.
   */
  reserve(count: number, bytes: number): void {
    if (count > this.starts.length) this.resizeLists(count);
    if (bytes > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(bytes);
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
  }

  private growList(): void {
    this.resizeLists(Math.max(1024, Math.ceil(this.starts.length * 1.5)));
  }

  private resizeLists(size: number): void {
    for (const key of this.slots ? (['starts', 'hashes'] as const) : (['starts'] as const)) {
      const next = new Uint32Array(size);
      next.set(this[key]);
      this[key] = next;
    }
    const lengths = new Int32Array(size);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}

export interface PackedArena {
  count: number;
  bytes: Uint8Array;
  starts: Uint32Array;
  lengths: Int32Array;
  hashes: Uint32Array;
}

function hashBytes(bytes: Buffer, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

const scratch = Buffer.allocUnsafe(1024);

/** The hash of a string's UTF-8 bytes, as hashBytes computes it. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      const big = Buffer.byteLength(text) > scratch.length ? Buffer.from(text) : undefined;
      const buf = big ?? scratch;
      return hashBytes(buf, 0, big ? big.length : scratch.write(text, 0, 'utf8'));
    }
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  return hash >>> 0;
}
