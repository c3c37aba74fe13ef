import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallTable, StoredCall } from './call-table.js';
import { StringTable } from './string-table.js';

/**
 * The distinct calls of a history on disk, so that adding one turn reads and writes a small part:
 * `calls/<bucket>.json`, one of 256 buckets chosen by the call's session (so a session's calls, which
 * its usage rows and cost-state gaps are computed from, sit together), and `ids.hash`/`ids.bucket`, a hash of
 * every message.id with its bucket, to find where a copy seen in another session (a fork) already lives.
 * A hash that collides only costs a bucket read: the bucket holds the full ids.
 */
export const BUCKETS = 256;

const LITTLE_ENDIAN = os.endianness() === 'LE';

const bucketOfSession = new Map<string, number>();

/** Memoised: an update asks this of every call of the buckets it loads (a session's, over and over). */
export function bucketOf(session: string): number {
  let bucket = bucketOfSession.get(session);
  if (bucket === undefined) bucketOfSession.set(session, (bucket = fnv1a(session) % BUCKETS));
  return bucket;
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

const bucketFile = (dir: string, bucket: number) =>
  path.join(dir, 'calls', `${bucket.toString(16).padStart(2, '0')}.json`);

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
  const file = parseBucket(text);
  if (!file) throw new DamagedBucketError(name);
  return file.calls.map((rec) => table.addRecord(rec, file));
}

/**
 * A bucket file's text as its calls, or undefined when it is not one: not JSON, or JSON of another
 * shape (a hand edit, another program's file). Each record is checked as far as folding it needs.
 */
export function parseBucket(text: string): BucketFile | undefined {
  let file: BucketFile;
  try {
    file = JSON.parse(text) as BucketFile;
  } catch {
    return undefined;
  }
  if (typeof file !== 'object' || file === null) return undefined;
  const { models, sessions, projects, calls } = file;
  const names = [models, sessions, projects];
  if (!names.every((list) => Array.isArray(list) && list.every((n) => typeof n === 'string'))) return undefined;
  if (!Array.isArray(calls)) return undefined;
  const index = (list: string[], i: unknown) =>
    Number.isInteger(i) && (i as number) >= 0 && (i as number) < list.length;
  for (const rec of calls as unknown[]) {
    if (!Array.isArray(rec) || rec.length < 13 || rec.length > 14) return undefined;
    const [id, time, model, session, project, flags, holders, req] = rec as unknown[];
    if (typeof id !== 'string' || typeof time !== 'number' || typeof flags !== 'number') return undefined;
    if (!index(models, model) || !index(sessions, session) || !index(projects, project)) return undefined;
    if (!(req === null || typeof req === 'string')) return undefined;
    if (!(Array.isArray(holders) ? holders.every((h) => index(sessions, h)) : typeof holders === 'number'))
      return undefined;
    for (let k = 8; k < 13; k++) if (typeof rec[k] !== 'number') return undefined;
    if (rec.length === 14 && !isExtra(rec[13])) return undefined;
  }
  return file;
}

const isTokens = (t: unknown) => Array.isArray(t) && t.length === 5 && t.every((n) => typeof n === 'number');

/** A record's side variants (CallTable.record): `a`, the copies without a requestId; `m`, other request ids. */
function isExtra(extra: unknown): boolean {
  if (typeof extra !== 'object' || extra === null) return false;
  const { a, m } = extra as { a?: unknown; m?: unknown };
  if (a !== undefined && !isTokens(a)) return false;
  return m === undefined || (typeof m === 'object' && m !== null && Object.values(m).every(isTokens));
}

/** A bucket file's own string tables: the ids its records use, then the lists it stores. */
export function bucketStrings() {
  const models = new StringTable();
  const sessions = new StringTable();
  const projects = new StringTable();
  return {
    ids: {
      model: (s: string) => models.id(s),
      session: (s: string) => sessions.id(s),
      project: (s: string) => projects.id(s),
    },
    lists: () => ({ models: models.list, sessions: sessions.list, projects: projects.list }),
  };
}

/** Writes the calls of `table` whose session falls in `bucket`. */
export function saveBucket(dir: string, bucket: number, table: CallTable, calls: number[]): void {
  const strings = bucketStrings();
  const records = calls.map((i) => JSON.stringify(table.record(i, strings.ids)));
  const { models, sessions, projects } = strings.lists();
  const body = `{"models":${JSON.stringify(models)},"sessions":${JSON.stringify(sessions)},"projects":${JSON.stringify(projects)},"calls":[\n${records.join(',\n')}\n]}\n`;
  replaceFile(bucketFile(dir, bucket), body);
}

/**
 * Replaces a store file atomically (a temp file renamed over it), without fsync: a cold scan writes
 * 256 of them, and everything in the store can be rebuilt from transcripts still on disk.
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
 * message.id hash → bucket, for every call of the history: `ids.hash` (u32 each, little-endian) and
 * `ids.bucket` (a byte each), both append-only, so an update that only adds calls appends a few
 * bytes and loading is one read into a typed array. One that moves a call to another bucket (rare)
 * rewrites them. Of a torn append (a crash), only the entries both files hold are used; the repair
 * that follows (`dirty`) rewrites them.
 */
export class IdIndex {
  private hashes: Uint32Array;
  private buckets: Uint8Array;
  length: number;
  /** How many entries the files hold. */
  private saved = 0;
  /** Whether an earlier entry changed since, or the files are not there yet (a new or rebuilt index). */
  private rewritten: boolean;
  private byHash: Map<number, number[]> | undefined;

  private constructor(hashes: Uint32Array, buckets: Uint8Array, length: number, onDisk: boolean) {
    this.hashes = hashes;
    this.buckets = buckets;
    this.length = this.saved = length;
    this.rewritten = !onDisk;
  }

  /** A new index, written whole at its first save (even with no entry: a store without one is rebuilt). */
  static empty(): IdIndex {
    return new IdIndex(new Uint32Array(1024), new Uint8Array(1024), 0, false);
  }

  /** A missing index reads as undefined (the caller rebuilds). */
  static load(dir: string): IdIndex | undefined {
    let hashBytes: Buffer;
    let buckets: Buffer;
    try {
      hashBytes = fs.readFileSync(path.join(dir, 'ids.hash'));
      buckets = fs.readFileSync(path.join(dir, 'ids.bucket'));
    } catch {
      return undefined; // no id index (first run, or lost): the caller rebuilds it
    }
    const count = Math.min(hashBytes.length >> 2, buckets.length);
    const hashes = new Uint32Array(Math.max(1024, Math.ceil(count * 1.5)));
    if (LITTLE_ENDIAN && hashBytes.byteOffset % 4 === 0)
      hashes.set(new Uint32Array(hashBytes.buffer, hashBytes.byteOffset, count));
    else for (let i = 0; i < count; i++) hashes[i] = hashBytes.readUInt32LE(4 * i);
    const bucketArray = new Uint8Array(hashes.length);
    bucketArray.set(buckets.subarray(0, count));
    return new IdIndex(hashes, bucketArray, count, true);
  }

  save(dir: string): void {
    const from = this.rewritten ? 0 : this.saved;
    if (from === this.length && !this.rewritten) return;
    const hashes = Buffer.allocUnsafe(4 * (this.length - from));
    for (let i = from; i < this.length; i++) hashes.writeUInt32LE(this.hashes[i]!, 4 * (i - from));
    const buckets = Buffer.from(this.buckets.subarray(from, this.length));
    for (const [name, bytes] of [
      ['ids.hash', hashes],
      ['ids.bucket', buckets],
    ] as const) {
      if (from === 0) replaceFile(path.join(dir, name), bytes);
      else fs.appendFileSync(path.join(dir, name), bytes);
    }
    this.saved = this.length;
    this.rewritten = false;
  }

  /** Buckets that may hold `messageId` (usually none or one). */
  lookup(messageId: string): number[] {
    const hash = idHash(messageId);
    if (this.byHash) return this.byHash.get(hash) ?? [];
    // The typed array's own indexOf: a native scan, fast even before this code is optimised (a
    // turn's update makes two or three lookups, each its process's first).
    const found: number[] = [];
    for (let i = this.hashes.indexOf(hash); i >= 0 && i < this.length; i = this.hashes.indexOf(hash, i + 1))
      if (!found.includes(this.buckets[i]!)) found.push(this.buckets[i]!);
    return found;
  }

  /** For many lookups: one pass to build a map instead of a scan per id. */
  prepare(lookups: number): void {
    if (lookups < 32 || this.byHash) return;
    const byHash = (this.byHash = new Map());
    for (let i = 0; i < this.length; i++) remember(byHash, this.hashes[i]!, this.buckets[i]!);
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
    if (this.byHash) remember(this.byHash, hash, bucket);
  }
}

/** `bucket` among the buckets of `hash`, once (as a scan of the index lists them). */
function remember(byHash: Map<number, number[]>, hash: number, bucket: number): void {
  const known = byHash.get(hash);
  if (!known) byHash.set(hash, [bucket]);
  else if (!known.includes(bucket)) known.push(bucket);
}
