/**
 * The report's table of distinct calls, and the forms it moves in: a call as a bucket file stores
 * it (call-store.ts), a whole table handed from a worker thread to the main one, and the calls of
 * one table folded into another. The folding itself is distinct-calls.ts.
 */
import { DistinctCalls, NUM } from './distinct-calls.js';
import { StringArena, type PackedArena } from './string-arena.js';

/** The distinct calls of a history (see DistinctCalls), as the report's history reads, merges and stores them. */
export class CallTable extends DistinctCalls {
  /** Call i as stored: `[id, time, model, session, project, flags, holders, requestId, ...5 tokens, extra?]`, string ids renumbered by `ids`. */
  record(
    i: number,
    ids: { model: (s: string) => number; session: (s: string) => number; project: (s: string) => number },
  ): StoredCall {
    const n = NUM * i;
    const holders = this.holders.get(i);
    const reqA = this.request(i);
    const rec: StoredCall = [
      this.id(i),
      this.num[n]!,
      ids.model(this.model(i)),
      ids.session(this.session(i)),
      ids.project(this.project(i)),
      this.meta[4 * i + 3]!,
      holders ? holders.map((s) => ids.session(this.sessions.list[s]!)) : ids.session(this.session(i)),
      reqA,
      this.num[n + 1]!,
      this.num[n + 2]!,
      this.num[n + 3]!,
      this.num[n + 4]!,
      this.num[n + 5]!,
    ];
    const anonymous = reqA !== null ? this.anonymous.get(i) : undefined;
    const more = this.otherRequests.get(i);
    if (anonymous || more)
      rec.push({ ...(anonymous ? { a: anonymous } : {}), ...(more ? { m: Object.fromEntries(more) } : {}) });
    return rec;
  }

  /** Folds every call of `other` in (a worker's table); returns their indexes here. */
  addAll(other: CallTable): number[] {
    const models = other.models.list.map((m) => this.models.id(m));
    const sessions = other.sessions.list.map((m) => this.sessions.id(m));
    const projects = other.projects.list.map((m) => this.projects.id(m));
    const out: number[] = [];
    for (let i = 0; i < other.size; i++) {
      const n = NUM * i;
      const m = 4 * i;
      const { num, meta } = other;
      const id = other.id(i);
      const reqA = other.request(i);
      const fold = (req: string | null, session: number, tokens: number[], time = num[n]!) =>
        this.fold(id, req, time, models[meta[m]!]!, session, projects[meta[m + 2]!]!, meta[m + 3]!, tokens);
      const at = fold(reqA, sessions[meta[m + 1]!]!, [num[n + 1]!, num[n + 2]!, num[n + 3]!, num[n + 4]!, num[n + 5]!]);
      if (other.anonymous.size && reqA !== null) {
        const a = other.anonymous.get(i);
        if (a) fold(null, sessions[meta[m + 1]!]!, a);
      }
      for (const [req, tokens] of other.otherRequests.get(i) ?? []) fold(req, sessions[meta[m + 1]!]!, tokens);
      for (const h of other.holders.get(i) ?? []) fold(reqA, sessions[h]!, [0, 0, 0, 0, 0], Infinity);
      out.push(at);
    }
    return out;
  }

  /** Folds call i of `other` in: every request variant, every session holding a copy. */
  addFrom(other: CallTable, i: number): number {
    return this.addRecord(other.record(i, other.ownIds), other.names);
  }

  private get ownIds() {
    return {
      model: (s: string) => this.models.id(s),
      session: (s: string) => this.sessions.id(s),
      project: (s: string) => this.projects.id(s),
    };
  }

  private get names() {
    return { models: this.models.list, sessions: this.sessions.list, projects: this.projects.list };
  }

  /** The table as plain data and typed arrays, to hand from a worker thread to the main one. */
  pack(): PackedCalls {
    const n = this.size;
    return {
      names: this.names,
      ids: this.idArena.pack(),
      reqs: this.reqArena.pack(),
      num: this.num.slice(0, NUM * n),
      meta: this.meta.slice(0, 4 * n),
      anonymous: [...this.anonymous],
      otherRequests: [...this.otherRequests].map(([i, m]) => [i, [...m]]),
      holders: [...this.holders],
    };
  }

  /** The table back from pack() (its typed arrays adopted, not copied). */
  static unpack(p: PackedCalls): CallTable {
    const t = new CallTable();
    for (const m of p.names.models) t.models.id(m);
    for (const s of p.names.sessions) t.sessions.id(s);
    for (const s of p.names.projects) t.projects.id(s);
    t.idArena = StringArena.unpack(p.ids, true);
    t.reqArena = StringArena.unpack(p.reqs);
    t.num = p.num;
    t.meta = p.meta;
    for (const [i, v] of p.anonymous) t.anonymous.set(i, v);
    for (const [i, m] of p.otherRequests) t.otherRequests.set(i, new Map(m));
    for (const [i, h] of p.holders) t.holders.set(i, h);
    return t;
  }

  /** Folds a stored call back in (its string ids resolved by `names`): the same as adding its copies again. */
  addRecord(rec: StoredCall, names: { models: string[]; sessions: string[]; projects: string[] }): number {
    const [id, time, model, session, project, flags, holders, reqA, t0, t1, t2, t3, t4, extra] = rec;
    const m = this.models.id(names.models[model]!);
    const p = this.projects.id(names.projects[project]!);
    const s = this.sessions.id(names.sessions[session]!);
    const i = this.fold(id, reqA, time, m, s, p, flags, [t0, t1, t2, t3, t4]);
    if (extra?.a) this.fold(id, null, time, m, s, p, flags, extra.a);
    for (const [req, tokens] of Object.entries(extra?.m ?? {})) this.fold(id, req, time, m, s, p, flags, tokens);
    for (const h of Array.isArray(holders) ? holders : [])
      this.fold(id, reqA, Infinity, m, this.sessions.id(names.sessions[h]!), p, flags, [0, 0, 0, 0, 0]);
    return i;
  }
}

/** A CallTable as structured-clone data (typed arrays are transferred, not copied). */
export interface PackedCalls {
  names: { models: string[]; sessions: string[]; projects: string[] };
  ids: PackedArena;
  reqs: PackedArena;
  num: Float64Array;
  meta: Uint32Array;
  anonymous: Array<[number, number[]]>;
  otherRequests: Array<[number, Array<[string, number[]]>]>;
  holders: Array<[number, number[]]>;
}

/** A call in a bucket file; see CallTable.record. */
export type StoredCall = [
  id: string,
  time: number,
  model: number,
  session: number,
  project: number,
  flags: number,
  holders: number | number[],
  requestId: string | null,
  input: number,
  output: number,
  cacheWrite5m: number,
  cacheWrite1h: number,
  cacheRead: number,
  extra?: { a?: number[]; m?: Record<string, number[]> },
];
