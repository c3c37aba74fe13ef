import fs from 'node:fs';
/**
 * `report blocks`: the 5-hour windows as ccusage draws them, on calls made up for each rule, and
 * through the CLI on the fixtures (the blocks add up to the daily report, and equal ccusage's).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blocksJson, tokenLimit, usageBlocks, type BlockCall } from '../../src/report/blocks.js';
import { loadPriceBook } from '../../src/pricing/price-call.js';
import { configDir } from '../fixtures/transcripts/cases.js';
import { tempDir } from '../transcript/corpus.js';
import { cliEnv, REPO, runCli, twoProjects } from './cli.js';

const book = loadPriceBook({ table: 'anthropic' });
const at = (iso: string) => Date.parse(iso);
/** A Sonnet 4.5 call ($3 in, $15 out per million) of `input` input and a tenth as much output. */
const call = (iso: string, input = 1000): BlockCall => ({
  time: at(iso),
  model: 'claude-sonnet-4-5-20250929',
  tokens: { input, output: input / 10, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
  fast: false,
});
const LATER = at('2027-01-01T00:00:00Z');
const shape = (calls: BlockCall[], now = LATER) =>
  blocksJson(usageBlocks(calls, book, now), now).blocks.map((b) => [b.id, b.endTime, b.entries, b.isActive]);

describe('the 5-hour rule', () => {
  it("a block starts at its first call's hour (UTC) and holds what comes within 5 hours of that", () => {
    expect(
      shape([call('2026-11-02T10:42:00Z'), call('2026-11-02T15:00:00Z'), call('2026-11-02T15:00:00.001Z')]),
    ).toEqual([
      ['2026-11-02T10:00:00.000Z', '2026-11-02T15:00:00.000Z', 2, false], // 15:00 sharp is 5 hours from the start: still in
      ['2026-11-02T15:00:00.000Z', '2026-11-02T20:00:00.000Z', 1, false],
    ]);
  });

  it('a pause of more than 5 hours is a gap block, from 5 hours after the last call to the next', () => {
    expect(shape([call('2026-11-02T10:10:00Z'), call('2026-11-02T15:10:00.001Z')])).toEqual([
      ['2026-11-02T10:00:00.000Z', '2026-11-02T15:00:00.000Z', 1, false],
      ['gap-2026-11-02T15:10:00.000Z', '2026-11-02T15:10:00.001Z', 0, false],
      ['2026-11-02T15:00:00.000Z', '2026-11-02T20:00:00.000Z', 1, false],
    ]);
    // Exactly 5 hours after the last call (and within the block): the same block.
    expect(shape([call('2026-11-02T10:00:00Z'), call('2026-11-02T15:00:00Z')])).toHaveLength(1);
  });

  it('the active block: its burn rate since its first call, and at that rate to its end', () => {
    const now = at('2026-11-02T12:00:00Z');
    const [block] = blocksJson(
      usageBlocks([call('2026-11-02T10:30:00Z', 10_000), call('2026-11-02T11:30:00Z', 20_000)], book, now),
      now,
    ).blocks;
    expect(block).toMatchObject({ isActive: true, entries: 2, totalTokens: 33_000, costUSD: 0.135 });
    // 33,000 tokens and $0.135 in the hour between the calls; 3 hours left.
    expect(block!.burnRate).toEqual({ tokensPerMinute: 550, tokensPerMinuteForIndicator: 550, costPerHour: 0.135 });
    expect(block!.projection).toEqual({ totalTokens: 132_000, totalCost: 0.54, remainingMinutes: 180 });
    // A block whose last call is more than 5 hours back, or whose end has passed, is not active.
    expect(shape([call('2026-11-02T10:30:00Z')], at('2026-11-02T15:00:00Z'))[0]![3]).toBe(false);
    expect(shape([call('2026-11-02T10:30:00Z')], at('2026-11-02T14:59:59Z'))[0]![3]).toBe(true);
  });

  it('--token-limit: the projection against it (ok, warning past 80%, exceeds), on the active block only', () => {
    const now = at('2026-11-02T12:00:00Z');
    const calls = [
      call('2026-11-01T08:00:00Z', 40_000),
      call('2026-11-02T10:30:00Z', 10_000),
      call('2026-11-02T11:30:00Z', 20_000),
    ];
    const blocks = usageBlocks(calls, book, now);
    const statusAt = (limit: number) => blocksJson(blocks, now, limit).blocks.map((b) => b.tokenLimitStatus);
    // The active block projects 132,000 tokens by its end (as above).
    expect(statusAt(200_000)).toEqual([
      undefined,
      undefined,
      { limit: 200_000, projectedUsage: 132_000, percentUsed: 66, status: 'ok' },
    ]);
    expect(statusAt(160_000).at(-1)).toMatchObject({ percentUsed: 82.5, status: 'warning' });
    expect(statusAt(132_000).at(-1)).toMatchObject({ percentUsed: 100, status: 'warning' }); // exactly at it
    expect(statusAt(131_999).at(-1)).toMatchObject({ status: 'exceeds' });
    // max: the most a block before the active one used (44,000), never the active one (33,000) or a gap.
    expect(tokenLimit('max', blocks)).toBe(44_000);
    expect(tokenLimit('max', blocks.slice(1))).toBeUndefined();
    expect(tokenLimit('12345', blocks)).toBe(12_345);
  });

  it('--session-length: every rule at that length', () => {
    const twoHours = (calls: BlockCall[]) =>
      blocksJson(usageBlocks(calls, book, LATER, 2), LATER).blocks.map((b) => [b.id, b.endTime, b.entries]);
    expect(
      twoHours([call('2026-11-02T10:42:00Z'), call('2026-11-02T12:00:00Z'), call('2026-11-02T12:00:00.001Z')]),
    ).toEqual([
      ['2026-11-02T10:00:00.000Z', '2026-11-02T12:00:00.000Z', 2],
      ['2026-11-02T12:00:00.000Z', '2026-11-02T14:00:00.000Z', 1],
    ]);
    expect(twoHours([call('2026-11-02T10:10:00Z'), call('2026-11-02T12:10:00.001Z')])[1]![0]).toBe(
      'gap-2026-11-02T12:10:00.000Z',
    );
  });
});

describe('report blocks, through the CLI', () => {
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = runCli(['report', ...args], cliEnv(tempDir('spec-session-blocks-'), env));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  type Blocks = { blocks: Array<{ isGap: boolean; tokenCounts: Record<string, number>; isActive: boolean }> };
  const sum = (j: Blocks, k: string) => j.blocks.reduce((n, b) => n + b.tokenCounts[k]!, 0);

  it("add up to the daily report's totals, the compaction call only cost-state counts included", () => {
    const dirs = [
      configDir('calendar'),
      configDir('cache-creation-split'),
      path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', 'compaction', 'claude-config'),
    ];
    for (const dir of dirs) {
      const blocks = JSON.parse(run(['blocks', '--json', '--tz', 'UTC', '--config-dir', dir])) as Blocks;
      const daily = JSON.parse(run(['daily', '--json', '--tz', 'UTC', '--config-dir', dir])) as {
        totals: Record<string, number>;
      };
      expect([sum(blocks, 'inputTokens'), sum(blocks, 'outputTokens'), sum(blocks, 'cacheReadInputTokens')]).toEqual([
        daily.totals.inputTokens,
        daily.totals.outputTokens,
        daily.totals.cacheReadTokens,
      ]);
      expect(sum(blocks, 'cacheCreationInputTokens')).toBe(daily.totals.cacheCreationTokens);
    }
  });

  it("--project: that project's calls alone", () => {
    const dir = twoProjects();
    const api = JSON.parse(
      run(['blocks', '-j', '-z', 'UTC', '--project=-home-dev-api', '--config-dir', dir]),
    ) as Blocks;
    const daily = JSON.parse(run(['daily', '-j', '-z', 'UTC', '-p', 'home-dev-api', '--config-dir', dir])) as {
      totals: Record<string, number>;
    };
    expect(api.blocks).toHaveLength(1);
    expect(sum(api, 'inputTokens')).toBe(daily.totals.inputTokens);
    expect(run(['blocks', '-p', 'nope', '--config-dir', dir])).toContain(
      'No usage in project "nope"; projects: -home-dev-api, -home-dev-shop\n',
    );
  });

  it('the same blocks with every call bucket of the store damaged (set aside and rebuilt, as for a daily report)', () => {
    const home = tempDir('spec-session-blocks-');
    const blocks = () => {
      const r = runCli(['report', 'blocks', '-j', '-z', 'UTC', '--config-dir', configDir('calendar')], cliEnv(home));
      expect([r.stderr, r.status]).toEqual(['', 0]);
      return r.stdout;
    };
    const before = blocks();
    const history = path.join(home, 'spec-session', 'history');
    const store = path.join(history, fs.readdirSync(history)[0]!, 'calls');
    for (const name of fs.readdirSync(store)) fs.writeFileSync(path.join(store, name), '{"models":["torn');
    expect(blocks()).toBe(before);
  });

  it('--active and --recent, with the clock pinned an hour after the last call', () => {
    const now = { SPEC_SESSION_NOW: '2026-11-10T10:30:00Z' };
    const all = JSON.parse(run(['blocks', '-j', '-z', 'UTC', '--config-dir', configDir('calendar')], now)) as Blocks;
    expect(all.blocks.filter((b) => b.isActive)).toHaveLength(1);
    const active = JSON.parse(run(['blocks', '-j', '--active', '--config-dir', configDir('calendar')], now)) as Blocks;
    expect(active.blocks).toEqual([all.blocks.at(-1)]);
    const recent = JSON.parse(run(['blocks', '-j', '--recent', '--config-dir', configDir('calendar')], now)) as Blocks;
    expect(recent.blocks).toEqual([all.blocks.at(-1)]); // the others are more than 3 days old
    const text = run(['blocks', '-z', 'UTC', '--config-dir', configDir('calendar')], now);
    expect(text).toContain(' 2026-11-10 09:00 ▶ │');
    expect(text).toContain('▶ active: ends 14:00 (3h 30m left)');
    expect(text).toContain('(no calls for 7d 18h)');
  });

  it('--token-limit and --session-length through the CLI; bad values are one line each', () => {
    const now = { SPEC_SESSION_NOW: '2026-11-10T10:30:00Z' };
    const dir = configDir('calendar');
    const all = JSON.parse(run(['blocks', '-j', '--config-dir', dir], now)) as Blocks;
    const most = Math.max(
      ...all.blocks
        .filter((b) => !b.isGap && !b.isActive)
        .map((b) => Object.values(b.tokenCounts).reduce((n, v) => n + v, 0)),
    );
    // max is taken before --active leaves the other blocks out; the active block has one call, so no rate to project
    const active = run(['blocks', '--active', '-t', 'max', '--config-dir', dir], now);
    expect(active).toContain(
      `token limit ${most.toLocaleString('en-US')} (the most a block before the active one used): `,
    );
    const text = run(
      ['blocks', '-z', 'UTC', '--token-limit', '1000000', '--session-length', '3', '--config-dir', dir],
      now,
    );
    expect(text).toContain('% limit');
    expect(text).toContain('3-hour blocks as ccusage draws them');
    const threeHours = JSON.parse(run(['blocks', '-j', '-n', '3', '--config-dir', dir], now)) as {
      blocks: Array<{ startTime: string; endTime: string }>;
    };
    expect(threeHours.blocks.at(-1)).toMatchObject({
      startTime: '2026-11-10T09:00:00.000Z',
      endTime: '2026-11-10T12:00:00.000Z',
    });
    expect(text).toContain('\ntoken limit 1.00M: 4,400 used (0.4%), 995,600 left\n'); // the active block: one call of 4,000 in, 400 out
    for (const [args, line] of [
      [['-t', '0'], '--token-limit expects a number of tokens or max, got "0"'],
      [
        ['--session-length', '1e3'],
        '--session-length expects hours from 1 to 168 (a block starts at its first call\'s hour), got "1e3"',
      ],
      [
        ['-n', '0.5'],
        '--session-length expects hours from 1 to 168 (a block starts at its first call\'s hour), got "0.5"',
      ],
    ] as const) {
      const r = runCli(['report', 'blocks', ...args, '--config-dir', dir], cliEnv(tempDir('spec-session-blocks-')));
      expect([r.status, r.stderr]).toEqual([1, `spec-session report: ${line}\n`]);
    }
    const daily = runCli(['report', 'daily', '-t', '5', '--config-dir', dir], cliEnv(tempDir('spec-session-blocks-')));
    expect([daily.status, daily.stderr]).toEqual([1, 'spec-session report: --token-limit is for report blocks\n']);
  });
});
