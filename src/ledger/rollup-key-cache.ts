/**
 * What a rollup run needs to know of each rollup file before it asks about any call: the UTC days
 * its call keys are of, and each entry's source, Claude session and cumulative gaps. A rollup
 * file's name is a hash of its bytes, so what is known of a name holds for good: a machine keeps it
 * (state/rollup-keys.json), and a run reads a file's keys only when it asks about a call of one of
 * its days. Without it, every run read every rollup whole: ~0.4 s of a Claude session's start at a
 * team's ten years.
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../store/atomic-file.js';
import { contentHash, type RollupEntry } from './rollup-format.js';
import { isCount } from './rollup-decode.js';

export interface RollupSummary {
  /** UTC days whose call keys the file's entries hold. */
  days: string[];
  /** Each entry, in the file's order: [source file, Claude session, cumulative gaps]. */
  entries: Array<[src: string, cs: string | null, gaps: RollupEntry['gaps']]>;
}

const VERSION = 2;

/**
 * Whether a file's summary has every field in its shape. Gaps taken from it go into the rollups
 * a run writes, which are committed: one not in its shape is not used, and the file is read.
 */
function wholeSummary(s: RollupSummary | undefined): boolean {
  return (
    Array.isArray(s?.days) &&
    s.days.every((d) => typeof d === 'string') &&
    Array.isArray(s.entries) &&
    s.entries.every(
      (e) =>
        Array.isArray(e) &&
        typeof e[0] === 'string' &&
        (e[1] === null || typeof e[1] === 'string') &&
        typeof e[2] === 'object' &&
        e[2] !== null &&
        Object.values(e[2]).every((t) => Array.isArray(t) && t.length === 5 && t.every(isCount)),
    )
  );
}

export class RollupKeyCache {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly files: Map<string, RollupSummary>,
  ) {}

  /** The cache in `file`; empty when there is none or it does not read as one (it is rebuilt as runs read the rollups). */
  static load(file: string): RollupKeyCache {
    const files = new Map<string, RollupSummary>();
    try {
      // A header line (the version, a hash of the rest), then the summaries: any change to them
      // since they were written (a damaged disk) leaves the whole cache unused.
      const text = fs.readFileSync(file, 'utf8');
      const cut = text.indexOf('\n');
      const head = JSON.parse(text.slice(0, cut)) as { v?: unknown; sum?: unknown };
      const body = text.slice(cut + 1);
      if (cut > 0 && head.v === VERSION && head.sum === contentHash(body)) {
        const summaries = JSON.parse(body) as Record<string, RollupSummary>;
        for (const [rel, s] of Object.entries(summaries)) if (wholeSummary(s)) files.set(rel, s); // else the file is read
      }
    } catch {
      // missing or damaged: an empty cache
    }
    return new RollupKeyCache(file, files);
  }

  get(rel: string): RollupSummary | undefined {
    return this.files.get(rel);
  }

  set(rel: string, entries: RollupEntry[]): void {
    const days = new Set<string>();
    for (const e of entries) for (const day of Object.keys(e.keys)) days.add(day);
    this.files.set(rel, { days: [...days].sort(), entries: entries.map((e) => [e.src, e.cs, e.gaps]) });
    this.changed = true;
  }

  /** Writes what changed, keeping only the files named in `keep` (the ledger's rollups now). No error escapes: it is a cache. */
  save(keep: ReadonlySet<string>): void {
    for (const rel of this.files.keys())
      if (!keep.has(rel)) {
        this.files.delete(rel);
        this.changed = true;
      }
    if (!this.changed) return;
    try {
      const body = JSON.stringify(Object.fromEntries(this.files));
      writeFileAtomic(this.file, `${JSON.stringify({ v: VERSION, sum: contentHash(body) })}\n${body}`, {
        durable: false,
      });
      this.changed = false;
    } catch {
      // an unwritable state folder: the next run reads the rollups again
    }
  }
}
