import * as z from 'zod/mini';
import '../store/zod-english.js';
import { isSaneTime } from '../time/sane-time.js';

/**
 * The raw ledger lines, as committed in docs/sessions/ledger/<day>/<writer>.jsonl: the one
 * definition of the format. Types are derived from these schemas (records.ts re-exports them as
 * types only, so the hook bundle never loads zod). Lines from teammates and from 0.1.0 come in
 * here, so they are read leniently: unknown fields are kept, missing optional ones defaulted.
 */
const name = z._default(z.nullable(z.string()), null);
const count = z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
const tokens = { in: count, out: count, cw5: count, cw1h: count, cr: count };
/** A manual entry's counts may be negative: `/log-task <id> undo` writes an entry's counts negated (history is never edited). */
const signed = z.number().check(z.int(), z.minimum(-Number.MAX_SAFE_INTEGER), z.maximum(Number.MAX_SAFE_INTEGER));
const signedTokens = { in: signed, out: signed, cw5: signed, cw1h: signed, cr: signed };
const attribution = { ws: name, spec: name, task: name };
/** Planning phases: a turn with no task that writes a spec's documents (or calls spec-workflow's tools for it). */
export const PHASES = ['requirements', 'design', 'tasks'] as const;
/** Where a call's work went beyond its task (fields of 0.2; absent in 0.1.0 records): its branch and planning phase. */
const context = { br: z.optional(z.nullable(z.string())), ph: z.optional(z.nullable(z.enum(PHASES))) };

/** Times a record may carry: a real instant between 2000 and 2200 (see `isSaneTime`). */
const time = z.string().check(z.refine((t) => isSaneTime(Date.parse(t)), { message: 'timestamp out of range' }));

export const CallLine = z.looseObject({
  k: z.literal('call'),
  msg: z.string(),
  req: z._default(z.nullable(z.string()), null),
  t: time,
  cs: z.string(),
  model: z.string(),
  agent: z.optional(z.string()),
  fast: z.optional(z.boolean()),
  ...tokens,
  ...attribution,
  ...context,
});
export const GapLine = z.looseObject({
  k: z.literal('gap'),
  id: z.string(),
  t: time,
  cs: z.string(),
  model: z.string(),
  ...tokens,
  ...attribution,
  ...context,
});
export const BindLine = z.looseObject({
  k: z.literal('bind'),
  t: time,
  cs: z.string(),
  why: z._default(z.string(), ''),
  ...attribution,
  ph: context.ph,
});
export const SessionLine = z.looseObject({
  k: z.literal('session'),
  t: time,
  ws: z.string(),
  spec: z.string(),
  event: z.enum(['start', 'end']),
  cs: name,
});
export const TaskLine = z.looseObject({
  k: z.literal('task'),
  t: time,
  ws: name,
  spec: z.string(),
  task: z.string(),
  event: z.enum(['start', 'done']),
  cs: name,
  source: z._default(z.string(), ''),
});
export const ManualLine = z.looseObject({
  k: z.literal('manual'),
  id: z.string(),
  t: time,
  ws: name,
  spec: z.string(),
  task: z.string(),
  status: z.string(),
  model: z.string(),
  ...signedTokens,
});
/** A Claude session's end (SessionEnd): its ledger file gets no more records, so it can be rolled up. */
export const EndLine = z.looseObject({ k: z.literal('end'), t: time, cs: z.string(), why: z._default(z.string(), '') });
/** HEAD moved while a Claude session worked: a branch checked out (null: detached), or a commit made. */
export const GitLine = z.looseObject({
  k: z.literal('git'),
  t: time,
  cs: z.string(),
  event: z.enum(['branch', 'commit']),
  branch: name,
  sha: z.string(),
});
/** A turn with no task wrote a spec's document: its calls from `t` to `until` were planning that phase. */
export const PlanLine = z.looseObject({
  k: z.literal('plan'),
  t: time,
  until: time,
  cs: z.string(),
  ws: name,
  spec: z.string(),
  phase: z.enum(PHASES),
});

/** The Claude Code versions a Claude session's transcripts were written by, and whether it wrote a cost-state line (so far). */
export const VersionLine = z.looseObject({
  k: z.literal('version'),
  t: time,
  cs: z.string(),
  versions: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(64)),
  costState: z.boolean(),
});

export const LedgerLineSchema = z.discriminatedUnion('k', [
  CallLine,
  GapLine,
  BindLine,
  SessionLine,
  TaskLine,
  ManualLine,
  EndLine,
  GitLine,
  PlanLine,
  VersionLine,
]);
export type LedgerLine = z.infer<typeof LedgerLineSchema>;
export type LineOf<K extends LedgerLine['k']> = Extract<LedgerLine, { k: K }>;

/** What a writer appends (before read-side defaults): the input side of the same schemas. */
export type LedgerRecordInput = z.input<typeof LedgerLineSchema>;

/**
 * A fast check of a record against its schema, derived from the schema itself: for records a
 * rollup stores field by field (a team's year holds a hundred thousand), where running the full
 * schema per record costs more than reading them. It knows the field types these schemas use
 * (strings, nullable strings, enums, counts, booleans, defaults); a record with any other field
 * shape goes through the schema.
 */
type Check = (v: unknown) => boolean;
const SCHEMAS = {
  call: CallLine,
  gap: GapLine,
  bind: BindLine,
  session: SessionLine,
  task: TaskLine,
  manual: ManualLine,
  end: EndLine,
  git: GitLine,
  plan: PlanLine,
  version: VersionLine,
} as const;
const checks = new Map<string, Array<[string, Check]> | null>();

function fieldCheck(schema: unknown): Check | null {
  const def = (
    schema as {
      def?: {
        type?: string;
        innerType?: unknown;
        entries?: Record<string, unknown>;
        values?: unknown[];
        checks?: unknown[];
      };
    }
  ).def;
  switch (def?.type) {
    case 'default':
      return fieldCheck(def.innerType);
    case 'nullable': {
      const inner = fieldCheck(def.innerType);
      return inner && ((v) => v === null || inner(v));
    }
    case 'optional': {
      const inner = fieldCheck(def.innerType);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'string':
      return def.checks?.length ? null : (v) => typeof v === 'string';
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'number': {
      // The inclusive lower bound its checks set (these schemas set at most one; none: 0).
      let min = 0;
      for (const c of def.checks ?? []) {
        const d = (c as { _zod: { def: { check?: string; value?: unknown; inclusive?: boolean } } })._zod.def;
        if (d.check === 'greater_than' && d.inclusive && typeof d.value === 'number') min = d.value;
      }
      return (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => values.has(v);
    }
    case 'literal': {
      const values = new Set(def.values ?? []);
      return (v) => values.has(v);
    }
    default:
      return null;
  }
}

/** The record validated, as the schema would (defaults applied); undefined when it is not valid (or not an object). */
export function checkRecord(value: unknown): LedgerLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const kind = record.k as keyof typeof SCHEMAS;
  const schema = SCHEMAS[kind];
  if (!schema) return undefined;
  let fields = checks.get(kind);
  if (fields === undefined) {
    const list = Object.entries(schema.shape)
      .filter(([f]) => f !== 't')
      .map(([f, s]) => [f, fieldCheck(s)] as [string, Check | null]);
    fields = list.every(([, c]) => c !== null) ? (list as Array<[string, Check]>) : null;
    checks.set(kind, fields);
  }
  if (!fields || typeof record.t !== 'string' || !isSaneTime(Date.parse(record.t))) {
    const parsed = LedgerLineSchema.safeParse(record);
    return parsed.success ? parsed.data : undefined;
  }
  for (const [f, check] of fields) {
    if (
      record[f] === undefined &&
      (schema.shape as Record<string, { def: { type: string } }>)[f]!.def.type === 'default'
    ) {
      const parsed = LedgerLineSchema.safeParse(record); // a default to apply: the schema does it
      return parsed.success ? parsed.data : undefined;
    }
    if (!check(record[f])) return undefined;
  }
  return record as LedgerLine;
}
