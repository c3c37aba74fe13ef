#!/usr/bin/env node
// spec-session vs ccusage on a generated 400 MiB Claude Code history, plus the hook's cost.
//
//   npm run bench                 (= npm run build && node bench/run.mjs)
//   node bench/run.mjs [--mb 400] [--rounds 5] [--hook-runs 24] [--big-mb 200] [--skip-hook] [--no-profile]
//
// Writes bench/results/latest.md (and latest.json with every sample). See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATOR_VERSION, generateCorpus } from './generate-corpus.mjs';
import { hookTable, runHookBench } from './hook.mjs';
import { summarizeProfiles } from './profile-summary.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
process.chdir(repo);

const { values: opt } = parseArgs({
  options: {
    mb: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '5' },
    'hook-runs': { type: 'string', default: '24' },
    'big-mb': { type: 'string', default: '200' },
    'skip-hook': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
  },
});
const MB = Number(opt.mb);
const ROUNDS = Math.max(3, Number(opt.rounds));
const CCUSAGE_VERSION = '20.0.24';
const CORPUS = path.join('bench', 'corpus');
const PEER = path.join('bench', '.peer');
const CCUSAGE_BIN = path.join(PEER, 'node_modules', '.bin', 'ccusage');
const RESULTS = path.join('bench', 'results');
const FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens'];
const TARGETS = { cold: 0.4, warm: 0.05, rssMb: 100, hook: 1.3 };
const log = (m) => console.error(`[bench] ${m}`);

// ------------------------------------------------------------------ setup

function ensureCorpus() {
  const file = path.join(CORPUS, 'expected.json');
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
  if (current?.generator?.version === GENERATOR_VERSION && current.generator.mb === MB) return current;
  log(`generating a ${MB} MiB corpus in ${CORPUS} (deterministic; takes ~1 min)`);
  return generateCorpus({ out: CORPUS, mb: MB, log });
}

function ensurePeer() {
  const pkg = path.join(PEER, 'node_modules', 'ccusage', 'package.json');
  const have = fs.existsSync(pkg) ? JSON.parse(fs.readFileSync(pkg, 'utf8')).version : null;
  if (have !== CCUSAGE_VERSION) {
    log(`installing ccusage@${CCUSAGE_VERSION} into ${PEER}`);
    execFileSync('npm', ['install', '--prefix', PEER, '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`], { stdio: 'inherit' });
  }
}

function ensureBuild() {
  if (!fs.existsSync('dist/spec-session.cjs') || !fs.existsSync('dist/hook.cjs')) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}

function warmPageCache(dir) {
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else bytes += fs.readFileSync(p).length;
    }
  };
  walk(dir);
  return bytes;
}

// ------------------------------------------------------------------ measuring one process

const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-session-bench-'));
let seq = 0;

/**
 * Runs one command; wall time by process.hrtime around it; peak RSS by GNU time's %M (ru_maxrss:
 * the largest resident set of the process or any descendant it waited for — for ccusage that is
 * max(node launcher, native binary), not their sum). Without /usr/bin/time: polling VmHWM of the
 * process tree in /proc every 5 ms (the largest single process, same meaning).
 */
async function measure(cmd, args, env) {
  const n = ++seq;
  const outFile = path.join(tmp, `out-${n}.json`);
  const fd = fs.openSync(outFile, 'w');
  let wallMs;
  let rssKb;
  let cpuMs = NaN; // user + sys of the process and its children (GNU time only)
  let status;
  let stderr = '';
  if (TIME_BIN) {
    const timeFile = path.join(tmp, `time-${n}.txt`);
    const t = process.hrtime.bigint();
    const r = spawnSync(TIME_BIN, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args], { env, stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 << 20 });
    wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    status = r.status;
    stderr = String(r.stderr ?? '');
    const [maxrss, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    rssKb = maxrss;
    cpuMs = (user + sys) * 1000;
  } else {
    const t = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', fd, 'pipe'] });
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, treeHwm(child.pid))), 5);
    status = await new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    clearInterval(poll);
    wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    rssKb = peak;
  }
  fs.closeSync(fd);
  if (status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${status}: ${stderr.slice(0, 2000)}`);
  return { wallMs, rssKb, cpuMs, outFile };
}

function treeHwm(pid) {
  let max = 0;
  const visit = (p) => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) max = Math.max(max, Number(m[1]));
      for (const c of fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(c);
    } catch {}
  };
  visit(pid);
  return max;
}

const ccusage = () => measure(process.execPath, [CCUSAGE_BIN, 'claude', 'daily', '--json', '--offline', '-z', 'UTC'], { ...process.env, CLAUDE_CONFIG_DIR: CORPUS, LOG_LEVEL: '0' });
const specSession = (home) => measure(process.execPath, ['dist/spec-session.cjs', 'report', 'daily', '--json', '--tz', 'UTC', '--config-dir', CORPUS], { ...process.env, SPEC_SESSION_HOME: home });
const freshHome = () => fs.mkdtempSync(path.join(tmp, 'home-'));

// ------------------------------------------------------------------ correctness

function check(outFile, expected) {
  const json = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  const totals = FIELDS.map((f) => (json.totals?.[f] ?? 0) - expected.totals[f]);
  const want = new Map(expected.daily.map((d) => [d.date, d]));
  const got = new Map((json.daily ?? []).map((d) => [d.date, d]));
  const badDays = [];
  for (const date of [...new Set([...want.keys(), ...got.keys()])].sort()) {
    const diff = FIELDS.map((f) => (got.get(date)?.[f] ?? 0) - (want.get(date)?.[f] ?? 0));
    if (diff.some((v) => v !== 0)) badDays.push({ date, diff });
  }
  return { ok: totals.every((v) => v === 0) && badDays.length === 0, totals, badDays, got: FIELDS.map((f) => json.totals?.[f] ?? 0) };
}

function describeMismatch(c, expected) {
  if (c.ok) return 'matches expected.json exactly (every day, every field)';
  const parts = FIELDS.map((f, i) => `${f} ${c.got[i]} vs ${expected.totals[f]} (${c.totals[i] >= 0 ? '+' : ''}${c.totals[i]}, ${((100 * c.totals[i]) / (expected.totals[f] || 1)).toFixed(3)}%)`);
  const days = c.badDays.slice(0, 6).map((d) => `${d.date}: ${d.diff.map((v) => (v >= 0 ? '+' : '') + v).join(' / ')}`);
  return `totals ${parts.join('; ')}; ${c.badDays.length} of ${expected.daily.length} days differ${days.length ? ` (in/out/cacheCreate/cacheRead: ${days.join('; ')}${c.badDays.length > 6 ? '; …' : ''})` : ''}`;
}

// ------------------------------------------------------------------ helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sec = (ms) => (ms / 1000).toFixed(2);
const mb = (kb) => (kb / 1024).toFixed(0);
const mark = (ok) => (ok ? '✓' : '✗');

/** Unminified bundles of the same sources, so profiles name functions (timed runs use dist/). */
async function readableBundles(dir) {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
  await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: path.join(dir, 'spec-session.cjs') });
  await build({ ...common, entryPoints: ['hooks/hook.ts'], outfile: path.join(dir, 'hook.cjs') });
  return { cli: path.join(dir, 'spec-session.cjs'), hook: path.join(dir, 'hook.cjs') };
}

function cpuProfile(dir, args, env) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  // one file per thread: CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile (thread 0 = main)
  return fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().map((f) => ({ file: path.join(dir, f), thread: Number(f.split('.').at(-3)) }));
}

// ------------------------------------------------------------------ main

const started = new Date();
const loadBefore = os.loadavg();
ensureBuild();
const expected = ensureCorpus();
ensurePeer();
log(`corpus: ${expected.stats.files} files, ${(expected.stats.bytes / (1 << 20)).toFixed(1)} MiB, ${expected.totals.calls} calls`);
log(`page cache: read ${(warmPageCache(path.join(CORPUS, 'projects')) / (1 << 20)).toFixed(0)} MiB once before timing (all tools run on a warm page cache)`);

log('warm-up: one untimed run of each tool');
await ccusage();
await specSession(freshHome());

const samples = { ccusage: [], cold: [], warm: [] };
const checks = { ccusage: [], specCold: [], specWarm: [] };
for (let r = 0; r < ROUNDS; r++) {
  const home = freshHome();
  const steps = r % 2 === 0 ? ['cc', 'cold', 'warm', 'cc', 'warm'] : ['cold', 'cc', 'warm', 'warm', 'cc'];
  for (const step of steps) {
    if (step === 'cc') {
      const m = await ccusage();
      samples.ccusage.push(m);
      checks.ccusage.push(check(m.outFile, expected));
    } else {
      const m = await specSession(home);
      samples[step].push(m);
      (step === 'cold' ? checks.specCold : checks.specWarm).push(check(m.outFile, expected));
    }
  }
  log(`round ${r + 1}/${ROUNDS}: ccusage ${samples.ccusage.slice(-2).map((m) => sec(m.wallMs)).join(' ')} s, spec-session cold ${sec(samples.cold.at(-1).wallMs)} s, warm ${samples.warm.slice(-2).map((m) => sec(m.wallMs)).join(' ')} s`);
}

// ccusage's `session` loader, untimed, for the record (peers.md: daily and session loaders disagree).
const ccSession = await measure(process.execPath, [CCUSAGE_BIN, 'claude', 'session', '--json', '--offline', '-z', 'UTC'], { ...process.env, CLAUDE_CONFIG_DIR: CORPUS, LOG_LEVEL: '0' });
const ccSessionTotals = JSON.parse(fs.readFileSync(ccSession.outFile, 'utf8')).totals;
const ccSessionDiff = FIELDS.map((f) => (ccSessionTotals?.[f] ?? 0) - expected.totals[f]);

const cc = { wall: median(samples.ccusage.map((m) => m.wallMs)), rss: Math.max(...samples.ccusage.map((m) => m.rssKb)) };
const cold = { wall: median(samples.cold.map((m) => m.wallMs)), rss: Math.max(...samples.cold.map((m) => m.rssKb)) };
const warm = { wall: median(samples.warm.map((m) => m.wallMs)), rss: Math.max(...samples.warm.map((m) => m.rssKb)) };
const ccOk = checks.ccusage.every((c) => c.ok);
const specOk = [...checks.specCold, ...checks.specWarm].every((c) => c.ok);
const ratioCold = cold.wall / cc.wall;
const ratioWarm = warm.wall / cc.wall;

const readable = opt['no-profile'] ? undefined : await readableBundles(path.join(tmp, 'readable'));
let hook;
if (!opt['skip-hook']) {
  log('hook bench');
  hook = await runHookBench({ runs: Number(opt['hook-runs']), bigMb: Number(opt['big-mb']), log: (m) => log(m), profileDir: readable ? path.join(RESULTS, 'profiles', 'hook') : undefined, profileHook: readable?.hook });
}
const loadAfter = os.loadavg();

// Profiles that explain missed targets.
const profiles = [];
if (!opt['no-profile']) {
  const env = (home) => ({ ...process.env, SPEC_SESSION_HOME: home });
  const reportArgs = [readable.cli, 'report', 'daily', '--json', '--tz', 'UTC', '--config-dir', CORPUS];
  if (ratioCold > TARGETS.cold || cold.rss / 1024 > TARGETS.rssMb) {
    log('profiling a cold run');
    for (const p of cpuProfile(path.join(RESULTS, 'profiles', 'cold'), reportArgs, env(freshHome()))) profiles.push({ title: `cold scan, ${p.thread === 0 ? 'main thread' : `worker thread ${p.thread}`}`, body: summarizeProfiles([p.file], 12) });
  }
  if (ratioWarm > TARGETS.warm) {
    log('profiling a warm run');
    const home = freshHome();
    execFileSync(process.execPath, reportArgs, { env: env(home), stdio: 'ignore' });
    for (const p of cpuProfile(path.join(RESULTS, 'profiles', 'warm'), reportArgs, env(home))) profiles.push({ title: 'warm rescan (nothing new)', body: summarizeProfiles([p.file], 12) });
  }
  if (hook?.profile && hook.rows.some((r) => r.ratio > TARGETS.hook)) {
    const files = fs.readdirSync(hook.profile).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(hook.profile, f));
    profiles.push({ title: `hook PostToolUse, ${opt['big-mb']} MB transcript, one new turn`, body: summarizeProfiles(files, 12) });
  }
}

// ------------------------------------------------------------------ report

const cpu = os.cpus()[0]?.model ?? 'unknown';
const nproc = os.availableParallelism?.() ?? os.cpus().length;
const s = expected.stats;
const lines = [];
lines.push(`# spec-session bench — ${started.toISOString()}`);
lines.push('');
lines.push(`Machine: ${nproc} cores (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, node ${process.version}. ` +
  `Load average (1/5/15 min) before ${loadBefore.map((x) => x.toFixed(2)).join('/')}, after ${loadAfter.map((x) => x.toFixed(2)).join('/')}.`);
lines.push('');
lines.push(`Corpus: \`bench/corpus\` (generator v${expected.generator.version}, seed \`${expected.generator.seed}\`): ${s.files} files (${s.sessions} sessions, ${s.subagentFiles} subagent files, ${s.forkedSessions} forked sessions), ` +
  `${(s.bytes / (1 << 20)).toFixed(1)} MiB; file sizes median ${(s.medianBytes / 1e3).toFixed(0)} KB, p90 ${(s.p90Bytes / 1e3).toFixed(0)} KB, p99 ${(s.p99Bytes / 1e6).toFixed(1)} MB, largest ${(s.maxBytes / 1e6).toFixed(1)} MB; ` +
  `${expected.totals.calls} API calls over ${expected.daily.length} UTC days.`);
lines.push('');
lines.push(`## Report (\`report daily --json\` vs \`ccusage claude daily --json --offline -z UTC\`)`);
lines.push('');
lines.push('| tool | cold s | warm s | cold ratio vs ccusage | warm ratio | peak RSS MB | totals correct |');
lines.push('|---|---:|---:|---:|---:|---:|:---:|');
lines.push(`| ccusage ${CCUSAGE_VERSION} | ${sec(cc.wall)} | ${sec(cc.wall)}¹ | 1.00× | 1.00× | ${mb(cc.rss)} | ${mark(ccOk)} |`);
lines.push(`| spec-session | ${sec(cold.wall)} | ${sec(warm.wall)} | ${ratioCold.toFixed(2)}× | ${ratioWarm.toFixed(3)}× | cold ${mb(cold.rss)} / warm ${mb(warm.rss)} | ${mark(specOk)} |`);
lines.push('');
lines.push(`Targets: cold ≤ ${TARGETS.cold}× ccusage → ${mark(ratioCold <= TARGETS.cold)} (${ratioCold.toFixed(2)}×); warm ≤ ${TARGETS.warm}× → ${mark(ratioWarm <= TARGETS.warm)} (${ratioWarm.toFixed(3)}×); peak RSS ≤ ${TARGETS.rssMb} MB → ${mark(Math.max(cold.rss, warm.rss) / 1024 <= TARGETS.rssMb)} (${mb(Math.max(cold.rss, warm.rss))} MB).`);
lines.push('');
lines.push(`Medians of ${samples.ccusage.length} ccusage runs, ${samples.cold.length} cold and ${samples.warm.length} warm spec-session runs, interleaved in ${ROUNDS} rounds; peak RSS is the largest of the runs. ` +
  `Spread (min–max): ccusage ${sec(Math.min(...samples.ccusage.map((m) => m.wallMs)))}–${sec(Math.max(...samples.ccusage.map((m) => m.wallMs)))} s, ` +
  `cold ${sec(Math.min(...samples.cold.map((m) => m.wallMs)))}–${sec(Math.max(...samples.cold.map((m) => m.wallMs)))} s, warm ${sec(Math.min(...samples.warm.map((m) => m.wallMs)))}–${sec(Math.max(...samples.warm.map((m) => m.wallMs)))} s.`);
lines.push('');
const cpuMed = (k) => median(samples[k].map((m) => m.cpuMs));
if (TIME_BIN) {
  lines.push(`CPU time (user + sys, all threads and child processes; less sensitive to other load on the machine than wall time), medians: ccusage ${sec(cpuMed('ccusage'))} s, spec-session cold ${sec(cpuMed('cold'))} s (${(cpuMed('cold') / cpuMed('ccusage')).toFixed(2)}×), warm ${sec(cpuMed('warm'))} s (${(cpuMed('warm') / cpuMed('ccusage')).toFixed(3)}×).`);
  lines.push('');
}
lines.push('¹ ccusage keeps no state between runs: its warm run is the same full scan, so both columns are the median of all its runs.');
lines.push('');
lines.push('Method: cold = spec-session with a fresh `SPEC_SESSION_HOME` (no history store); warm = the same home again with nothing new. Every tool runs on a warm OS page cache ' +
  `(the corpus is read once before timing). Wall time: \`process.hrtime\` around the process. Peak RSS: ${TIME_BIN ? '`/usr/bin/time -f %M` (ru_maxrss: largest single process of the tree; for ccusage the native binary, not launcher + binary)' : 'polled VmHWM from /proc (largest single process of the tree)'}.`);
lines.push('');
lines.push('### Correctness against `bench/corpus/expected.json`');
lines.push('');
const lineView = { totals: expected.fromLines.totals, daily: expected.fromLines.daily };
const hidden = expected.costStateOnly;
lines.push(`expected.json holds every billed call once: ${expected.totals.calls} calls, of which ${hidden.calls} are 2.1.331 compaction calls that no assistant line shows (only cost-state counts them: ${hidden.inputTokens} / ${hidden.outputTokens} / ${hidden.cacheCreationTokens} / ${hidden.cacheReadTokens} in/out/cacheCreate/cacheRead). "Lines only" leaves those out: it is the most a tool that reads only assistant lines can report.`);
lines.push('');
const firstBad = (list) => list.find((c) => !c.ok) ?? list[0];
const specCheck = firstBad([...checks.specCold, ...checks.specWarm]);
const specCold = checks.specCold[0];
const specWarm = checks.specWarm[0];
lines.push(`- spec-session ${mark(specOk)}: ${describeMismatch(specCheck, expected)}.` + (specCold.ok !== specWarm.ok || JSON.stringify(specCold.got) !== JSON.stringify(specWarm.got) ? ' Cold and warm runs disagree.' : ' Cold and warm runs agree.'));
lines.push(`  - vs lines only: ${describeMismatch(check(samples.cold[0].outFile, lineView), lineView)}.`);
const ccCheck = firstBad(checks.ccusage);
lines.push(`- ccusage ${CCUSAGE_VERSION} \`daily\` ${mark(ccOk)}: ${describeMismatch(ccCheck, expected)}.`);
lines.push(`  - vs lines only: ${describeMismatch(check(samples.ccusage[0].outFile, lineView), lineView)}.`);
const ccSessionLines = FIELDS.map((f) => (ccSessionTotals?.[f] ?? 0) - lineView.totals[f]);
lines.push(`- ccusage ${CCUSAGE_VERSION} \`session\` (untimed, for comparison): totals ${ccSessionDiff.every((v) => v === 0) ? 'match expected.json exactly' : `differ from expected by ${ccSessionDiff.map((v) => (v >= 0 ? '+' : '') + v).join(' / ')}`}; from lines only by ${ccSessionLines.map((v) => (v >= 0 ? '+' : '') + v).join(' / ')} (in/out/cacheCreate/cacheRead).`);
lines.push('');
if (hook) {
  lines.push(`## Hook (PostToolUse, whole process, ${hook.tool})`);
  lines.push('');
  lines.push(hookTable(hook));
  lines.push('');
  const worst = Math.max(...hook.rows.slice(1).map((r) => r.ratio));
  lines.push(`Target ≤ ${TARGETS.hook}× \`node -e 0\` → ${mark(worst <= TARGETS.hook)} (worst ${worst.toFixed(2)}×). One small turn (2 API calls, 8 lines) is appended before every run (hyperfine --prepare). ` +
    `First run on the ${opt['big-mb']} MB transcript (catching up from byte 0): ${sec(hook.primeBig)} s; on the 50 KB one: ${hook.primeSmall.toFixed(0)} ms.`);
  lines.push('');
  for (const c of hook.checks) lines.push(`- ${c.name} (${(c.bytes / 1e6).toFixed(1)} MB): ${c.calls} distinct calls in the transcripts, ${c.ledger} in the ledger, ${c.missing} missing ${mark(c.missing === 0)}; hook.log: ${c.hookErrors} line(s).`);
  lines.push('');
}
if (profiles.length) {
  lines.push('## Profiles (missed targets)');
  lines.push('');
  lines.push('`node --cpu-prof` of an unminified esbuild bundle of the same sources (so functions keep their names; line numbers are in that bundle), summarised by `bench/profile-summary.mjs` (self time per function; incl % = time with the function on the stack). Raw profiles: `bench/results/profiles/`.');
  lines.push('');
  for (const p of profiles) {
    lines.push(`### ${p.title}`);
    lines.push('');
    lines.push(p.body);
    lines.push('');
  }
}
fs.mkdirSync(RESULTS, { recursive: true });
const md = lines.join('\n');
fs.writeFileSync(path.join(RESULTS, 'latest.md'), md);
fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify({ started, nproc, cpu, node: process.version, loadBefore, loadAfter, samples: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(({ wallMs, rssKb, cpuMs }) => ({ wallMs, rssKb, cpuMs }))])), checks: Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, v.map((c) => ({ ok: c.ok, totalsDiff: c.totals, daysDiffering: c.badDays.length }))])), ccSessionTotals, hook, expectedTotals: expected.totals }, null, 2));
fs.rmSync(tmp, { recursive: true, force: true });
console.log(md);
