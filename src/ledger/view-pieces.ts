/**
 * The index's base as one read loads it: each piece from its file, once, and at the first piece
 * missing or damaged the whole base built again from the ledger, every piece from then on taken
 * from that build (indexed-view.ts answers the questions from them).
 */
import type {
  BaseFile,
  BuiltBase,
  CommitsFile,
  DoneFile,
  GapsFile,
  SessionRecordsFile,
  SessionsFile,
  SpecTasksFile,
  SumsFile,
  TaskSumsFile,
} from './index-base.js';
import type { ItemTable } from './packed-items.js';

/** Loads a piece of the base from its file, or undefined when it is missing or damaged. */
export interface BaseLoader {
  sessions(): SessionsFile | undefined;
  sessionRecords(): SessionRecordsFile | undefined;
  sums(): SumsFile | undefined;
  taskSums(spec: string): TaskSumsFile | undefined;
  gaps(): GapsFile | undefined;
  commits(): CommitsFile | undefined;
  done(): DoneFile | undefined;
  specTasks(spec: string): SpecTasksFile | undefined;
  month(month: string): ItemTable | undefined;
  /** Builds the whole base again from the ledger (a piece was missing or damaged). */
  rebuild(): BuiltBase;
}

export class ViewPieces {
  /** The base built again in this read (or by it, when it built the base): every piece comes from it. */
  private rebuilt: BuiltBase | undefined;
  private sessionsFile: SessionsFile | undefined;
  private sumsFile: SumsFile | undefined;
  private readonly tables = new Map<string, ItemTable>();
  /** A spec's task events (empty for a spec with none). */
  readonly specTasks: (spec: string) => SpecTasksFile;
  private readonly taskSumsOf: (spec: string) => TaskSumsFile;

  constructor(
    private readonly base: BaseFile,
    private readonly load: BaseLoader,
    built?: BuiltBase,
  ) {
    this.rebuilt = built;
    this.specTasks = this.perSpec(
      load.specTasks,
      (b) => b.specTasks,
      (spec) => ({ id: base.id, spec, events: { names: [], cells: [] } }),
    );
    this.taskSumsOf = this.perSpec(
      load.taskSums,
      (b) => b.taskSums,
      (spec) => ({ id: base.id, spec, taskMonths: {}, taskSums: {} }),
    );
  }

  /** A piece from its file when it is this base's, else from the base built again. */
  private piece<T extends { id: string }>(get: () => T | undefined, pick: (b: BuiltBase) => T): T {
    const found = this.rebuilt ? undefined : get();
    if (found && found.id === this.base.id) return found;
    return pick((this.rebuilt ??= this.load.rebuild())); // a damaged index: built again
  }

  /** A piece per spec (its task events, its tasks' sums), each loaded once: eod reads a spec's for every task a day completed. */
  private perSpec<T extends { id: string; spec: string }>(
    get: (spec: string) => T | undefined,
    pick: (b: BuiltBase) => T[],
    empty: (spec: string) => T,
  ): (spec: string) => T {
    const loaded = new Map<string, T>();
    return (spec) => {
      let stored = loaded.get(spec);
      if (!stored)
        loaded.set(
          spec,
          (stored = this.piece(
            () => get(spec),
            (b) => pick(b).find((f) => f.spec === spec) ?? empty(spec),
          )),
        );
      return stored;
    };
  }

  sessions(): SessionsFile {
    return (this.sessionsFile ??= this.piece(this.load.sessions, (b) => b.sessions));
  }

  sums(): SumsFile {
    return (this.sumsFile ??= this.piece(this.load.sums, (b) => b.sums));
  }

  /** A spec's task sums; a spec with none has no piece. */
  taskSums(spec: string): TaskSumsFile | undefined {
    return this.base.taskSumSpecs.includes(spec) ? this.taskSumsOf(spec) : undefined;
  }

  sessionRecords(): SessionRecordsFile {
    return this.piece(this.load.sessionRecords, (b) => b.sessionRecords);
  }

  gaps(): GapsFile {
    return this.piece(this.load.gaps, (b) => b.gaps);
  }

  done(): DoneFile {
    return this.piece(this.load.done, (b) => b.done);
  }

  commits(): CommitsFile {
    return this.piece(this.load.commits, (b) => b.commits);
  }

  /**
   * A month's table as the index keeps it (numbers: no object per item): kept for the next ask, or
   * (`keep` false) only handed back. A read that built the base has every month's already.
   */
  month(month: string, keep = true): ItemTable {
    let table = this.rebuilt ? this.rebuilt.monthTables.get(month) : (this.tables.get(month) ?? this.load.month(month));
    if (!table && !this.rebuilt) {
      this.rebuilt = this.load.rebuild(); // a damaged index: built again
      table = this.rebuilt.monthTables.get(month);
    } else if (table && keep && !this.rebuilt) this.tables.set(month, table);
    return table ?? { names: [], cells: [] }; // a month the base does not hold
  }
}
