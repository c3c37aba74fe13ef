/**
 * Damaged input never changes a total: garbage transcript lines are skipped, a transcript line
 * still being written is left until its end arrives, and a ledger line torn by a crash stays one
 * malformed line (counted by doctor) without swallowing the records appended after it.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SESSION,
  expectExactTotals,
  ledgerCallIds,
  makeReliabilityProject,
  removeProjects,
} from './support/harness.js';
import { MODEL, callLines, makeCalls, promptLine, seededRandom } from './support/transcript-lines.js';

afterAll(removeProjects);

/** Lines a transcript can hold that carry no usable usage: each is skipped, none is fatal. */
const GARBAGE = [
  'this is not JSON but it mentions "usage" anyway',
  `{"type":"assistant","timestamp":"2026-01-15T09:00:00.000Z","message":{"id":"msg_bad_counts","model":"${MODEL}","usage":{"input_tokens":"lots","output_tokens":-5}}}`,
  '{"type":"assistant","message":{"usage":{"input_tokens":10}}}',
  `{"type":"assistant","timestamp":"2026-01-15T09:00:00.000Z","message":{"id":"msg_cut","model":"${MODEL}","usage":{"input_tokens":10,"outp`,
  '\u0000\u0001\u0002 binary "usage" \u00ff',
  '[1,2,"usage"]',
  '{"type":"user","message":{"role":"user","content":"what is my \\"usage\\"?"}}',
  '',
];

describe('corrupt and truncated lines', () => {
  it('garbage, a half-written last line and a torn ledger line: totals exact, doctor counts the torn line', async () => {
    const p = makeReliabilityProject();
    const [a, b, c, d, e] = makeCalls('dmg', 5, seededRandom(3));
    const lines = (call: typeof a) => callLines(call!, SESSION, p.project);
    p.appendLines(SESSION, [promptLine(SESSION, p.project), ...lines(a), ...GARBAGE, ...lines(b)]);
    // A crash mid-line in the middle of the file: Claude Code went on with the next line.
    p.appendLines(SESSION, [lines(e).at(-1)!.slice(0, 300)]);
    // C's first line is still being written: no newline yet.
    const [cFirst, ...cRest] = lines(c);
    const cut = Math.floor(cFirst!.length / 2);
    appendFileSync(p.transcriptPath(SESSION), cFirst!.slice(0, cut));

    expect((await p.runHook('PostToolUse')).code).toBe(0);
    expect(ledgerCallIds(p)).toEqual(new Set([a!.id, b!.id]));
    expectExactTotals(p, [a!, b!]);

    appendFileSync(p.transcriptPath(SESSION), `${cFirst!.slice(cut)}\n`);
    p.appendLines(SESSION, [...cRest, ...lines(d)]);
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    expect(ledgerCallIds(p)).toEqual(new Set([a!.id, b!.id, c!.id, d!.id]));

    // A crash tore the ledger's last line; the next append must start on a line of its own.
    const [ledger] = p.ledgerFiles();
    appendFileSync(ledger!, '{"k":"call","msg":"msg_torn","req":"req_torn","t":"2026-01-15T');
    p.appendCalls(SESSION, [e!]);
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    const ledgerLines = readFileSync(ledger!, 'utf8').split('\n');
    const torn = ledgerLines.findIndex((l) => l.includes('msg_torn'));
    expect(ledgerLines[torn]).toBe('{"k":"call","msg":"msg_torn","req":"req_torn","t":"2026-01-15T');
    expect(JSON.parse(ledgerLines[torn + 1]!)).toMatchObject({ k: 'call', msg: e!.id });

    expectExactTotals(p, [a!, b!, c!, d!, e!]);
    expect(p.hookLogText()).toBe('');
    const doctor = p.specSession(['doctor']).stdout;
    expect(doctor).toContain('ledger: 5 API calls, 0 work sessions, 1 malformed lines skipped\n');
    expect(doctor).toContain('✓ no hook errors logged');
  });
});
