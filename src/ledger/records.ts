/**
 * The ledger: what spec-session commits to the repo. One JSON object per line, in append-only files
 * docs/sessions/ledger/<YYYY-MM-DD>/<writer>.jsonl where the writer is one Claude session (or one
 * machine's CLI), so two people or two terminals never write the same file: no merge conflicts.
 *
 * Counts, ids, names and timestamps only, never transcript content. Every total is a fold of the
 * set of records (read-ledger.ts): a record written twice, by a retried hook or a parallel one,
 * folds to the same totals, because calls are keyed by their API ids and merged field-wise by max.
 */
export interface Attribution {
  ws: string | null;
  spec: string | null;
  task: string | null;
}

interface Tokens {
  in: number;
  out: number;
  cw5: number;
  cw1h: number;
  cr: number;
}

/** One copy of one API call, attributed to what was active for its Claude session at its time. */
export interface CallRecord extends Attribution, Tokens {
  k: 'call';
  msg: string;
  req: string | null;
  t: string;
  cs: string;
  model: string;
  agent?: string;
  fast?: true;
}

/**
 * Usage Claude Code counted (its cost-state line) that no assistant line shows, e.g. the compaction
 * summary call. The token fields are CUMULATIVE for (cs, model): the fold takes the segments between
 * distinct cumulative values, so any re-reading or chunking folds to the same total.
 */
export interface GapRecord extends Attribution, Tokens {
  k: 'gap';
  id: string;
  t: string;
  cs: string;
  model: string;
}

/** From time t on, calls of Claude session cs belong to (ws, spec, task). */
export interface BindRecord extends Attribution {
  k: 'bind';
  t: string;
  cs: string;
  why: string;
}

export interface SessionRecord {
  k: 'session';
  t: string;
  ws: string;
  spec: string;
  event: 'start' | 'end';
  cs: string | null;
}

export interface TaskRecord {
  k: 'task';
  t: string;
  ws: string | null;
  spec: string;
  task: string;
  event: 'start' | 'done';
  cs: string | null;
  source: string;
}

/** Work done outside Claude Code, recorded by /log-task. */
export interface ManualRecord extends Tokens {
  k: 'manual';
  id: string;
  t: string;
  ws: string | null;
  spec: string;
  task: string;
  status: string;
  model: string;
}

export type LedgerRecord = CallRecord | GapRecord | BindRecord | SessionRecord | TaskRecord | ManualRecord;
