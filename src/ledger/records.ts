/**
 * The ledger: what spec-session commits to the repo. One JSON object per line, in append-only files
 * docs/sessions/ledger/<YYYY-MM-DD>/<writer>.jsonl where the writer is one Claude session (or one
 * machine's CLI), so two people or two terminals never write the same file: no merge conflicts.
 * Closed files are later rolled up into `rollup-<hash>.json` files (rollup-format.ts).
 *
 * Counts, ids, names and timestamps only, never transcript content. Every total is a fold of the
 * set of records (read-ledger.ts): a record written twice, by a retried hook or a parallel one,
 * folds to the same totals, because calls are keyed by their API ids and merged field-wise by max.
 *
 * The record types are derived from the one schema (ledger-schema.ts); type-only imports keep zod
 * out of the hook bundle. Meanings:
 * - `call`: one copy of one API call, attributed to what was active for its Claude session at its time.
 * - `gap`: usage Claude Code counted (its cost-state line) that no assistant line shows, e.g. the
 *   compaction summary call. Its token fields are CUMULATIVE for (cs, model): the fold takes the
 *   segments between distinct cumulative values, so any re-reading or chunking folds to the same total.
 * - `bind`: from time t on, calls of Claude session cs belong to (ws, spec, task).
 * - `session`, `task`: work-session and task events; `manual`: work done outside Claude Code (/log-task).
 * - `end`: the Claude session ended (SessionEnd); its file is closed.
 * - `git`: a branch switch or a commit; `plan`: a planning turn; `version`: the Claude Code
 *   versions a Claude session's transcripts came from, and whether one wrote a cost-state line.
 */
import type { LedgerRecordInput, LineOf } from './ledger-schema.js';

export interface Attribution {
  ws: string | null;
  spec: string | null;
  task: string | null;
  /** A planning phase of the spec (a turn with no task writing its documents); absent or null otherwise. */
  phase?: Phase | null;
}

export type Phase = 'requirements' | 'design' | 'tasks';

type Written<K extends LedgerRecordInput['k']> = Extract<LedgerRecordInput, { k: K }>;
export type CallRecord = Written<'call'>;
export type GapRecord = Written<'gap'>;
export type BindRecord = Written<'bind'>;
export type SessionRecord = Written<'session'>;
export type TaskRecord = Written<'task'>;
export type ManualRecord = Written<'manual'>;
export type EndRecord = Written<'end'>;
export type GitRecord = Written<'git'>;
export type PlanRecord = Written<'plan'>;
export type VersionRecord = Written<'version'>;
export type LedgerRecord = LedgerRecordInput;

/** A record as read back, with the schema's defaults applied. */
export type ReadRecord<K extends LedgerRecordInput['k']> = LineOf<K>;
