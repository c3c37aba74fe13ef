// `report` against ccusage and `node -e 0` on one corpus: cold, warm (nothing new), one turn
// appended to one transcript; every sample interleaved with the others so background load hits
// all of them alike. Used by bench/run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Expected, makeRng, makeTextPool, mungeProject, writeSession } from './corpus-lib.mjs';
import { measure, median, newDir } from './measure.mjs';

const FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens'];
/** What bench/append-turn.mjs adds: 2 calls of input 3, cache write 812, cache read 41230, output 164. */
const TURN = { inputTokens: 6, outputTokens: 328, cacheCreationTokens: 1624, cacheReadTokens: 82460 };

/**
 * One corpus, `rounds` rounds of: ccusage, cold, warm ×2, one turn ×2, node -e 0 ×2 (the order
 * flips every round). Returns the samples and the correctness checks.
 */
export async function benchReport({ corpus, expected, rounds, ccusageBin, log }) {
  const node = process.execPath;
  const cli = 'dist/cli.cjs'; // the package's bin: what `spec-session report` runs
  // Both as a user runs them: days in the machine's zone, no flag for it (TZ=UTC, for the checks).
  const env = (extra) => ({ ...process.env, TZ: 'UTC', ...extra });
  const report = (home, dirs) =>
    measure(node, [cli, 'report', 'daily', '--json', '--config-dir', dirs], env({ SPEC_SESSION_HOME: home }));
  const ccusage = () =>
    measure(
      node,
      [ccusageBin, 'claude', 'daily', '--json', '--offline'],
      env({ CLAUDE_CONFIG_DIR: corpus, LOG_LEVEL: '0' }),
    );
  const nodeStart = () => measure(node, ['-e', '0'], env({}));

  // One turn: a 2.1.331 transcript of its own (~2 MB) in a second config dir beside the corpus, so
  // the corpus stays what expected.json describes; the store covers both dirs (all ~900 or ~4000
  // files are checked for changes, one has grown).
  const turnDir = newDir('one-turn-');
  const turn = oneTurnTranscript(turnDir);
  const turnDirs = `${corpus},${turnDir}`;
  const warmHome = newDir('warm-');
  const turnHome = newDir('turn-');
  log('untimed: one run of each (ccusage, a cold report that the warm and one-turn runs start from)');
  await ccusage();
  await report(warmHome, corpus);
  await report(turnHome, turnDirs);
  let lastTurn = JSON.parse(fs.readFileSync((await report(turnHome, turnDirs)).outFile, 'utf8')).totals;

  const samples = { node: [], ccusage: [], cold: [], warm: [], turn: [] };
  const checks = { ccusage: [], cold: [], warm: [], turn: [] };
  const steps = {
    cc: ccusage,
    cold: () => report(newDir('cold-'), corpus),
    warm: () => report(warmHome, corpus),
    node: nodeStart,
  };
  for (let r = 0; r < rounds; r++) {
    const order = ['cc', 'cold', 'warm', 'turn', 'node', 'warm', 'turn', 'node'];
    for (const step of r % 2 ? order.reverse() : order) {
      if (step === 'turn') {
        execFileSync(node, ['bench/append-turn.mjs', turn.file, turn.sessionId, turn.cwd]);
        const m = await report(turnHome, turnDirs);
        samples.turn.push(m);
        const totals = JSON.parse(fs.readFileSync(m.outFile, 'utf8')).totals;
        checks.turn.push(FIELDS.every((f) => totals[f] - lastTurn[f] === TURN[f]));
        lastTurn = totals;
        continue;
      }
      const m = await steps[step]();
      samples[step === 'cc' ? 'ccusage' : step].push(m);
      if (step !== 'node') checks[step === 'cc' ? 'ccusage' : step].push(check(m.outFile, expected));
    }
    const last = (k) => (samples[k].at(-1).wallMs / 1000).toFixed(2);
    log(
      `round ${r + 1}/${rounds}: ccusage ${last('ccusage')} s, cold ${last('cold')} s, warm ${last('warm')} s, one turn ${last('turn')} s, node -e 0 ${last('node')} s`,
    );
  }
  return { samples, checks, summary: summarize(samples, checks) };
}

/** A ~2 MB 2.1.331 transcript written by the corpus generator, in a config dir of its own. */
function oneTurnTranscript(root) {
  const rng = makeRng('one-turn');
  const cwd = '/home/dev/work/one-turn';
  const sessionId = rng.uuid();
  const dir = path.join(root, 'projects', mungeProject(cwd));
  writeSession({
    rng,
    pool: makeTextPool(makeRng('one-turn:pool'), 1 << 20),
    expected: new Expected(),
    dir,
    cwd,
    sessionId,
    profile: 'v331',
    model: 'claude-opus-5-5',
    start: Date.parse('2026-11-20T09:00:00Z'),
    mainTarget: 2 << 20,
    subTargets: [],
    gateway: false,
    costStates: true,
    record: false,
  });
  return { file: path.join(dir, `${sessionId}.jsonl`), sessionId, cwd };
}

/** A report's daily[] and totals against expected.json, field by field. */
export function check(outFile, expected) {
  const json = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  const totals = FIELDS.map((f) => (json.totals?.[f] ?? 0) - expected.totals[f]);
  const want = new Map(expected.daily.map((d) => [d.date, d]));
  const got = new Map((json.daily ?? []).map((d) => [d.date, d]));
  const badDays = [];
  for (const date of [...new Set([...want.keys(), ...got.keys()])].sort()) {
    const diff = FIELDS.map((f) => (got.get(date)?.[f] ?? 0) - (want.get(date)?.[f] ?? 0));
    if (diff.some((v) => v !== 0)) badDays.push({ date, diff });
  }
  return {
    ok: totals.every((v) => v === 0) && badDays.length === 0,
    totals,
    badDays,
    got: FIELDS.map((f) => json.totals?.[f] ?? 0),
  };
}

export function describeMismatch(c, expected) {
  if (c.ok) return 'matches expected.json exactly (every day, every field)';
  const parts = FIELDS.map(
    (f, i) =>
      `${f} ${c.got[i]} vs ${expected.totals[f]} (${c.totals[i] >= 0 ? '+' : ''}${c.totals[i]}, ${((100 * c.totals[i]) / (expected.totals[f] || 1)).toFixed(3)}%)`,
  );
  const days = c.badDays.slice(0, 6).map((d) => `${d.date}: ${d.diff.map((v) => (v >= 0 ? '+' : '') + v).join(' / ')}`);
  return `totals ${parts.join('; ')}; ${c.badDays.length} of ${expected.daily.length} days differ${days.length ? ` (in/out/cacheCreate/cacheRead: ${days.join('; ')}${c.badDays.length > 6 ? '; …' : ''})` : ''}`;
}

function summarize(samples, checks) {
  const stat = (k) => ({
    wall: median(samples[k].map((m) => m.wallMs)),
    min: Math.min(...samples[k].map((m) => m.wallMs)),
    max: Math.max(...samples[k].map((m) => m.wallMs)),
    cpu: median(samples[k].map((m) => m.cpuMs)),
    rss: Math.max(...samples[k].map((m) => m.rssKb)),
    n: samples[k].length,
  });
  const s = Object.fromEntries(Object.keys(samples).map((k) => [k, stat(k)]));
  return {
    ...s,
    ratios: { cold: s.cold.wall / s.ccusage.wall, warm: s.warm.wall / s.node.wall, turn: s.turn.wall / s.node.wall },
    cpuRatios: { cold: s.cold.cpu / s.ccusage.cpu, warm: s.warm.cpu / s.node.cpu, turn: s.turn.cpu / s.node.cpu },
    peakRssKb: Math.max(s.cold.rss, s.warm.rss, s.turn.rss),
    ok: {
      cold: checks.cold.every((c) => c.ok),
      warm: checks.warm.every((c) => c.ok),
      ccusage: checks.ccusage.every((c) => c.ok),
      turn: checks.turn.every(Boolean),
    },
  };
}
