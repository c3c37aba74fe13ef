#!/usr/bin/env node
// The ledger benchmark: a team's committed ledger in spec-session 0.1.0's format (1 and 10
// developer-years: 800 API calls a day for 250 days per developer), compacted, then every read a
// user runs timed as a whole process, side by side with `node -e 0` in the same run, with and
// without machine-local state, and the totals checked against the generator's truth.
//
//   npm run build && node bench/ledger.mjs [--scales 1,10] [--runs 7] [--skip-hook] [--only start-rollup,eod]
//
// Results: bench/results/ledger-latest.md and .json. Corpora: bench/ledger-corpus/ (git-ignored;
// regenerated when the generator's parameters change).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expectedTotals, generateLedger } from './lib/ledger-gen.mjs';
import { makeRng, makeTextPool, Expected, mungeProject, writeSession } from './lib/corpus-lib.mjs';
import { runHookBench } from './hook.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const cli = path.join(repo, 'dist', 'cli.cjs'); // the package's bin
const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,10' },
    runs: { type: 'string', default: '7' },
    'skip-hook': { type: 'boolean', default: false },
    // Only these reads (ids, comma-separated), for a look at one: the results files are left as they are.
    only: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const SPECS = [
  'invoice-management',
  'patient-search',
  'billing-reports',
  'user-onboarding',
  'audit-trail',
  'search-index',
];
// Days in UTC for every process this starts (the checks compare per-day totals with the
// generator's), taken from the machine's zone as an installed project's default config does.
process.env.TZ = 'UTC';
const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const log = (m) => console.error(`[ledger bench] ${m}`);

/** A whole process, timed from outside: wall ms and peak RSS (MB, from /usr/bin/time when there is one). */
function measure(cmd, args, { env = {}, cwd, input } = {}) {
  const full = TIME_BIN ? [TIME_BIN, ['-f', '%M', cmd, ...args]] : [cmd, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], {
    env: { ...process.env, ...env },
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const rssMb = TIME_BIN ? Number(r.stderr.trim().split('\n').at(-1)) / 1024 : NaN;
  return { ms, rssMb, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The project of one scale: generated once, kept while the parameters hold. */
function corpus(scale) {
  const dir = path.join(here, 'ledger-corpus', `${scale}x`);
  const params = { v: 4, devs: scale, days: 250, callsPerDay: 800, seed: 20261206 };
  const metaFile = path.join(dir, 'bench-meta.json');
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch {
    meta = undefined;
  }
  if (JSON.stringify(meta?.params) !== JSON.stringify(params)) {
    fs.rmSync(dir, { recursive: true, force: true });
    const project = path.join(dir, 'project');
    const ledger = path.join(project, 'docs', 'sessions', 'ledger');
    fs.mkdirSync(ledger, { recursive: true });
    // A year that ended yesterday: 250 working days back.
    const start = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    log(`${scale}x: generating ${scale} developer-year${scale === 1 ? '' : 's'} of ledger (0.1.0 format)…`);
    const truth = generateLedger(ledger, { ...params, start });
    const expected = expectedTotals(truth);
    for (const spec of SPECS) {
      fs.mkdirSync(path.join(project, '.spec-workflow', 'specs', spec), { recursive: true });
      fs.writeFileSync(
        path.join(project, '.spec-workflow', 'specs', spec, 'tasks.md'),
        `# Tasks\n\n${Array.from({ length: 9 }, (_, i) => Array.from({ length: 6 }, (_, j) => `- [ ] ${i + 1}.${j + 1} Task ${i + 1}.${j + 1}\n`).join('')).join('')}`,
      );
    }
    execFileSync(process.execPath, [cli, 'install', '--dir', project, '--claude-version', '2.1.331'], {
      stdio: 'ignore',
    });
    meta = {
      params,
      start,
      rawBytes: truth.bytes,
      rawFiles: truth.files,
      calls: truth.calls.length,
      totals: expected.total.get('all'),
      compacted: false,
    };
    fs.writeFileSync(metaFile, JSON.stringify(meta));
  }
  // The installed default: no zone set, so days follow the machine's (TZ=UTC below, for the checks).
  fs.writeFileSync(path.join(dir, 'project', '.claude', 'spec-session', 'config.json'), '{"timeZone": null}\n');
  return { dir, scale, project: path.join(dir, 'project'), meta, metaFile };
}

/**
 * A closed day the corpus does not hold (the first workday after its last, at least four days
 * ago: long over, so closed): a day of the team's raw files, generated once, for a Claude session's
 * start to roll up. Undefined when the corpus ends too recently to leave such a day.
 */
function closedDay(c, scale) {
  const folders = c.meta.compactedFiles.filter((f) => /^\d{4}-\d{2}-\d{2}$/.test(f)).sort();
  let t = Date.parse(`${folders.at(-1)}T00:00:00Z`) + 86_400_000;
  while ([0, 6].includes(new Date(t).getUTCDay())) t += 86_400_000;
  if (t > Date.now() - 4 * 86_400_000) return undefined;
  const day = new Date(t).toISOString().slice(0, 10);
  const dir = path.join(c.dir, 'closed-day');
  if (!fs.existsSync(path.join(dir, day))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    generateLedger(dir, { devs: scale, days: 1, callsPerDay: 800, seed: 4242, start: day });
  }
  return { day, from: path.join(dir, day) };
}

/** Back to the compacted ledger: an earlier run's live session (its ledger file, transcript and state) removed. */
function resetLive(c) {
  const ledgerDir = path.join(c.project, 'docs', 'sessions', 'ledger');
  const keep = new Set(c.meta.compactedFiles);
  for (const f of fs.readdirSync(ledgerDir, { recursive: true }).sort().reverse())
    if (!keep.has(f)) fs.rmSync(path.join(ledgerDir, f), { recursive: true, force: true });
  for (const dir of [
    path.join(c.dir, 'home'),
    path.join(c.project, '.claude', 'spec-session', 'state'),
    path.join(c.project, 'docs', 'sessions', '.current'),
    path.join(c.project, 'docs', 'sessions', 'archive'),
  ])
    fs.rmSync(dir, { recursive: true, force: true });
  // The installed bundles are the ones just built (install is idempotent).
  execFileSync(process.execPath, [cli, 'install', '--dir', c.project, '--claude-version', '2.1.331'], {
    stdio: 'ignore',
  });
}

/** A live Claude session in the project: a small 2.1.331 transcript, bound to a task through the real hooks. */
function liveSession(c) {
  const home = path.join(c.dir, 'home');
  const rng = makeRng('ledger-bench-live');
  const sessionId = rng.uuid();
  const projectsDir = path.join(home, '.claude', 'projects', mungeProject(c.project));
  if (!fs.existsSync(projectsDir)) {
    writeSession({
      rng,
      pool: makeTextPool(makeRng('ledger-bench-pool'), 1 << 20),
      expected: new Expected(),
      dir: projectsDir,
      cwd: c.project,
      sessionId,
      profile: 'v331',
      model: 'claude-sonnet-4-6',
      start: Date.now() - 3_600_000,
      mainTarget: 60_000,
      subTargets: [],
      gateway: false,
      costStates: true,
      record: false,
    });
  }
  const transcript = path.join(projectsDir, `${sessionId}.jsonl`);
  const env = { HOME: home, CLAUDE_PROJECT_DIR: c.project };
  const hookInput = (event, extra = {}) =>
    JSON.stringify({
      session_id: sessionId,
      transcript_path: transcript,
      cwd: c.project,
      hook_event_name: event,
      ...extra,
    });
  // Run as installed: Claude Code starts `node .claude/spec-session/hook.cjs <Event>` (and `statusline`).
  const hook = (event, extra, input = hookInput(event, extra)) =>
    measure(process.execPath, [path.join(c.project, '.claude/spec-session/hook.cjs'), event], { env, input });
  hook('UserPromptSubmit', { prompt: '/start-session live-1 spec invoice-management' });
  hook('UserPromptSubmit', { prompt: '/do-task invoice-management 1.1' });
  const appendTurn = () =>
    execFileSync(process.execPath, [path.join(here, 'append-turn.mjs'), transcript, sessionId, c.project]);
  // A spec of new tasks for turns that complete one: /do-task, a turn of work, then its box ticked
  // in tasks.md (as the agent does), so the next Stop hook notices the completion.
  const liveTasks = path.join(c.project, '.spec-workflow', 'specs', 'live-work', 'tasks.md');
  fs.mkdirSync(path.dirname(liveTasks), { recursive: true });
  fs.writeFileSync(
    liveTasks,
    `# Tasks Document\n\n${Array.from({ length: 40 }, (_, i) => `- [ ] 1.${i + 1} Live task ${i + 1}\n`).join('')}`,
  );
  let nextTask = 0;
  const startAndFinishTask = () => {
    const id = `1.${++nextTask}`;
    hook('UserPromptSubmit', { prompt: `/do-task live-work ${id}` });
    appendTurn();
    const text = fs.readFileSync(liveTasks, 'utf8');
    fs.writeFileSync(liveTasks, text.replace(`- [-] ${id} `, `- [x] ${id} `));
  };
  return {
    env,
    sessionId,
    transcript,
    hook,
    appendTurn,
    startAndFinishTask,
    statuslineInput: JSON.stringify({ session_id: sessionId, workspace: { project_dir: c.project } }),
  };
}

/** Each read, RUNS times, interleaved with `node -e 0`. */
function readsOf(c, live) {
  const run = (args) => measure(process.execPath, [cli, ...args, '--dir', c.project], { env: live.env });
  const state = path.join(c.project, '.claude', 'spec-session', 'state');
  return [
    {
      id: 'cost-json-cold',
      cold: true,
      label: '`cost --json`, no machine-local state (a fresh clone)',
      prepare: () => fs.rmSync(state, { recursive: true, force: true }),
      run: () => run(['cost', '--json']),
    },
    { id: 'cost-warm', label: '`cost`, warm', run: () => run(['cost']) },
    {
      id: 'cost-json-warm',
      label: '`cost --json`, warm (all time: every task, session and day)',
      run: () => run(['cost', '--json']),
    },
    {
      id: 'cost-all-warm',
      label: '`cost all`, warm (the all-time table: every session, spec, branch and task)',
      run: () => run(['cost', 'all']),
    },
    { id: 'session-status', label: '`session-status`, warm', run: () => run(['session-status']) },
    {
      id: 'statusline',
      label: 'statusline, right after a newly captured call',
      prepare: () => {
        live.appendTurn();
        live.hook('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' } });
      },
      run: () => live.hook('statusline', undefined, live.statuslineInput),
    },
    {
      id: 'stop-hook',
      label: 'Stop hook (a turn appended before each)',
      prepare: () => live.appendTurn(),
      run: () => live.hook('Stop'),
    },
    {
      id: 'stop-done',
      label: 'Stop hook on a turn that completes a new task (its implementation log and session log written)',
      prepare: () => live.startAndFinishTask(),
      run: () => {
        const m = live.hook('Stop');
        if (!String(m.stdout).includes('completed')) throw new Error(`the Stop hook saw no completion: ${m.stdout}`);
        return m;
      },
    },
    {
      id: 'export',
      label: '`export --format csv`, warm (every call of all time, a row each)',
      run: () => run(['export', '--format', 'csv']),
    },
    {
      id: 'dashboard',
      label: '`dashboard --out`',
      run: () => run(['dashboard', '--out', path.join(c.dir, 'dashboard.html')]),
    },
    ...startRollup(c, live),
    {
      // A past workday from the middle of the ledger: its summary, PROGRESS.md and its sessions'
      // logs archived (idempotent: every run writes the same files).
      id: 'eod',
      label: `\`eod --date ${pastDay(c)}\` (a past workday's summary, PROGRESS.md, its sessions' logs)`,
      run: () => run(['eod', '--date', pastDay(c)]),
    },
  ];
}

/**
 * The SessionStart hook rolling up a closed day, as the first Claude session of a day does: its
 * raw files put back before each run, its rollup removed after it (so the other reads see the
 * ledger they always see).
 */
function startRollup(c, live) {
  const closed = closedDay(c, c.scale);
  if (!closed) return [];
  const folder = path.join(c.project, 'docs', 'sessions', 'ledger', closed.day);
  /** The pulled rollup put in its day folder, as a pull does. */
  const pull = () => {
    const [name, text] = pulledRollup(c, live, closed, folder);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  };
  /** A timed read after a pull, then the pull undone and the index brought back to the ledger the other reads see. */
  const afterPull = (read) => () => {
    const m = read();
    fs.rmSync(folder, { recursive: true, force: true });
    live.hook('statusline', undefined, live.statuslineInput);
    return m;
  };
  return [
    {
      id: 'start-rollup',
      label: `SessionStart rolling up a closed day (${closed.day}: the team's raw files of one day)`,
      prepare: () => {
        fs.rmSync(folder, { recursive: true, force: true });
        fs.cpSync(closed.from, folder, { recursive: true });
      },
      run: () => {
        const m = live.hook('SessionStart', { source: 'startup' });
        const rolled = fs.readdirSync(folder).some((f) => f.startsWith('rollup-'));
        fs.rmSync(folder, { recursive: true, force: true });
        if (!rolled) throw new Error(`SessionStart rolled nothing up in ${closed.day}`);
        live.hook('statusline', undefined, live.statuslineInput); // the index back to the ledger the other reads see
        return m;
      },
    },
    {
      // The read after it: the set of rollups changed (the start builds the base from them; a turn
      // that finds them goes on from its live part when that read their raw files). Put back after,
      // untimed.
      id: 'after-rollup',
      label: 'statusline, the first after a start rolled up a closed day (the row above)',
      prepare: () => {
        fs.rmSync(folder, { recursive: true, force: true });
        fs.cpSync(closed.from, folder, { recursive: true });
        live.hook('SessionStart', { source: 'startup' });
      },
      run: () => {
        const m = live.hook('statusline', undefined, live.statuslineInput);
        fs.rmSync(folder, { recursive: true, force: true });
        live.hook('statusline', undefined, live.statuslineInput); // the index back to the ledger the other reads see
        return m;
      },
    },
    {
      // A pull brings a teammate's rollup of a day whose raw files this machine never read: a turn
      // adds its rows to its answers (the base is made again by the next command). Put back after, untimed.
      id: 'after-pull',
      label: "statusline, the first after a pull brings a teammate's rollup of a day this machine never read",
      prepare: pull,
      run: afterPull(() => live.hook('statusline', undefined, live.statuslineInput)),
    },
    {
      // The same pull, and the turn's end: the Stop hook reads the budgets' days and the bound task.
      id: 'after-pull-stop',
      label: "Stop hook, the first after a pull brings a teammate's rollup of a day this machine never read",
      prepare: () => {
        pull();
        live.appendTurn();
      },
      run: afterPull(() => live.hook('Stop')),
    },
  ];
}

/** The rollup a start writes of the closed day (made once, by a start as in the row above): what a teammate's push would bring. */
function pulledRollup(c, live, closed, folder) {
  const kept = path.join(c.dir, 'pulled-rollup', closed.day);
  if (!fs.existsSync(kept) || fs.readdirSync(kept).length !== 1) {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.cpSync(closed.from, folder, { recursive: true });
    live.hook('SessionStart', { source: 'startup' });
    const rollups = fs.readdirSync(folder).filter((f) => f.startsWith('rollup-'));
    if (rollups.length !== 1) throw new Error(`SessionStart rolled nothing up in ${closed.day}`);
    fs.rmSync(kept, { recursive: true, force: true });
    fs.mkdirSync(kept, { recursive: true });
    fs.copyFileSync(path.join(folder, rollups[0]), path.join(kept, rollups[0]));
    fs.rmSync(folder, { recursive: true, force: true });
    live.hook('statusline', undefined, live.statuslineInput);
  }
  const [name] = fs.readdirSync(kept);
  return [name, fs.readFileSync(path.join(kept, name))];
}

/** The workday in the middle of the compacted ledger. */
function pastDay(c) {
  const days = [
    ...new Set(c.meta.compactedFiles.map((f) => f.split(path.sep)[0]).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))),
  ].sort();
  return days[Math.floor(days.length / 2)];
}

function timeReads(c, live) {
  const only = values.only?.split(',');
  const reads = readsOf(c, live).filter((r) => !only || only.includes(r.id));
  const results = new Map(reads.map((r) => [r.id, { ...r, ms: [], rss: [] }]));
  const node = { ms: [], rss: [] };
  // one untimed run each
  for (const r of reads) {
    r.prepare?.();
    r.run();
  }
  // Warm reads first, then the cold ones: a cold read deletes the machine-local state (the index,
  // the code cache), which would make the next warm read pay for rebuilding it.
  const phases = [reads.filter((r) => !r.cold), reads.filter((r) => r.cold)];
  for (const [phase, i] of phases.flatMap((p) => Array.from({ length: RUNS }, (_, i) => [p, i]))) {
    const order = i % 2 ? [...phase].reverse() : phase;
    for (const r of order) {
      const n = measure(process.execPath, ['-e', '0']);
      node.ms.push(n.ms);
      node.rss.push(n.rssMb);
      r.prepare?.();
      const m = r.run();
      results.get(r.id).ms.push(m.ms);
      results.get(r.id).rss.push(m.rssMb);
    }
  }
  return {
    node: { ms: median(node.ms), rss: Math.max(...node.rss) },
    reads: [...results.values()].map((r) => ({
      id: r.id,
      label: r.label,
      ms: median(r.ms),
      min: Math.min(...r.ms),
      max: Math.max(...r.ms),
      rss: Math.max(...r.rss),
    })),
  };
}

function checkTotals(c) {
  const j = JSON.parse(measure(process.execPath, [cli, 'cost', '--json', '--dir', c.project]).stdout);
  const t = c.meta.totals;
  const want = {
    inputTokens: t.in,
    outputTokens: t.out,
    cacheCreationTokens: t.cw5 + t.cw1h,
    cacheReadTokens: t.cr,
    calls: t.calls,
  };
  const got = {
    inputTokens: j.totals.inputTokens,
    outputTokens: j.totals.outputTokens,
    cacheCreationTokens: j.totals.cacheCreationTokens,
    cacheReadTokens: j.totals.cacheReadTokens,
    calls: j.totals.calls,
  };
  const ok = Object.keys(got).every((k) => got[k] === want[k]);
  return { ok, want, got };
}

const out = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  scales: [],
};
for (const scale of values.scales.split(',').map(Number)) {
  const c = corpus(scale);
  if (!c.meta.compacted) {
    log(`${scale}x: compact…`);
    const m = measure(process.execPath, [cli, 'compact', '--dir', c.project]);
    const bytes = (dir) =>
      fs
        .readdirSync(dir, { recursive: true })
        .reduce((s, f) => s + (fs.statSync(path.join(dir, f)).isFile() ? fs.statSync(path.join(dir, f)).size : 0), 0);
    const ledgerDir = path.join(c.project, 'docs', 'sessions', 'ledger');
    Object.assign(c.meta, {
      compacted: true,
      compactMs: m.ms,
      compactRssMb: m.rssMb,
      ledgerBytes: bytes(ledgerDir),
      compactedFiles: fs.readdirSync(ledgerDir, { recursive: true }).sort(),
    });
    fs.writeFileSync(c.metaFile, JSON.stringify(c.meta));
  }
  resetLive(c);
  const totals = checkTotals(c); // before the live session adds its own calls
  log(`${scale}x: live session and reads (${RUNS} runs each)…`);
  const live = liveSession(c);
  const timed = timeReads(c, live);
  out.scales.push({ scale, meta: c.meta, ...timed, totals });
}
if (!values['skip-hook'] && !values.only) {
  log('PostToolUse on a 200 MB transcript (bench/hook.mjs)…');
  out.hook = await runHookBench({ runs: 16, bigMb: 200, log });
}
if (!values.only) {
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results', 'ledger-latest.json'), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(here, 'results', 'ledger-latest.md'), render(out));
}
console.log(render(out));

function render(o) {
  const targets = {
    'cost-json-cold': (s) => s.ms <= 1500,
    'cost-warm': (s, n) => s.ms <= 3 * n,
    statusline: (s, n) => s.ms <= 2 * n,
    'stop-hook': (s, n) => s.ms <= 2 * n,
    'stop-done': (s, n) => s.ms <= 2 * n,
    dashboard: (s) => s.ms <= 2000,
    'session-status': () => true,
    'cost-json-warm': () => true,
    'cost-all-warm': () => true,
    export: () => true,
    eod: () => true,
    'start-rollup': () => true,
    'after-rollup': (s, n) => s.ms <= 2 * n,
    'after-pull': (s, n) => s.ms <= 2 * n,
    'after-pull-stop': (s, n) => s.ms <= 2 * n,
  };
  const targetText = {
    'cost-json-cold': '≤ 1.5 s',
    'cost-warm': '≤ 3× node -e 0',
    statusline: '≤ 2× node -e 0',
    'stop-hook': '≤ 2× node -e 0',
    'stop-done': '≤ 2× node -e 0',
    dashboard: '≤ 2 s, page ≤ 2 MB',
    'session-status': '(none set)',
    'cost-json-warm': '(none set)',
    'cost-all-warm': '(none set)',
    export: '(none set)',
    eod: '(none set)',
    'start-rollup': '(none set)',
    'after-rollup': "≤ 2× node -e 0 (the statusline's)",
    'after-pull': "≤ 2× node -e 0 (the statusline's)",
    'after-pull-stop': "≤ 2× node -e 0 (the Stop hook's)",
  };
  const lines = [
    `# spec-session ledger bench — ${o.date}`,
    '',
    `Machine: ${o.machine}. Whole processes; medians of ${RUNS} runs, each next to a \`node -e 0\` run; peak RSS is the largest run's (\`/usr/bin/time -f %M\`).`,
    '',
  ];
  for (const s of o.scales) {
    const m = s.meta;
    lines.push(
      `## ${s.scale} developer-year${s.scale === 1 ? '' : 's'}: ${m.calls.toLocaleString('en-US')} API calls`,
      '',
    );
    lines.push(
      `0.1.0 ledger: ${(m.rawBytes / 1e6).toFixed(1)} MB in ${m.rawFiles} files; after \`compact\` (${(m.compactMs / 1000).toFixed(1)} s, ${m.compactRssMb.toFixed(0)} MB RSS): ${(m.ledgerBytes / 1e6).toFixed(2)} MB, **${((100 * m.ledgerBytes) / m.rawBytes).toFixed(1)}%** of the raw bytes (target ≤ 5%). Totals after compact equal the generator's truth: ${s.totals.ok ? '✓' : `✗ ${JSON.stringify(s.totals)}`}.`,
      '',
    );
    lines.push('| read | median | ×node -e 0 | min–max | peak RSS | target |', '|---|---:|---:|---:|---:|---|');
    lines.push(`| \`node -e 0\` | ${(s.node.ms / 1000).toFixed(3)} s | 1.00× | | ${s.node.rss.toFixed(0)} MB | |`);
    for (const r of s.reads) {
      const met = targets[r.id](r, s.node.ms) && r.rss <= 100;
      lines.push(
        `| ${r.label} | ${(r.ms / 1000).toFixed(3)} s | ${(r.ms / s.node.ms).toFixed(2)}× | ${(r.min / 1000).toFixed(2)}–${(r.max / 1000).toFixed(2)} s | ${r.rss.toFixed(0)} MB | ${targetText[r.id]}, ≤ 100 MB ${met ? '✓' : '✗'} |`,
      );
    }
    const page = fs.existsSync(path.join(here, 'ledger-corpus', `${s.scale}x`, 'dashboard.html'))
      ? fs.statSync(path.join(here, 'ledger-corpus', `${s.scale}x`, 'dashboard.html')).size
      : NaN;
    lines.push('', `Dashboard page: ${(page / 1e6).toFixed(2)} MB.`, '');
  }
  if (o.hook) {
    lines.push(
      '## PostToolUse hook, 200 MB transcript already read',
      '',
      `Timing: ${o.hook.tool}.`,
      '',
      '| command | runs | median ms | ratio to node -e 0 |',
      '|---|---:|---:|---:|',
    );
    for (const r of o.hook.rows)
      lines.push(`| ${r.label} | ${r.runs} | ${r.medianMs.toFixed(1)} | ${r.ratio.toFixed(2)}× |`);
    lines.push('', 'Target: ≤ 1.3× `node -e 0`.', '');
  }
  return `${lines.join('\n')}\n`;
}
