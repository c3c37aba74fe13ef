import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { updateHistory, type HistoryView } from '../../src/history/update-history.js';
import { addTokens, zeroTokens, type TokenCounts } from '../../src/usage/tokens.js';
import { configDir, fixtureCase, session } from '../fixtures/transcripts/cases.js';
import { cliEnv, ensureBuilt, runCli, runCliAsync } from '../report/cli.js';
import { tempDir } from '../transcript/corpus.js';
import { assistantLine } from '../transcript/lines.js';

const PROJECT = '-home-dev-shop';

/** A writable copy of fixture cases merged into one fake ~/.claude, and an empty history store. */
function setup(...cases: string[]) {
  const root = tempDir('spec-session-history-');
  const config = path.join(root, 'claude-config');
  for (const name of cases) fs.cpSync(configDir(name), config, { recursive: true });
  const storeDir = path.join(root, 'store');
  const run = () => updateHistory({ configDirs: [config], storeDir });
  const transcript = (file: string) => path.join(config, 'projects', PROJECT, file);
  return { root, config, storeDir, run, transcript };
}

function totals(view: HistoryView): TokenCounts {
  const sum = zeroTokens();
  for (const row of view.rows) addTokens(sum, row.tokens);
  return sum;
}

const sumOf = (...parts: TokenCounts[]) => parts.reduce((a, b) => addTokens({ ...a }, b), zeroTokens());
const t = (input: number, output: number): TokenCounts => ({ ...zeroTokens(), input, output });
const NEW_CALL = `${assistantLine({ id: 'msg_new', usage: { input: 5000, output: 500 }, sessionId: session(1), timestamp: '2026-11-21T08:00:00.000Z' })}\n`;

describe('updateHistory: reads only new bytes', () => {
  it('a second run reads nothing and reports the same totals', async () => {
    const { run } = setup('per-block-lines', 'subagents-2.1');
    const first = await run();
    expect(totals(first)).toEqual(sumOf(fixtureCase('per-block-lines').totals, fixtureCase('subagents-2.1').totals));
    expect(first.filesRead).toBe(4);
    const second = await run();
    expect(second).toMatchObject({ bytesRead: 0, filesRead: 0 });
    expect(totals(second)).toEqual(totals(first));
  });

  it('an append is read, and only the appended bytes', async () => {
    const { run, transcript } = setup('per-block-lines', 'subagents-2.1');
    const before = totals(await run());
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    const after = await run();
    expect(after).toMatchObject({ bytesRead: Buffer.byteLength(NEW_CALL), filesRead: 1 });
    expect(totals(after)).toEqual(sumOf(before, t(5000, 500)));
  });

  it('a half-written line is not counted until it is complete, then counted once', async () => {
    const { run, transcript } = setup('per-block-lines');
    const file = transcript(`${session(1)}.jsonl`);
    await run();
    fs.appendFileSync(file, NEW_CALL.slice(0, 100));
    const partial = await run();
    expect(partial.bytesRead).toBe(0);
    expect(totals(partial)).toEqual(fixtureCase('per-block-lines').totals);
    fs.appendFileSync(file, NEW_CALL.slice(100));
    const complete = await run();
    expect(complete.bytesRead).toBe(Buffer.byteLength(NEW_CALL));
    expect(totals(complete)).toEqual(sumOf(fixtureCase('per-block-lines').totals, t(5000, 500)));
  });

  it('a transcript replaced by a rewritten copy (new inode) is re-read without counting anything twice', async () => {
    const { run, transcript } = setup('per-block-lines');
    const file = transcript(`${session(1)}.jsonl`);
    await run();
    fs.writeFileSync(`${file}.tmp`, fs.readFileSync(file, 'utf8') + NEW_CALL);
    fs.renameSync(`${file}.tmp`, file);
    expect(totals(await run())).toEqual(sumOf(fixtureCase('per-block-lines').totals, t(5000, 500)));
  });
});

describe('updateHistory: usage outlives the transcripts', () => {
  it('deleted transcripts keep their usage, whether or not anything else changed', async () => {
    const { run, transcript } = setup('per-block-lines', 'subagents-2.1');
    const all = totals(await run());
    fs.rmSync(transcript(session(14)), { recursive: true }); // the subagent files
    expect(totals(await run())).toEqual(all);
    fs.rmSync(transcript(`${session(14)}.jsonl`));
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    const view = await run();
    expect(totals(view)).toEqual(sumOf(all, t(5000, 500)));
    expect(Object.keys(view.sessions).sort()).toEqual([session(1), session(14)]);
  });
});

describe('updateHistory: crash safety', () => {
  it('a crash after appending calls.jsonl but before saving state.json still gives exact totals', async () => {
    const { run, transcript, storeDir } = setup('per-block-lines');
    await run();
    const stateBefore = fs.readFileSync(path.join(storeDir, 'state.json'));
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    await run();
    const callsAfterAppend = fs.statSync(path.join(storeDir, 'calls.jsonl')).size;
    fs.writeFileSync(path.join(storeDir, 'state.json'), stateBefore); // state.json never saw that append
    expect(callsAfterAppend).toBeGreaterThan((JSON.parse(stateBefore.toString()) as { callsBytes: number }).callsBytes);

    const recovered = await run();
    expect(recovered.bytesRead).toBe(Buffer.byteLength(NEW_CALL)); // the transcript bytes are read again
    expect(totals(recovered)).toEqual(sumOf(fixtureCase('per-block-lines').totals, t(5000, 500)));
    expect(totals(await run())).toEqual(totals(recovered));
  });

  it('bytes beyond callsBytes (a torn line, a stray call) are cut off, never counted', async () => {
    const { run, transcript, storeDir } = setup('per-block-lines');
    await run();
    const stray = JSON.stringify(['msg_stray', 'req_stray', Date.parse('2026-11-20T12:00:00Z'), 'claude-sonnet-4-5', session(1), null, 0, 0, 999_999, 1, 0, 0, 0, PROJECT]);
    fs.appendFileSync(path.join(storeDir, 'calls.jsonl'), `${stray}\n["msg_torn","req_to`);
    expect(totals(await run())).toEqual(fixtureCase('per-block-lines').totals); // nothing changed: the saved rows
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    expect(totals(await run())).toEqual(sumOf(fixtureCase('per-block-lines').totals, t(5000, 500)));
    expect(fs.readFileSync(path.join(storeDir, 'calls.jsonl'), 'utf8')).not.toContain('msg_stray');
  });

  describe('a real crash: the CLI killed (SIGKILL) halfway through appending calls.jsonl', () => {
    beforeAll(() => ensureBuilt());

    it('the next run gives exact totals', () => {
      const { root, config, transcript } = setup('per-block-lines');
      const env = cliEnv(root);
      const report = (extra: Record<string, string> = {}) => runCli(['report', 'daily', '--json', '--config-dir', config], { ...env, ...extra });
      expect(report().status).toBe(0);
      fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
      const killed = report({ SPEC_SESSION_FAULT: 'mid-ledger-append' });
      expect(killed.signal).toBe('SIGKILL');
      const after = report();
      expect(after.status).toBe(0);
      const json = JSON.parse(after.stdout) as { totals: { inputTokens: number; outputTokens: number } };
      expect(json.totals).toMatchObject({ inputTokens: 110 + 5000, outputTokens: 70 + 500 });
    });
  });
});

describe('updateHistory: concurrent runs', () => {
  it('two runs at once in one process both report exact totals, and so does the next', async () => {
    const { run, transcript } = setup('per-block-lines', 'subagents-2.1', 'calendar');
    const expected = sumOf(fixtureCase('per-block-lines').totals, fixtureCase('subagents-2.1').totals, fixtureCase('calendar').totals);
    const [a, b] = await Promise.all([run(), run()]);
    expect(totals(a)).toEqual(expected);
    expect(totals(b)).toEqual(expected);
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    const [c, d] = await Promise.all([run(), run()]);
    expect(totals(c)).toEqual(sumOf(expected, t(5000, 500)));
    expect(totals(d)).toEqual(sumOf(expected, t(5000, 500)));
    const last = await run();
    expect(last.bytesRead).toBe(0);
    expect(totals(last)).toEqual(sumOf(expected, t(5000, 500)));
  });

  describe('four CLI processes at once on a cold store', () => {
    beforeAll(() => ensureBuilt());

    it('every one prints the exact totals', async () => {
      const { root, config } = setup('per-block-lines', 'subagents-2.1', 'resumed-fork', 'calendar');
      const env = cliEnv(root);
      const results = await Promise.all(Array.from({ length: 4 }, () => runCliAsync(['report', 'monthly', '--json', '--config-dir', config], env)));
      const expected = { inputTokens: 110 + 1000 + 7000 + 10000, outputTokens: 70 + 102 + 700 + 1000 };
      for (const r of results) {
        expect(r.stderr).toBe('');
        expect((JSON.parse(r.stdout) as { totals: object }).totals).toMatchObject(expected);
      }
      const again = runCli(['report', 'monthly', '--json', '--config-dir', config], env);
      expect((JSON.parse(again.stdout) as { totals: object }).totals).toMatchObject(expected);
    });
  });
});
