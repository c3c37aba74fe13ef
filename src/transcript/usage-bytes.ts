/**
 * An assistant line's `message.usage` object read straight from its bytes, as rows.ts `parseUsage`
 * and whole-lines.ts `usageToTokens` read it parsed: the token counts, the 5m/1h split and the speed.
 * LineFields reads the rest of the line and hands its cursor over at the usage object.
 */
import type { TokenCounts } from '../usage/tokens.js';
import { ascii, type JsonBytes } from './json-bytes.js';

const FAST = ascii('fast');
/** Count keys by length: [key, index in counts]. Those of `usage`, then those of its `cache_creation`. */
type CountKeys = Record<number, Array<[Uint8Array, number]>>;
const USAGE_KEYS: CountKeys = {
  12: [[ascii('input_tokens'), 0]],
  13: [[ascii('output_tokens'), 1]],
  27: [[ascii('cache_creation_input_tokens'), 2]],
  23: [[ascii('cache_read_input_tokens'), 3]],
};
const SPLIT_KEYS: CountKeys = {
  25: [
    [ascii('ephemeral_5m_input_tokens'), 4],
    [ascii('ephemeral_1h_input_tokens'), 5],
  ],
};
const SPLIT = ascii('cache_creation');
const SPEED = ascii('speed');

/** Results besides a count: JSON that rows.ts would refuse (INVALID), or bytes that are not JSON (BAD). */
export const INVALID = -1;
export const BAD = -2;

export class UsageBytes {
  // usage, as read: input, output, cache_creation_input, cache_read, 5m, 1h; split seen; speed fast
  private readonly counts = new Float64Array(6);
  private split = false;
  /** `speed` was "fast". */
  fast = false;

  /** `j` is the cursor LineFields reads the line with. */
  constructor(private readonly j: JsonBytes) {}

  /** As usageToTokens: what the 5m/1h split does not explain of the total is a 5-minute write. */
  tokens(): TokenCounts {
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
  read(): number {
    this.j.pos++;
    this.counts.fill(0);
    this.split = false;
    this.fast = false;
    return this.members(USAGE_KEYS, true);
  }

  private splitObject(): number {
    this.j.pos++;
    this.split = true;
    this.counts[4] = this.counts[5] = 0;
    return this.members(SPLIT_KEYS, false);
  }

  /**
   * The members of the object just entered, up to its closing brace: the counts named in `keys`,
   * and in `usage` itself (`top`) its speed and cache_creation split; anything else is skipped.
   * 0 valid, INVALID, or BAD (not JSON).
   */
  private members(keys: CountKeys, top: boolean): number {
    const j = this.j;
    let valid = true;
    if (j.ws() === 0x7d) {
      j.pos++;
      return 0;
    }
    for (;;) {
      if (!j.key()) return BAD;
      const candidates = keys[j.b - j.a];
      let kind = -1;
      if (candidates) for (const [key, k] of candidates) if (j.is(key)) kind = k;
      if (kind >= 0) {
        const n = this.count();
        if (n === BAD) return BAD;
        if (n === INVALID) valid = false;
        else this.counts[kind] = n;
      } else if (top && j.b - j.a === 5 && j.is(SPEED)) {
        if (j.ws() === 0x22) {
          if (!j.string()) return BAD;
          this.fast = j.b - j.a === 4 && j.is(FAST);
        } else if (!j.value()) return BAD;
      } else if (top && j.b - j.a === 14 && j.is(SPLIT) && j.ws() === 0x7b) {
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
