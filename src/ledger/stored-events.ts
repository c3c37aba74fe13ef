/**
 * Workflow events as a rollup stores them, added to an EventSink. Bindings, task events and git
 * events (nearly all of a team's events) are packed straight from their stored numbers, checked as
 * their schemas check them, with no record made for each; any other event, or one not of the plain
 * stored shape, is decoded and checked as a record, as every other ledger line is.
 */
import { isSaneTime } from '../time/sane-time.js';
import { checkRecord, PHASES } from './ledger-schema.js';
import type { EventSink } from './packed-events.js';
import { ABSENT, decodeEvent, EVENT_KINDS } from './rollup-events.js';

/** Adds one stored event; false when it is not a valid record (the caller counts it malformed). */
export function addStoredEvent(sink: EventSink, stored: unknown, baseMs: number, names: string[]): boolean {
  const packed = Array.isArray(stored) ? packPlain(sink, stored, baseMs, names) : undefined;
  if (packed !== undefined) return packed;
  const record = checkRecord(decodeEvent(stored, baseMs, names));
  if (record) sink.add(record);
  return record !== undefined;
}

const BIND = EVENT_KINDS.indexOf('bind');
const TASK = EVENT_KINDS.indexOf('task');
const GIT = EVENT_KINDS.indexOf('git');
const NULL = -1;
const phases: ReadonlySet<string> = new Set(PHASES);

/**
 * A binding, task or git event packed into the sink (true), found invalid (false), or undefined
 * when it is not one of those kinds with every field a plain name index (the record path decides).
 */
function packPlain(sink: EventSink, s: unknown[], baseMs: number, names: string[]): boolean | undefined {
  const code = s[0];
  if ((code !== BIND && code !== TASK && code !== GIT) || typeof s[1] !== 'number') return undefined;
  for (let i = 2; i < s.length; i++) {
    const v = s[i];
    if (!(v === NULL || v === ABSENT || (Number.isInteger(v) && (v as number) >= 0 && (v as number) < names.length)))
      return undefined;
  }
  const t = baseMs + s[1];
  if (!isSaneTime(t)) return false;
  /** Field `i` (in the kind's stored order): a string, null, or undefined when absent. */
  const at = (i: number): string | null | undefined => {
    const v = s[2 + i] as number | undefined;
    return v === undefined || v === ABSENT ? undefined : v === NULL ? null : names[v]!;
  };
  const str = (v: string | null | undefined): v is string => typeof v === 'string';
  /** A `name` field (nullable, null by default). */
  const nameOf = (v: string | null | undefined) => (v === undefined ? null : v);
  if (code === BIND) {
    // cs, why, ws, spec, task, ph
    const [cs, why = '', ws, spec, task, ph] = [0, 1, 2, 3, 4, 5].map(at);
    if (!str(cs) || !str(why) || (ph !== undefined && ph !== null && !phases.has(ph))) return false;
    sink.bindings.push([t, cs, nameOf(ws), nameOf(spec), nameOf(task), why]);
    return true;
  }
  if (code === TASK) {
    // ws, spec, task, event, cs, source
    const [ws, spec, task, event, , source = ''] = [0, 1, 2, 3, 4, 5].map(at);
    if (!str(spec) || !str(task) || (event !== 'start' && event !== 'done') || !str(source)) return false;
    sink.tasks.push([t, nameOf(ws), spec, task, event === 'done' ? 1 : 0, source]);
    return true;
  }
  // git: cs, event, branch, sha
  const [cs, event, branch, sha] = [0, 1, 2, 3].map(at);
  if (!str(cs) || (event !== 'branch' && event !== 'commit') || !str(sha)) return false;
  if (event === 'commit') sink.commits.push([t, cs, sha, nameOf(branch)]);
  return true;
}
