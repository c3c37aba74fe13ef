/**
 * Many hooks at once on one project, while transcripts grow: every API call lands in the ledger
 * once. Hooks run as real processes from the installed bundle, 16 at a time, on one Claude session
 * and on 16 sessions; a writer appends lines (some in two parts) between and during their runs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectExactTotals,
  expectWholeLedger,
  ledgerCallIds,
  makeReliabilityProject,
  removeProjects,
  toolUseInput,
  type HookRun,
  type ReliabilityProject,
} from './support/harness.js';
import { makeCalls, promptLine, seededRandom, writeGradually, type Call } from './support/transcript-lines.js';

afterAll(removeProjects);

const HOOKS = 16;
const WAVES = 2;

function expectAllExitedCleanly(runs: HookRun[]): void {
  expect(runs.map((r) => [r.code, r.signal, r.stdout, r.stderr])).toEqual(runs.map(() => [0, null, '', '']));
}

async function hooksInWaves(p: ReliabilityProject, sessionOf: (i: number) => string): Promise<HookRun[]> {
  const runs: HookRun[] = [];
  for (let wave = 0; wave < WAVES; wave++) {
    runs.push(
      ...(await Promise.all(
        Array.from({ length: HOOKS }, (_, i) => p.startHook('PostToolUse', toolUseInput(p, sessionOf(i))).done),
      )),
    );
  }
  return runs;
}

describe('16 hook processes at once', () => {
  it('on one Claude session while its transcript grows: each call lands once', async () => {
    const p = makeReliabilityProject();
    const session = randomUUID();
    const random = seededRandom(0x5e55);
    const calls = makeCalls('same', 150, random);
    p.appendLines(session, [promptLine(session, p.project)]);

    const [runs] = await Promise.all([
      hooksInWaves(p, () => session),
      writeGradually(
        p,
        calls.map((call) => ({ sessionId: session, call })),
        random,
      ),
    ]);
    expectAllExitedCleanly(runs);
    // One more hook after the writer stopped: the hooks alone captured everything.
    expectAllExitedCleanly([await p.startHook('PostToolUse', toolUseInput(p, session)).done]);
    expect(ledgerCallIds(p)).toEqual(new Set(calls.map((c) => c.id)));

    expectExactTotals(p, calls);
    expect(p.lockFiles()).toEqual([]);
    expect(p.ledgerFiles()).toHaveLength(1);
    expectWholeLedger(p);
    expect(p.hookLogText()).toBe(''); // a hook that finds the lock busy gives up quietly
  });

  it('on 16 Claude sessions of one project while their transcripts grow: each call lands once', async () => {
    const p = makeReliabilityProject();
    const sessions = Array.from({ length: HOOKS }, () => randomUUID());
    const random = seededRandom(0x16);
    const bySession = new Map<string, Call[]>(sessions.map((s, i) => [s, makeCalls(`s${i}`, 8, random)]));
    for (const s of sessions) p.appendLines(s, [promptLine(s, p.project)]);
    // Round-robin: every transcript grows a little at a time.
    const plan = [...Array(8).keys()].flatMap((k) =>
      sessions.map((sessionId) => ({ sessionId, call: bySession.get(sessionId)![k]! })),
    );

    const [runs] = await Promise.all([hooksInWaves(p, (i) => sessions[i]!), writeGradually(p, plan, random)]);
    expectAllExitedCleanly(runs);
    const all = [...bySession.values()].flat();
    expectExactTotals(p, all); // cost catches up on what the last hooks did not see
    expect(ledgerCallIds(p)).toEqual(new Set(all.map((c) => c.id)));
    expect(p.lockFiles()).toEqual([]);
    expect(p.ledgerFiles()).toHaveLength(HOOKS);
    expectWholeLedger(p);
    expect(p.hookLogText()).toBe(''); // a hook that finds the lock busy gives up quietly
  });
});
