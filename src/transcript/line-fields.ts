import { ascii, JsonBytes } from './json-bytes.js';
import type { AssistantRow, Usage } from './rows.js';

/**
 * Reads what spec-session needs from one transcript line straight from its bytes.
 *
 * The head (top-level keys up to the first object or array value) names most lines' type: user,
 * file-history-snapshot, attachment… lines are classified without looking at their body, which is
 * where a transcript's bytes are (tool results, file snapshots). An assistant line's head holds
 * `message.id` and `message.model` (the API's key order: id, type, role, model, content, …, usage);
 * its usage and the keys after it are read from the line's end, found with one backward byte search
 * for `"usage":` — the content between is never looked at. Whatever does not fit that shape is
 * left to the caller, which parses the line whole: the result is the same, only slower.
 *
 * Assumption (true of every Claude Code layout seen, 1.0.x–2.1.331): the last `"usage":` key of an
 * assistant line is `message.usage`, two levels deep.
 */
const K = {
  type: ascii('type'),
  subtype: ascii('subtype'),
  message: ascii('message'),
  id: ascii('id'),
  model: ascii('model'),
  sessionId: ascii('sessionId'),
  timestamp: ascii('timestamp'),
  requestId: ascii('requestId'),
  requestSessionId: ascii('requestSessionId'),
  agentId: ascii('agentId'),
  isSidechain: ascii('isSidechain'),
  version: ascii('version'),
  input: ascii('input_tokens'),
  output: ascii('output_tokens'),
  write: ascii('cache_creation_input_tokens'),
  read: ascii('cache_read_input_tokens'),
  split: ascii('cache_creation'),
  m5: ascii('ephemeral_5m_input_tokens'),
  h1: ascii('ephemeral_1h_input_tokens'),
  speed: ascii('speed'),
};
const USAGE_KEY = Buffer.from('"usage":');

/** How far the head got. */
export type HeadStop = 'typed' | 'message' | 'object' | 'closed' | 'bad';

/** A string, or null when the field is absent or not a string (as `rows.ts` reads it). */
type Str = string | null;

export class LineFields {
  private readonly j = new JsonBytes();
  /** Top-level fields. `undefined` = not seen yet. */
  type: Str | undefined;
  subtype: Str | undefined;
  sessionId: Str | undefined;
  timestamp: Str | undefined;
  requestId: Str | undefined;
  requestSessionId: Str | undefined;
  agentId: Str | undefined;
  isSidechain: boolean | undefined;
  version: Str | undefined;
  /** message.id and message.model as far as read. */
  messageId: Str | undefined;
  model: Str | undefined;
  /** Where the head stopped (the first object/array value it did not enter). */
  stopAt = 0;

  /**
   * Reads top-level scalar keys from the line start, and stops: at a `type` other than assistant
   * ('typed'), inside `message` at its first non-scalar member ('message'), at another object or
   * array value ('object'), at the closing brace ('closed'), or at bytes that are not JSON ('bad').
   */
  head(buf: Buffer, start: number, end: number): HeadStop {
    this.type = this.subtype = this.sessionId = this.timestamp = this.requestId = this.requestSessionId = this.agentId = this.version = undefined;
    this.isSidechain = undefined;
    this.messageId = this.model = undefined;
    const j = this.j.reset(buf, start, end);
    if (!j.take(0x7b)) return 'bad';
    if (j.ws() === 0x7d) return 'closed';
    for (;;) {
      if (!j.key()) return 'bad';
      if (j.is(K.message) && j.ws() === 0x7b) {
        j.pos++;
        return this.messageHead();
      }
      if (!j.atScalar()) {
        this.stopAt = j.pos;
        return 'object';
      }
      if (!this.topScalar()) return 'bad';
      if (typeof this.type === 'string' && this.type !== 'assistant') return 'typed';
      const more = j.next();
      if (more === null) return 'bad';
      if (!more) return 'closed';
    }
  }

  private messageHead(): HeadStop {
    const j = this.j;
    if (j.ws() === 0x7d) return 'bad';
    for (;;) {
      if (!j.key()) return 'bad';
      if (!j.atScalar()) {
        this.stopAt = j.pos;
        return 'message';
      }
      const isId = j.is(K.id);
      if (isId || j.is(K.model)) {
        const value = this.scalarString();
        if (value === undefined) return 'bad';
        if (isId) this.messageId = value;
        else this.model = value;
      } else if (!j.value()) return 'bad';
      const more = j.next();
      if (more === null || !more) return 'bad'; // a message with no content: let JSON.parse decide
    }
  }

  /** The value of the key just read, as `str()` in rows.ts sees it; undefined on bad JSON. */
  private scalarString(): Str | undefined {
    const j = this.j;
    if (j.ws() === 0x22) return j.string() ? j.text() : undefined;
    return j.value() ? null : undefined;
  }

  private topScalar(): boolean {
    const j = this.j;
    let field: keyof typeof K | undefined;
    if (j.is(K.type)) field = 'type';
    else if (j.is(K.sessionId)) field = 'sessionId';
    else if (j.is(K.timestamp)) field = 'timestamp';
    else if (j.is(K.requestId)) field = 'requestId';
    else if (j.is(K.version)) field = 'version';
    else if (j.is(K.agentId)) field = 'agentId';
    else if (j.is(K.requestSessionId)) field = 'requestSessionId';
    else if (j.is(K.subtype)) field = 'subtype';
    else if (j.is(K.isSidechain)) {
      j.ws();
      const lit = j.literal();
      if (lit !== -2) return (this.isSidechain = lit === 1), true;
      return (this.isSidechain = false), j.value();
    }
    if (field === undefined) return j.value();
    const value = this.scalarString();
    if (value === undefined) return false;
    (this as Record<string, unknown>)[field] = value;
    return true;
  }

  /**
   * After head() stopped in `message`: the row of an assistant line, read from its end. `null` when
   * the line does not have the expected shape (the caller parses it whole); `'invalid'` when it has
   * it but its usage is not valid (a malformed row).
   */
  assistantRow(buf: Buffer, end: number): AssistantRow | 'invalid' | null {
    const found = buf.subarray(this.stopAt, end).lastIndexOf(USAGE_KEY);
    if (found < 0) return null;
    const j = this.j.reset(buf, this.stopAt + found + USAGE_KEY.length, end);
    const usage = j.ws() === 0x7b ? this.usage() : j.value() ? 'invalid' : null;
    if (usage === null) return null;
    // The rest of `message`, then the rest of the top level, then nothing.
    for (let more = j.next(); more !== false; more = j.next()) {
      if (more === null || !j.key()) return null;
      const isId = j.is(K.id);
      if (isId || j.is(K.model)) {
        const value = this.scalarString();
        if (value === undefined) return null;
        if (isId) this.messageId = value;
        else this.model = value;
      } else if (!j.value()) return null;
    }
    for (let more = j.next(); more !== false; more = j.next()) {
      if (more === null || !j.key() || !this.topScalar()) return null;
    }
    if (j.ws() !== -1) return null;
    if (this.type !== 'assistant' || usage === 'invalid') return this.type === 'assistant' ? 'invalid' : null;
    if (this.messageId === undefined || this.model === undefined || this.timestamp === undefined) return null;
    if (this.messageId === null || this.timestamp === null) return 'invalid';
    return {
      type: 'assistant',
      timestamp: this.timestamp,
      sessionId: this.sessionId ?? null,
      requestId: this.requestId ?? null,
      requestSessionId: this.requestSessionId ?? null,
      isSidechain: this.isSidechain === true,
      agentId: this.agentId ?? null,
      message: { id: this.messageId, model: this.model, usage },
    };
  }

  /** The usage object at the cursor, validated as parseUsage does. */
  private usage(): Usage | 'invalid' | null {
    const j = this.j;
    j.pos++;
    const counts = [0, 0, 0, 0];
    let split: Usage['cache_creation'] = null;
    let speed: Str = null;
    let valid = true;
    if (j.ws() !== 0x7d) {
      for (;;) {
        if (!j.key()) return null;
        const kind = j.is(K.input) ? 0 : j.is(K.output) ? 1 : j.is(K.write) ? 2 : j.is(K.read) ? 3 : -1;
        if (kind >= 0) {
          const n = this.count();
          if (n === BAD) return null;
          if (n === INVALID) valid = false;
          else counts[kind] = n;
        } else if (j.is(K.speed)) {
          const value = this.scalarString();
          if (value === undefined) return null;
          speed = value;
        } else if (j.is(K.split) && j.ws() === 0x7b) {
          const parsed = this.split();
          if (parsed === null) return null;
          if (parsed === 'invalid') valid = false;
          else split = parsed;
        } else if (!j.value()) return null;
        const more = j.next();
        if (more === null) return null;
        if (!more) break;
      }
    } else j.pos++;
    if (!valid) return 'invalid';
    return { input_tokens: counts[0]!, output_tokens: counts[1]!, cache_creation_input_tokens: counts[2]!, cache_read_input_tokens: counts[3]!, cache_creation: split, speed };
  }

  private split(): { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | 'invalid' | null {
    const j = this.j;
    j.pos++;
    let m5 = 0;
    let h1 = 0;
    let valid = true;
    if (j.ws() === 0x7d) return (j.pos++, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
    for (;;) {
      if (!j.key()) return null;
      const is5m = j.is(K.m5);
      if (is5m || j.is(K.h1)) {
        const n = this.count();
        if (n === BAD) return null;
        if (n === INVALID) valid = false;
        else if (is5m) m5 = n;
        else h1 = n;
      } else if (!j.value()) return null;
      const more = j.next();
      if (more === null) return null;
      if (!more) break;
    }
    return valid ? { ephemeral_5m_input_tokens: m5, ephemeral_1h_input_tokens: h1 } : 'invalid';
  }

  /** A token count as rows.ts `count()` reads it: null → 0; not a whole non-negative number → INVALID; not JSON → BAD. */
  private count(): number {
    const j = this.j;
    const c = j.ws();
    if (c === 0x6e && j.literal() === -1) return 0;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      const n = j.number();
      if (Number.isNaN(n)) return BAD;
      return Number.isInteger(n) && n >= 0 ? n : INVALID;
    }
    return j.value() ? INVALID : BAD;
  }
}

const INVALID = -1;
const BAD = -2;
