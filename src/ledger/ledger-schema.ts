import { z } from 'zod';
import { isSaneTime } from '../time/sane-time.js';

/**
 * The raw ledger lines, as committed in docs/sessions/ledger/<day>/<writer>.jsonl: the one
 * definition of the format. Types are derived from these schemas (records.ts re-exports them as
 * types only, so the hook bundle never loads zod). Lines from teammates and from 0.1.0 come in
 * here, so they are read leniently: unknown fields are kept, missing optional ones defaulted.
 */
const name = z.string().nullable().default(null);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const tokens = { in: count, out: count, cw5: count, cw1h: count, cr: count };
const attribution = { ws: name, spec: name, task: name };

/** Times a record may carry: a real instant between 2000 and 2200 (see `isSaneTime`). */
const time = z.string().refine((t) => isSaneTime(Date.parse(t)), { message: 'timestamp out of range' });

export const CallLine = z.looseObject({ k: z.literal('call'), msg: z.string(), req: z.string().nullable().default(null), t: time, cs: z.string(), model: z.string(), agent: z.string().optional(), fast: z.boolean().optional(), ...tokens, ...attribution });
export const GapLine = z.looseObject({ k: z.literal('gap'), id: z.string(), t: time, cs: z.string(), model: z.string(), ...tokens, ...attribution });
export const BindLine = z.looseObject({ k: z.literal('bind'), t: time, cs: z.string(), why: z.string().default(''), ...attribution });
export const SessionLine = z.looseObject({ k: z.literal('session'), t: time, ws: z.string(), spec: z.string(), event: z.enum(['start', 'end']), cs: name });
export const TaskLine = z.looseObject({ k: z.literal('task'), t: time, ws: name, spec: z.string(), task: z.string(), event: z.enum(['start', 'done']), cs: name, source: z.string().default('') });
export const ManualLine = z.looseObject({ k: z.literal('manual'), id: z.string(), t: time, ws: name, spec: z.string(), task: z.string(), status: z.string(), model: z.string(), ...tokens });
/** A Claude session's end (SessionEnd): its ledger file gets no more records, so it can be rolled up. */
export const EndLine = z.looseObject({ k: z.literal('end'), t: time, cs: z.string(), why: z.string().default('') });

export const LedgerLineSchema = z.discriminatedUnion('k', [CallLine, GapLine, BindLine, SessionLine, TaskLine, ManualLine, EndLine]);
export type LedgerLine = z.infer<typeof LedgerLineSchema>;
export type LineOf<K extends LedgerLine['k']> = Extract<LedgerLine, { k: K }>;

/** What a writer appends (before read-side defaults): the input side of the same schemas. */
export type LedgerRecordInput = z.input<typeof LedgerLineSchema>;
