import type { ApiCall } from '../usage/api-call.js';
import type { TokenCounts } from '../usage/tokens.js';
import { StringArena, type PackedArena } from './string-arena.js';

/** Strings numbered in order of first use (models, sessions, projects): records hold the numbers. */
export class StringTable {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  id(text: string): number {
    let n = this.index.get(text);
    if (n === undefined) {
      n = this.list.push(text) - 1;
      this.index.set(text, n);
    }
    return n;
  }
}

const COPIED = 1; // the representative copy is a fork's copy (requestSessionId names another session)
const FAST = 2;
const NUM = 6; // per record: time, then the five token kinds of request variant A

/**
 * The distinct API calls of a history, each once, whatever number of copies were added: the same
 * rules as usage/call-set.ts (keyed by message.id; per requestId the field-wise max over copies; a
 * copy without requestId merges into the call with the same message.id; the earliest copy
 * represents the call) in typed arrays instead of an object per call, so a 1.6 GiB history folds
 * in a few MB. Also kept per call: every session holding a copy (cost-state gaps credit them).
 *
 * Request variant A is the first copy's requestId (null: copies without one); other request ids
 * and id-less copies beside a requestId live in small side maps, rarely used.
 */
export class CallTable {
  readonly models = new StringTable();
  readonly sessions = new StringTable();
  readonly projects = new StringTable();
  /** message.id of each call, and request variant A's requestId (null: copies without one). */
  private idArena = new StringArena(true);
  private reqArena = new StringArena();
  private num: Float64Array<ArrayBufferLike> = new Float64Array(NUM * 1024);
  private meta: Uint32Array<ArrayBufferLike> = new Uint32Array(4 * 1024); // model, session, project, flags
  private readonly anonymous = new Map<number, number[]>();
  private readonly otherRequests = new Map<number, Map<string, number[]>>();
  /** Sessions holding copies, when more than the representative's. */
  private readonly holders = new Map<number, number[]>();

  get size(): number {
    return this.idArena.count;
  }

  indexOf(messageId: string): number | undefined {
    return this.idArena.indexOf(messageId);
  }

  id(i: number): string {
    return this.idArena.get(i)!;
  }

  private request(i: number): string | null {
    return this.reqArena.get(i);
  }

  /** Adds one copy of a call seen in `session`'s files under `project`; returns the call's index. */
  addCopy(call: ApiCall, session: string, project: string): number {
    const flags = (call.copiedFrom ? COPIED : 0) | (call.speed === 'fast' ? FAST : 0);
    const t = call.tokens;
    return this.fold(
      call.messageId,
      call.requestId,
      call.time,
      this.models.id(call.model),
      this.sessions.id(session),
      this.projects.id(project),
      flags,
      [t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead],
    );
  }

  /** Folds one request variant of a call (numbers are this table's string ids). */
  fold(
    messageId: string,
    requestId: string | null,
    time: number,
    model: number,
    session: number,
    project: number,
    flags: number,
    tokens: number[],
  ): number {
    let i = this.idArena.indexOf(messageId);
    if (i === undefined) {
      i = this.idArena.count;
      if (NUM * (i + 1) > this.num.length) this.grow();
      this.idArena.push(messageId);
      this.reqArena.push(requestId);
      const n = NUM * i;
      this.num[n] = time;
      for (let k = 0; k < 5; k++) this.num[n + 1 + k] = tokens[k]!;
      const m = 4 * i;
      this.meta[m] = model;
      this.meta[m + 1] = session;
      this.meta[m + 2] = project;
      this.meta[m + 3] = flags;
      return i;
    }
    const n = NUM * i;
    const m = 4 * i;
    if (this.reqArena.equals(i, requestId))
      for (let k = 0; k < 5; k++) this.num[n + 1 + k] = Math.max(this.num[n + 1 + k]!, tokens[k]!);
    else if (requestId === null) maxInto(this.anonymous, i, tokens);
    else {
      let more = this.otherRequests.get(i);
      if (!more) this.otherRequests.set(i, (more = new Map()));
      const seen = more.get(requestId);
      more.set(requestId, seen ? seen.map((v, k) => Math.max(v, tokens[k]!)) : [...tokens]);
    }
    this.meta[m + 3] = this.meta[m + 3]! | (flags & FAST);
    if (session !== this.meta[m + 1] && !this.holders.get(i)?.includes(session)) {
      const list = this.holders.get(i) ?? [this.meta[m + 1]!];
      list.push(session);
      this.holders.set(i, list);
    }
    if (this.precedes(time, (flags & COPIED) !== 0, session, i)) {
      this.num[n] = time;
      this.meta[m] = model;
      this.meta[m + 1] = session;
      this.meta[m + 2] = project;
      this.meta[m + 3] = (this.meta[m + 3]! & FAST) | (flags & COPIED);
    }
    return i;
  }

  /** Same order as CallSet: earlier time; then the original over a fork's copy; then the lower session id. */
  private precedes(time: number, copied: boolean, session: number, i: number): boolean {
    const current = this.num[NUM * i]!;
    if (time !== current) return time < current;
    const currentCopied = (this.meta[4 * i + 3]! & COPIED) !== 0;
    if (copied !== currentCopied) return !copied;
    return this.sessions.list[session]! < this.sessions.list[this.meta[4 * i + 1]!]!;
  }

  private grow(): void {
    const num = new Float64Array(Math.max(NUM * 1024, NUM * Math.ceil((this.num.length / NUM) * 1.5)));
    num.set(this.num);
    this.num = num;
    const meta = new Uint32Array((num.length / NUM) * 4);
    meta.set(this.meta);
    this.meta = meta;
  }

  time(i: number): number {
    return this.num[NUM * i]!;
  }
  model(i: number): string {
    return this.models.list[this.meta[4 * i]!]!;
  }
  session(i: number): string {
    return this.sessions.list[this.meta[4 * i + 1]!]!;
  }
  project(i: number): string {
    return this.projects.list[this.meta[4 * i + 2]!]!;
  }
  fast(i: number): boolean {
    return (this.meta[4 * i + 3]! & FAST) !== 0;
  }
  copied(i: number): boolean {
    return (this.meta[4 * i + 3]! & COPIED) !== 0;
  }

  /** Whether sessions other than the representative's hold copies of call i. */
  heldElsewhere(i: number): boolean {
    return this.holders.size > 0 && this.holders.has(i);
  }

  /** Every session holding a copy of call i (the representative's first). */
  holdersOf(i: number): string[] {
    const list = this.holders.get(i);
    return list ? list.map((s) => this.sessions.list[s]!) : [this.session(i)];
  }

  /** The call's tokens, as CallSet sums them: per requestId (sorted), the first merged with the id-less copies. */
  tokens(i: number): TokenCounts {
    const n = NUM * i;
    const num = this.num;
    const more = this.otherRequests.size ? this.otherRequests.get(i) : undefined;
    const reqA = more || this.anonymous.size ? this.request(i) : '';
    if (!more && (reqA === null || !this.anonymous.has(i)))
      return {
        input: num[n + 1]!,
        output: num[n + 2]!,
        cacheWrite5m: num[n + 3]!,
        cacheWrite1h: num[n + 4]!,
        cacheRead: num[n + 5]!,
      };
    const a = [num[n + 1]!, num[n + 2]!, num[n + 3]!, num[n + 4]!, num[n + 5]!];
    let total: number[];
    if (reqA === null && !more) total = a;
    else {
      const anonymous = reqA === null ? a : this.anonymous.get(i);
      const variants = new Map(more);
      if (reqA !== null) variants.set(reqA, a);
      total = [0, 0, 0, 0, 0];
      [...variants.keys()].sort().forEach((id, k) => {
        const own = variants.get(id)!;
        for (let x = 0; x < 5; x++) total[x]! += k === 0 && anonymous ? Math.max(own[x]!, anonymous[x]!) : own[x]!;
      });
    }
    return {
      input: total[0]!,
      output: total[1]!,
      cacheWrite5m: total[2]!,
      cacheWrite1h: total[3]!,
      cacheRead: total[4]!,
    };
  }

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

function maxInto(map: Map<number, number[]>, i: number, tokens: number[]): void {
  const seen = map.get(i);
  map.set(i, seen ? seen.map((v, k) => Math.max(v, tokens[k]!)) : [...tokens]);
}
