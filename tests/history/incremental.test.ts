import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALENDAR_ROW, type Calendar } from '../../src/history/calendar.js';
import { dayOfNumber } from '../../src/time/zoned.js';
import type { HistorySummary } from '../../src/history/summary.js';
import { updateHistory } from '../../src/history/update-history.js';
import { dayKey } from '../../src/time/zoned.js';
import { configDir } from '../fixtures/transcripts/cases.js';
import { REPO } from '../report/cli.js';
import { tempDir } from '../transcript/corpus.js';

/**
 * An update reads only new bytes and recomputes only the sessions they touch. Whatever the steps
 * a history was built in — transcripts growing a few lines at a time, files appearing late, forks,
 * subagent files after their parent's cost-state — it must be the history a single cold read of
 * the final files gives: same rows, same cost-state gaps, same spans.
 */
const SOURCES = [
  ...[
    'resumed-fork',
    'subagents-2.1',
    'progress-only',
    'renamed-transcript',
    'calendar',
    'per-block-lines',
    'missing-request-id',
    'output-placeholder',
  ].map(configDir),
  path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', 'compaction', 'claude-config'),
  path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', 'resumed', 'claude-config'),
  path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', 'subagent', 'claude-config'),
];

/** Every transcript of the sources: its path under projects/ and its bytes. */
function transcripts(): Array<{ rel: string; bytes: Buffer }> {
  const out: Array<{ rel: string; bytes: Buffer }> = [];
  for (const source of SOURCES) {
    const root = path.join(source, 'projects');
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
      if (entry.isFile() && entry.name.endsWith('.jsonl')) {
        const full = path.join(entry.parentPath, entry.name);
        out.push({ rel: path.relative(root, full), bytes: fs.readFileSync(full) });
      }
    }
  }
  return out;
}

/** What a report is made of, in a stable order. */
function essence(s: HistorySummary) {
  return Object.fromEntries(
    Object.entries(s.sessions)
      .filter(([, e]) => e.rows.length || e.gaps.length)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, e]) => [
        id,
        {
          project: e.project,
          first: e.first,
          last: e.last,
          rows: e.rows.map((r) => [s.models[r[1]!], ...r.slice(0, 1), ...r.slice(2)]),
          gaps: e.gaps.map((g) => [g[0], s.models[g[1]], ...g.slice(2)]),
        },
      ]),
  );
}

/** A calendar's rows by what they mean (version sets and models by name), summed, in a stable order. */
function calendarEssence(c: Calendar) {
  const out = new Map<string, number[]>();
  for (let i = 0; i < c.rows.length; i += CALENDAR_ROW) {
    const r = c.rows.slice(i, i + CALENDAR_ROW);
    const key = [r[0], c.models[r[1]!], r[2], c.versionSets[r[3]!]!.join(',')].join('|');
    const sum = out.get(key) ?? out.set(key, [0, 0, 0, 0, 0, 0]).get(key)!;
    for (let k = 0; k < 6; k++) sum[k]! += r[4 + k]!;
  }
  const rows = [...out].sort(([a], [b]) => (a < b ? -1 : 1));
  return { rows, withCostState: c.withCostState, costStateSessions: c.costStateSessions };
}

/** The calendar's day rows (what daily reports print from) by what they mean, in a stable order. */
function daysEssence(c: Calendar) {
  expect(c.days).toBeDefined();
  const rows: string[] = [];
  for (let i = 0; i < c.days!.rows.length; i += CALENDAR_ROW) {
    const r = c.days!.rows.slice(i, i + CALENDAR_ROW);
    rows.push([dayOfNumber(r[0]!), c.models[r[1]!], r[2], c.versionSets[r[3]!]!.join(','), ...r.slice(4)].join('|'));
  }
  return { tz: c.days!.tz, rows: rows.sort() };
}

/** The same, summed here from the slot rows with dayKey: what the day rows must be in `tz`. */
function daysFromSlots(c: Calendar, tz: string) {
  const out = new Map<string, number[]>();
  for (let i = 0; i < c.rows.length; i += CALENDAR_ROW) {
    const r = c.rows.slice(i, i + CALENDAR_ROW);
    const key = [dayKey(r[0]! * 15 * 60_000, tz), c.models[r[1]!], r[2], c.versionSets[r[3]!]!.join(',')].join('|');
    const sum = out.get(key) ?? out.set(key, [0, 0, 0, 0, 0, 0]).get(key)!;
    for (let k = 0; k < 6; k++) sum[k]! += r[4 + k]!;
  }
  return { tz, rows: [...out].map(([key, sums]) => [key, ...sums].join('|')).sort() };
}

describe('a history built step by step equals one cold read of the final files', () => {
  const files = transcripts();

  it('property: transcripts written in random pieces, in random order, a report after each step (days in one of three zones)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.nat(files.length - 1),
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.constantFrom('UTC', 'Asia/Kathmandu', 'America/St_Johns'),
          ),
          { minLength: 1, maxLength: 14 },
        ),
        async (steps) => {
          const root = tempDir('spec-session-incremental-');
          const config = path.join(root, 'claude-config');
          const written = new Array<number>(files.length).fill(0);
          const storeDir = path.join(root, 'store');
          const write = (i: number, upto: number) => {
            const file = path.join(config, 'projects', files[i]!.rel);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.appendFileSync(file, files[i]!.bytes.subarray(written[i], upto));
            written[i] = upto;
          };
          for (const [i, share, tz] of steps) {
            write(i, Math.max(written[i]!, Math.floor(share * files[i]!.bytes.length)));
            await updateHistory({ configDirs: [config], storeDir, tz });
          }
          for (const [i, f] of files.entries()) write(i, f.bytes.length);
          const stepped = await updateHistory({ configDirs: [config], storeDir, tz: steps.at(-1)![2] });
          // Its day rows, patched step by step (or summed afresh when the zone changed), in the zone
          // they are kept in: the same as a cold read's in that zone.
          const tz = stepped.calendar().days?.tz;
          const cold = await updateHistory({ configDirs: [config], storeDir: path.join(root, 'cold-store'), tz });
          expect(essence(stepped.summary())).toEqual(essence(cold.summary()));
          expect(calendarEssence(stepped.calendar())).toEqual(calendarEssence(cold.calendar()));
          expect(daysEssence(stepped.calendar())).toEqual(daysEssence(cold.calendar()));
          expect(daysEssence(stepped.calendar())).toEqual(daysFromSlots(stepped.calendar(), tz!));
          // And read back from disk (the calendar a later run with nothing new prints from).
          const again = await updateHistory({ configDirs: [config], storeDir });
          expect(calendarEssence(again.calendar())).toEqual(calendarEssence(cold.calendar()));
          expect(daysEssence(again.calendar())).toEqual(daysEssence(cold.calendar()));
          expect(Object.keys(essence(cold.summary())).length).toBeGreaterThan(10);
        },
      ),
      { seed: 20261208, numRuns: 25 },
    );
  }, 120_000);
});

describe('the calendar keeps its rows summed by day in the zone reports ask for', () => {
  it("a report in another zone sums them afresh, not on top of the last zone's days", async () => {
    const files = transcripts();
    const root = tempDir('spec-session-days-');
    const config = path.join(root, 'claude-config');
    const storeDir = path.join(root, 'store');
    const write = (f: { rel: string; bytes: Buffer }) => {
      const file = path.join(config, 'projects', f.rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.bytes);
    };
    // Every file but one in UTC (the calendar fixture's calls at 23:30 UTC are the next day in
    // Kathmandu), then the last one in Kathmandu.
    const last = files.findIndex((f) => !f.rel.includes('calendar'));
    for (const [i, f] of files.entries()) if (i !== last) write(f);
    const utc = (await updateHistory({ configDirs: [config], storeDir, tz: 'UTC' })).calendar();
    expect(daysEssence(utc)).toEqual(daysFromSlots(utc, 'UTC'));
    write(files[last]!);
    const kathmandu = (await updateHistory({ configDirs: [config], storeDir, tz: 'Asia/Kathmandu' })).calendar();
    expect(daysEssence(kathmandu)).toEqual(daysFromSlots(kathmandu, 'Asia/Kathmandu'));
    expect(daysEssence(kathmandu).rows).not.toEqual(daysFromSlots(kathmandu, 'UTC').rows);
  });
});

describe('a transcript read in three pieces: what the first two updates learnt of it is kept', () => {
  it('the 2.1.331 compaction fixture cut at pairs of line boundaries, another file read between: the rows and cost-state gaps of one cold read', async () => {
    const source = path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', 'compaction', 'claude-config');
    const rel = (fs.readdirSync(path.join(source, 'projects'), { recursive: true }) as string[]).find((f) =>
      f.endsWith('.jsonl'),
    )!;
    const bytes = fs.readFileSync(path.join(source, 'projects', rel));
    const ends: number[] = [];
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) ends.push(i + 1);
    // Between the second piece and the third, an update reads another transcript only: what the
    // second learnt of this one must outlive an update that did not touch it.
    const other = transcripts().find((f) => f.rel.startsWith('-home-dev-shop'))!;
    const root = tempDir('spec-session-pieces-');
    const whole = path.join(root, 'whole');
    for (const [f, b] of [
      [rel, bytes],
      [other.rel, other.bytes],
    ] as const) {
      fs.mkdirSync(path.dirname(path.join(whole, 'projects', f)), { recursive: true });
      fs.writeFileSync(path.join(whole, 'projects', f), b);
    }
    const cold = await updateHistory({ configDirs: [whole], storeDir: path.join(root, 'cold') });
    const want = essence(cold.summary());
    expect(Object.values(want).some((e) => e.gaps.length > 0)).toBe(true);
    let run = 0;
    for (let a = 0; a < ends.length; a += 5) {
      for (let b = a + 5; b < ends.length; b += 5) {
        const config = path.join(root, `config-${run}`);
        const storeDir = path.join(root, `store-${run++}`);
        const target = path.join(config, 'projects', rel);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        for (const [from, to] of [
          [0, ends[a]!],
          [ends[a]!, ends[b]!],
          [-1, -1],
          [ends[b]!, bytes.length],
        ] as Array<[number, number]>) {
          if (from >= 0) fs.appendFileSync(target, bytes.subarray(from, to));
          else {
            fs.mkdirSync(path.dirname(path.join(config, 'projects', other.rel)), { recursive: true });
            fs.writeFileSync(path.join(config, 'projects', other.rel), other.bytes);
          }
          await updateHistory({ configDirs: [config], storeDir });
        }
        const pieces = await updateHistory({ configDirs: [config], storeDir });
        expect({ cuts: [a, b], summary: essence(pieces.summary()) }).toEqual({ cuts: [a, b], summary: want });
      }
    }
  });
});

describe('the history of spec-session 0.1 (one state.json and calls.jsonl for every config dir)', () => {
  it('is taken over once: calls of sessions under the dirs asked for, also those Claude Code has deleted since', async () => {
    const root = tempDir('spec-session-legacy-');
    const config = path.join(root, 'claude-config');
    fs.cpSync(configDir('calendar'), config, { recursive: true });
    const history = path.join(root, 'history');
    fs.mkdirSync(history);
    const projects = path.join(config, 'projects', '-home-dev-shop');
    const gone = path.join(projects, '10000000-0000-4000-8000-000000000099.jsonl');
    const call = (id: string, session: string, input: number) =>
      JSON.stringify([
        id,
        `req_${id}`,
        Date.UTC(2026, 9, 1, 12),
        'claude-sonnet-4-5-20250929',
        session,
        null,
        0,
        0,
        input,
        10,
        0,
        0,
        0,
        '-home-dev-shop',
      ]);
    const lines = `${[call('msg_gone', '10000000-0000-4000-8000-000000000099', 7000), call('msg_elsewhere', 'other-session', 9000)].join('\n')}\n`;
    fs.writeFileSync(path.join(history, 'calls.jsonl'), `${lines}["msg_torn", "req_`);
    const entry = (sessionId: string) => ({
      offset: 0,
      ino: 0,
      head: '',
      size: 0,
      mtimeMs: 0,
      project: '-home-dev-shop',
      sessionId,
    });
    fs.writeFileSync(
      path.join(history, 'state.json'),
      JSON.stringify({
        version: 1,
        callsBytes: Buffer.byteLength(lines),
        files: {
          [gone]: entry('10000000-0000-4000-8000-000000000099'),
          '/elsewhere/projects/x/other-session.jsonl': entry('other-session'),
        },
        rows: [],
        sessions: {},
        malformed: 0,
      }),
    );

    const view = await updateHistory({ configDirs: [config], storeDir: history });
    const inputs = Object.fromEntries(
      Object.entries(view.summary().sessions).map(([s, e]) => [s, e.rows.reduce((n, r) => n + r[4]!, 0)]),
    );
    expect(inputs).toEqual({
      '10000000-0000-4000-8000-000000000019': 6000,
      '10000000-0000-4000-8000-000000000020': 4000,
      '10000000-0000-4000-8000-000000000099': 7000,
    });
    // Taken over once: the new store answers from then on, and counts nothing twice.
    const again = await updateHistory({ configDirs: [config], storeDir: history });
    expect(again.bytesRead).toBe(0);
    expect(again.summary()).toEqual(view.summary());
  });
});

describe('what an update must recompute beyond the files it read', () => {
  const O = 'aaaaaaaa-0000-4000-8000-000000000031'; // sorts first
  const F = 'ffffffff-0000-4000-8000-000000000031';
  const line = (session: string, id: string, input: number, time: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: 'assistant',
      timestamp: time,
      sessionId: session,
      requestId: `req_${id}`,
      version: '2.1.56',
      ...extra,
      message: {
        id,
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        usage: { input_tokens: input, output_tokens: 1 },
      },
    });
  const costState = (session: string, input: number, output: number) =>
    JSON.stringify({
      type: 'cost-state',
      sessionId: session,
      modelUsage: {
        'claude-sonnet-4-5-20250929': {
          inputTokens: input,
          outputTokens: output,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
        },
      },
    });

  async function steps(writes: Array<Array<[file: string, text: string]>>) {
    const root = tempDir('spec-session-steps-');
    const config = path.join(root, 'claude-config');
    const dir = path.join(config, 'projects', '-p');
    fs.mkdirSync(dir, { recursive: true });
    for (const step of writes) {
      for (const [file, text] of step) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.appendFileSync(path.join(dir, file), `${text}\n`);
      }
      await updateHistory({ configDirs: [config], storeDir: path.join(root, 'store') });
    }
    const stepped = await updateHistory({ configDirs: [config], storeDir: path.join(root, 'store') });
    const cold = await updateHistory({ configDirs: [config], storeDir: path.join(root, 'cold') });
    return { stepped: essence(stepped.summary()), cold: essence(cold.summary()) };
  }

  it('a call whose earliest copy turns up in another session leaves the first one: both sessions are recomputed', async () => {
    // An older version's fork copy (no requestSessionId) read first, then the original: same
    // timestamp, so the lower session id represents the call.
    const { stepped, cold } = await steps([
      [[`${F}.jsonl`, line(F, 'msg_x', 500, '2026-11-20T10:00:00.000Z')]],
      [[`${O}.jsonl`, line(O, 'msg_x', 500, '2026-11-20T10:00:00.000Z')]],
    ]);
    expect(Object.keys(cold)).toEqual([O]);
    expect(stepped).toEqual(cold);
  });

  it("a parent's subagent file read after its fork: the fork's cost-state gap shrinks by what it inherits", async () => {
    const parentCall = line(O, 'msg_p1', 1000, '2026-11-20T09:00:01.000Z');
    const subagentCall = line(O, 'msg_p2', 300, '2026-11-20T09:00:00.500Z', { isSidechain: true, agentId: 'a1' });
    const { stepped, cold } = await steps([
      [
        [`${O}.jsonl`, `${parentCall}\n${costState(O, 1300, 2)}`],
        [
          `${F}.jsonl`,
          `${line(F, 'msg_p1', 1000, '2026-11-20T09:00:01.000Z', { requestSessionId: O })}\n${line(F, 'msg_f1', 50, '2026-11-20T10:00:00.000Z')}\n${costState(F, 1350, 3)}`,
        ],
      ],
      [[`${O}/subagents/agent-a1.jsonl`, subagentCall]],
    ]);
    expect(cold[F]!.gaps).toEqual([]);
    expect(stepped).toEqual(cold);
  });

  it("a file of cost-state lines only, then the session's calls in another file: the first file's count still counts", async () => {
    // No call line names the session in the first file (its only calls were side calls), so only
    // the session its count is of ties it to the calls read later.
    const { stepped, cold } = await steps([
      [[`${O}.jsonl`, costState(O, 400, 5)]],
      [['export.jsonl', line(O, 'msg_a', 100, '2026-11-20T09:00:00.000Z')]],
    ]);
    expect(cold[O]!.gaps.map((g) => g.slice(2))).toEqual([[300, 4, 0, 0, 0]]);
    expect(stepped).toEqual(cold);
  });
});

describe('cost-state gaps of a fork', () => {
  it("the parent's compaction after its last call is the parent's: the fork, which copied its compact_boundary, counts it once", async () => {
    const root = tempDir('spec-session-fork-');
    const dir = path.join(root, 'claude-config', 'projects', '-p');
    fs.mkdirSync(dir, { recursive: true });
    const P = 'aaaaaaaa-0000-4000-8000-000000000041';
    const F = 'ffffffff-0000-4000-8000-000000000041';
    const call = (session: string, id: string, input: number, time: string, extra = {}) =>
      JSON.stringify({
        type: 'assistant',
        timestamp: time,
        sessionId: session,
        requestId: `req_${id}`,
        version: '2.1.331',
        ...extra,
        message: { id, model: 'claude-opus-5-5', content: [], usage: { input_tokens: input, output_tokens: 10 } },
      });
    const compact = (session: string) =>
      JSON.stringify({
        type: 'system',
        subtype: 'compact_boundary',
        timestamp: '2026-11-20T10:30:00.000Z',
        sessionId: session,
      });
    const count = (session: string, input: number, output: number) =>
      JSON.stringify({
        type: 'cost-state',
        sessionId: session,
        modelUsage: {
          'claude-opus-5-5': {
            inputTokens: input,
            outputTokens: output,
            cacheReadInputTokens: 0,
            cacheCreationInputTokens: 0,
          },
        },
      });
    fs.writeFileSync(
      path.join(dir, `${P}.jsonl`),
      `${[call(P, 'msg_p', 1000, '2026-11-20T10:00:00.000Z'), compact(P), count(P, 1300, 510)].join('\n')}\n`,
    );
    fs.writeFileSync(
      path.join(dir, `${F}.jsonl`),
      `${[call(F, 'msg_p', 1000, '2026-11-20T10:00:00.000Z', { requestSessionId: P }), compact(F), call(F, 'msg_f', 50, '2026-11-21T09:00:00.000Z'), count(F, 1350, 520)].join('\n')}\n`,
    );
    const view = await updateHistory({
      configDirs: [path.join(root, 'claude-config')],
      storeDir: path.join(root, 'store'),
    });
    const gaps = Object.fromEntries(
      Object.entries(view.summary().sessions).map(([s, e]) => [
        s,
        e.gaps.map((g) => [new Date(g[0]!).toISOString(), g[2], g[3]]),
      ]),
    );
    expect(gaps).toEqual({ [P]: [['2026-11-20T10:30:00.000Z', 300, 500]], [F]: [] });
  });
});
