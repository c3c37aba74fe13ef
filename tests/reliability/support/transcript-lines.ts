/**
 * Transcript lines in the exact shape Claude Code 2.1.331 writes them, copied from a real line of
 * tests/fixtures/real-2.1.331/text-reply with ids, times and usage replaced: one line per content
 * block, each repeating the call's final usage. Also what those calls must cost, and a writer that
 * appends them the way Claude Code does while hooks run.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/support/claude.js';
import type { TokenFields } from '../../e2e/support/project.js';

const FIXTURE = join(
  repoRoot,
  'tests',
  'fixtures',
  'real-2.1.331',
  'text-reply',
  'claude-config',
  'projects',
  '-tmp-spec-session-fixtures-text-reply-project',
  '00000000-0000-4000-8000-000000000001.jsonl',
);
const fixtureRows = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const USER_ROW = fixtureRows.find((r) => r.type === 'user')!;
const ASSISTANT_ROW = fixtureRows.find((r) => r.type === 'assistant')!;

export const MODEL = 'claude-opus-5-5';
/** Anthropic list prices of claude-opus-5-5, USD per million tokens (src/pricing/price-tables.ts). */
const RATES = { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.2 };

/** One API call as a transcript holds it: one line per content block, each with the final usage. */
export interface Call {
  id: string;
  req: string;
  time: number;
  blocks: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** A deterministic PRNG (mulberry32), so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls with distinct ids and varied usage; prompts stay under the 200k long-context threshold. */
export function makeCalls(
  prefix: string,
  count: number,
  random: () => number,
  start = Date.UTC(2026, 0, 15, 10),
): Call[] {
  const n = (max: number) => 1 + Math.floor(random() * max);
  return Array.from({ length: count }, (_, i) => ({
    id: `msg_${prefix}_${i}`,
    req: `req_${prefix}_${i}`,
    time: start + i * 1000,
    blocks: n(3),
    input: n(5000),
    output: n(3000),
    cacheWrite5m: n(20000),
    cacheWrite1h: random() < 0.3 ? n(4000) : 0,
    cacheRead: n(90000),
  }));
}

/** The transcript lines of one call, copied from a real 2.1.331 line with ids, times and usage replaced. */
export function callLines(call: Call, sessionId: string, cwd: string): string[] {
  const base = ASSISTANT_ROW as { message: Record<string, unknown> } & Record<string, unknown>;
  return Array.from({ length: call.blocks }, (_, block) =>
    JSON.stringify({
      ...base,
      parentUuid: `${call.id}-${block - 1}`,
      message: {
        ...base.message,
        id: call.id,
        content: [{ type: 'text', text: `block ${block} of ${call.id}` }],
        usage: {
          ...(base.message.usage as Record<string, unknown>),
          input_tokens: call.input,
          output_tokens: call.output,
          cache_creation_input_tokens: call.cacheWrite5m + call.cacheWrite1h,
          cache_read_input_tokens: call.cacheRead,
          cache_creation: {
            ephemeral_1h_input_tokens: call.cacheWrite1h,
            ephemeral_5m_input_tokens: call.cacheWrite5m,
          },
        },
      },
      apiBlockIndex: block,
      requestId: call.req,
      uuid: `${call.id}-${block}`,
      timestamp: new Date(call.time + block).toISOString(),
      cwd,
      sessionId,
    }),
  );
}

/** The first line of a session: the user's prompt. */
export function promptLine(sessionId: string, cwd: string): string {
  return JSON.stringify({ ...USER_ROW, uuid: `prompt-${sessionId}`, cwd, sessionId });
}

/** What `cost --json` must show for these calls: each counted once, priced at claude-opus-5-5. */
export function expectedTotals(calls: Call[]): TokenFields & { calls: number } {
  const t = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
    totalCost: 0,
    calls: calls.length,
  };
  let micros = 0;
  for (const c of calls) {
    t.inputTokens += c.input;
    t.outputTokens += c.output;
    t.cacheCreationTokens += c.cacheWrite5m + c.cacheWrite1h;
    t.cacheReadTokens += c.cacheRead;
    micros +=
      c.input * RATES.input +
      c.output * RATES.output +
      c.cacheWrite5m * RATES.cacheWrite5m +
      c.cacheWrite1h * RATES.cacheWrite1h +
      c.cacheRead * RATES.cacheRead;
  }
  t.totalTokens = t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens;
  t.totalCost = micros / 1e6;
  return t;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The transcript of a session, as the writer needs it. */
export interface TranscriptTarget {
  project: string;
  transcriptPath(sessionId: string): string;
}

/**
 * Appends calls the way Claude Code does while hooks run: a few ms apart, and about one line in
 * five written in two parts, so a hook may find a line without its end (and must leave it).
 */
export async function writeGradually(
  p: TranscriptTarget,
  plan: Array<{ sessionId: string; call: Call }>,
  random: () => number,
  maxPauseMs = 30,
): Promise<void> {
  for (const { sessionId, call } of plan) {
    for (const line of callLines(call, sessionId, p.project)) {
      const file = p.transcriptPath(sessionId);
      if (random() < 0.2) {
        const cut = 1 + Math.floor(random() * (line.length - 1));
        appendFileSync(file, line.slice(0, cut));
        await sleep(1 + Math.floor(random() * 3));
        appendFileSync(file, `${line.slice(cut)}\n`);
      } else appendFileSync(file, `${line}\n`);
    }
    await sleep(Math.floor(random() * maxPauseMs));
  }
}
