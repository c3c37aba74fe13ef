import { zeroTokens, type TokenCounts } from '../usage/tokens.js';

/** A small seeded generator (mulberry32): the same "realistic" numbers on every run of the demo. */
export function seededRandom(seed: number): (min: number, max: number) => number {
  let a = seed >>> 0;
  return (min, max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(unit * (max - min + 1));
  };
}

/**
 * The usage of one conversation's API calls, shaped like prompt caching shapes it: each call reads
 * the cached prefix (system prompt, tools, the conversation so far) and writes to the cache what
 * was added since the previous call (its reply, tool results, the next prompt). So cache reads
 * grow through a session and drop after a compaction, and uncached input stays tiny.
 */
export class Conversation {
  private cached: number;
  private added: number;

  constructor(
    private readonly random: (min: number, max: number) => number,
    opening: { cached: [number, number]; prompt: [number, number] },
  ) {
    this.cached = random(...opening.cached);
    this.added = random(...opening.prompt);
  }

  /** New content the next call sends: a tool result, a file read, the next prompt. */
  add(min: number, max: number): void {
    this.added += this.random(min, max);
  }

  /** The usage of the next API call, which then becomes part of the cached prefix. */
  nextCall(output: [number, number] = [300, 2000]): TokenCounts {
    const tokens = zeroTokens();
    tokens.input = this.random(3, 40);
    tokens.output = this.random(...output);
    // Even a short step re-sends a little (the reply's thinking, reminders): never under ~2k.
    tokens.cacheWrite5m = Math.min(20_000, Math.max(this.random(1_800, 2_600), this.added));
    tokens.cacheRead = this.cached;
    this.cached += tokens.cacheWrite5m;
    this.added = tokens.output;
    return tokens;
  }

  /** `/compact`: one call reads everything and writes a summary; the conversation restarts from it. */
  compact(): TokenCounts {
    const tokens = this.nextCall([1_200, 2_000]);
    this.cached = this.random(18_000, 22_000);
    this.added = tokens.output;
    return tokens;
  }
}
