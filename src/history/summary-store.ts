import fs from 'node:fs';
import path from 'node:path';
import { bucketOf, replaceFile } from './call-store.js';
import type { HistorySummary, SessionSummary } from './summary.js';

/**
 * The per-session summary on disk, in 16 shards by session (`summary-<k>.json`) under an index
 * (`summary.json`: the model names rows point at, and which sessions are forks of which), so an
 * update loads and writes the shards of the sessions it touches, not every session ever seen.
 *
 * Order, for readers that take no lock: an update writes the index before the shards, and a full
 * read reads the shards before the index. Model names are only ever appended, so a reader always
 * has a name for every model its shards point at.
 */
const SHARDS = 16;

const VERSION = 3;

interface StoredIndex {
  version: number;
  models: string[];
  /** Every session with parents: its parents (so forks are found without loading every shard). */
  forks: Record<string, string[]>;
}

type Shard = Record<string, SessionSummary>;

/** What a session added to the calendar when its shard was loaded (see patchCalendar). */
export interface Contribution {
  rows: SessionSummary['rows'];
  gaps: SessionSummary['gaps'];
  versions: SessionSummary['versions'];
  last: number;
  costState: boolean;
}

/** A shard that does not parse, or is missing while the index names the store complete. */
export class DamagedSummaryError extends Error {}

const shardOf = (session: string) => bucketOf(session) >> 4;
const indexFile = (dir: string) => path.join(dir, 'summary.json');
const shardFile = (dir: string, k: number) => path.join(dir, `summary-${k.toString(16)}.json`);

/** The summary as an update sees it: shards loaded when a session in them is first asked about. */
export class SummaryStore {
  private readonly shards: (Shard | undefined)[] = new Array(SHARDS).fill(undefined);
  /** As loaded: what each session of a loaded shard added to the calendar. */
  readonly before = new Map<string, Contribution>();

  private constructor(
    private readonly dir: string,
    readonly models: string[],
    private readonly forks: Record<string, string[]>,
    /** summary.json as read (a turn seldom changes it: then it is not written again). */
    private readonly indexText = '',
  ) {}

  /** The store's summary, or undefined when it is missing, torn or of another version (rebuilt). */
  static load(dir: string): SummaryStore | undefined {
    try {
      const text = fs.readFileSync(indexFile(dir), 'utf8');
      const index = JSON.parse(text) as StoredIndex;
      return index.version === VERSION ? new SummaryStore(dir, index.models, index.forks, text) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A summary made from nothing: every shard loaded and empty (a new store, or a rebuild). */
  static empty(dir: string): SummaryStore {
    const store = new SummaryStore(dir, [], {});
    for (let k = 0; k < SHARDS; k++) store.shards[k] = {};
    return store;
  }

  private shard(session: string): Shard {
    return this.load(shardOf(session));
  }

  /** Shard k, read when first needed, with what each of its sessions added to the calendar as it was. */
  private load(k: number): Shard {
    let shard = this.shards[k];
    if (shard) return shard;
    shard = readShard(this.dir, k);
    for (const [s, e] of Object.entries(shard)) this.before.set(s, contributionOf(e));
    this.shards[k] = shard;
    return shard;
  }

  get(session: string): SessionSummary | undefined {
    return this.shard(session)[session];
  }

  set(session: string, entry: SessionSummary): void {
    this.shard(session)[session] = entry;
  }

  delete(session: string): void {
    delete this.shard(session)[session];
  }

  /** Sessions forked from each session (from the index: no shard is loaded). */
  children(): Map<string, string[]> {
    this.syncForks();
    const children = new Map<string, string[]>();
    for (const [s, parents] of Object.entries(this.forks))
      for (const p of parents) (children.get(p) ?? children.set(p, []).get(p)!).push(s);
    return children;
  }

  private syncForks(): void {
    this.eachLoaded((s, e) => {
      if (e.parents) this.forks[s] = e.parents;
      else delete this.forks[s];
    });
    for (const s of Object.keys(this.forks)) if (this.loaded(s) && !this.get(s)) delete this.forks[s];
  }

  private loaded(session: string): boolean {
    return this.shards[shardOf(session)] !== undefined;
  }

  /** Every session of the shards loaded so far (all that an update can have changed). */
  eachLoaded(visit: (session: string, entry: SessionSummary) => void): void {
    for (const shard of this.shards) if (shard) for (const [s, e] of Object.entries(shard)) visit(s, e);
  }

  /** Every session: each shard loaded. */
  all(): HistorySummary {
    const sessions: Record<string, SessionSummary> = {};
    for (let k = 0; k < SHARDS; k++) Object.assign(sessions, this.load(k));
    return { models: this.models, sessions };
  }

  /** Writes the index, then every shard loaded (their sessions are the ones an update can change). */
  save(): void {
    this.syncForks();
    const index: StoredIndex = { version: VERSION, models: this.models, forks: this.forks };
    const text = JSON.stringify(index);
    if (text !== this.indexText) replaceFile(indexFile(this.dir), text);
    this.shards.forEach((shard, k) => {
      if (shard) replaceFile(shardFile(this.dir, k), JSON.stringify(shard));
    });
  }
}

export function contributionOf(e: SessionSummary): Contribution {
  return { rows: e.rows, gaps: e.gaps, versions: e.versions, last: e.last, costState: e.costState === true };
}

function readShard(dir: string, k: number): Shard {
  try {
    return JSON.parse(fs.readFileSync(shardFile(dir, k), 'utf8')) as Shard;
  } catch (error) {
    throw new DamagedSummaryError(`${shardFile(dir, k)}: ${(error as Error).message}`);
  }
}

/**
 * Every session's summary, for a reader (`report session`): the shards first, then the index
 * (see the order above). Undefined when any part is missing, torn or of another version.
 */
export function loadSummary(dir: string): HistorySummary | undefined {
  try {
    const sessions: Record<string, SessionSummary> = {};
    for (let k = 0; k < SHARDS; k++) Object.assign(sessions, readShard(dir, k));
    const store = SummaryStore.load(dir);
    return store && { models: store.models, sessions };
  } catch {
    return undefined;
  }
}
