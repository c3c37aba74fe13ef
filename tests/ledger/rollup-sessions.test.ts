/**
 * A rollup entry keeps one Claude session per raw file. What would lose a call's own session stays
 * raw instead, and every figure, per Claude session too, is the same before and after `compact`:
 * a file holding another session's usage (written by hand, or by an older version), and a closed
 * file whose call is attributed by a copy in another session's file that is still open (a fork's
 * parent), until that one closes. The expected figures are the ledger's own records, summed here.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../src/ledger/read-ledger.js';
import { ledgerProject, type LedgerProject } from './support/ledger-project.js';

/** Tokens per (Claude session, work session, task), from a full read of the ledger. */
function perSession(p: LedgerProject): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of readLedger(p.ledger).usage) {
    const key = `${i.cs}|${i.ws}|${i.spec}/${i.task}`;
    const t = i.tokens;
    out[key] = (out[key] ?? 0) + t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
  }
  return out;
}

const rawFiles = (p: LedgerProject) =>
  (readdirSync(p.ledger, { recursive: true }) as string[]).filter((f) => f.endsWith('.jsonl')).sort();

function callLine(fields: Record<string, unknown>): string {
  return JSON.stringify({ k: 'call', req: null, model: 'claude-sonnet-4-6', cw1h: 0, ...fields });
}

type TruthCall = LedgerProject['truth']['calls'][number];

/** A fork's copy of a call: at the call's time, under the fork's session, `extraOut` more output tokens. */
function forkCopy(
  call: TruthCall,
  fork: string,
  { extraOut, ws, req }: { extraOut: number; ws: string | null; req?: string | null },
): string {
  return callLine({
    msg: call.msg,
    ...(req === undefined ? {} : { req }),
    t: new Date(call.time).toISOString(),
    cs: fork,
    model: call.model,
    in: call.tokens.in,
    out: call.tokens.out + extraOut,
    cw5: call.tokens.cw5,
    cw1h: call.tokens.cw1h,
    cr: call.tokens.cr,
    ws,
    spec: call.spec,
    task: call.task,
  });
}

describe('compact keeps each call in its own Claude session', () => {
  it("leaves a closed file holding another Claude session's calls raw, and moves no figure", () => {
    const p = ledgerProject({ days: 2, seed: 21 });
    const other = p.truth.calls.find((c) => !c.gap)!;
    const day = new Date(other.time).toISOString().slice(0, 10);
    const handmade = join(day, 'cli-handmade.jsonl');
    writeFileSync(
      join(p.ledger, handmade),
      `${callLine({ msg: 'msg_handmade', t: new Date(other.time + 5).toISOString(), cs: other.cs, in: 3, out: 4, cw5: 5, cr: 6, ws: other.ws, spec: other.spec, task: '8.8' })}\n`,
    );
    const before = perSession(p);
    expect(before[`${other.cs}|${other.ws}|${other.spec}/8.8`]).toBe(18);
    const r = p.run(['compact']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain("Left raw: 1 closed file holding another Claude session's usage");
    expect(rawFiles(p)).toEqual([handmade]);
    expect(perSession(p)).toEqual(before);
    expect(p.costJson().totals.totalTokens).toBe(Object.values(before).reduce((a, b) => a + b, 0));
  });

  it("holds back a closed file whose call another session's open file attributes, until that one closes", () => {
    const p = ledgerProject({ days: 2, seed: 22 });
    const call = p.truth.calls.find((c) => !c.gap)!;
    const fork = '0f0f0f0f-1111-2222-3333-444455556666';
    const today = new Date().toISOString().slice(0, 10);
    mkdirSync(join(p.ledger, today), { recursive: true });
    const open = join(p.ledger, today, `${fork}.jsonl`);
    // The fork's copy of the call: fuller (the parent's was a placeholder), and bound to the fork's work.
    const copy = forkCopy(call, fork, { extraOut: 100, ws: 'fork-ws' });
    writeFileSync(open, `${copy}\n`);
    const before = perSession(p);
    expect(Object.keys(before).filter((k) => k.startsWith(`${fork}|fork-ws|`))).toHaveLength(1);
    const first = p.run(['compact']);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain('Left raw for now: 1 closed file sharing calls with another Claude session');
    const waiting = rawFiles(p).filter((f) => !f.startsWith(today));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toContain(call.cs);
    expect(perSession(p)).toEqual(before);
  });

  it('rolls a fork made the next day and its parent exactly, in one run and the next', () => {
    const p = ledgerProject({ days: 2, seed: 23 });
    const call = p.truth.calls.find((c) => !c.gap)!;
    const fork = '0f0f0f0f-1111-2222-3333-444455556667';
    const nextDay = new Date(call.time + 86_400_000).toISOString().slice(0, 10);
    mkdirSync(join(p.ledger, nextDay), { recursive: true });
    const copy = forkCopy(call, fork, { extraOut: 100, ws: 'fork-ws' });
    writeFileSync(join(p.ledger, nextDay, `${fork}.jsonl`), `${copy}\n`);
    const before = perSession(p);
    const first = p.run(['compact']);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(perSession(p)).toEqual(before);
    const second = p.run(['compact']); // the parent waited for the fork's rollup; now it goes too
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(rawFiles(p)).toEqual([]);
    expect(perSession(p)).toEqual(before);
  });

  it("rolls two files that each hold the copy attributing one of the other's calls, each call in its own session", () => {
    const p = ledgerProject({ days: 2, seed: 24 });
    const [m, n] = p.truth.calls.filter((c) => !c.gap && c.cs === p.truth.calls[0]!.cs);
    const fork = '0f0f0f0f-1111-2222-3333-444455556668';
    const nextDay = new Date(m!.time + 86_400_000).toISOString().slice(0, 10);
    mkdirSync(join(p.ledger, nextDay), { recursive: true });
    const rawCalls = readLedger(p.ledger).rawCalls;
    const reqOf = (msg: string) => rawCalls.get(msg)!.best.req; // the fork copies the parent's lines, request id and all
    // m: the fork's copy is fuller and attributes it (same time, both bound: the lower session id);
    // n: the fork's copy is unbound (a fork's copies of old calls are), so the parent's attributes it.
    writeFileSync(
      join(p.ledger, nextDay, `${fork}.jsonl`),
      `${forkCopy(m!, fork, { extraOut: 100, ws: 'fork-ws', req: reqOf(m!.msg!) })}\n${forkCopy(n!, fork, { extraOut: -1, ws: null, req: reqOf(n!.msg!) })}\n`,
    );
    const before = perSession(p);
    expect(Object.keys(before).filter((k) => k.startsWith(`${fork}|`))).toHaveLength(1);
    const r = p.run(['compact']);

    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(rawFiles(p)).toEqual([]);
    expect(perSession(p)).toEqual(before);
  });
});
