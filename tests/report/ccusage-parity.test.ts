import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CASES, FORK, configDir, fixtureCase, session } from '../fixtures/transcripts/cases.js';
import { tempDir } from '../transcript/corpus.js';
import { cliEnv, ensureBuilt, REPO, runCli, twoProjects } from './cli.js';
import type { TokenFields } from '../e2e/support/project.js';
import { requireTool, skipWithout } from '../support/required-tools.js';

/**
 * `spec-session report session --json` against ccusage 20.0.24 (`ccusage claude session --json`)
 * on every fixture: same field names, same tokens, same sessions, same cost, except where we
 * differ on purpose. Each difference is written out below with the reason.
 *
 * ccusage is a devDependency pinned to 20.0.24 (`npm ci` installs it with its native binary;
 * CCUSAGE_BIN points elsewhere, like E2E_CLAUDE_BIN). Without it the tests skip and say why, and
 * under CI=true they fail instead.
 */
const PEER_VERSION = '20.0.24';
const PEER_BIN = process.env.CCUSAGE_BIN ?? path.join(REPO, 'node_modules', '.bin', 'ccusage');

/** Why the pinned ccusage cannot run here, or undefined when it can. */
function peerMissing(): string | undefined {
  try {
    const version = execFileSync(PEER_BIN, ['--version'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    }).trim();
    return version.includes(PEER_VERSION)
      ? undefined
      : `${PEER_BIN} is ccusage ${version}, not ${PEER_VERSION} (npm ci)`;
  } catch (error) {
    return `${PEER_BIN} does not run (npm ci installs ccusage@${PEER_VERSION}): ${(error as Error).message.split('\n')[0]}`;
  }
}
const missing = peerMissing();

type Tokens = TokenFields;
interface Row extends Tokens {
  sessionId: string;
  projectPath: string;
  firstActivity: string;
  lastActivity: string;
  modelsUsed: string[];
  modelBreakdowns: Array<Record<string, unknown>>;
}
interface SessionJson {
  sessions: Row[];
  totals: Tokens & { unpricedModels?: string[] };
}

/** `ccusage claude <args>` on the config dir `dir`, its JSON parsed. */
function runCcusage<T>(dir: string, args: string[]): T {
  const out = execFileSync(PEER_BIN, ['claude', ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tempDir('ccusage-home-'),
      CLAUDE_CONFIG_DIR: dir,
      LOG_LEVEL: '0',
      TZ: 'UTC',
    },
  });
  return JSON.parse(out) as T;
}

const ccusage = (dir: string) => runCcusage<SessionJson>(dir, ['session', '--json', '--offline']);

function ours(dir: string): SessionJson {
  const r = runCli(['report', 'session', '--json', '--config-dir', dir], cliEnv(tempDir('spec-session-parity-')));
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as SessionJson;
}

const tokens = (t: Tokens) => ({
  input: t.inputTokens,
  output: t.outputTokens,
  cacheWrite: t.cacheCreationTokens,
  cacheRead: t.cacheReadTokens,
});
const sessionsOf = (j: SessionJson) =>
  Object.fromEntries(j.sessions.map((s) => [s.sessionId, { ...tokens(s), projectPath: s.projectPath }]));
const activityOf = (j: SessionJson) =>
  Object.fromEntries(j.sessions.map((s) => [s.sessionId, [s.firstActivity, s.lastActivity]]));
const modelsOf = (j: SessionJson) => Object.fromEntries(j.sessions.map((s) => [s.sessionId, [...s.modelsUsed].sort()]));

/** Where ccusage 20.0.24 shows something else than we do, on purpose; everything else must be equal. */
interface Difference {
  why: string;
  /** ccusage's totals (tokens), when they differ from ours. */
  tokens?: ReturnType<typeof tokens>;
  /** ccusage's input/output per session, when they differ from ours. */
  sessions?: Record<string, [number, number]>;
  /** ccusage's totalCost, when it differs from ours. */
  cost?: number;
  /** ccusage's [firstActivity, lastActivity] per session, when they differ from ours. */
  activity?: Record<string, [string, string]>;
  /** ccusage's modelsUsed per session (sorted: the order differs too), when they differ from ours. */
  models?: Record<string, string[]>;
}

const OPUS_5_5_UNPRICED =
  'ccusage 20.0.24 has no price for claude-opus-5-5 (Claude Code 2.1.331’s default model) and shows $0 with missingPricing; we price it at the rate Claude Code itself bills (measured), so our cost equals total_cost_usd';

const DATED_BY_KEPT_COPY =
  'ccusage dates a call by the copy it keeps (the line with the largest token total: here the last or the largest-placeholder line); we date it by its first line, when the response started to be written';

const DIFFERENCES: Record<string, Difference> = {
  'output-final-last-line': {
    why: DATED_BY_KEPT_COPY,
    activity: { [session(2)]: ['2026-11-20T10:00:01.200Z', '2026-11-20T10:00:01.200Z'] },
  },
  'output-placeholder': {
    why: DATED_BY_KEPT_COPY,
    activity: { [session(3)]: ['2026-11-20T10:00:01.100Z', '2026-11-20T10:00:03.000Z'] },
  },
  'fast-mode': {
    why: 'ccusage shows fast-mode calls as a model of their own, "claude-opus-4-6-fast"; we keep the model name and price the call at the fast rate (same cost)',
    models: { [session(16)]: ['claude-opus-4-6', 'claude-opus-4-6-fast'] },
  },
  'missing-request-id': {
    why: 'ccusage keys a call by message.id + requestId, so the id-less copy of msg_nr_2 is a second call (+60 in, +40 out); we merge a copy without requestId into the call with the same message.id',
    tokens: { input: 170, output: 110, cacheWrite: 0, cacheRead: 0 },
    sessions: { [session(4)]: [170, 110] },
    cost: 0.00216,
  },
  'two-request-ids': {
    why: 'ccusage keys a call by message.id + requestId, so the copy of req_tr_1a without requestId is a third call (+100 in, +20 out, +1000 read); we merge it into the call with the same message.id, as in missing-request-id',
    tokens: { input: 500, output: 90, cacheWrite: 0, cacheRead: 4000 },
    sessions: { [session(25)]: [500, 90] },
    cost: 0.00405,
  },
  'resumed-fork': {
    why: 'the fork keeps the copied lines’ timestamps; ccusage credits msg_rf_1/2 to whichever copy it meets first (the fork, whose id sorts first); we credit them to the session that made them (requestSessionId)',
    sessions: { [FORK]: [7000, 700] },
  },
  'sibling-agent-2.0': {
    why: 'ccusage makes a session of every file, so the 2.0.x agent-5f2c9a1e.jsonl becomes a session of its own; its lines carry the parent sessionId, so we count them in the parent session',
    sessions: { [session(13)]: [400, 40], 'agent-5f2c9a1e': [200, 20] },
  },
  'long-context': {
    why: 'a 250k-token prompt: we bill the whole call at the long-context rate, as Anthropic does ($0.99); ccusage prices only the tokens of a kind above 200k at the higher rate, and no kind is above 200k here',
    cost: 0.537,
  },
  'long-model-names': {
    why: 'the Bedrock sonnet-4-5 call has a 288,887-token prompt: long-context rates for the whole call (ours) or none (ccusage, per kind)',
    cost: 2.93963561,
  },
  'renamed-transcript': {
    why: 'ccusage names a session after its file (after its folder, for a file one level down), so the export and its older copy become sessions "exported-session" and "archive"; we put every call in the session its lines name. The totals are the same',
    sessions: { archive: [3000, 300], 'exported-session': [500, 50] },
  },
  'progress-only': {
    why: 'ccusage’s session loader skips progress lines, so msg_po_3, whose subagent file is gone, is missing (700 in); we count it from its progress line (1000 in), as ccusage’s own daily loader does (see below)',
    tokens: { input: 700, output: 70, cacheWrite: 0, cacheRead: 0 },
    sessions: { [session(24)]: [700, 70] },
    cost: 0.00315,
  },
  'real/text-reply': { why: OPUS_5_5_UNPRICED, cost: 0 },
  'real/bash-tool-use': { why: OPUS_5_5_UNPRICED, cost: 0 },
  'real/subagent': { why: OPUS_5_5_UNPRICED, cost: 0 },
  'real/slash-command': { why: OPUS_5_5_UNPRICED, cost: 0 },
  'real/resumed': { why: `${OPUS_5_5_UNPRICED}; only the sonnet-4-5 calls are priced by ccusage`, cost: 0.2360259 },
  'real/compaction': {
    why: `the /compact summary call is in no assistant line, only in the cost-state totals: we add it (12603 in all, = Claude Code’s count), ccusage counts the assistant lines only (8402); and ${OPUS_5_5_UNPRICED}`,
    tokens: { input: 8402, output: 8404, cacheWrite: 8406, cacheRead: 8408 },
    sessions: { '00000000-0000-4000-8000-000000000004': [8402, 8404] },
    cost: 0,
  },
};

const REAL = ['text-reply', 'bash-tool-use', 'subagent', 'compaction', 'resumed', 'slash-command', 'blocked-cost'];
const CORPUS: Array<[string, string]> = [
  ...CASES.map((c): [string, string] => [c.name, configDir(c.name)]),
  ...REAL.map((name): [string, string] => [
    `real/${name}`,
    path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', name, 'claude-config'),
  ]),
];

describe.skipIf(skipWithout(!missing))(
  `ccusage ${PEER_VERSION} parity: report session --json${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    beforeEach(() => requireTool(!missing, `ccusage ${PEER_VERSION}: ${missing}`)); // each test fails, not skips, under CI=true
    beforeAll(() => ensureBuilt());

    it.each(CORPUS)('%s', (name, dir) => {
      const mine = ours(dir);
      const theirs = ccusage(dir);
      const diff = DIFFERENCES[name];

      expect(tokens(theirs.totals)).toEqual(diff?.tokens ?? tokens(mine.totals));
      if (diff?.sessions) {
        expect(Object.fromEntries(theirs.sessions.map((s) => [s.sessionId, [s.inputTokens, s.outputTokens]]))).toEqual(
          diff.sessions,
        );
      } else {
        expect(sessionsOf(theirs)).toEqual(sessionsOf(mine));
        expect(activityOf(theirs)).toEqual({ ...activityOf(mine), ...diff?.activity });
        expect(modelsOf(theirs)).toEqual({ ...modelsOf(mine), ...diff?.models });
      }
      expect(theirs.totals.totalCost).toBeCloseTo(diff?.cost ?? mine.totals.totalCost, 9);

      // Every field ccusage writes, we write too (ccusage's own additions aside).
      for (const row of theirs.sessions) {
        const twin = mine.sessions.find((s) => s.sessionId === row.sessionId);
        if (!twin) continue;
        expect(Object.keys(twin)).toEqual(expect.arrayContaining(Object.keys(row)));
        for (const b of row.modelBreakdowns) {
          const keys = Object.keys(b).filter((k) => k !== 'missingPricing');
          const model = String(b.modelName).replace(/-fast$/, '');
          expect(Object.keys(twin.modelBreakdowns.find((m) => m.modelName === model)!)).toEqual(
            expect.arrayContaining(keys),
          );
        }
      }
    });

    // `daily`, the report most users compare: on these two, ccusage's daily loader sees every call.
    it.each([
      ['renamed-transcript', { input: 3500, output: 350, cacheWrite: 0, cacheRead: 0 }],
      // It also keeps msg_po_2's embedded copy, output 1 (a streaming placeholder), over the
      // subagent file's 20; we take the field-wise max over copies: 100 out, not 81.
      ['progress-only', { input: 1000, output: 81, cacheWrite: 0, cacheRead: 0 }],
    ])('daily, %s: every call in any *.jsonl counts', (name, theirs) => {
      const dir = configDir(name);
      expect(tokens(runCcusage<SessionJson>(dir, ['daily', '--json', '--offline', '-z', 'UTC']).totals)).toEqual(
        theirs,
      );
      const r = runCli(
        ['report', 'daily', '--json', '--tz', 'UTC', '--config-dir', dir],
        cliEnv(tempDir('spec-session-parity-')),
      );
      const mine = tokens((JSON.parse(r.stdout) as SessionJson).totals);
      const c = fixtureCase(name);
      expect(mine).toEqual({
        input: c.totals.input,
        output: c.totals.output,
        cacheWrite: c.totals.cacheWrite5m + c.totals.cacheWrite1h,
        cacheRead: c.totals.cacheRead,
      });
      expect(mine.input).toBe(theirs.input);
    });

    it('daily --instances: the same projects, days and tokens as ccusage', () => {
      const dir = twoProjects();
      type ByProject = { projects: Record<string, Array<Tokens & { date: string }>> };
      const byDay = (j: ByProject) =>
        Object.fromEntries(
          Object.entries(j.projects).map(([project, rows]) => [project, rows.map((r) => [r.date, tokens(r)])]),
        );
      const theirs = runCcusage<ByProject>(dir, ['daily', '--json', '--offline', '--instances', '-z', 'UTC']);
      const r = runCli(
        ['report', 'daily', '--instances', '--json', '-z', 'UTC', '--config-dir', dir],
        cliEnv(tempDir('spec-session-parity-')),
      );
      expect(r.status, r.stderr).toBe(0);
      const mine = JSON.parse(r.stdout) as ByProject;
      expect(Object.keys(mine.projects)).toEqual(['-home-dev-api', '-home-dev-shop']);
      expect(byDay(mine)).toEqual(byDay(theirs));
    });

    it('blocks: the same 5-hour blocks, gaps, calls and tokens as ccusage', () => {
      type Blocks = { blocks: Array<Record<string, unknown> & { tokenCounts: Record<string, number> }> };
      const shared = (j: Blocks) =>
        j.blocks.map((b) => [
          b.id,
          b.startTime,
          b.endTime,
          b.actualEndTime,
          b.isGap,
          b.entries,
          b.tokenCounts,
          b.totalTokens,
        ]);
      for (const dir of [configDir('calendar'), twoProjects()]) {
        const theirs = runCcusage<Blocks>(dir, ['blocks', '--json', '--offline', '-z', 'UTC']);
        const r = runCli(
          ['report', 'blocks', '--json', '-z', 'UTC', '--config-dir', dir],
          cliEnv(tempDir('spec-session-parity-')),
        );
        expect(r.status, r.stderr).toBe(0);
        const mine = JSON.parse(r.stdout) as Blocks;
        expect(mine.blocks.length).toBeGreaterThan(2);
        expect(shared(mine)).toEqual(shared(theirs));
      }
    });

    it('each difference in the table has a reason, and names a fixture that exists', () => {
      for (const [name, diff] of Object.entries(DIFFERENCES)) {
        expect(CORPUS.map(([n]) => n)).toContain(name);
        expect(diff.why.length).toBeGreaterThan(40);
      }
    });

    it('unpriced models: ccusage says $0 with missingPricing and lists them in totals.unpricedModels; we give cost null and list them at the top level', () => {
      const dir = configDir('unknown-model');
      const theirs = ccusage(dir);
      const mine = ours(dir) as SessionJson & { unpricedModels: string[] };
      expect(theirs.totals.unpricedModels).toEqual(['claude-nonexistent-9']);
      expect(theirs.sessions[0]!.modelBreakdowns.find((b) => b.modelName === 'claude-nonexistent-9')).toMatchObject({
        cost: 0,
        missingPricing: true,
      });
      expect(mine.unpricedModels).toEqual(['claude-nonexistent-9']);
      expect(mine.sessions[0]!.modelBreakdowns.find((b) => b.modelName === 'claude-nonexistent-9')).toMatchObject({
        cost: null,
      });
    });
  },
);
