import type { ApiCall } from '../usage/api-call.js';
import { ascii, decodeString, JsonBytes } from './json-bytes.js';
import { isoTime, parseTime } from './parse-time.js';
import { BAD, INVALID, UsageBytes } from './usage-bytes.js';

/**
 * Reads what spec-session needs from one transcript line straight from its bytes.
 *
 * The head (top-level keys up to the first object or array value) names most lines' type: user,
 * file-history-snapshot, attachment… lines are classified without looking at their body, which is
 * where a transcript's bytes are (tool results, file snapshots). An assistant line's head holds
 * `message.id` and `message.model` (the API's key order: id, type, role, model, content, …, usage);
 * its usage and the keys after it are read from the line's end, found with one backward byte search
 * for `"usage":` (the usage object itself by usage-bytes.ts) — the content between is never looked
 * at. Whatever does not fit that shape is left to the caller, which parses the line whole: the
 * result is the same, only slower.
 * Field values are only decoded when the line turns out to hold a call.
 *
 * Assumption (true of every Claude Code layout seen, 1.0.x–2.1.331): the last `"usage":` key of an
 * assistant line is `message.usage`, two levels deep.
 */
export const USAGE_KEY = Buffer.from('"usage":');
export const ASSISTANT = ascii('assistant');
export const SYNTHETIC = ascii('<synthetic>');

// Fields, by index. Kinds: 0 absent, 1 a string at [a, b), 2 another value (rows.ts reads it as null).
// The top level's, message.id and message.model, then those of a progress line's embedded row (progress-line.ts).
export const SESSION = 0;
export const TIMESTAMP = 1;
export const REQUEST = 2;
export const REQUEST_SESSION = 3;
export const AGENT = 4;
export const VERSION = 5;
export const SUBTYPE = 6;
export const MESSAGE_ID = 7;
export const MODEL = 8;
export const TYPE = 9;
export const INNER_SESSION = 10;
export const INNER_TIMESTAMP = 11;
export const INNER_REQUEST = 12;
export const INNER_REQUEST_SESSION = 13;
export const INNER_AGENT = 14;
export const INNER_TYPE = 15;
export const DATA_AGENT = 16;
const FIELDS = 17;

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
export const MESSAGE = ascii('message');
export const ID = ascii('id');
export const MODEL_KEY = ascii('model');

/** How far the head got. */
export type HeadStop = 'typed' | 'message' | 'object' | 'closed' | 'bad';

function sameBytes(bytes: Buffer, buf: Buffer, at: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[at + i]) return false;
  return true;
}

export class LineFields {
  protected readonly j = new JsonBytes();
  protected buf: Buffer = Buffer.alloc(0);
  protected readonly kind = new Uint8Array(FIELDS);
  private readonly fa = new Int32Array(FIELDS);
  private readonly fb = new Int32Array(FIELDS);
  private readonly plain = new Uint8Array(FIELDS);
  /** The last string decoded per field and its bytes: a file repeats its session, version, model. */
  private readonly last: Array<{ bytes: Buffer; text: string } | undefined> = new Array(FIELDS);
  isSidechain = false;
  /** Where the head stopped (the first object/array value it did not enter). */
  stopAt = 0;
  protected readonly usageBytes = new UsageBytes(this.j);

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
  protected read(field: number): boolean {
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

  protected topScalar(): boolean {
    const j = this.j;
    const field = this.topField();
    if (field >= 0) return this.read(field);
    if (j.is(IS_SIDECHAIN)) {
      j.ws();
      const lit = j.literal();
      this.isSidechain = lit === 1;
      return lit !== -2 || j.value();
    }
    return j.value();
  }

  /** The field of the top-level key just read, -1 for one not read. */
  protected topField(): number {
    const j = this.j;
    const candidates = TOP[j.b - j.a];
    if (candidates) for (const [key, field] of candidates) if (j.is(key)) return field;
    return -1;
  }

  protected is(field: number, bytes: Uint8Array): boolean {
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

  /** Whether a string field holds escapes (bytes compare unlike its text then). */
  protected escaped(field: number): boolean {
    return this.plain[field] === 0;
  }

  /** A field's string, null when it is absent or not a string (-1: no field). */
  private text(field: number): string | null {
    return field < 0 ? null : (this.get(field) ?? null);
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
    // Searched back from the line's end, in place (a subarray per line cost ~2% of a cold scan).
    const from = end - USAGE_KEY.length; // (a negative offset would count from the buffer's end)
    const found = from >= this.stopAt ? buf.lastIndexOf(USAGE_KEY, from) : -1;
    if (found < this.stopAt) return null;
    const j = this.j.reset(buf, found + USAGE_KEY.length, end);
    const usage = j.ws() === 0x7b ? this.usageBytes.read() : j.value() ? INVALID : BAD;
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
    return this.callFrom(TIMESTAMP, SESSION, REQUEST, REQUEST_SESSION, AGENT, this.isSidechain);
  }

  /**
   * The call whose id, model and usage were read, its other fields taken from the given fields (-1:
   * none); `timestamp` must hold a string. undefined for a `<synthetic>` placeholder, 'invalid' for
   * a time no calendar can show.
   */
  protected callFrom(
    timestamp: number,
    session: number,
    request: number,
    requestSession: number,
    agent: number,
    sidechain: boolean,
  ): ApiCall | 'invalid' | undefined {
    if (this.is(MODEL, SYNTHETIC)) return undefined; // a local placeholder for an API error, not a billed call
    const time = this.plain[timestamp] ? isoTime(this.buf, this.fa[timestamp]!, this.fb[timestamp]!) : NaN;
    const ms = Number.isNaN(time) ? parseTime(this.get(timestamp)!) : time;
    if (Number.isNaN(ms)) return 'invalid';
    const sessionId = this.text(session);
    const requestSessionId = this.text(requestSession);
    return {
      messageId: this.get(MESSAGE_ID)!,
      requestId: this.text(request),
      time: ms,
      model: this.get(MODEL) ?? 'unknown',
      sessionId,
      agentId: this.text(agent),
      sidechain,
      copiedFrom: requestSessionId !== null && requestSessionId !== sessionId ? requestSessionId : null,
      tokens: this.usageBytes.tokens(),
      speed: this.usageBytes.fast ? 'fast' : 'standard',
    };
  }
}
