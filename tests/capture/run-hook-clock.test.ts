/**
 * The hook takes its clock from its caller: every time it writes (the ledger file's day, an end
 * record) comes from the injected `now`, so a test can place a session on any day.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHook, type HeavyHooks } from '../../src/capture/run-hook.js';

const project = mkdtempSync(join(tmpdir(), 'spec-session-hook-clock-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));
mkdirSync(join(project, '.claude', 'spec-session'), { recursive: true }); // an installed project's root
const transcript = join(project, 'transcript.jsonl');
writeFileSync(transcript, '');

const SESSION = '22222222-3333-4444-8555-666666666666';
const PINNED = '2031-02-03T04:05:06.000Z';
const noHeavyHooks = (): HeavyHooks => {
  throw new Error('SessionEnd needs no heavy hooks');
};

describe('runHook with an injected clock', () => {
  it('SessionEnd: the ledger file is in the pinned day and its end record carries the pinned time', () => {
    const stdin = JSON.stringify({
      session_id: SESSION,
      transcript_path: transcript,
      cwd: project,
      hook_event_name: 'SessionEnd',
      reason: 'exit',
    });
    expect(runHook(stdin, 'SessionEnd', noHeavyHooks, () => Date.parse(PINNED))).toBeUndefined();
    const ledger = join(project, 'docs', 'sessions', 'ledger');
    expect(readdirSync(ledger)).toEqual(['2031-02-03']);
    const lines = readFileSync(join(ledger, '2031-02-03', `${SESSION}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([{ k: 'end', t: PINNED, cs: SESSION, why: 'exit' }]);
  });
});
