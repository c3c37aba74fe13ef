/**
 * A Claude session's lock (`state/claude-sessions/<session>.json.lock`) left behind or held: a dead
 * owner's lock is taken over at once, a live owner's after it goes stale, and a hook that cannot
 * get a fresh live lock gives up fast (exit 0) and leaves the work to the next hook or report.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  SESSION,
  expectExactTotals,
  ledgerCallIds,
  makeReliabilityProject,
  removeProjects,
  toolUseInput,
  type HookRun,
  type ReliabilityProject,
} from './support/harness.js';
import { makeCalls, promptLine, seededRandom } from './support/transcript-lines.js';

afterAll(removeProjects);

const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
    }
  }
});

/** A live process that is not a hook: `sleep 30`. */
async function liveProcess(): Promise<ChildProcess> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  started.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('close', resolve)); // reaped: no zombie that still looks alive
}

/** A pid that was running a moment ago and is not now. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** The lock file as src/store/lock.ts writes it, owned by `pid`, with its mtime `ageMs` ago. */
function leaveLock(p: ReliabilityProject, pid: number, ageMs = 0, content?: string): string {
  mkdirSync(p.sessionsStateDir, { recursive: true });
  const lock = join(p.sessionsStateDir, `${SESSION}.json.lock`);
  writeFileSync(lock, content ?? JSON.stringify({ pid, host: hostname(), nonce: '0123456789abcdef' }));
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(lock, at, at);
  return lock;
}

/** The hook's first link(2) met the old lock, its second took it: no waiting (measured in the hook). */
function expectTakenOverAtOnce(run: HookRun): void {
  expect(run.locks).toEqual([
    { lock: expect.stringMatching(/claude-sessions\/.+\.json\.lock$/), attempts: 2, waitMs: expect.any(Number) },
  ]);
  expect(run.locks[0]!.waitMs).toBeLessThan(2000);
}

function projectWithCalls() {
  const p = makeReliabilityProject();
  const calls = makeCalls('lock', 4, seededRandom(4));
  p.appendLines(SESSION, [promptLine(SESSION, p.project)]);
  p.appendCalls(SESSION, calls);
  return { p, calls, ids: new Set(calls.map((c) => c.id)) };
}

describe('locks left or held by other processes', () => {
  it.each([
    ['owner process is dead', () => ({ pid: deadPid(), ageMs: 0 })],
    ['owner process is dead, lock 10 minutes old', () => ({ pid: deadPid(), ageMs: 600_000 })],
  ])('recovered at once: %s', async (_, owner) => {
    const { p, calls, ids } = projectWithCalls();
    const { pid, ageMs } = owner();
    leaveLock(p, pid, ageMs);
    const run = await p.runHook('PostToolUse', undefined, { probe: true });
    expect(run.code).toBe(0);
    expectTakenOverAtOnce(run);
    expect(ledgerCallIds(p)).toEqual(ids); // captured by this hook, not by a later catch-up
    expect(p.hookLogText()).toBe('');
    expect(p.lockFiles()).toEqual([]);
    expectExactTotals(p, calls);
  });

  it('a hook SIGKILLed while it holds the lock: the next hook takes the lock over at once', async () => {
    const { p, calls, ids } = projectWithCalls();
    // The hook kills itself (SIGKILL, as kill -9 or a power cut would) inside the lock, before it appends.
    const stuck = p.startHook('PostToolUse', toolUseInput(p, SESSION), {
      env: { SPEC_SESSION_FAULT: 'before-ledger-append' },
    });
    expect((await stuck.done).signal).toBe('SIGKILL');
    const lock = join(p.sessionsStateDir, `${SESSION}.json.lock`);
    expect(p.lockFiles()).toContain(lock); // left behind, owned by a dead pid

    const run = await p.runHook('PostToolUse', undefined, { probe: true });
    expect(run.code).toBe(0);
    expectTakenOverAtOnce(run);
    expect(ledgerCallIds(p)).toEqual(ids);
    expect(p.hookLogText()).toBe('');
    expect(p.lockFiles()).toEqual([]);
    expectExactTotals(p, calls);
  });

  it.each([
    ['owned by a live process', undefined],
    ['with unreadable content', 'not json'],
  ])('a lock %s, older than the stale threshold (30 s), is taken over', async (_, content) => {
    const { p, calls, ids } = projectWithCalls();
    const live = await liveProcess();
    leaveLock(p, live.pid!, 60_000, content);
    const run = await p.runHook('PostToolUse', undefined, { probe: true });
    expect(run.code).toBe(0);
    expectTakenOverAtOnce(run);
    expect(ledgerCallIds(p)).toEqual(ids);
    expect(p.hookLogText()).toBe('');
    expect(p.lockFiles()).toEqual([]);
    expectExactTotals(p, calls);
  });

  it('a fresh lock of a live process: the hook gives up fast (exit 0), a later report catches up', async () => {
    const { p, calls, ids } = projectWithCalls();
    const live = await liveProcess();
    leaveLock(p, live.pid!);
    const run = await p.runHook('PostToolUse', undefined, { probe: true });
    expect(run).toMatchObject({ code: 0, signal: null, stdout: '', stderr: '', locks: [] });
    expect(run.ms).toBeGreaterThanOrEqual(1500); // it waited its lock timeout (1.5 s), not the 30 s to staleness
    expect(run.ms).toBeLessThan(10_000);
    expect(ledgerCallIds(p)).toEqual(new Set());
    // Given up quietly: a lock held this briefly is normally a sibling hook capturing the same bytes.
    expect(p.hookLogText()).toBe('');
    expect(p.specSession(['doctor']).stdout).toContain('locks held now: 1');

    await stop(live);
    expectExactTotals(p, calls);
    expect(ledgerCallIds(p)).toEqual(ids);
    expect(p.lockFiles()).toEqual([]);
  });
});
