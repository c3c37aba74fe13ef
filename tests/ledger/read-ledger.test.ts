import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../src/ledger/read-ledger.js';

const call = (msg: string, t: string, input: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    k: 'call',
    msg,
    req: `req_${msg}`,
    t,
    cs: 's1',
    model: 'claude-haiku-4-5',
    in: input,
    out: 0,
    cw5: 0,
    cw1h: 0,
    cr: 0,
    ws: 'w',
    spec: 'x',
    task: '1.1',
    ...extra,
  });

function ledger(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  for (const [name, lines] of Object.entries(files)) {
    mkdirSync(join(dir, name.split('/')[0]!), { recursive: true });
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  }
  return dir;
}

describe('the ledger fold', () => {
  it('counts a call once whatever the copies, taking the largest of each kind', () => {
    const dir = ledger({
      '2026-11-24/s1.jsonl': [
        call('m1', '2026-11-24T10:00:00Z', 100),
        call('m1', '2026-11-24T10:00:00Z', 90),
        '{"k":"call","torn',
      ],
      '2026-11-25/s2.jsonl': [
        call('m1', '2026-11-24T10:00:00Z', 100, { cs: 's2', ws: null, spec: null, task: null }),
        call('m2', '2026-11-25T09:00:00Z', 7),
      ],
    });
    const view = readLedger(dir);
    expect(view.usage.map((u) => [u.key, u.tokens.input, u.task])).toEqual([
      ['m1', 100, '1.1'],
      ['m2', 7, '1.1'],
    ]);
    expect(view.malformed).toBe(1);
  });

  it('folds cumulative gap records into segments, whatever the re-reads', () => {
    const gap = (cum: number, t: string, task: string) =>
      JSON.stringify({
        k: 'gap',
        id: `gap:s1:m:${cum}`,
        t,
        cs: 's1',
        model: 'm',
        in: cum,
        out: 0,
        cw5: 0,
        cw1h: 0,
        cr: 0,
        ws: 'w',
        spec: 'x',
        task,
      });
    const dir = ledger({
      '2026-11-25/s1.jsonl': [
        gap(100, '2026-11-25T10:00:00Z', '1.1'),
        gap(250, '2026-11-25T12:00:00Z', '1.2'),
        gap(250, '2026-11-25T12:00:00Z', '1.2'),
        gap(100, '2026-11-25T10:00:00Z', '1.1'),
      ],
    });
    const gaps = readLedger(dir).usage.filter((u) => u.kind === 'gap');
    expect(gaps.map((g) => [g.task, g.tokens.input])).toEqual([
      ['1.1', 100],
      ['1.2', 150],
    ]);
  });
});
