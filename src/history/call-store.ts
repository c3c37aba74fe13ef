import fs from 'node:fs';
import path from 'node:path';
import { CallTable, StringTable, type StoredCall } from './call-table.js';

/**
 * The distinct calls of a history on disk, so that adding one turn reads and writes a small part:
 * `calls/<bucket>.json`, one of 64 buckets chosen by the call's session (so a session's calls, which
 * its usage rows and cost-state gaps are computed from, sit together), and `ids.bin`, a hash of every
 * message.id with its bucket, to find where a copy seen in another session (a fork) already lives.
 * A hash that collides only costs a bucket read: the bucket holds the full ids.
 */
export const BUCKETS = 64;

export function bucketOf(session: string): number {
  return fnv1a(session) % BUCKETS;
}

export function idHash(messageId: string): number {
  return fnv1a(messageId);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

interface BucketFile {
  models: string[];
  sessions: string[];
  projects: string[];
  calls: StoredCall[];
}

const bucketFile = (dir: string, bucket: number) => path.join(dir, 'calls', `${bucket.toString(16).padStart(2, '0')}.json`);

/** A bucket file that does not parse (a disk fault, a hand edit): the caller rebuilds from transcripts. */
export class DamagedBucketError extends Error {
  constructor(readonly file: string) {
    super(`${file}: damaged`);
  }
}

/** Adds a bucket's calls to `table`; returns their indexes. */
export function loadBucket(dir: string, bucket: number, table: CallTable): number[] {
  const name = bucketFile(dir, bucket);
  let text: string;
  try {
    text = fs.readFileSync(name, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let file: BucketFile;
  try {
    file = JSON.parse(text) as BucketFile;
  } catch {
    throw new DamagedBucketError(name);
  }
  return file.calls.map((rec) => table.addRecord(rec, file));
}

/** Writes the calls of `table` whose session falls in `bucket`. */
export function saveBucket(dir: string, bucket: number, table: CallTable, calls: number[]): void {
  const models = new StringTable();
  const sessions = new StringTable();
  const projects = new StringTable();
  const ids = { model: (s: string) => models.id(s), session: (s: string) => sessions.id(s), project: (s: string) => projects.id(s) };
  const records = calls.map((i) => JSON.stringify(table.record(i, ids)));
  const body = `{"models":${JSON.stringify(models.list)},"sessions":${JSON.stringify(sessions.list)},"projects":${JSON.stringify(projects.list)},"calls":[\n${records.join(',\n')}\n]}\n`;
  replaceFile(bucketFile(dir, bucket), body);
}

/**
 * Replaces a store file atomically (a temp file renamed over it), without fsync: a cold scan writes
 * 64 of them, and everything in the store can be rebuilt from transcripts still on disk.
 */
export function replaceFile(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, data);
  }
  fs.renameSync(temp, file);
}

/**
 * message.id hash → bucket, for every call of the history. `ids.bin` is a run of 5-byte records
 * (hash u32 LE, bucket u8), so an update that only adds calls appends a few bytes; one that moves a
 * call to another bucket (rare) rewrites it. A torn record at the end (a crash mid-append) is
 * ignored, and the calls it was for are found again by the repair (`dirty`).
 */
export class IdIndex {
  private hashes: Uint32Array;
  private buckets: Uint8Array;
  length: number;
  /** How many entries the file on disk holds, and whether an earlier entry changed since. */
  private saved = 0;
  private rewritten = false;
  private byHash: Map<number, number[]> | undefined;

  private constructor(hashes: Uint32Array, buckets: Uint8Array, length: number) {
    this.hashes = hashes;
    this.buckets = buckets;
    this.length = this.saved = length;
  }

  static empty(): IdIndex {
    return new IdIndex(new Uint32Array(1024), new Uint8Array(1024), 0);
  }

  /** A missing file reads as undefined (the caller rebuilds). */
  static load(dir: string): IdIndex | undefined {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(dir, 'ids.bin'));
    } catch {
      return undefined;
    }
    const count = Math.floor(bytes.length / 5);
    const hashes = new Uint32Array(Math.max(1024, count * 2));
    const buckets = new Uint8Array(hashes.length);
    for (let i = 0; i < count; i++) {
      hashes[i] = bytes.readUInt32LE(5 * i);
      buckets[i] = bytes[5 * i + 4]!;
    }
    return new IdIndex(hashes, buckets, count);
  }

  save(dir: string): void {
    const file = path.join(dir, 'ids.bin');
    const from = this.rewritten ? 0 : this.saved;
    if (from === this.length) return;
    const out = Buffer.allocUnsafe(5 * (this.length - from));
    for (let i = from; i < this.length; i++) {
      out.writeUInt32LE(this.hashes[i]!, 5 * (i - from));
      out[5 * (i - from) + 4] = this.buckets[i]!;
    }
    if (from === 0) replaceFile(file, out);
    else fs.appendFileSync(file, out);
    this.saved = this.length;
    this.rewritten = false;
  }

  /** Buckets that may hold `messageId` (usually none or one). */
  lookup(messageId: string): number[] {
    const hash = idHash(messageId);
    if (this.byHash) return this.byHash.get(hash) ?? [];
    const found: number[] = [];
    for (let i = 0; i < this.length; i++) if (this.hashes[i] === hash && !found.includes(this.buckets[i]!)) found.push(this.buckets[i]!);
    return found;
  }

  /** For many lookups: one pass to build a map instead of a scan per id. */
  prepare(lookups: number): void {
    if (lookups < 32 || this.byHash) return;
    this.byHash = new Map();
    for (let i = 0; i < this.length; i++) {
      const list = this.byHash.get(this.hashes[i]!);
      if (list) list.push(this.buckets[i]!);
      else this.byHash.set(this.hashes[i]!, [this.buckets[i]!]);
    }
  }

  /** Records that `messageId` now lives in `bucket` (and no longer in `from`, when it moved). */
  place(messageId: string, from: number | undefined, bucket: number): void {
    const hash = idHash(messageId);
    if (from !== undefined) {
      for (let i = 0; i < this.length; i++) {
        if (this.hashes[i] === hash && this.buckets[i] === from) {
          this.buckets[i] = bucket;
          this.byHash = undefined;
          this.rewritten = true;
          return;
        }
      }
    }
    if (this.length === this.hashes.length) {
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      const buckets = new Uint8Array(hashes.length);
      buckets.set(this.buckets);
      this.hashes = hashes;
      this.buckets = buckets;
    }
    this.hashes[this.length] = hash;
    this.buckets[this.length++] = bucket;
    this.byHash?.get(hash)?.push(bucket) ?? this.byHash?.set(hash, [bucket]);
  }
}
