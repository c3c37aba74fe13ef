/**
 * Closed days roll up into committed aggregates, and every figure stays exact: after `compact`,
 * after a rolled-up call is captured again, after two clones compact the same days and merge,
 * after a crash half-way (ledger-index.test.ts: whatever happens to the machine-local index).
 * Expected figures are the generator's truth (every distinct call once), never the program's own output.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cliIn,
  dirBytes,
  fieldsOf,
  git,
  ledgerProject,
  tokenFields,
  type CostJson,
  type Expected,
} from './support/ledger-project.js';
import { cli } from '../e2e/support/project.js';
import { START_ROLLUP_FOLDERS } from '../../src/workflow/closed-days.js';
import { acquireLock } from '../../src/store/lock.js';
import { rollUpLedger } from '../../src/ledger/rollup.js';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';

const byKey = <T>(rows: T[], key: (r: T) => string) => new Map(rows.map((r) => [key(r), r]));

function expectExact(cost: CostJson, expected: Expected): void {
  expect(tokenFields(cost.totals)).toEqual(fieldsOf(expected.total.get('all')!));
  expect(cost.totals.calls).toBe(expected.total.get('all')!.calls);
  const tasks = byKey(cost.taskTotals, (t) => `${t.spec}/${t.taskId}`);
  expect([...tasks.keys()].sort()).toEqual([...expected.tasks.keys()].sort());
  for (const [key, sums] of expected.tasks) expect(tokenFields(tasks.get(key)!), key).toEqual(fieldsOf(sums));
  const sessions = byKey(cost.sessions, (s) => s.name);
  for (const [name, sums] of expected.sessions) expect(tokenFields(sessions.get(name)!), name).toEqual(fieldsOf(sums));
  const days = byKey(cost.days, (d) => d.date);
  expect([...days.keys()].sort()).toEqual([...expected.days.keys()].sort());
  for (const [day, sums] of expected.days) expect(tokenFields(days.get(day)!), day).toEqual(fieldsOf(sums));
  const models = byKey(cost.models, (m) => m.modelName);
  for (const [model, sums] of expected.models) {
    expect(tokenFields(models.get(model)!), model).toEqual(fieldsOf(sums));
    expect(models.get(model)!.calls).toBe(sums.calls);
  }
}

const rawFiles = (p: { ledger: string }) =>
  (readdirSync(p.ledger, { recursive: true }) as string[]).filter((f) => f.endsWith('.jsonl'));
const rollupFiles = (p: { ledger: string }) =>
  (readdirSync(p.ledger, { recursive: true }) as string[]).filter((f) => /rollup-[0-9a-f]{12}\.json$/.test(f)).sort();

describe('compact: a 0.1.0 ledger rolled up', () => {
  it('is read as it is, and after compact every task, session, day and model is exact, in under 5% of the bytes', () => {
    const p = ledgerProject({ devs: 2, days: 4, callsPerDay: 800 });
    const before = p.costJson();
    expectExact(before, p.expected);
    // doctor counts what the generator wrote: calls in lines, those only cost-state shows, hand-logged entries.
    const counts = [
      p.truth.calls.filter((c) => !c.gap).length,
      p.truth.calls.filter((c) => c.gap).length,
      p.truth.manual.length,
    ].map((n) => n.toLocaleString('en-US'));
    const doctorCounts = () =>
      /ledger: ([\d,]+) API calls \(\+([\d,]+) counted from cost-state\), ([\d,]+) entr(?:y|ies) logged by hand/
        .exec(p.run(['doctor']).stdout)
        ?.slice(1);
    expect(doctorCounts()).toEqual(counts);
    const out = p.run(['compact']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /[\d,]+ calls, [\d,]+ tokens rolled up; every figure compared before and after: identical/,
    );
    expect(rawFiles(p)).toEqual([]);
    expect(rollupFiles(p).length).toBeGreaterThan(0);
    const after = p.costJson();
    expectExact(after, p.expected);
    expect(after.totals.totalCost).toBe(before.totals.totalCost);
    expect(after.taskTotals.map((t) => [t.spec, t.taskId, t.totalCost, t.firstActivity, t.lastActivity])).toEqual(
      before.taskTotals.map((t) => [t.spec, t.taskId, t.totalCost, t.firstActivity, t.lastActivity]),
    );
    expect(dirBytes(p.ledger) / p.truth.bytes).toBeLessThan(0.05);
    expect(doctorCounts()).toEqual(counts);
    // Twice is the same as once.
    expect(p.run(['compact']).stdout).toContain('Nothing to roll up');
    expect(rollupFiles(p)).toEqual(rollupFiles(p));
  });

  it('a rolled-up call captured again (state lost, a transcript re-read) counts once; a new one counts', () => {
    const p = ledgerProject({ days: 3 });
    p.run(['compact']);
    const again = p.truth.calls.filter((c) => !c.gap).slice(0, 40);
    const cs = again[0]!.cs;
    const line = (c: (typeof again)[number]) =>
      JSON.stringify({
        k: 'call',
        msg: c.msg,
        req: null,
        t: new Date(c.time).toISOString(),
        cs,
        model: c.model,
        ...c.tokens,
        ws: c.ws,
        spec: c.spec,
        task: c.task,
      });
    const fresh = {
      k: 'call',
      msg: 'msg_01NEWCALL',
      req: 'req_new',
      t: new Date(again[0]!.time + 1).toISOString(),
      cs,
      model: 'claude-sonnet-4-6',
      in: 5,
      out: 6,
      cw5: 7,
      cw1h: 0,
      cr: 8,
      ws: 'late',
      spec: 'invoice-management',
      task: '9.1',
    };
    const today = new Date().toISOString().slice(0, 10);
    mkdirSync(join(p.ledger, today), { recursive: true });
    writeFileSync(join(p.ledger, today, `${cs}.jsonl`), `${[...again.map(line), JSON.stringify(fresh)].join('\n')}\n`);
    const cost = p.costJson();
    const all = p.expected.total.get('all')!;
    expect(tokenFields(cost.totals)).toEqual(
      fieldsOf({ ...all, in: all.in + 5, out: all.out + 6, cw5: all.cw5 + 7, cr: all.cr + 8 }),
    );
    expect(cost.totals.calls).toBe(all.calls + 1);
  });

  it('a file rolled up short, then back whole (a merge kept its longer copy): eod and compact roll it up again, every figure exact', () => {
    for (const command of ['eod', 'compact']) {
      const p = ledgerProject({ days: 2 });
      const day = readdirSync(p.ledger).sort()[0]!;
      const name = readdirSync(join(p.ledger, day))
        .filter((f) => f.endsWith('.jsonl'))
        .sort()[0]!;
      const file = join(p.ledger, day, name);
      const whole = readFileSync(file, 'utf8');
      const lines = whole.split('\n');
      writeFileSync(file, `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`);
      expect(p.run(['compact']).code).toBe(0); // its first half rolled up, the file gone
      expect(existsSync(file)).toBe(false);
      writeFileSync(file, whole);
      expectExact(p.costJson(), p.expected);
      const r = p.run([command]);
      expect(r.code, `${command}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(existsSync(file), command).toBe(false); // rolled up again: the calls of its first half in its new entry
      expectExact(p.costJson(), p.expected);
    }
  });

  it("a crash after today's ended session was rolled up, its raw file still there: eod counts its task done once", () => {
    // The rollup and the raw file hold the same records; eod rolls up only days before today, so
    // both are read, and the day's summary must not count the task twice.
    const p = ledgerProject({ days: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const at = (s: number) => new Date(Date.parse(`${today}T00:00:00Z`) + s * 1000).toISOString();
    const cs = '11111111-2222-4333-8444-555555555555';
    const who = { ws: 'w1', spec: 'demo', cs };
    const records = [
      { k: 'session', t: at(1), ...who, event: 'start' },
      { k: 'task', t: at(2), ...who, task: '1.1', event: 'start', source: 'do-task' },
      {
        k: 'call',
        msg: 'msg_1',
        req: 'req_1',
        t: at(3),
        ...who,
        task: '1.1',
        model: 'claude-sonnet-4-6',
        in: 10,
        out: 20,
        cw5: 30,
        cw1h: 0,
        cr: 40,
      },
      { k: 'task', t: at(4), ...who, task: '1.1', event: 'done', source: 'tasks.md' },
      { k: 'session', t: at(5), ...who, event: 'end' },
      { k: 'end', t: at(6), cs, why: 'exit' },
    ];
    mkdirSync(join(p.ledger, today), { recursive: true });
    writeFileSync(join(p.ledger, today, `${cs}.jsonl`), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect(p.run(['compact'], { SPEC_SESSION_FAULT: 'after-rollup-write' }).code).not.toBe(0);
    expect(rollupFiles(p)).toHaveLength(1);
    expect(rawFiles(p)).toHaveLength(1);
    const eod = p.run(['eod']);
    expect(eod.code).toBe(0);
    expect(eod.stdout).toContain('Tasks: 1 done (1 worked on)');
    const summary = readFileSync(join(p.dir, 'docs', 'sessions', 'daily', `${today}.md`), 'utf8');
    expect(summary).toMatch(/^\| w1 \| demo \| [^|]+ \| 1 \| 100 \| /m);
  });

  it('a crash after the rollup is written and before the raw files go: the same figures, and the next run cleans up', () => {
    const p = ledgerProject({ days: 2 });
    const crashed = p.run(['compact'], { SPEC_SESSION_FAULT: 'after-rollup-write' });
    expect(crashed.code).not.toBe(0);
    expect(rollupFiles(p)).toHaveLength(1);
    expect(rawFiles(p).length).toBeGreaterThan(0);
    expectExact(p.costJson(), p.expected);
    expect(p.run(['compact']).code).toBe(0);
    expect(rawFiles(p)).toEqual([]);
    expectExact(p.costJson(), p.expected);
  });
});

describe('two clones', () => {
  it('compact the same days independently: identical files, a merge without conflict, the same totals', () => {
    const origin = ledgerProject({ days: 3 });
    git(origin.dir, 'init', '-q', '-b', 'main');
    git(origin.dir, 'add', '-A');
    git(origin.dir, 'commit', '-qm', 'ledger');
    const a = join(origin.dir, '..', `${origin.dir.split('/').pop()}-a`);
    const b = join(origin.dir, '..', `${origin.dir.split('/').pop()}-b`);
    for (const dir of [a, b]) git(join(origin.dir, '..'), 'clone', '-q', origin.dir, dir);
    for (const dir of [a, b]) {
      writeFileSync(join(dir, '.gitignore'), '.claude/spec-session/state/\n');
      expect(cliIn(dir).run(['compact']).code).toBe(0);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'compact');
    }
    expect(rollupFiles(cliIn(a)).length).toBeGreaterThan(0);
    expect(rollupFiles(cliIn(a))).toEqual(rollupFiles(cliIn(b)));
    for (const f of rollupFiles(cliIn(a)))
      expect(readFileSync(join(a, 'docs/sessions/ledger', f), 'utf8')).toBe(
        readFileSync(join(b, 'docs/sessions/ledger', f), 'utf8'),
      );
    git(a, 'pull', '-q', '--no-rebase', b, 'main');
    expect(git(a, 'status', '--porcelain')).toBe('');
    expectExact(cliIn(a).costJson(), origin.expected);
  });

  it('that rolled up different files of one day merge into the union, each call once', () => {
    const p = ledgerProject({ days: 2, devs: 2 });
    const day = readdirSync(p.ledger).sort()[0]!;
    const files = readdirSync(join(p.ledger, day))
      .filter((f) => f.endsWith('.jsonl') && !f.startsWith('cli-'))
      .sort();
    // Clone A has not pulled the last file of the day yet; clone B has all of them.
    const a = `${p.dir}-a`;
    cpSync(p.dir, a, { recursive: true });
    rmSync(join(a, 'docs/sessions/ledger', day, files.at(-1)!));
    const bRun = p.run(['compact']);
    const aRun = cliIn(a).run(['compact']);
    expect([aRun.code, bRun.code]).toEqual([0, 0]);
    // The merge: B's files, plus A's rollup of the same day (another content, another name).
    for (const f of rollupFiles(cliIn(a))) cpSync(join(a, 'docs/sessions/ledger', f), join(p.ledger, f));
    expect(rollupFiles(p).filter((f) => f.startsWith(day)).length).toBe(2);
    expectExact(p.costJson(), p.expected);
  });
});

describe('PROGRESS.md from the rolled-up sums', () => {
  it("shows every spec's and task's all-time tokens as the ledger holds them, and the same costs as cost --json", () => {
    const p = ledgerProject({ days: 3 });
    const tasksOf = new Map<string, Set<string>>();
    for (const key of p.expected.tasks.keys()) {
      const [spec, task] = key.split('/') as [string, string];
      (tasksOf.get(spec) ?? tasksOf.set(spec, new Set()).get(spec)!).add(task);
    }
    for (const [spec, tasks] of tasksOf) {
      mkdirSync(join(p.dir, '.spec-workflow', 'specs', spec), { recursive: true });
      writeFileSync(
        join(p.dir, '.spec-workflow', 'specs', spec, 'tasks.md'),
        `# Tasks\n\n${[...tasks].map((t) => `- [ ] ${t} Task ${t}\n`).join('')}`,
      );
    }
    const call = (msg: string, t: string, spec: string | null, ws: string | null) =>
      `${JSON.stringify({ k: 'call', msg, req: 'r', t, cs: `${msg}-session`, model: 'claude-sonnet-4-6', in: 7, out: 70, cw5: 0, cw1h: 0, cr: 700, ws, spec, task: null })}\n`;
    // Work on a spec outside any task, rolled up with the rest (each call 777 tokens).
    const day = readdirSync(p.ledger).sort()[0]!;
    const spec = [...tasksOf.keys()][0]!;
    writeFileSync(
      join(p.ledger, day, 'msg_spec-session.jsonl'),
      call('msg_spec', `${day}T12:00:00.000Z`, spec, 'spec-ws'),
    );
    // And a call of no spec, task, session or phase: unattributed.
    writeFileSync(join(p.ledger, day, 'msg_old-session.jsonl'), call('msg_old', `${day}T12:00:00.000Z`, null, null));
    p.run(['compact']);
    expect(existsSync(join(p.ledger, day, 'msg_spec-session.jsonl'))).toBe(false); // rolled up
    // One unattributed call after the rollups: the live part is added to the sums.
    const today = new Date().toISOString().slice(0, 10);
    mkdirSync(join(p.ledger, today), { recursive: true });
    writeFileSync(join(p.ledger, today, 'loose.jsonl'), call('msg_loose', new Date().toISOString(), null, null));
    expect(p.run(['eod']).code).toBe(0);
    const progress = readFileSync(join(p.dir, 'docs', 'PROGRESS.md'), 'utf8');
    const cost = p.costJson();
    const count = (n: number) => n.toLocaleString('en-US');
    const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`; // cents, or 4 places under a cent
    const total = fieldsOf(p.expected.total.get('all')!).totalTokens + 3 * 777;
    expect(progress).toContain(`| **Total** | | ${count(total)} | ${usd(cost.totals.totalCost)} |`);
    const specs = byKey(
      (cost as unknown as { specs: Array<{ spec: string; totalTokens: number; totalCost: number }> }).specs,
      (s) => s.spec,
    );
    for (const [spec, tasks] of tasksOf) {
      const s = specs.get(spec)!;
      expect(progress).toContain(`| ${spec} | 0/${tasks.size} | ${count(s.totalTokens)} | ${usd(s.totalCost)} |`);
      for (const task of tasks) {
        const sums = fieldsOf(p.expected.tasks.get(`${spec}/${task}`)!);
        const row = cost.taskTotals.find((t) => t.spec === spec && t.taskId === task)!;
        expect(progress).toContain(
          `| [ ] ${task} Task ${task} | pending | ${count(sums.totalTokens)} | ${usd(row.totalCost)} |`,
        );
      }
    }
    const loose = (cost as unknown as { unattributed: { totalTokens: number; totalCost: number } }).unattributed;
    expect(loose.totalTokens).toBeGreaterThanOrEqual(2 * 777);
    expect(progress).toContain(
      `Unattributed usage to date: ${count(loose.totalTokens)} tokens, ${usd(loose.totalCost)}.`,
    );
    // The sums' pieces of the index damaged (torn, or another base's): PROGRESS.md is the same.
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    const pieces = readdirSync(index).filter((f) => /\.(sums|k-[0-9a-f]+)\.json$/.test(f));
    expect(pieces.length).toBeGreaterThan(1);
    const kept = new Map(pieces.map((f) => [f, JSON.parse(readFileSync(join(index, f), 'utf8')) as { id: string }]));
    for (const damage of [
      (f: string) => truncateSync(join(index, f), 50),
      // Another base's, with other sums: were it used, the figures would change.
      (f: string) =>
        writeFileSync(
          join(index, f),
          JSON.stringify({ ...kept.get(f), id: 'another base' }).replace(/,(\d{4,}),/g, ',1,'),
        ),
    ]) {
      for (const f of pieces) damage(f);
      expect(p.run(['eod']).code).toBe(0);
      expect(readFileSync(join(p.dir, 'docs', 'PROGRESS.md'), 'utf8')).toBe(progress);
    }
  });
});

describe("a Claude session's start", () => {
  /** Claude Code starting a session in the project: the SessionStart hook, as it runs it. */
  const sessionStart = (dir: string) => {
    const r = spawnSync(process.execPath, [join(dirname(cli), 'hook.cjs'), 'SessionStart'], {
      input: JSON.stringify({
        session_id: '0b0e3c5e-7a61-4d0e-9c1e-2f4a8d9b1c00',
        transcript_path: join(dir, 'no-transcript.jsonl'),
        cwd: dir,
        hook_event_name: 'SessionStart',
        source: 'startup',
      }),
      env: { ...process.env, CLAUDE_PROJECT_DIR: dir, HOME: join(dir, 'home'), TZ: 'UTC' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  };

  it('leaves the days to another process rolling up now, without waiting and without an error', () => {
    const p = ledgerProject({ devs: 1, days: 3, callsPerDay: 20, seed: 5 });
    const before = rawFiles(p).sort();
    const release = acquireLock(join(p.ledger, '.rollup.lock'));
    try {
      const started = Date.now();
      sessionStart(p.dir);
      expect(Date.now() - started).toBeLessThan(4000); // not the lock's 5 s wait
      expect(rawFiles(p).sort()).toEqual(before);
    } finally {
      release();
    }
    expect(p.run(['doctor']).stdout).toContain('✓ no hook errors logged');
    sessionStart(p.dir);
    expect(rawFiles(p)).toEqual([]);
    expectExact(p.costJson(), p.expected);
  });

  it('begins no folder once its time budget is spent: the oldest first, the rest left for the next start', () => {
    const p = ledgerProject({ devs: 1, days: 5, callsPerDay: 20, seed: 9 });
    const folders = () => [...new Set(rawFiles(p).map((f) => f.slice(0, 10)))].sort();
    const before = folders();
    let t = 0;
    const ticking = () => (t += 600); // each look at the clock: 0.6 s later
    const options = { now: Date.now(), budgetMs: 1000, clock: ticking };
    rollUpLedger(p.ledger, options);
    expect(folders()).toEqual(before.slice(1)); // begun at 0.6 s; at 1.2 s the next is not
    rollUpLedger(p.ledger, { ...options, budgetMs: 1500 }); // two: at 0.6 and 1.2 s
    expect(folders()).toEqual(before.slice(3));
    expectExact(p.costJson(), p.expected);
  });

  it("a teammate's file of a long-over day, pulled after the last command and rolled up by a start: the session's turns count it", () => {
    const p = ledgerProject({ devs: 2, days: 3, callsPerDay: 20, seed: 33 });
    const day = readdirSync(p.ledger).sort()[0]!;
    const name = readdirSync(join(p.ledger, day)).sort()[0]!;
    const aside = join(p.dir, 'not-pulled-yet.jsonl');
    cpSync(join(p.ledger, day, name), aside);
    rmSync(join(p.ledger, day, name));
    expect(p.run(['cost']).code).toBe(0); // a command: every folder listed, and the listing kept for the turns
    cpSync(aside, join(p.ledger, day, name)); // the pull
    sessionStart(p.dir);
    expect(rawFiles(p)).toEqual([]); // every day rolled up, the pulled file with its day
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    const all = p.expected.total.get('all')!;
    for (let turn = 0; turn < 2; turn++) {
      const items = readIndexedLedger(p.ledger, index, 'UTC', { turn: true }).view.allTimeSums('all');
      const sum = (f: (i: (typeof items)[number]) => number) => items.reduce((n, i) => n + f(i), 0);
      expect({
        calls: sum((i) => i.calls),
        in: sum((i) => i.tokens.input),
        cr: sum((i) => i.tokens.cacheRead),
      }).toEqual({
        calls: all.calls,
        in: all.in,
        cr: all.cr,
      });
    }
    expectExact(p.costJson(), p.expected);
  });

  it('rolls up the oldest closed days a few at a time, each folder as compact rolls it up, every figure exact', () => {
    const p = ledgerProject({ devs: 2, days: 12, callsPerDay: 30, seed: 21 });
    const twin = `${p.dir}-twin`;
    cpSync(p.dir, twin, { recursive: true });
    const rawFolders = () => [...new Set(rawFiles(p).map((f) => f.slice(0, 10)))].sort();
    const before = rawFolders();
    expect(before.length).toBeGreaterThan(START_ROLLUP_FOLDERS);

    const waiting = () => /closed days not rolled up yet: (\d+) /.exec(p.run(['doctor']).stdout)?.[1];
    expect(waiting()).toBe(String(before.length));
    sessionStart(p.dir);
    expect(rawFolders()).toEqual(before.slice(START_ROLLUP_FOLDERS));
    // The start left the index's base for the next command (the live part had read the files it
    // rolled up): the session's turns read on from the base and the live part as they are.
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    expect(readIndexedLedger(p.ledger, index, 'UTC', { turn: true }).how).not.toBe('rebuilt');
    expect(readIndexedLedger(p.ledger, index, 'UTC').how).toBe('rebuilt'); // by the next command
    expect(waiting()).toBe(String(before.length - START_ROLLUP_FOLDERS));
    expectExact(p.costJson(), p.expected);

    for (let n = 0; n < 3 && rawFiles(p).length; n++) sessionStart(p.dir);
    expect(rawFiles(p)).toEqual([]);
    expect(waiting()).toBeUndefined();
    expect(cliIn(twin).run(['compact']).code).toBe(0);
    const files = rollupFiles(p);
    expect(files).toEqual(rollupFiles({ ledger: join(twin, 'docs', 'sessions', 'ledger') }));
    for (const f of files)
      expect(readFileSync(join(p.ledger, f), 'utf8')).toBe(
        readFileSync(join(twin, 'docs', 'sessions', 'ledger', f), 'utf8'),
      );
    expectExact(p.costJson(), p.expected);
  });
});
