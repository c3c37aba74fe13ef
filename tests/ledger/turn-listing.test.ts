/**
 * A read at every turn (the Stop hook, the statusline) lists the recent day folders only: the long
 * over ones come from the last full listing, so a turn does not cost a folder per day of history.
 * What it shows must stay exact: new records in recent folders are seen at once, a rollup made by
 * another process meanwhile changes no figure, and a file that reaches an old folder by hand (as a
 * pull brings it) is counted by the next full read, and by every turn after it (a turn before that
 * may not list it yet: every command lists in full).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { ledgerProject } from './support/ledger-project.js';

const inputOf = (view: LedgerView) => view.usage.reduce((sum, item) => sum + item.tokens.input, 0);

const call = (msg: string, t: string, input: number) =>
  `${JSON.stringify({ k: 'call', msg, req: `req_${msg}`, t, cs: msg, model: 'claude-sonnet-4-6', in: input, out: 0, cw5: 0, cw1h: 0, cr: 0, ws: null, spec: null, task: null })}\n`;

describe('the listing of a read at every turn', () => {
  it('sees new files in recent folders at once, stays exact through a rollup, and catches up on old folders at the next full read', () => {
    const p = ledgerProject({ days: 3, callsPerDay: 40 });
    const index = mkdtempSync(join(tmpdir(), 'index-'));
    const full = () => readIndexedLedger(p.ledger, index, 'UTC').view;
    const turn = () => readIndexedLedger(p.ledger, index, 'UTC', { turn: true }).view;
    const all = p.expected.total.get('all')!.in;
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const old = readdirSync(p.ledger)
      .filter((d) => /^\d{4}-/.test(d))
      .sort()[0]!;
    expect(old < new Date(now - 5 * 86_400_000).toISOString().slice(0, 10)).toBe(true);

    mkdirSync(join(p.ledger, today));
    writeFileSync(join(p.ledger, today, 'first.jsonl'), call('first', new Date(now).toISOString(), 1));
    expect(inputOf(full())).toBe(all + 1); // a full listing: remembered for the turns
    writeFileSync(join(p.ledger, today, 'second.jsonl'), call('second', new Date(now).toISOString(), 10));
    expect(inputOf(turn())).toBe(all + 11); // today's folder is listed at every turn
    appendFileSync(join(p.ledger, today, 'first.jsonl'), call('third', new Date(now).toISOString(), 1000));
    expect(inputOf(turn())).toBe(all + 1011); // and its files read on from where they were

    expect(p.run(['compact']).code).toBe(0); // another process rolls the old days up: their raw files go
    expect(inputOf(turn())).toBe(all + 1011);
    expect(inputOf(full())).toBe(all + 1011);

    writeFileSync(join(p.ledger, old, 'pulled.jsonl'), call('pulled', `${old}T12:00:00.000Z`, 100));
    expect(inputOf(full())).toBe(all + 1111);
    expect(inputOf(turn())).toBe(all + 1111);

    // The remembered listing is a cache like the rest of the index: torn or gone, a turn lists in full.
    writeFileSync(join(p.ledger, old, 'pulled-2.jsonl'), call('pulled-2', `${old}T13:00:00.000Z`, 10_000));
    const memo = join(index, 'ledger-listing.json');
    writeFileSync(memo, readFileSync(memo, 'utf8').slice(0, 20));
    expect(inputOf(turn())).toBe(all + 11_111);
    rmSync(memo);
    expect(inputOf(turn())).toBe(all + 11_111);
  });
});
