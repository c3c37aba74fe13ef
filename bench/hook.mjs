#!/usr/bin/env node
// Hook whole-process time: `node -e 0` vs the installed PostToolUse hook on
//   (a) a small transcript (~50 KB) and (b) a 200 MB transcript already read up to its end,
// with one small turn appended (bench/append-turn.mjs, hyperfine --prepare) before every run.
//
//   node bench/hook.mjs [--runs 24] [--big-mb 200] [--keep]     (after `npm run build`)
//
// Timing: hyperfine (sh -c, shell start-up subtracted by hyperfine), in blocks that rotate the
// three commands so background load hits all of them alike; medians over all runs. Without
// hyperfine, an own loop (spawnSync of sh -c, process.hrtime) with the same rotation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Expected, makeRng, makeTextPool, mungeProject, writeSession } from './lib/corpus-lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function hasHyperfine() {
  return spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** A scratch project with spec-session installed and a transcript of `mb` MiB (+2 subagent files). */
function setupCase(root, name, bytes, seed) {
  const dir = path.join(root, name);
  const project = path.join(dir, 'project');
  fs.mkdirSync(project, { recursive: true });
  execFileSync(
    process.execPath,
    [path.join(repo, 'dist/spec-session.cjs'), 'install', '--dir', project, '--claude-version', '2.1.331'],
    { stdio: 'ignore' },
  );
  const rng = makeRng(seed);
  const sessionId = rng.uuid();
  const projectsDir = path.join(dir, 'claude', 'projects', mungeProject(project));
  writeSession({
    rng,
    pool: makeTextPool(makeRng(`${seed}:pool`), 2 << 20),
    expected: new Expected(),
    dir: projectsDir,
    cwd: project,
    sessionId,
    profile: 'v331',
    model: 'claude-opus-5-5',
    start: Date.now() - 3 * 3_600_000,
    mainTarget: bytes,
    subTargets: [Math.min(bytes / 4, 400_000), Math.min(bytes / 8, 150_000)],
    gateway: false,
    costStates: true,
    record: false,
  });
  const transcript = path.join(projectsDir, `${sessionId}.jsonl`);
  const input = path.join(dir, 'post-tool-use.json');
  fs.writeFileSync(
    input,
    JSON.stringify({
      session_id: sessionId,
      transcript_path: transcript,
      cwd: project,
      permission_mode: 'default',
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'echo hi', description: 'Print hi' },
      tool_response: { stdout: 'hi', stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
      tool_use_id: 'toolu_01bench',
      duration_ms: 12,
    }),
  );
  const hook = `CLAUDE_PROJECT_DIR=${q(project)} ${q(process.execPath)} ${q(path.join(project, '.claude/spec-session/hook.cjs'))} PostToolUse < ${q(input)}`;
  const prepare = `${q(process.execPath)} ${q(path.join(here, 'append-turn.mjs'))} ${q(transcript)} ${q(sessionId)} ${q(project)}`;
  return { name, dir, project, transcript, sessionId, hook, prepare, size: fs.statSync(transcript).size };
}

/** Runs the hook once outside any timing (moves the cursor to the end of the transcript). */
function primeHook(c) {
  const t = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', c.hook], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`hook failed on ${c.name}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Every distinct API call in a transcript and its subagent files (to check the ledger got them all). */
function transcriptCalls(c) {
  const files = [c.transcript];
  const sub = path.join(path.dirname(c.transcript), c.sessionId, 'subagents');
  if (fs.existsSync(sub)) for (const f of fs.readdirSync(sub)) if (f.endsWith('.jsonl')) files.push(path.join(sub, f));
  const keys = new Set();
  for (const f of files) {
    const buf = fs.readFileSync(f);
    let from = 0;
    while (from < buf.length) {
      const nl = buf.indexOf(10, from);
      if (nl < 0) break; // a torn last line is not a call yet
      if (buf.subarray(from, nl).includes('"usage"')) {
        try {
          const row = JSON.parse(buf.toString('utf8', from, nl));
          if (row.type === 'assistant' && row.message?.model !== '<synthetic>')
            keys.add(`${row.message.id}:${row.requestId ?? ''}`);
        } catch {}
      }
      from = nl + 1;
    }
  }
  return keys;
}

function ledgerCalls(project) {
  const keys = new Set();
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.jsonl'))
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (!line) continue;
          const r = JSON.parse(line);
          if (r.k === 'call') keys.add(`${r.msg}:${r.req ?? ''}`);
        }
    }
  };
  walk(path.join(project, 'docs/sessions/ledger'));
  return keys;
}

function timeWithHyperfine(cmds, runs, dir) {
  const out = path.join(dir, `hyperfine-${Date.now()}.json`);
  const args = ['--runs', String(runs), '--warmup', '2', '--style', 'none', '--export-json', out];
  for (const c of cmds) args.push('--prepare', c.prepare);
  for (const c of cmds) args.push('--command-name', c.label, c.cmd);
  const r = spawnSync('hyperfine', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr || r.stdout}`);
  const json = JSON.parse(fs.readFileSync(out, 'utf8'));
  return json.results.map((x) =>
    Object.assign(
      x.times.map((s) => s * 1000),
      { cpuMs: (x.user + x.system) * 1000 },
    ),
  );
}

function timeWithLoop(cmds, runs) {
  const times = cmds.map(() => []);
  for (let i = 0; i < runs + 2; i++) {
    cmds.forEach((c, j) => {
      spawnSync('sh', ['-c', c.prepare], { stdio: 'ignore' });
      const t = process.hrtime.bigint();
      const r = spawnSync('sh', ['-c', c.cmd], { stdio: ['ignore', 'ignore', 'ignore'] });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}`);
      if (i >= 2) times[j].push(ms);
    });
  }
  return times;
}

export async function runHookBench({
  runs = 24,
  bigMb = 200,
  keep = false,
  log = () => {},
  profileDir,
  profileHook,
} = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-session-hookbench-'));
  try {
    log(`hook bench: writing a ~50 KB and a ${bigMb} MB transcript in ${root}`);
    const small = setupCase(root, 'small', 50_000, 'hook-small');
    const big = setupCase(root, 'big', bigMb * 1_000_000, 'hook-big');
    const dummy = path.join(root, 'baseline.jsonl');
    const primeSmall = primeHook(small);
    const primeBig = primeHook(big);
    log(`hook bench: first (catch-up) run: small ${primeSmall.toFixed(0)} ms, big ${(primeBig / 1000).toFixed(2)} s`);
    const cmds = [
      {
        label: 'node -e 0',
        cmd: `${q(process.execPath)} -e 0`,
        prepare: `${q(process.execPath)} ${q(path.join(here, 'append-turn.mjs'))} ${q(dummy)} baseline /tmp`,
      },
      { label: 'hook, 50 KB transcript', cmd: small.hook, prepare: small.prepare },
      { label: `hook, ${bigMb} MB transcript`, cmd: big.hook, prepare: big.prepare },
    ];
    const hyper = hasHyperfine();
    const blocks = 4;
    const per = Math.ceil(runs / blocks);
    const times = cmds.map(() => []);
    const cpu = cmds.map(() => []);
    for (let b = 0; b < blocks; b++) {
      const order = cmds.map((_, i) => (i + b) % cmds.length); // rotate which command goes first
      const got = hyper
        ? timeWithHyperfine(
            order.map((i) => cmds[i]),
            per,
            root,
          )
        : timeWithLoop(
            order.map((i) => cmds[i]),
            per,
          );
      order.forEach((i, k) => {
        times[i].push(...got[k]);
        if (got[k].cpuMs !== undefined) cpu[i].push(got[k].cpuMs);
      });
      log(`hook bench: block ${b + 1}/${blocks} done`);
    }
    const base = median(times[0]);
    const rows = cmds.map((c, i) => ({
      label: c.label,
      runs: times[i].length,
      medianMs: median(times[i]),
      minMs: Math.min(...times[i]),
      ratio: median(times[i]) / base,
      cpuMs: cpu[i].length ? cpu[i].reduce((a, b) => a + b, 0) / cpu[i].length : NaN,
    }));

    // Every call of both transcripts must be in the ledger (nothing skipped by the fast path).
    const checks = [small, big].map((c) => {
      const want = transcriptCalls(c);
      const have = ledgerCalls(c.project);
      let missing = 0;
      for (const k of want) if (!have.has(k)) missing++;
      const hookLog = path.join(c.project, '.claude/spec-session/state/hook.log');
      return {
        name: c.name,
        calls: want.size,
        ledger: have.size,
        missing,
        hookErrors: fs.existsSync(hookLog) ? fs.readFileSync(hookLog, 'utf8').trim().split('\n').length : 0,
        bytes: fs.statSync(c.transcript).size,
      };
    });

    let profile;
    if (profileDir) {
      // One more turn, then one invocation under --cpu-prof (of `profileHook`, e.g. an unminified build, when given).
      spawnSync('sh', ['-c', big.prepare]);
      fs.rmSync(profileDir, { recursive: true, force: true });
      fs.mkdirSync(profileDir, { recursive: true });
      const hookFile = profileHook ?? path.join(big.project, '.claude/spec-session/hook.cjs');
      const input = path.join(big.dir, 'post-tool-use.json');
      const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, hookFile, 'PostToolUse'], {
        input: fs.readFileSync(input),
        env: { ...process.env, CLAUDE_PROJECT_DIR: big.project },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      if (r.status !== 0) throw new Error(`profiled hook exited ${r.status}`);
      profile = profileDir;
    }
    return {
      tool: hyper
        ? `hyperfine ${spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[1]}`
        : 'own loop (spawnSync + hrtime)',
      rows,
      checks,
      primeSmall,
      primeBig,
      profile,
    };
  } finally {
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

export function hookTable(result) {
  const lines = [
    `| command | runs | median ms | min ms | ratio to node -e 0 | CPU ms (user+sys, mean) |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...result.rows.map(
      (r) =>
        `| ${r.label} | ${r.runs} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.ratio.toFixed(2)}× | ${Number.isNaN(r.cpuMs) ? '–' : r.cpuMs.toFixed(1)} |`,
    ),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '24' },
      'big-mb': { type: 'string', default: '200' },
      keep: { type: 'boolean', default: false },
    },
  });
  const result = await runHookBench({
    runs: Number(values.runs),
    bigMb: Number(values['big-mb']),
    keep: values.keep,
    log: (m) => console.error(m),
  });
  console.log(`timing: ${result.tool}`);
  console.log(hookTable(result));
  for (const c of result.checks)
    console.log(
      `${c.name}: ${c.calls} calls in transcripts, ${c.ledger} in ledger, ${c.missing} missing, hook.log lines ${c.hookErrors}`,
    );
}
