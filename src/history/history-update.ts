import { BUCKETS, bucketOf, type IdIndex, loadBucket, saveBucket } from './call-store.js';
import { CallTable } from './call-table.js';
import { costStateGaps } from './cost-state-gaps.js';
import { sessionCounts } from './count-snapshots.js';
import type { FileEntry, FileIndex } from './file-index.js';
import { gapRow, modelIndex, summarizeSession } from './summary.js';
import type { SummaryStore } from './summary-store.js';

/**
 * One update of a store, in memory: the buckets it needs are loaded into a CallTable, new copies
 * are folded in, and the summary of every session they touch is recomputed from that session's
 * calls (never patched by deltas, so it cannot drift). Only touched buckets are written back.
 */
export class HistoryUpdate {
  table = new CallTable();
  private readonly loaded = new Set<number>();
  /** The bucket each loaded call came from. */
  private readonly origin = new Map<number, number>();
  private readonly touched = new Marks();
  /** Sessions whose rows change: those that represented a touched call before, and after. */
  private readonly rowSessions = new Set<string>();
  private readonly rewrite = new Set<number>();
  private lastBucket = -1;
  private lastSession = '';

  /** `empty`: a store with no calls yet (nothing to load). */
  constructor(
    private readonly store: string,
    readonly index: IdIndex,
    private readonly empty = false,
  ) {}

  private load(bucket: number): void {
    if (this.loaded.has(bucket) || this.empty) return;
    this.loaded.add(bucket);
    for (const i of loadBucket(this.store, bucket, this.table)) {
      const from = this.origin.get(i);
      if (from === undefined) this.origin.set(i, bucket);
      else {
        // In two buckets (an update died while moving it): merged now, written to one.
        this.touched.add(i);
        this.rewrite.add(from).add(bucket);
      }
    }
  }

  /** A rebuild (`index` must be empty): every bucket loaded and indexed, every session recomputed. */
  loadAll(): void {
    for (let b = 0; b < BUCKETS; b++) this.load(b);
    for (let i = 0; i < this.table.size; i++) {
      this.touched.add(i);
      this.index.place(this.table.id(i), undefined, this.origin.get(i)!);
    }
  }

  /** Folds the calls of a scan in: each into the call it copies, wherever that lives. */
  addTable(fresh: CallTable): void {
    if (this.empty) {
      // Nothing on disk to merge with: the scan's tables are the history.
      if (this.table.size === 0) this.table = fresh;
      else this.table.addAll(fresh);
      this.touched.all();
      return;
    }
    this.index.prepare(fresh.size);
    for (let i = 0; i < fresh.size; i++) {
      const id = fresh.id(i);
      if (this.index.length > 0) for (const b of this.index.lookup(id)) this.load(b);
      const session = fresh.session(i);
      if (session !== this.lastSession) {
        this.lastSession = session;
        this.lastBucket = bucketOf(session);
      }
      this.load(this.lastBucket);
      const before = this.table.indexOf(id);
      if (before !== undefined && !this.touched.has(before)) this.rowSessions.add(this.table.session(before));
      this.touched.add(this.table.addFrom(fresh, i));
    }
  }

  /** Recomputes what the touched calls change in `summary` (then `save` writes the buckets). */
  finish(summary: SummaryStore, files: FileIndex, readFiles: string[]): void {
    const { table } = this;
    for (const i of this.touched.list(table.size)) this.rowSessions.add(table.session(i));
    this.summarizeRows(summary);
    const gapSessions = new Set(this.rowSessions);
    for (const i of this.touched.list(table.size)) {
      const rep = table.session(i);
      for (const h of table.holdersOf(i)) {
        gapSessions.add(h);
        if (h !== rep) addParent(summary, h, rep);
      }
    }
    for (const file of readFiles) {
      const f = files.get(file)!;
      gapSessions.add(f.countSession ?? f.sessionId);
      for (const s of f.sessions ?? []) gapSessions.add(s);
    }
    this.updateVersions(summary, files, gapSessions);
    this.updateGaps(summary, files, gapSessions);
  }

  private summarizeRows(summary: SummaryStore): void {
    const calls = new Map<string, number[]>();
    for (const s of this.rowSessions) {
      this.load(bucketOf(s));
      calls.set(s, []);
    }
    for (let i = 0; i < this.table.size; i++) calls.get(this.table.session(i))?.push(i);
    for (const [s, list] of calls) {
      const previous = summary.get(s);
      if (list.length === 0 && !previous?.gaps.length && !previous?.parents) summary.delete(s);
      else summary.set(s, summarizeSession(this.table, list, summary, previous));
    }
  }

  /** Versions seen per session, and whether any of its files holds a cost-state line. */
  private updateVersions(summary: SummaryStore, files: FileIndex, sessions: Set<string>): void {
    const found = new Map<string, { versions: Set<string>; costState: boolean }>();
    const note = (s: string, f: FileEntry) => {
      if (!sessions.has(s) || !summary.get(s)) return;
      const v = found.get(s) ?? found.set(s, { versions: new Set(), costState: false }).get(s)!;
      for (const version of f.versions ?? []) v.versions.add(version);
      v.costState ||= f.costState === true;
    };
    // Every file naming a session asked about (a session's versions are all its files').
    for (const f of files.namingAny(sessions)) {
      for (const s of f.sessions ?? []) note(s, f);
      if (f.costState) {
        const counted = f.countSession ?? f.sessionId;
        if (!f.sessions?.includes(counted)) note(counted, f);
      }
    }
    for (const [s, v] of found) {
      const entry = summary.get(s)!;
      if (v.versions.size) entry.versions = [...v.versions].sort();
      if (v.costState) entry.costState = true;
    }
  }

  /**
   * Cost-state gaps of the sessions whose calls or counts changed, of the forks of those (they
   * inherit their parents' counts), and of the parents of all of these (a fork's gaps need them).
   */
  private updateGaps(summary: SummaryStore, files: FileIndex, changed: Set<string>): void {
    const children = summary.children();
    const down = walk([...changed], (s) => children.get(s) ?? []);
    const closure = walk([...down], (s) => summary.get(s)?.parents ?? []);
    const counts = sessionCounts(files.namingAny(closure), closure);
    if (counts.length === 0) return;
    for (const s of closure) this.load(bucketOf(s));
    const gaps = costStateGaps(this.table, counts);
    for (const { sessionId } of counts) {
      const rows = (gaps.get(sessionId) ?? []).map((g) => gapRow(g.at, modelIndex(summary, g.model), g.tokens));
      const entry = summary.get(sessionId);
      if (entry) entry.gaps = rows;
      else if (rows.length) summary.set(sessionId, { project: '', first: 0, last: 0, rows: [], gaps: rows });
    }
  }

  /** Writes the touched buckets and the id index. */
  save(): void {
    const { table } = this;
    for (const i of this.touched.list(table.size)) {
      const home = bucketOf(table.session(i));
      const from = this.origin.get(i);
      this.rewrite.add(home);
      if (from !== undefined) this.rewrite.add(from);
      if (from !== home) this.index.place(table.id(i), from, home);
    }
    const byBucket = new Map<number, number[]>([...this.rewrite].map((b) => [b, []]));
    for (let i = 0; i < table.size; i++) byBucket.get(bucketOf(table.session(i)))?.push(i);
    for (const [b, calls] of byBucket) saveBucket(this.store, b, table, calls);
    this.index.save(this.store); // writes nothing when nothing changed and its files are there
  }
}

function addParent(summary: SummaryStore, session: string, parent: string): void {
  let entry = summary.get(session);
  if (!entry) summary.set(session, (entry = { project: '', first: 0, last: 0, rows: [], gaps: [] }));
  if (!entry.parents?.includes(parent)) entry.parents = [...(entry.parents ?? []), parent];
}

function walk(start: string[], next: (s: string) => string[]): Set<string> {
  const seen = new Set(start);
  for (const s of seen) for (const n of next(s)) seen.add(n);
  return seen;
}

/** Which calls of the table an update touched: a bitmap (a first run touches all of them). */
class Marks {
  private bits = new Uint8Array(1024);
  private every = false;
  any = false;

  add(i: number): void {
    if (i >= this.bits.length) {
      const bits = new Uint8Array(Math.max(i + 1, this.bits.length * 2));
      bits.set(this.bits);
      this.bits = bits;
    }
    this.bits[i] = 1;
    this.any = true;
  }

  all(): void {
    this.every = this.any = true;
  }

  has(i: number): boolean {
    return this.every || this.bits[i] === 1;
  }

  *list(size: number): Generator<number> {
    for (let i = 0; i < size; i++) if (this.every || this.bits[i] === 1) yield i;
  }
}
