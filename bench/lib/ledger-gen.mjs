// A team's committed ledger in spec-session 0.1.0's format, generated with its exact truth: for
// the ledger benchmark (bench/ledger.mjs) and the rollup tests. Seeded, so the same arguments
// give the same bytes.
//
// 0.1.0 wrote docs/sessions/ledger/<day>/<writer>.jsonl: one file per Claude session (in the
// folder of the day it started), one per machine for the CLI (in the folder of its first day,
// appended to ever after), no end records. What a capture writes is imitated: a call is written
// again when its usage grows (a placeholder output first, the final count later), a fork copies
// its parent's calls unattributed, a cost-state gap is cumulative per (session, model).
import fs from 'node:fs';
import path from 'node:path';

// A session works on its main model; a quarter of its calls are Haiku side calls and subagents.
const MAIN_MODELS = [
  ['claude-sonnet-4-6', 0.6],
  ['claude-opus-4-6', 0.3],
  ['claude-haiku-4-5-20251001', 0.1],
];
const SIDE_MODEL = 'claude-haiku-4-5-20251001';
const SPECS = [
  'invoice-management',
  'patient-search',
  'billing-reports',
  'user-onboarding',
  'audit-trail',
  'search-index',
];
const DAY_MS = 86_400_000;

function sfc32(seed) {
  let [a, b, c, d] = [0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0];
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/**
 * Writes the ledger under `dir` (the docs/sessions/ledger folder) and returns the truth:
 * `calls` (each distinct call once: time, model, tokens, attribution, speed) and `manual`.
 */
export function generateLedger(
  dir,
  { devs = 1, days = 5, callsPerDay = 800, start = '2026-01-05', seed = 1, writeFiles = true } = {},
) {
  const rand = sfc32(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const id = (prefix, n) =>
    prefix +
    Array.from(
      { length: n },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * 62)],
    ).join('');
  const uuid = () =>
    [8, 4, 4, 4, 12]
      .map((n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join(''))
      .join('-');
  const mainModel = () => {
    let r = rand();
    for (const [m, p] of MAIN_MODELS) if ((r -= p) < 0) return m;
    return MAIN_MODELS[0][0];
  };
  const files = new Map(); // rel -> lines
  const write = (rel, record) => (files.get(rel) ?? files.set(rel, []).get(rel)).push(JSON.stringify(record));
  const truth = { calls: [], manual: [] };
  const iso = (ms) => new Date(ms).toISOString();
  let dayIndex = 0;
  const startMs = Date.parse(`${start}T00:00:00Z`);
  for (let d = 0; dayIndex < days; d++) {
    const dayMs = startMs + d * DAY_MS;
    const weekday = new Date(dayMs).getUTCDay();
    if (weekday === 0 || weekday === 6) continue; // a working year: 250 days
    dayIndex++;
    const day = iso(dayMs).slice(0, 10);
    for (let dev = 0; dev < devs; dev++) {
      const cliFile = `${start}/cli-dev${dev}host-a1b2c${dev % 10}.jsonl`; // 0.1.0: in the folder of its first day, forever
      let clock = dayMs + (8 + (dev % 3)) * 3_600_000 + int(0, 1_800_000);
      const sessions = int(1, 3);
      let budget = callsPerDay;
      for (let s = 0; s < sessions; s++) {
        const ws = `d${dev}-${day.slice(5)}-${s + 1}`;
        const spec = pick(SPECS);
        const cs = uuid();
        const rel = `${day}/${cs}.jsonl`;
        const bind = (t, task, why) => write(rel, { k: 'bind', t: iso(t), cs, ws, spec, task, why });
        write(rel, { k: 'session', t: iso(clock), ws, spec, event: 'start', cs });
        bind(clock, null, 'start-session');
        const tasks = int(2, 6);
        const callsHere = s === sessions - 1 ? budget : Math.floor(callsPerDay / sessions);
        budget -= callsHere;
        const gapSums = {};
        const main = mainModel();
        let calls = 0;
        for (let t = 0; t < tasks; t++) {
          const task = `${int(1, 9)}.${t + 1}`;
          clock += int(20_000, 120_000);
          write(rel, { k: 'task', t: iso(clock), ws, spec, task, event: 'start', cs, source: 'do-task' });
          bind(clock, task, 'do-task');
          const n = t === tasks - 1 ? callsHere - calls : Math.floor(callsHere / tasks);
          for (let c = 0; c < n; c++, calls++) {
            clock += int(4_000, 40_000);
            const m = rand() < 0.25 ? SIDE_MODEL : main;
            const tokens = {
              in: int(1, 400),
              out: int(20, 4000),
              cw5: rand() < 0.3 ? int(500, 30_000) : 0,
              cw1h: rand() < 0.05 ? int(500, 20_000) : 0,
              cr: int(5_000, rand() < 0.03 ? 260_000 : 90_000),
            };
            const fast = m === 'claude-opus-4-6' && rand() < 0.05;
            const call = {
              k: 'call',
              msg: id('msg_01', 22),
              req: rand() < 0.97 ? id('req_011C', 18) : null,
              t: iso(clock),
              cs,
              model: m,
              ...(fast ? { fast: true } : {}),
              ...tokens,
              ws,
              spec,
              task,
            };
            if (rand() < 0.1) write(rel, { ...call, out: int(1, 8) }); // the placeholder copy, written first
            write(rel, call);
            if (rand() < 0.02) write(rel, call); // a retried hook wrote it again
            truth.calls.push({ time: clock, msg: call.msg, model: m, fast, tokens, ws, spec, task, cs });
            if (rand() < 0.004) {
              const sum = (gapSums[m] ??= { in: 0, out: 0, cw5: 0, cw1h: 0, cr: 0 });
              const add = { in: int(1, 50), out: int(200, 3000), cw5: int(0, 5000), cw1h: 0, cr: int(1000, 50_000) };
              for (const k of Object.keys(sum)) sum[k] += add[k];
              write(rel, {
                k: 'gap',
                id: `gap:${cs}:${m}:${Object.values(sum).reduce((a, b) => a + b, 0)}`,
                t: iso(clock),
                cs,
                model: m,
                ...sum,
                ws,
                spec,
                task,
              });
              truth.calls.push({ time: clock, gap: true, model: m, fast: false, tokens: add, ws, spec, task, cs });
            }
          }
          write(rel, { k: 'task', t: iso(clock + 1000), ws, spec, task, event: 'done', cs, source: 'tasks.md' });
          bind(clock + 2000, null, 'task-done');
        }
        if (rand() < 0.1) {
          const mtokens = { in: int(1000, 60_000), out: 0, cw5: 0, cw1h: 0, cr: 0 };
          const manual = {
            k: 'manual',
            id: `manual:${uuid()}`,
            t: iso(clock + 3000),
            ws,
            spec,
            task: '9.9',
            status: 'done',
            model: 'claude-sonnet-4-6',
            ...mtokens,
          };
          write(cliFile, manual);
          truth.manual.push({ time: clock + 3000, tokens: mtokens, ws, spec, task: '9.9', model: 'claude-sonnet-4-6' });
        }
        if (rand() < 0.03 && truth.calls.length > 10) {
          // --fork-session: the fork's file starts with unattributed copies of its parent's calls.
          const fork = uuid();
          const forkRel = `${day}/${fork}.jsonl`;
          for (const c of truth.calls.slice(-Math.min(calls, 20)).filter((c) => !c.gap && c.cs === cs)) {
            write(forkRel, {
              k: 'call',
              msg: c.msg,
              req: null,
              t: iso(c.time),
              cs: fork,
              model: c.model,
              ...(c.fast ? { fast: true } : {}),
              ...c.tokens,
              ws: null,
              spec: null,
              task: null,
            });
          }
          write(forkRel, { k: 'bind', t: iso(clock + 1), cs: fork, ws, spec, task: null, why: `fork:${cs}` });
        }
        write(cliFile, { k: 'session', t: iso(clock + 60_000), ws, spec, event: 'end', cs: null });
        clock += int(600_000, 3_600_000);
      }
    }
  }
  let bytes = 0;
  for (const [rel, lines] of files) {
    const text = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    if (!writeFiles) continue;
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { ...truth, bytes, files: files.size };
}

const LONG_CONTEXT = 200_000;

/** The truth summed the way `cost --json` reports it: per task (over sessions), per session, per UTC day, per model. */
export function expectedTotals(truth) {
  const add = (map, key, t, calls = 1) => {
    const s = map.get(key) ?? map.set(key, { calls: 0, in: 0, out: 0, cw5: 0, cw1h: 0, cr: 0 }).get(key);
    s.calls += calls;
    for (const k of ['in', 'out', 'cw5', 'cw1h', 'cr']) s[k] += t[k];
  };
  const out = {
    tasks: new Map(),
    sessions: new Map(),
    days: new Map(),
    models: new Map(),
    total: new Map(),
    longContext: 0,
  };
  for (const c of [...truth.calls, ...truth.manual.map((m) => ({ ...m, manual: true }))]) {
    if (!c.gap && !c.manual && c.tokens.in + c.tokens.cw5 + c.tokens.cw1h + c.tokens.cr > LONG_CONTEXT)
      out.longContext++;
    add(out.tasks, `${c.spec}/${c.task}`, c.tokens);
    add(out.sessions, c.ws, c.tokens);
    add(out.days, new Date(c.time).toISOString().slice(0, 10), c.tokens);
    add(out.models, c.model, c.tokens);
    add(out.total, 'all', c.tokens);
  }
  return out;
}
