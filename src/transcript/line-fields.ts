import type { ApiCall } from '../usage/api-call.js';
import type { TokenCounts } from '../usage/tokens.js';
import { ascii, decodeString, JsonBytes } from './json-bytes.js';
import { isoTime, parseTime } from './parse-time.js';

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
 * Field values are only decoded when the line turns out to hold a call.
 *
 * Assumption (true of every Claude Code layout seen, 1.0.x–2.1.331): the last `"usage":` key of an
 * assistant line is `message.usage`, two levels deep.
 */
const USAGE_KEY = Buffer.from('"usage":');
const ASSISTANT = ascii('assistant');
const SYNTHETIC = ascii('<synthetic>');
const FAST = ascii('fast');

// Fields, by index. Kinds: 0 absent, 1 a string at [a, b), 2 another value (rows.ts reads it as null).
const SESSION = 0;
const TIMESTAMP = 1;
const REQUEST = 2;
const REQUEST_SESSION = 3;
const AGENT = 4;
const VERSION = 5;
const SUBTYPE = 6;
const MESSAGE_ID = 7;
const MODEL = 8;
const TYPE = 9;
const FIELDS = 10;

/** Top-level keys, by length: [key, field]. */
const TOP: Record<number, Array<[Uint8Array, number]>> = {
  4: [[ascii('type'), TYPE]],
  7: [
    [ascii('version'), VERSION],
    [ascii('agentId'), AGENT],
    [ascii('subtype'), SUBTYPE],
  ],
  9: [
    [ascii('sessionId'), SESSION],
    [ascii('timestamp'), TIMESTAMP],
    [ascii('requestId'), REQUEST],
  ],
  16: [[ascii('requestSessionId'), REQUEST_SESSION]],
};
const IS_SIDECHAIN = ascii('isSidechain');
const MESSAGE = ascii('message');
const ID = ascii('id');
const MODEL_KEY = ascii('model');
const USAGE_KEYS: Record<number, Array<[Uint8Array, number]>> = {
  12: [[ascii('input_tokens'), 0]],
  13: [[ascii('output_tokens'), 1]],
  27: [[ascii('cache_creation_input_tokens'), 2]],
  23: [[ascii('cache_read_input_tokens'), 3]],
  25: [
    [ascii('ephemeral_5m_input_tokens'), 4],
    [ascii('ephemeral_1h_input_tokens'), 5],
  ],
};
const SPLIT = ascii('cache_creation');
const SPEED = ascii('speed');

/** How far the head got. */
export type HeadStop = 'typed' | 'message' | 'object' | 'closed' | 'bad';

const INVALID = -1;
const BAD = -2;

function sameBytes(bytes: Buffer, buf: Buffer, at: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[at + i]) return false;
  return true;
}

export class LineFields {
  private readonly j = new JsonBytes();
  private buf: Buffer = Buffer.alloc(0);
  private readonly kind = new Uint8Array(FIELDS);
  private readonly fa = new Int32Array(FIELDS);
  private readonly fb = new Int32Array(FIELDS);
  private readonly plain = new Uint8Array(FIELDS);
  /** The last string decoded per field and its bytes: a file repeats its session, version, model. */
  private readonly last: Array<{ bytes: Buffer; text: string } | undefined> = new Array(FIELDS);
  isSidechain = false;
  /** Where the head stopped (the first object/array value it did not enter). */
  stopAt = 0;
  // usage, as read: input, output, cache_creation_input, cache_read, 5m, 1h; split seen; speed fast
  private readonly counts = new Float64Array(6);
  private split = false;
  private fast = false;

  /**
   * Reads top-level scalar keys from the line start, and stops: at a `type` other than assistant
   * ('typed'), inside `message` at its first non-scalar member ('message'), at another object or
   * array value ('object'), at the closing brace ('closed'), or at bytes that are not JSON ('bad').
   */
  head(buf: Buffer, start: number, end: number): HeadStop {
    this.buf = buf;
    this.kind.fill(0);
    this.isSidechain = false;
    const j = this.j.reset(buf, start, end);
    if (!j.take(0x7b)) return 'bad';
    if (j.ws() === 0x7d) return 'closed';
    for (;;) {
      if (!j.key()) return 'bad';
      if (j.is(MESSAGE) && j.ws() === 0x7b) {
        j.pos++;
        return this.messageHead();
      }
      if (!j.atScalar()) {
        this.stopAt = j.pos;
        return 'object';
      }
      if (!this.topScalar()) return 'bad';
      if (this.kind[TYPE] === 1 && !this.is(TYPE, ASSISTANT)) return 'typed';
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
      const field = j.is(ID) ? MESSAGE_ID : j.is(MODEL_KEY) ? MODEL : -1;
      if (field >= 0 ? !this.read(field) : !j.value()) return 'bad';
      const more = j.next();
      if (more === null || !more) return 'bad'; // a message with no content: let JSON.parse decide
    }
  }

  /** Reads the value of the key just read into `field`. */
  private read(field: number): boolean {
    const j = this.j;
    if (j.ws() === 0x22) {
      if (!j.string()) return false;
      this.kind[field] = 1;
      this.fa[field] = j.a;
      this.fb[field] = j.b;
      this.plain[field] = j.plain ? 1 : 0;
      return true;
    }
    this.kind[field] = 2;
    return j.value();
  }

  private topScalar(): boolean {
    const j = this.j;
    const candidates = TOP[j.b - j.a];
    if (candidates) for (const [key, field] of candidates) if (j.is(key)) return this.read(field);
    if (j.is(IS_SIDECHAIN)) {
      j.ws();
      const lit = j.literal();
      this.isSidechain = lit === 1;
      return lit !== -2 || j.value();
    }
    return j.value();
  }

  private is(field: number, bytes: Uint8Array): boolean {
    const n = bytes.length;
    if (this.kind[field] !== 1 || this.fb[field]! - this.fa[field]! !== n) return false;
    const a = this.fa[field]!;
    for (let i = 0; i < n; i++) if (this.buf[a + i] !== bytes[i]) return false;
    return true;
  }

  /** A field as rows.ts reads it: its string, null when not a string, undefined when absent. */
  get(field: number): string | null | undefined {
    const kind = this.kind[field];
    if (kind !== 1) return kind === 2 ? null : undefined;
    const a = this.fa[field]!;
    const b = this.fb[field]!;
    if (!this.plain[field]) return decodeString(this.buf, a, b, false);
    const cached = this.last[field];
    if (cached && cached.bytes.length === b - a && sameBytes(cached.bytes, this.buf, a)) return cached.text;
    const text = decodeString(this.buf, a, b, true);
    this.last[field] = { bytes: Buffer.from(this.buf.subarray(a, b)), text };
    return text;
  }

  get type(): string | null | undefined {
    return this.get(TYPE);
  }
  get subtype(): string | null | undefined {
    return this.get(SUBTYPE);
  }
  get version(): string | null | undefined {
    return this.get(VERSION);
  }

  /**
   * After head() stopped in `message`: the call of an assistant line, read from its end. `null`
   * when the line does not have the expected shape (the caller parses it whole), `undefined` for
   * a `<synthetic>` placeholder, `'invalid'` for a malformed row (bad usage, id or time).
   */
  assistantCall(buf: Buffer, end: number): ApiCall | 'invalid' | null | undefined {
    const found = buf.subarray(this.stopAt, end).lastIndexOf(USAGE_KEY);
    if (found < 0) return null;
    const j = this.j.reset(buf, this.stopAt + found + USAGE_KEY.length, end);
    const usage = j.ws() === 0x7b ? this.usage() : j.value() ? INVALID : BAD;
    if (usage === BAD) return null;
    // The rest of `message`, then the rest of the top level, then nothing.
    for (let more = j.next(); more !== false; more = j.next()) {
      if (more === null || !j.key()) return null;
      const field = j.is(ID) ? MESSAGE_ID : j.is(MODEL_KEY) ? MODEL : -1;
      if (field >= 0 ? !this.read(field) : !j.value()) return null;
    }
    for (let more = j.next(); more !== false; more = j.next()) {
      if (more === null || !j.key() || !this.topScalar()) return null;
    }
    if (j.ws() !== -1) return null;
    if (!this.is(TYPE, ASSISTANT)) return null;
    if (this.kind[MESSAGE_ID] === 0 || this.kind[MODEL] === 0 || this.kind[TIMESTAMP] === 0) return null;
    if (usage === INVALID || this.kind[MESSAGE_ID] !== 1 || this.kind[TIMESTAMP] !== 1) return 'invalid';
    if (this.is(MODEL, SYNTHETIC)) return undefined; // a local placeholder for an API error, not a billed call
    const time = this.plain[TIMESTAMP] ? isoTime(buf, this.fa[TIMESTAMP]!, this.fb[TIMESTAMP]!) : NaN;
    const ms = Number.isNaN(time) ? parseTime(this.get(TIMESTAMP)!) : time;
    if (Number.isNaN(ms)) return 'invalid';
    const sessionId = this.get(SESSION) ?? null;
    const requestSessionId = this.get(REQUEST_SESSION) ?? null;
    return {
      messageId: this.get(MESSAGE_ID)!,
      requestId: this.get(REQUEST) ?? null,
      time: ms,
      model: this.get(MODEL) ?? 'unknown',
      sessionId,
      agentId: this.get(AGENT) ?? null,
      sidechain: this.isSidechain,
      copiedFrom: requestSessionId !== null && requestSessionId !== sessionId ? requestSessionId : null,
      tokens: this.tokens(),
      speed: this.fast ? 'fast' : 'standard',
    };
  }

  /** As usageToTokens: what the 5m/1h split does not explain of the total is a 5-minute write. */
  private tokens(): TokenCounts {
    const c = this.counts;
    const oneHour = this.split ? c[5]! : 0;
    const fiveMinutes = this.split ? c[4]! : 0;
    return {
      input: c[0]!,
      output: c[1]!,
      cacheWrite5m: Math.max(fiveMinutes, c[2]! - oneHour),
      cacheWrite1h: oneHour,
      cacheRead: c[3]!,
    };
  }

  /** The usage object at the cursor, validated as parseUsage does: 0 valid, INVALID, or BAD (not JSON). */
  private usage(): number {
    const j = this.j;
    j.pos++;
    this.counts.fill(0);
    this.split = false;
    this.fast = false;
    let valid = true;
    if (j.ws() === 0x7d) {
      j.pos++;
      return 0;
    }
    for (;;) {
      if (!j.key()) return BAD;
      const candidates = USAGE_KEYS[j.b - j.a];
      let kind = -1;
      if (candidates) for (const [key, k] of candidates) if (k < 4 && j.is(key)) kind = k;
      if (kind >= 0) {
        const n = this.count();
        if (n === BAD) return BAD;
        if (n === INVALID) valid = false;
        else this.counts[kind] = n;
      } else if (j.b - j.a === 5 && j.is(SPEED)) {
        if (j.ws() === 0x22) {
          if (!j.string()) return BAD;
          this.fast = j.b - j.a === 4 && j.is(FAST);
        } else if (!j.value()) return BAD;
      } else if (j.b - j.a === 14 && j.is(SPLIT) && j.ws() === 0x7b) {
        const parsed = this.splitObject();
        if (parsed === BAD) return BAD;
        if (parsed === INVALID) valid = false;
      } else if (!j.value()) return BAD;
      const more = j.next();
      if (more === null) return BAD;
      if (!more) break;
    }
    return valid ? 0 : INVALID;
  }

  private splitObject(): number {
    const j = this.j;
    j.pos++;
    this.split = true;
    this.counts[4] = this.counts[5] = 0;
    let valid = true;
    if (j.ws() === 0x7d) {
      j.pos++;
      return 0;
    }
    for (;;) {
      if (!j.key()) return BAD;
      let kind = -1;
      if (j.b - j.a === 25) for (const [key, k] of USAGE_KEYS[25]!) if (j.is(key)) kind = k;
      if (kind >= 0) {
        const n = this.count();
        if (n === BAD) return BAD;
        if (n === INVALID) valid = false;
        else this.counts[kind] = n;
      } else if (!j.value()) return BAD;
      const more = j.next();
      if (more === null) return BAD;
      if (!more) break;
    }
    return valid ? 0 : INVALID;
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
