#!/usr/bin/env node
// spec-session vs ccusage and `node -e 0` on generated Claude Code histories (400 MiB and 1.6 GiB),
// plus the hook's cost.
//
//   npm run bench                 (= npm run build && node bench/run.mjs)
//   node bench/run.mjs [--sizes 400,1600] [--rounds 5] [--hook-runs 24] [--big-mb 200] [--skip-hook] [--no-profile]
//
// Writes bench/results/latest.md (and latest.json with every sample). See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATOR_VERSION, generateCorpus } from './generate-corpus.mjs';
import { hookTable, runHookBench } from './hook.mjs';
import { cleanUp, mark, mb, newDir, sec, TIME_BIN, warmPageCache } from './lib/measure.mjs';
import { benchReport, check, describeMismatch } from './lib/report-bench.mjs';
import { summarizeProfiles } from './profile-summary.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
process.chdir(path.resolve(here, '..'));

const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '400,1600' },
    rounds: { type: 'string', default: '5' },
    'hook-runs': { type: 'string', default: '24' },
    'big-mb': { type: 'string', default: '200' },
    'skip-hook': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
  },
});
const SIZES = opt.sizes.split(',').map(Number);
const ROUNDS = Math.max(3, Number(opt.rounds));
const CCUSAGE_VERSION = '20.0.24';
// The pinned devDependency (npm ci installs it); without it, a copy installed into bench/.peer.
const PEER = fs.existsSync(path.join('node_modules', 'ccusage', 'package.json')) ? '.' : path.join('bench', '.peer');
const CCUSAGE_BIN = path.join(PEER, 'node_modules', '.bin', 'ccusage');
const RESULTS = path.join('bench', 'results');
const TARGETS = { cold: 0.4, warm: 2, turn: 2.5, rssMb: 100, hook: 1.3 };
const log = (m) => console.error(`[bench] ${m}`);
const corpusDir = (mb) => (mb === 400 ? path.join('bench', 'corpus') : path.join('bench', `corpus-${mb}`));

function ensureCorpus(mb) {
  const out = corpusDir(mb);
  const file = path.join(out, 'expected.json');
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
  if (current?.generator?.version === GENERATOR_VERSION && current.generator.mb === mb) return current;
  log(`generating a ${mb} MiB corpus in ${out} (deterministic; ~${Math.ceil(mb / 50)} s)`);
  return generateCorpus({ out, mb, log });
}

function ensurePeer() {
  const pkg = path.join(PEER, 'node_modules', 'ccusage', 'package.json');
  const have = fs.existsSync(pkg) ? JSON.parse(fs.readFileSync(pkg, 'utf8')).version : null;
  if (have !== CCUSAGE_VERSION) {
    log(`installing ccusage@${CCUSAGE_VERSION} into ${PEER}`);
    execFileSync('npm', ['install', '--prefix', PEER, '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`], {
      stdio: 'inherit',
    });
  }
}

/** Unminified bundles of the same sources, so profiles name functions (timed runs use dist/). */
async function readableBundles(dir) {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
  const priceFile = {
    name: 'p',
    setup: (b) =>
      b.onResolve({ filter: /\/price-overrides\.js$/ }, () => ({
        path: path.resolve('src/cli/price-file-via-full-cli.ts'),
      })),
  };
  await build({
    ...common,
    entryPoints: ['src/cli/report-main.ts'],
    outfile: path.join(dir, 'report.cjs'),
    plugins: [priceFile],
  });
  await build({ ...common, entryPoints: ['hooks/hook.ts'], outfile: path.join(dir, 'hook.cjs') });
  fs.writeFileSync(
    path.join(dir, 'run-report.cjs'),
    "require('./report.cjs').runReport(process.argv.slice(2)).then((c) => (process.exitCode = c));\n",
  );
  return { report: path.join(dir, 'run-report.cjs'), hook: path.join(dir, 'hook.cjs') };
}

function cpuProfile(dir, args, env) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // one file per thread: CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile (thread 0 = main)
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => ({ file: path.join(dir, f), thread: Number(f.split('.').at(-3)) }));
}

// ------------------------------------------------------------------ run

const started = new Date();
const loadBefore = os.loadavg();
execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
ensurePeer();
const runs = [];
for (const size of SIZES) {
  const expected = ensureCorpus(size);
  const corpus = corpusDir(size);
  log(
    `${corpus}: ${expected.stats.files} files, ${(expected.stats.bytes / (1 << 20)).toFixed(1)} MiB, ${expected.totals.calls} calls`,
  );
  log(
    `page cache: read ${(warmPageCache(path.join(corpus, 'projects')) / (1 << 20)).toFixed(0)} MiB once before timing`,
  );
  const result = await benchReport({ corpus, expected, rounds: ROUNDS, ccusageBin: CCUSAGE_BIN, log });
  runs.push({ size, corpus, expected, ...result });
}
const readable = opt['no-profile'] ? undefined : await readableBundles(newDir('readable-'));
let hook;
if (!opt['skip-hook']) {
  log('hook bench');
  hook = await runHookBench({
    runs: Number(opt['hook-runs']),
    bigMb: Number(opt['big-mb']),
    log,
    profileDir: readable ? path.join(RESULTS, 'profiles', 'hook') : undefined,
    profileHook: readable?.hook,
  });
}
const loadAfter = os.loadavg();

// Profiles that explain missed targets, on the largest corpus.
const profiles = [];
if (readable) {
  const run = runs.at(-1);
  const env = (home) => ({ ...process.env, TZ: 'UTC', SPEC_SESSION_HOME: home });
  const args = [readable.report, 'daily', '--json', '--config-dir', run.corpus];
  const s = run.summary;
  if (s.ratios.cold > TARGETS.cold || s.peakRssKb / 1024 > TARGETS.rssMb) {
    log('profiling a cold run');
    for (const p of cpuProfile(path.join(RESULTS, 'profiles', 'cold'), args, env(newDir('prof-'))))
      profiles.push({
        title: `cold scan (${run.size} MiB), ${p.thread === 0 ? 'main thread' : `worker thread ${p.thread}`}`,
        body: summarizeProfiles([p.file], 12),
      });
  }
  if (s.ratios.warm > TARGETS.warm) {
    log('profiling a warm run');
    const home = newDir('prof-');
    execFileSync(process.execPath, args, { env: env(home), stdio: 'ignore' });
    for (const p of cpuProfile(path.join(RESULTS, 'profiles', 'warm'), args, env(home)))
      profiles.push({ title: `warm, nothing new (${run.size} MiB)`, body: summarizeProfiles([p.file], 12) });
  }
  if (hook?.profile && hook.rows.some((r) => r.ratio > TARGETS.hook)) {
    const files = fs
      .readdirSync(hook.profile)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(hook.profile, f));
    profiles.push({
      title: `hook PostToolUse, ${opt['big-mb']} MB transcript, one new turn`,
      body: summarizeProfiles(files, 12),
    });
  }
}

// ------------------------------------------------------------------ report

const cpu = os.cpus()[0]?.model ?? 'unknown';
const nproc = os.availableParallelism?.() ?? os.cpus().length;
const lines = [];
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
lines.push(`# spec-session bench — ${started.toISOString()}`, '');
lines.push(
  `Machine: ${nproc} cores (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, node ${process.version}; commit ${commit}. ` +
    `Load average (1/5/15 min) before ${loadBefore.map((x) => x.toFixed(2)).join('/')}, after ${loadAfter.map((x) => x.toFixed(2)).join('/')} (other work shares these cores).`,
  '',
);
lines.push(
  `## Report (\`report daily --json\` vs \`ccusage claude daily --json --offline\` vs \`node -e 0\`; days in the machine's zone, TZ=UTC, no zone flag)`,
  '',
);
lines.push('| corpus | tool / case | median s | min–max s | CPU s | ratio | target | peak RSS MB | totals |');
lines.push('|---|---|---:|---:|---:|---:|:---:|---:|:---:|');
for (const r of runs) {
  const s = r.summary;
  const name = `${(r.expected.stats.bytes / (1 << 20)).toFixed(0)} MiB, ${r.expected.stats.files} files`;
  const row = (label, k, ratio, target, ok) =>
    lines.push(
      `| ${name} | ${label} | ${sec(s[k].wall)} | ${sec(s[k].min)}–${sec(s[k].max)} | ${TIME_BIN ? sec(s[k].cpu) : '–'} | ${ratio} | ${target} | ${mb(s[k].rss)} | ${ok} |`,
    );
  row('`node -e 0`', 'node', '1.00× (node)', '', '–');
  row(`ccusage ${CCUSAGE_VERSION}`, 'ccusage', '1.00× (ccusage)', '', mark(s.ok.ccusage));
  row(
    'spec-session, cold (new store)',
    'cold',
    `${s.ratios.cold.toFixed(2)}× ccusage`,
    `≤ ${TARGETS.cold}× ${mark(s.ratios.cold <= TARGETS.cold)}`,
    mark(s.ok.cold),
  );
  row(
    'spec-session, warm (nothing new)',
    'warm',
    `${s.ratios.warm.toFixed(2)}× node`,
    `≤ ${TARGETS.warm}× ${mark(s.ratios.warm <= TARGETS.warm)}`,
    mark(s.ok.warm),
  );
  row(
    'spec-session, one turn appended',
    'turn',
    `${s.ratios.turn.toFixed(2)}× node`,
    `≤ ${TARGETS.turn}× ${mark(s.ratios.turn <= TARGETS.turn)}`,
    `${mark(s.ok.turn)}¹`,
  );
}
lines.push('');
for (const r of runs) {
  const s = r.summary;
  lines.push(
    `- ${r.size} MiB: peak RSS of spec-session over every run ${mb(s.peakRssKb)} MB → target ≤ ${TARGETS.rssMb} MB ${mark(s.peakRssKb / 1024 <= TARGETS.rssMb)}; CPU-time ratios (less sensitive to other load): cold ${s.cpuRatios.cold.toFixed(2)}× ccusage, warm ${s.cpuRatios.warm.toFixed(2)}× node, one turn ${s.cpuRatios.turn.toFixed(2)}× node.`,
  );
}
lines.push('');
lines.push(
  `${ROUNDS} rounds per corpus, each: ccusage, cold, warm, one turn, node -e 0, warm, one turn, node -e 0 (reversed every other round), so background load hits every case alike; medians; peak RSS is the largest of the runs. ` +
    'cold = a fresh `SPEC_SESSION_HOME`; warm = one store, nothing new; one turn = bench/append-turn.mjs adds 2 API calls (8 lines) to a 2 MB 2.1.331 transcript kept in a second config dir beside the corpus (`--config-dir corpus,turn-dir`: every file is checked, one has grown) before each run. ' +
    `Every tool runs on a warm OS page cache. Wall time: \`process.hrtime\` around the process. Peak RSS: ${TIME_BIN ? '`/usr/bin/time -f %M` (ru_maxrss: the largest single process — spec-session is one process, its worker threads included; for ccusage its native binary, not launcher + binary)' : 'polled VmHWM from /proc'}.`,
);
lines.push('');
lines.push(
  '¹ each one-turn report shows exactly the appended turn more than the one before (+6 / +328 / +1624 / +82460 in/out/cacheCreate/cacheRead).',
  '',
);
lines.push('### Correctness against each corpus `expected.json`', '');
for (const r of runs) {
  const e = r.expected;
  const hidden = e.costStateOnly;
  lines.push(
    `**${r.size} MiB** — ${e.totals.calls} billed calls, of which ${hidden.calls} are 2.1.331 compaction calls only cost-state counts (${hidden.inputTokens} / ${hidden.outputTokens} / ${hidden.cacheCreationTokens} / ${hidden.cacheReadTokens} in/out/cacheCreate/cacheRead); "lines only" leaves those out.`,
    '',
  );
  const first = (list) => list.find((c) => !c.ok) ?? list[0];
  const lineView = { totals: e.fromLines.totals, daily: e.fromLines.daily };
  lines.push(
    `- spec-session ${mark(r.summary.ok.cold && r.summary.ok.warm)}: ${describeMismatch(first([...r.checks.cold, ...r.checks.warm]), e)}.`,
  );
  lines.push(`  - vs lines only: ${describeMismatch(check(r.samples.cold[0].outFile, lineView), lineView)}.`);
  lines.push(
    `- ccusage ${CCUSAGE_VERSION} \`daily\` ${mark(r.summary.ok.ccusage)}: ${describeMismatch(first(r.checks.ccusage), e)}.`,
  );
  lines.push(`  - vs lines only: ${describeMismatch(check(r.samples.ccusage[0].outFile, lineView), lineView)}.`, '');
}
if (hook) {
  lines.push(`## Hook (PostToolUse, whole process, ${hook.tool})`, '', hookTable(hook), '');
  const worst = Math.max(...hook.rows.slice(1).map((r) => r.ratio));
  lines.push(
    `Target ≤ ${TARGETS.hook}× \`node -e 0\` → ${mark(worst <= TARGETS.hook)} (worst ${worst.toFixed(2)}×). First run on the ${opt['big-mb']} MB transcript (catching up from byte 0): ${sec(hook.primeBig)} s; on the 50 KB one: ${hook.primeSmall.toFixed(0)} ms.`,
    '',
  );
  for (const c of hook.checks)
    lines.push(
      `- ${c.name} (${(c.bytes / 1e6).toFixed(1)} MB): ${c.calls} distinct calls in the transcripts, ${c.ledger} in the ledger, ${c.missing} missing ${mark(c.missing === 0)}; hook.log: ${c.hookErrors} line(s).`,
    );
  lines.push('');
}
if (profiles.length) {
  lines.push('## Profiles (missed targets)', '');
  lines.push(
    '`node --cpu-prof` of unminified esbuild bundles of the same sources (so functions keep their names), summarised by `bench/profile-summary.mjs` (self time per function; incl % = time with the function on the stack). Raw profiles: `bench/results/profiles/`.',
    '',
  );
  for (const p of profiles) lines.push(`### ${p.title}`, '', p.body, '');
}
fs.mkdirSync(RESULTS, { recursive: true });
const md = lines.join('\n');
fs.writeFileSync(path.join(RESULTS, 'latest.md'), md);
const samples = (r) =>
  Object.fromEntries(
    Object.entries(r.samples).map(([k, v]) => [k, v.map(({ wallMs, rssKb, cpuMs }) => ({ wallMs, rssKb, cpuMs }))]),
  );
fs.writeFileSync(
  path.join(RESULTS, 'latest.json'),
  JSON.stringify(
    {
      started,
      commit,
      nproc,
      cpu,
      node: process.version,
      loadBefore,
      loadAfter,
      runs: runs.map((r) => ({ size: r.size, stats: r.expected.stats, summary: r.summary, samples: samples(r) })),
      hook,
    },
    null,
    2,
  ),
);
cleanUp();
console.log(md);
