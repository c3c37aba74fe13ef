/**
 * A damaged ledger never lowers a figure silently: every report that left lines out says so in
 * one line (and JSON outputs carry the count), and doctor says where they are.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerProject } from './support/ledger-project.js';

describe('four hand-corrupted ledger lines', () => {
  const p = ledgerProject({ days: 1, devs: 1, callsPerDay: 60 });
  const day = readdirSync(p.ledger)[0]!;
  const file = readdirSync(join(p.ledger, day)).find((f) => !f.startsWith('cli-'))!;
  const rel = `${day}/${file}`;
  const lines = readFileSync(join(p.ledger, rel), 'utf8').split('\n');
  const msg = (l: string) => /"msg":"([^"]+)"/.exec(l)?.[1];
  const once = (l: string) => lines.filter((other) => msg(other) === msg(l)).length === 1; // no other copy of the call
  const broken = lines
    .map((l, i) => (l.includes('"k":"call"') && once(l) ? i : -1))
    .filter((i) => i >= 0)
    .slice(3, 7);
  const lost = broken.reduce((sum, i) => {
    const r = JSON.parse(lines[i]!) as { in: number; out: number; cw5: number; cw1h: number; cr: number };
    return sum + r.in + r.out + r.cw5 + r.cw1h + r.cr;
  }, 0);
  const before = p.costJson().totals.totalTokens;
  for (const i of broken) lines[i] = lines[i]!.replace('"k":"call"', '"k":"call"oops');
  writeFileSync(join(p.ledger, rel), lines.join('\n'));
  const note = /^⚠ 4 ledger lines could not be read and are left out: run spec-session doctor to see where$/m;

  it('cost, cost --json, session-status, eod and export say so', () => {
    const json = p.costJson();
    expect(before - json.totals.totalTokens).toBe(lost); // the figures leave them out...
    expect(json).toMatchObject({ skippedLedgerLines: 4, unreadableLedgerFiles: [] }); // ...and say so
    expect(p.run(['cost', 'all']).stdout).toMatch(note);
    expect(p.run(['session-status']).stdout).toMatch(note);
    const eod = p.run(['eod', '--date', day]).stdout;
    expect(eod).toMatch(note);
    // Its day is closed, but a file with unreadable lines is not rolled up: the lines stay where they are.
    expect(eod).toContain(
      '⚠ Ledger: 1 closed file left raw: it holds lines that could not be read (spec-session doctor shows where)',
    );
    expect(readFileSync(join(p.ledger, rel), 'utf8')).toBe(lines.join('\n'));
    const csv = p.run(['export', '--format', 'csv']);
    expect(csv.stderr).toMatch(/^spec-session export: ⚠ 4 ledger lines could not be read/);
    expect(csv.stdout.startsWith('timestamp,')).toBe(true);
  });

  it('doctor names each line', () => {
    const doctor = p.run(['doctor']).stdout;
    for (const i of broken) expect(doctor).toContain(`    skipped: ${rel}:${i + 1}\n`);
  });
});
