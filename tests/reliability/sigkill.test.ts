/**
 * Hooks killed with SIGKILL at random points (before reading stdin, while holding the lock, between
 * the ledger append and the cursor save, after finishing): nothing lost, nothing doubled, and a
 * lock left behind by a killed hook does not hold up the next one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  SESSION,
  expectExactTotals,
  expectWholeLedger,
  ledgerCallIds,
  makeReliabilityProject,
  removeProjects,
  toolUseInput,
} from './support/harness.js';
import { makeCalls, promptLine, seededRandom, sleep, type Call } from './support/transcript-lines.js';

afterAll(removeProjects);

const KILLS = 50;
const SEED = 0xdead;

describe('hooks killed with SIGKILL', () => {
  it(`${KILLS} kills at random points: totals exact, doctor works, the next hook is not held up`, async () => {
    const p = makeReliabilityProject();
    const random = seededRandom(SEED);
    p.appendLines(SESSION, [promptLine(SESSION, p.project)]);
    // PostToolUse only captures; Stop also loads the full library and reads the ledger, so it holds
    // the lock longer. Delays span a whole run of each on this machine (at least 0-150 ms), so kills
    // land before stdin is read, inside the lock, between ledger append and cursor save, and after exit.
    const input = (event: string) =>
      event === 'Stop' ? p.hookInput(SESSION, 'Stop', { stop_hook_active: false }) : toolUseInput(p, SESSION);
    const span: Record<string, number> = {};
    for (const event of ['PostToolUse', 'Stop'])
      span[event] = Math.max(150, Math.round((await p.startHook(event, input(event)).done).ms * 1.2));

    const calls: Call[] = [];
    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const batch = makeCalls(`kill${i}`, 1 + Math.floor(random() * 3), random, Date.UTC(2026, 0, 15, 10) + i * 60_000);
      p.appendCalls(SESSION, batch);
      calls.push(...batch);
      const event = random() < 0.25 ? 'Stop' : 'PostToolUse';
      const { child, done } = p.startHook(event, input(event));
      await sleep(Math.floor(random() * span[event]!));
      child.kill('SIGKILL');
      const run = await done;
      if (run.signal === 'SIGKILL') killed++;
      else expect(run.code, run.stderr).toBe(0); // finished before the kill
    }
    expect(killed).toBeGreaterThan(0);

    const next = await p.startHook('PostToolUse', toolUseInput(p, SESSION), { probe: true }).done;
    expect(next.code).toBe(0);
    // It captured everything itself (no cost catch-up yet), so no lock held it back past its timeout.
    expect(ledgerCallIds(p)).toEqual(new Set(calls.map((c) => c.id)));
    // A lock left by a killed hook is taken over on the second link(2), without waiting. The time is
    // the lock wait, measured inside the hook, so a slow machine does not fail the check.
    expect(next.locks).toHaveLength(1);
    expect(next.locks[0]!.attempts).toBeLessThanOrEqual(2);
    expect(next.locks[0]!.waitMs).toBeLessThan(2000);
    expect(p.hookLogText()).toBe('');
    expect(p.lockFiles().filter((f) => f.endsWith('.lock') && !f.includes('/index/'))).toEqual([]);

    expectExactTotals(p, calls);
    // A killed Stop hook may leave the ledger index's lock: the next read of the index takes it over.
    expect(p.lockFiles().filter((f) => f.endsWith('.lock'))).toEqual([]);
    expectWholeLedger(p);
    const doctor = p.specSession(['doctor']);
    expect(doctor.stdout).toContain('✓ no hook errors logged');
    expect(doctor.stdout).toContain(`ledger: ${calls.length} API calls, 0 work sessions\n`);
    expect(doctor.stdout).not.toContain('locks held now');
  }, 120_000); // 50 hook processes: generous on a loaded 2-core machine
});
