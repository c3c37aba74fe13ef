/**
 * The byte-level pass over transcript lines: each line is classified by its first bytes, an
 * assistant line's call is read from its head and its end (LineFields), and only a line that does
 * not settle that way is handed to whole-lines.ts to be parsed whole.
 */
import { EmbeddedFields } from './progress-line.js';
import { takeCall, type Extracted, type ExtractOptions, type OnCall } from './extracted.js';
import { takeAssistantLine, takeCompactLine, takeCostStateLine, takeTaskCommand } from './whole-lines.js';

// Markers without their leading quote: `"` is the commonest byte in JSON. `"usage"` without the
// colon and brace, so pretty-printed lines are not missed; `"modelUsage"` does not match (capital U).
const USAGE_MARK = Buffer.from('usage"');
const COST_STATE_MARK = Buffer.from('cost-state"');
const COMPACT_MARK = Buffer.from('compact_boundary"');
// `<command-name>/do-task</command-name>` (or `/spec-session:do-task` from the plugin).
const DO_TASK_MARK = Buffer.from('do-task</command-name>');

/** Line types that never hold a call, a cost-state or a compaction: classified by their head alone. */
const NOTHING_TO_COUNT = new Set([
  'file-history-snapshot',
  'queue-operation',
  'attachment',
  'last-prompt',
  'tools-used',
  'summary',
  'api-request',
  'api-request-shape',
  'api-request-blob',
  'atis-latch',
  'custom-title',
  'tag',
  'agent-name',
  'permission-mode',
  'pr-link',
]);

const fields = new EmbeddedFields();

/**
 * Visits each whole line of `buf[start, end)` (a newline ends a line) and takes what it holds.
 * Most lines are classified by their first bytes (`LineFields.head`); an assistant line's fields
 * come from its head and its end; anything unexpected is parsed whole with JSON.parse.
 */
export function extractFromLines(
  buf: Buffer,
  start: number,
  end: number,
  into: Extracted,
  fileOffset = 0,
  options: ExtractOptions = {},
): void {
  const tasks = options.taskCommands !== false;
  const onCall = options.onCall;
  let s = start;
  while (s < end) {
    let e = buf.indexOf(10, s);
    if (e < 0 || e > end) e = end;
    if (e > s) takeLine(buf, s, e, into, fileOffset + s, tasks, onCall);
    s = e + 1;
  }
}

// A `/do-task` prompt line is small: its command sits at the start of the message.
const TASK_WINDOW = 8192;

function takeLine(
  buf: Buffer,
  s: number,
  e: number,
  into: Extracted,
  offset: number,
  tasks: boolean,
  onCall: OnCall | undefined,
): void {
  const stop = fields.head(buf, s, e);
  if (stop === 'message') {
    const call = fields.assistantCall(buf, e);
    if (call === 'invalid') into.malformed++;
    else if (call) takeCall(call, fields.version, into, offset, false, onCall);
    else if (call === null) takeWhole(buf, s, e, into, offset, onCall);
    return;
  }
  if (stop === 'typed' || (stop !== 'bad' && typeof fields.type === 'string')) {
    const type = fields.type!;
    if (type === 'user') {
      if (tasks && has(buf, s, Math.min(e, s + TASK_WINDOW), DO_TASK_MARK, AFTER_SLASH_OR_COLON))
        takeTaskCommand(line(buf, s, e), into);
      return;
    }
    if (NOTHING_TO_COUNT.has(type)) return;
    if (type === 'progress' && stop === 'typed' && has(buf, s, e, USAGE_MARK)) {
      const call = fields.progressCall(buf, s, e);
      if (call === 'invalid') into.malformed++;
      else if (call) takeCall(call, fields.version, into, offset, true, onCall);
      else if (call === null) takeAssistantLine(line(buf, s, e), into, offset, onCall);
      return;
    }
  }
  if (stop === 'closed' && fields.type === undefined) return; // a small object with no type at all
  takeWhole(buf, s, e, into, offset, onCall);
}

/** A line whose head did not settle it: parse it whole if it holds one of the markers. */
function takeWhole(
  buf: Buffer,
  s: number,
  e: number,
  into: Extracted,
  offset: number,
  onCall: OnCall | undefined,
): void {
  if (has(buf, s, e, USAGE_MARK)) takeAssistantLine(line(buf, s, e), into, offset, onCall);
  else if (has(buf, s, e, COST_STATE_MARK)) takeCostStateLine(line(buf, s, e), into, offset);
  else if (has(buf, s, e, COMPACT_MARK)) takeCompactLine(line(buf, s, e), into, offset);
}

const line = (buf: Buffer, s: number, e: number) => buf.toString('utf8', s, e);

/** The bytes a marker may follow: a quote, or for `/do-task` a slash or a colon. Made once, not per line. */
const AFTER_QUOTE = [0x22];
const AFTER_SLASH_OR_COLON = [0x2f, 0x3a];

/** Whether `buf[s, e)` holds `mark` right after one of the `before` bytes (a quote by default). */
function has(buf: Buffer, s: number, e: number, mark: Buffer, before: number[] = AFTER_QUOTE): boolean {
  const region = buf.subarray(s, e);
  for (let from = 0; ; ) {
    const hit = region.indexOf(mark, from);
    if (hit < 0) return false;
    if (hit > 0 && before.includes(region[hit - 1]!)) return true;
    from = hit + 1;
  }
}
