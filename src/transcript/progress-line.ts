import type { ApiCall } from '../usage/api-call.js';
import { ascii } from './json-bytes.js';
import {
  AGENT,
  ASSISTANT,
  DATA_AGENT,
  ID,
  INNER_AGENT,
  INNER_REQUEST,
  INNER_REQUEST_SESSION,
  INNER_SESSION,
  INNER_TIMESTAMP,
  INNER_TYPE,
  LineFields,
  MESSAGE,
  MESSAGE_ID,
  MODEL,
  MODEL_KEY,
  REQUEST,
  REQUEST_SESSION,
  SESSION,
  TIMESTAMP,
  TYPE,
  USAGE_KEY,
} from './line-fields.js';
import { BAD, INVALID } from './usage-bytes.js';

const DATA = ascii('data');
const USAGE = ascii('usage');

/** The embedded row's field for a top-level field its key names (see LineFields.topField); -1: not read. */
const INNER_OF: number[] = [];
INNER_OF[TYPE] = INNER_TYPE;
INNER_OF[TIMESTAMP] = INNER_TIMESTAMP;
INNER_OF[SESSION] = INNER_SESSION;
INNER_OF[REQUEST] = INNER_REQUEST;
INNER_OF[REQUEST_SESSION] = INNER_REQUEST_SESSION;
INNER_OF[AGENT] = INNER_AGENT;

/** Tries at the copy's usage: a content block's own `"usage":` key may come first (see below). */
const MAX_TRIES = 4;

/**
 * LineFields, and a 2.1.3x `agent_progress` line read from its bytes: `data.message` is a copy of a
 * subagent's assistant row, whose content the reader jumps over as it does an assistant line's.
 * The call is the one whole-lines.ts takeProgressLine makes of the parsed line: the copy's own
 * fields over the line's timestamp and sessionId and data's agentId, always a sidechain, and
 * nothing (not malformed) when the copy is not an assistant row with an id, usage and a timestamp.
 *
 * The copy's usage is the first `"usage":` after its message's content starts whose object is
 * followed by the structure's remaining members, closing braces and the end of the line. A key of
 * that name inside a content block (a tool's input) is followed by the content array's `]`, which
 * no member list accepts, so it is passed over. Any other shape goes back to the caller, which
 * parses the line whole: the result is the same, only slower.
 */
export class EmbeddedFields extends LineFields {
  private data = false;
  private inner = false;
  private message = false;
  private messageObject = false;
  /** A `"usage":` was taken as the copy's: a failure from there on may mean it was the wrong one. */
  private tookUsage = false;
  private usage = 0;
  /** Where to look for the copy's usage from (the search resumes past a content block's). */
  private searchFrom = 0;

  /**
   * After head() stopped at `"type":"progress"`: the embedded call. undefined when the line holds
   * none, 'invalid' for one whose time no calendar can show, null when the line does not have the
   * expected shape (the caller parses it whole).
   */
  progressCall(buf: Buffer, start: number, end: number): ApiCall | 'invalid' | null | undefined {
    this.searchFrom = start;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      if (tries > 0 && this.head(buf, start, end) !== 'typed') return null;
      if (this.progressLine(buf, end)) return this.embeddedCall();
      if (!this.tookUsage) return null;
    }
    return null;
  }

  /** The rest of the top level after its type: true when read to the line's end. */
  private progressLine(buf: Buffer, end: number): boolean {
    const j = this.j;
    this.data = this.inner = this.message = this.messageObject = this.tookUsage = false;
    for (let more = j.next(); more !== false; more = j.next()) {
      if (more === null || !j.key()) return false;
      if (j.is(DATA)) {
        if (this.data) return false; // twice: JSON.parse keeps the last, let it decide
        this.data = true;
        if (j.ws() !== 0x7b) {
          if (!j.value()) return false; // not an object: nothing to take
        } else {
          j.pos++;
          if (!this.members(() => this.dataMember(buf, end))) return false;
        }
      } else if (this.topField() === TYPE)
        return false; // the type again
      else if (!this.topScalar()) return false;
    }
    return j.ws() === -1;
  }

  private dataMember(buf: Buffer, end: number): boolean {
    const j = this.j;
    if (j.is(MESSAGE)) {
      if (this.inner) return false;
      this.inner = true;
      if (j.ws() !== 0x7b) return j.value(); // not a row: nothing to take
      j.pos++;
      return this.members(() => this.innerMember(buf, end));
    }
    return j.b - j.a === 7 && this.topField() === AGENT ? this.read(DATA_AGENT) : j.value();
  }

  private innerMember(buf: Buffer, end: number): boolean {
    const j = this.j;
    if (j.is(MESSAGE)) {
      if (this.message) return false;
      this.message = true;
      // Not an object, or not an assistant row's (its type came first): nothing to take from it.
      if (j.ws() !== 0x7b || (this.kind[INNER_TYPE] !== 0 && !this.is(INNER_TYPE, ASSISTANT))) return j.value();
      j.pos++;
      this.messageObject = true;
      return this.embeddedMessage(buf, end);
    }
    const field = this.topField();
    const inner = field >= 0 ? (INNER_OF[field] ?? -1) : -1;
    return inner >= 0 ? this.read(inner) : j.value();
  }

  /** The copy's message: its scalar head, a jump over its content to its usage, then its other members. */
  private embeddedMessage(buf: Buffer, end: number): boolean {
    const j = this.j;
    if (j.ws() === 0x7d) return false;
    for (;;) {
      if (!j.key() || j.is(USAGE)) return false;
      if (!j.atScalar()) break;
      if (!this.readMessageScalar()) return false;
      const more = j.next();
      if (more === null || !more) return false; // no content: JSON.parse decides
    }
    const from = Math.max(j.pos, this.searchFrom);
    const found = buf.subarray(from, end).indexOf(USAGE_KEY);
    if (found < 0) return false;
    this.searchFrom = from + found + 1;
    this.tookUsage = true;
    j.pos = from + found + USAGE_KEY.length;
    this.usage = j.ws() === 0x7b ? this.usageBytes.read() : j.value() ? INVALID : BAD;
    if (this.usage === BAD) return false;
    // A second usage: JSON.parse keeps the last, let it decide.
    return this.members(() => !j.is(USAGE) && this.readMessageScalar(), false);
  }

  private readMessageScalar(): boolean {
    const j = this.j;
    const field = j.is(ID) ? MESSAGE_ID : j.is(MODEL_KEY) ? MODEL : -1;
    return field >= 0 ? this.read(field) : j.value();
  }

  /**
   * The members of the object just entered (or, `entered` false, those after the one just read),
   * each read by `member` once its key is read, up to the closing brace.
   */
  private members(member: () => boolean, entered = true): boolean {
    const j = this.j;
    if (entered) {
      if (j.ws() === 0x7d) {
        j.pos++;
        return true;
      }
      if (!j.key() || !member()) return false;
    }
    for (let more = j.next(); more !== false; more = j.next()) if (more === null || !j.key() || !member()) return false;
    return true;
  }

  /** The call of the copy read, as takeProgressLine makes it. */
  private embeddedCall(): ApiCall | 'invalid' | null | undefined {
    const kind = this.kind;
    if (!this.messageObject || !this.is(INNER_TYPE, ASSISTANT))
      return kind[INNER_TYPE] === 1 && this.escaped(INNER_TYPE) ? null : undefined;
    if (kind[MESSAGE_ID] === 0 || kind[MODEL] === 0) return null; // maybe among the content's bytes: JSON.parse decides
    const timestamp = kind[INNER_TIMESTAMP] !== 0 ? INNER_TIMESTAMP : TIMESTAMP;
    if (kind[MESSAGE_ID] !== 1 || kind[timestamp] !== 1 || this.usage === INVALID) return undefined;
    return this.callFrom(
      timestamp,
      kind[INNER_SESSION] !== 0 ? INNER_SESSION : SESSION,
      INNER_REQUEST,
      INNER_REQUEST_SESSION,
      kind[INNER_AGENT] !== 0 ? INNER_AGENT : DATA_AGENT,
      true,
    );
  }
}
