/**
 * How a rollup stores workflow events, without zod (the hooks read rollups when they rebuild a
 * session's bindings): [kind number, ms after the entry's first slot, ...fields], every string an
 * index into the entry's `names` (-1 for null, -2 for a field the record does not have), numbers as
 * they are. A record whose values are not all strings or numbers is kept as it was written.
 *
 * Kinds are numbered by their place in EVENT_KINDS and fields by their place in EVENT_FIELDS: both
 * are in every rollup already committed, so they only ever grow at the end. Each field list is the
 * schema's own (ledger-schema.ts), in its order: tests/ledger/ledger-schema.test.ts checks it.
 */
export const EVENT_KINDS = ['bind', 'session', 'task', 'manual', 'end', 'git', 'plan', 'version'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_FIELDS: Record<EventKind, readonly string[]> = {
  bind: ['cs', 'why', 'ws', 'spec', 'task', 'ph'],
  session: ['ws', 'spec', 'event', 'cs'],
  task: ['ws', 'spec', 'task', 'event', 'cs', 'source'],
  manual: ['id', 'ws', 'spec', 'task', 'status', 'model', 'in', 'out', 'cw5', 'cw1h', 'cr'],
  end: ['cs', 'why'],
  git: ['cs', 'event', 'branch', 'sha'],
  plan: ['until', 'cs', 'ws', 'spec', 'phase'],
  version: ['cs', 'versions', 'costState'],
};

/** Fields stored as numbers, not name indexes: a manual entry's token counts. */
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['in', 'out', 'cw5', 'cw1h', 'cr']);

export const ABSENT = -2;

/** Encodes one event, or returns it as it is when it is not of the plain shape. */
export function encodeEvent(
  ev: { k: string; t: string } & Record<string, unknown>,
  baseMs: number,
  ref: (v: string | null) => number,
): unknown {
  const kind = ev.k as EventKind;
  const fields = EVENT_FIELDS[kind];
  const t = Date.parse(ev.t);
  const plain = (f: string, v: unknown) =>
    v === null || typeof v === 'string' || (NUMERIC_FIELDS.has(f) && typeof v === 'number');
  const known =
    fields !== undefined &&
    Object.entries(ev).every(([f, v]) => f === 'k' || f === 't' || (fields.includes(f) && plain(f, v))) &&
    new Date(t).toISOString() === ev.t;
  if (!known) return ev;
  const values = fields.map((f) => {
    const v = ev[f];
    if (v === undefined) return ABSENT; // an optional field the record does not have
    return NUMERIC_FIELDS.has(f) ? v : ref(v as string | null);
  });
  return [EVENT_KINDS.indexOf(kind), t - baseMs, ...values];
}

/** Decodes one stored event into the record it was (unchecked: callers validate it as any ledger line). */
export function decodeEvent(raw: unknown, baseMs: number, names: string[]): unknown {
  if (!Array.isArray(raw)) return raw;
  const [code, dt, ...values] = raw as [number, number, ...unknown[]];
  const kind = EVENT_KINDS[code];
  if (kind === undefined || typeof dt !== 'number') return undefined;
  const record: Record<string, unknown> = { k: kind, t: new Date(baseMs + dt).toISOString() };
  EVENT_FIELDS[kind].forEach((f, i) => {
    const v = values[i];
    if (v === ABSENT || v === undefined) return;
    record[f] = NUMERIC_FIELDS.has(f) ? v : typeof v === 'number' && v >= 0 ? names[v] : null;
  });
  return record;
}
