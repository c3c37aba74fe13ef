/**
 * The distinct API calls of a history in typed arrays: how copies fold into one call (the rules of
 * usage/call-set.ts) and what is read back per call. How a table moves (to a bucket file, between
 * threads, into another table) is call-table.ts.
 */
import type { ApiCall } from '../usage/api-call.js';
import { tokensAt, type TokenCounts } from '../usage/tokens.js';
import { StringArena } from './string-arena.js';
import { StringTable } from './string-table.js';

const COPIED = 1; // the representative copy is a fork's copy (requestSessionId names another session)
const FAST = 2;
export const NUM = 6; // per record: time, then the five token kinds of request variant A
/** Room a message or request id takes (`msg_` or `req_` and 24 characters), with some to spare. */
const ID_BYTES = 32;

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
export class DistinctCalls {
  readonly models = new StringTable();
  readonly sessions = new StringTable();
  readonly projects = new StringTable();
  /** message.id of each call, and request variant A's requestId (null: copies without one). */
  protected idArena = new StringArena(true);
  protected reqArena = new StringArena();
  protected num: Float64Array<ArrayBufferLike> = new Float64Array(NUM * 1024);
  protected meta: Uint32Array<ArrayBufferLike> = new Uint32Array(4 * 1024); // model, session, project, flags
  protected readonly anonymous = new Map<number, number[]>();
  protected readonly otherRequests = new Map<number, Map<string, number[]>>();
  /** Sessions holding copies, when more than the representative's. */
  protected readonly holders = new Map<number, number[]>();

  get size(): number {
    return this.idArena.count;
  }

  indexOf(messageId: string): number | undefined {
    return this.idArena.indexOf(messageId);
  }

  id(i: number): string {
    return this.idArena.get(i)!;
  }

  protected request(i: number): string | null {
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

  /**
   * Room for `calls` distinct calls, made at once (see StringArena.reserve): a scan reserves what
   * the bytes it is about to read may hold. Fewer only means the tables grow as they fill.
   */
  reserve(calls: number): void {
    if (NUM * calls > this.num.length) this.resize(calls);
    this.idArena.reserve(calls, calls * ID_BYTES);
    this.reqArena.reserve(calls, calls * ID_BYTES);
  }

  private grow(): void {
    this.resize(Math.max(1024, Math.ceil((this.num.length / NUM) * 1.5)));
  }

  private resize(calls: number): void {
    const num = new Float64Array(NUM * calls);
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
    if (!more && (reqA === null || !this.anonymous.has(i))) return tokensAt(num, n + 1);
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
}

function maxInto(map: Map<number, number[]>, i: number, tokens: number[]): void {
  const seen = map.get(i);
  map.set(i, seen ? seen.map((v, k) => Math.max(v, tokens[k]!)) : [...tokens]);
}
