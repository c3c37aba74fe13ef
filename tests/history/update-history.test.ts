import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_ROW } from '../../src/history/calendar.js';
import { updateHistory, type HistoryView } from '../../src/history/update-history.js';
import { addTokens, zeroTokens, type TokenCounts } from '../../src/usage/tokens.js';
import { configDir, fixtureCase, session } from '../fixtures/transcripts/cases.js';
import { cliEnv, ensureBuilt, REPO, runCli, runCliAsync } from '../report/cli.js';
import { tempDir } from '../transcript/corpus.js';
import { assistantLine } from '../transcript/lines.js';

interface TokenFields {
  inputTokens: number;
  outputTokens: number;
}

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
  for (const s of Object.values(view.summary().sessions)) {
    for (const r of s.rows)
      addTokens(sum, { input: r[4]!, output: r[5]!, cacheWrite5m: r[6]!, cacheWrite1h: r[7]!, cacheRead: r[8]! });
    for (const g of s.gaps)
      addTokens(sum, { input: g[2], output: g[3], cacheWrite5m: g[4], cacheWrite1h: g[5], cacheRead: g[6] });
  }
  return sum;
}

/** What daily, weekly and monthly reports print from. */
function calendarTotals(view: HistoryView): TokenCounts {
  const sum = zeroTokens();
  const r = view.calendar().rows;
  for (let i = 0; i < r.length; i += CALENDAR_ROW)
    addTokens(sum, {
      input: r[i + 5]!,
      output: r[i + 6]!,
      cacheWrite5m: r[i + 7]!,
      cacheWrite1h: r[i + 8]!,
      cacheRead: r[i + 9]!,
    });
  return sum;
}

const sumOf = (...parts: TokenCounts[]) => parts.reduce((a, b) => addTokens(a, b), zeroTokens());
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
    expect(Object.keys(view.summary().sessions).sort()).toEqual([session(1), session(14)]);
  });
});

describe('updateHistory: crash safety', () => {
  /** The one store inside the history folder (one per set of config dirs). */
  const storeOf = (storeDir: string) => path.join(storeDir, fs.readdirSync(storeDir)[0]!);

  it('an update that died after writing the call buckets but before summary.json and files.json: exact totals next time', async () => {
    const { run, transcript, storeDir } = setup('per-block-lines', 'subagents-2.1');
    await run();
    const store = storeOf(storeDir);
    // The summary's index and shards, and the cursors.
    const saved = fs.readdirSync(store).filter((f) => /^(summary|files)[^/]*\.json$/.test(f));
    const before = new Map(saved.map((f) => [f, fs.readFileSync(path.join(store, f))]));
    expect(saved.length).toBeGreaterThan(16);
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    await run();
    // As if the process died there: new buckets, old summary and cursors, and the update's marker.
    for (const [f, bytes] of before) fs.writeFileSync(path.join(store, f), bytes);
    fs.writeFileSync(path.join(store, 'dirty'), '1\n');

    const recovered = await run();
    expect(recovered.bytesRead).toBe(Buffer.byteLength(NEW_CALL)); // the transcript bytes are read again
    const expected = sumOf(fixtureCase('per-block-lines').totals, fixtureCase('subagents-2.1').totals, t(5000, 500));
    expect(totals(recovered)).toEqual(expected);
    expect(fs.existsSync(path.join(store, 'dirty'))).toBe(false);
    expect(totals(await run())).toEqual(expected);
  });

  it('a damaged call bucket is set aside, and rebuilt from the transcripts still on disk when an update needs it', async () => {
    const { run, storeDir, transcript } = setup('per-block-lines', 'calendar');
    const all = totals(await run());
    const buckets = path.join(storeOf(storeDir), 'calls');
    for (const name of fs.readdirSync(buckets)) fs.writeFileSync(path.join(buckets, name), '{"models":["torn');
    expect(totals(await run())).toEqual(all); // nothing new: the summary answers, no bucket is read
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    expect(totals(await run())).toEqual(sumOf(all, t(5000, 500)));
    expect(fs.readdirSync(buckets).filter((f) => f.includes('.damaged-')).length).toBeGreaterThan(0);
    expect(totals(await run())).toEqual(sumOf(all, t(5000, 500)));
  });

  it('calls with other request ids and copies without one are read back from their buckets as they were written', async () => {
    const { config, storeDir } = setup('missing-request-id', 'two-request-ids');
    const run = () => updateHistory({ configDirs: [config], storeDir, calls: true });
    const first = (await run()).calls();
    const buckets = path.join(storeOf(storeDir), 'calls');
    const text = fs
      .readdirSync(buckets)
      .map((f) => fs.readFileSync(path.join(buckets, f), 'utf8'))
      .join('');
    expect(text).toContain('{"a":'); // a call's copies without a requestId, beside its own
    expect(text).toMatch(/"m":\{"req_/); // another request id of the same message
    const again = (await run()).calls(); // read from the buckets, nothing new
    const rows = (t: typeof first) => Array.from({ length: t.size }, (_, i) => [t.id(i), t.tokens(i)]);
    expect(rows(again)).toEqual(rows(first));
    expect(fs.readdirSync(buckets).filter((f) => f.includes('.damaged-'))).toEqual([]);
  });

  it.each([
    ['torn', '{"models":["torn'],
    ['of another shape', '{"models":[],"sessions":[],"projects":[],"calls":[["msg_1",0,7]]}'],
  ])(
    'every call asked for (report blocks) with the call buckets %s: set aside and rebuilt, the same calls',
    async (_, text) => {
      const { config, storeDir } = setup('per-block-lines', 'calendar');
      const run = () => updateHistory({ configDirs: [config], storeDir, calls: true });
      const callTotals = (view: HistoryView) => {
        const table = view.calls();
        const sum = zeroTokens();
        for (let i = 0; i < table.size; i++) addTokens(sum, table.tokens(i));
        return { calls: table.size, tokens: sum };
      };
      const all = callTotals(await run());
      expect(all.calls).toBeGreaterThan(0);
      const buckets = path.join(storeOf(storeDir), 'calls');
      for (const name of fs.readdirSync(buckets)) fs.writeFileSync(path.join(buckets, name), text);
      expect(callTotals(await run())).toEqual(all); // nothing new: the buckets are read, and rebuilt
      expect(fs.readdirSync(buckets).filter((f) => f.includes('.damaged-')).length).toBeGreaterThan(0);
      expect(callTotals(await run())).toEqual(all);
    },
  );

  it.each([
    ['deleted', (file: string) => fs.rmSync(file)],
    ['torn', (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
  ])(
    'a summary shard %s: the same totals with nothing new and after a new call (rebuilt from the buckets)',
    async (_, damage) => {
      const { run, storeDir, transcript } = setup('per-block-lines', 'subagents-2.1', 'calendar');
      const all = totals(await run());
      const store = storeOf(storeDir);
      const shards = fs.readdirSync(store).filter((f) => /^summary-[0-9a-f]\.json$/.test(f));
      expect(shards).toHaveLength(16);
      for (const f of shards) if (fs.statSync(path.join(store, f)).size > 2) damage(path.join(store, f));
      expect(totals(await run())).toEqual(all); // nothing new: report session reads every shard
      for (const f of shards)
        if (fs.statSync(path.join(store, f), { throwIfNoEntry: false })?.size !== 2) damage(path.join(store, f));
      fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
      expect(totals(await run())).toEqual(sumOf(all, t(5000, 500)));
      expect(totals(await run())).toEqual(sumOf(all, t(5000, 500)));
    },
  );

  it('a shard torn that an update does not touch: the session report after it still has every session, exact', async () => {
    const { run, storeDir, transcript } = setup('per-block-lines', 'subagents-2.1');
    const all = totals(await run());
    // session(1) is in shard 1, session(14) in shard c: the new call loads and writes shard 1 only.
    fs.writeFileSync(path.join(storeOf(storeDir), 'summary-c.json'), '{"torn');
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    const view = await run();
    expect(Object.keys(view.summary().sessions).sort()).toEqual([session(1), session(14)]);
    expect(totals(view)).toEqual(sumOf(all, t(5000, 500)));
  });

  it.each([
    ['deleted', (file: string) => fs.rmSync(file)],
    ['torn', (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
  ])('the calendar %s: the same daily totals with nothing new and after a new call', async (_, damage) => {
    const { run, storeDir, transcript } = setup('per-block-lines', 'subagents-2.1', 'calendar');
    const all = calendarTotals(await run());
    expect(all).toEqual(totals(await run()));
    const file = path.join(storeOf(storeDir), 'calendar.bin');
    damage(file);
    expect(calendarTotals(await run())).toEqual(all);
    damage(file);
    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    expect(calendarTotals(await run())).toEqual(sumOf(all, t(5000, 500)));
    expect(calendarTotals(await run())).toEqual(sumOf(all, t(5000, 500)));
  });

  it.each([
    [5, 'files.json v5, one summary.json, calendar.json'],
    [6, 'files.json v6: extras as one JSON array'],
  ])('a store of an earlier layout (%i: %s): its cursors are kept, the rest rebuilt, exact totals', async (version) => {
    const { run, storeDir, transcript, config, root } = setup('per-block-lines', 'subagents-2.1', 'calendar');
    fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'real-2.1.331', 'compaction', 'claude-config'), config, {
      recursive: true,
    });
    const all = totals(await run());
    const store = storeOf(storeDir);
    // Written back as earlier builds wrote them. v6: the extras a JSON array of texts; v5: one
    // object by position, no names column, one summary.json and calendar.json.
    const files = JSON.parse(fs.readFileSync(path.join(store, 'files.json'), 'utf8'));
    expect(files.version).toBe(7);
    const texts = fs.readFileSync(path.join(store, files.extras), 'utf8').split('\n'); // a line a file
    expect(texts.length).toBe(files.path.length);
    const extras = Object.fromEntries(texts.flatMap((x, i) => (x ? [[i, JSON.parse(x)]] : [])));
    expect(Object.keys(extras).length).toBeGreaterThan(3);
    if (version === 6) {
      fs.writeFileSync(path.join(store, files.extras), JSON.stringify(texts));
      fs.writeFileSync(path.join(store, 'files.json'), JSON.stringify({ ...files, version: 6 }));
    } else {
      fs.writeFileSync(path.join(store, files.extras), JSON.stringify(extras));
      delete files.names;
      fs.writeFileSync(path.join(store, 'files.json'), JSON.stringify({ ...files, version: 5 }));
      for (const f of fs.readdirSync(store)) if (/^summary-|^calendar\.bin$/.test(f)) fs.rmSync(path.join(store, f));
      fs.writeFileSync(path.join(store, 'summary.json'), JSON.stringify({ version: 2, models: [], sessions: {} }));
      fs.writeFileSync(path.join(store, 'calendar.json'), JSON.stringify({ version: 2, models: [], rows: [] }));
    }

    fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
    const upgraded = await run();
    expect(upgraded.bytesRead).toBe(Buffer.byteLength(NEW_CALL)); // no transcript read again
    expect(totals(upgraded)).toEqual(sumOf(all, t(5000, 500)));
    expect(calendarTotals(upgraded)).toEqual(sumOf(all, t(5000, 500)));
    expect(fs.existsSync(path.join(store, 'calendar.json'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(store, 'files.json'), 'utf8')).version).toBe(7);
    expect(calendarTotals(await run())).toEqual(sumOf(all, t(5000, 500)));
    // Versions and cost-state gaps (which come from the files' extras) as a new store has them.
    const cold = await updateHistory({ configDirs: [config], storeDir: path.join(root, 'cold') });
    const known = (v: HistoryView) =>
      Object.entries(v.summary().sessions)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([s, e]) => [s, e.versions, e.costState, e.gaps.map((g) => g.slice(2))]);
    expect(known(upgraded)).toEqual(known(cold));
    expect(known(cold).filter(([, , costState]) => costState).length).toBeGreaterThan(0);
    // The extras written whole on the upgrade carry on: a later call in the compacted session is
    // held to its cost-state snapshots as a new store holds it.
    const compacted = '00000000-0000-4000-8000-000000000004';
    const [main] = (fs.readdirSync(path.join(config, 'projects'), { recursive: true }) as string[]).filter((f) =>
      f.endsWith(`${compacted}.jsonl`),
    );
    // One more call, then Claude Code's count, 1,000 input tokens above what the lines show.
    const file = path.join(config, 'projects', main!);
    const lastCount = JSON.parse(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"type":"cost-state"'))
        .at(-1)!,
    );
    const usage = lastCount.modelUsage['claude-opus-5-5'];
    usage.inputTokens += 7 + 1000;
    usage.outputTokens += 70;
    fs.appendFileSync(
      file,
      `${assistantLine({ id: 'msg_later', model: 'claude-opus-5-5', usage: { input: 7, output: 70 }, sessionId: compacted, timestamp: '2026-11-25T07:00:00.000Z' })}\n${JSON.stringify(lastCount)}\n`,
    );
    const later = await run();
    expect(later.bytesRead).toBeGreaterThan(0);
    expect(known(later)).toEqual(
      known(await updateHistory({ configDirs: [config], storeDir: path.join(root, 'cold-later') })),
    );
  });

  it('the id index lost: the next update rebuilds it from the buckets and still counts a copy once', async () => {
    const { run, transcript, storeDir } = setup('per-block-lines');
    await run();
    fs.rmSync(path.join(storeOf(storeDir), 'ids.hash'));
    // A fork's copy of every earlier line (another session id), in a new file: all of it already counted.
    const fork = fs
      .readFileSync(transcript(`${session(1)}.jsonl`), 'utf8')
      .split(session(1))
      .join(session(99));
    fs.writeFileSync(transcript(`${session(99)}.jsonl`), fork);
    expect(totals(await run())).toEqual(fixtureCase('per-block-lines').totals);
  });

  describe('a real crash: the CLI killed (SIGKILL) between writing call buckets and the summary', () => {
    beforeAll(() => ensureBuilt());

    it('the next run gives exact totals', () => {
      const { root, config, transcript } = setup('per-block-lines');
      const env = cliEnv(root);
      const report = (extra: Record<string, string> = {}) =>
        runCli(['report', 'daily', '--json', '--config-dir', config], { ...env, ...extra });
      expect(report().status).toBe(0);
      fs.appendFileSync(transcript(`${session(1)}.jsonl`), NEW_CALL);
      const killed = report({ SPEC_SESSION_FAULT: 'mid-history-save' });
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
    const expected = sumOf(
      fixtureCase('per-block-lines').totals,
      fixtureCase('subagents-2.1').totals,
      fixtureCase('calendar').totals,
    );
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

  it('three CLI processes at once, round after round, as sessions in different summary shards grow: each prints the exact totals, and the store ends as a new one would', async () => {
    ensureBuilt();
    const { root, config, transcript } = setup('per-block-lines', 'subagents-2.1', 'calendar');
    const env = cliEnv(root);
    const daily = () => runCliAsync(['report', 'daily', '--json', '--config-dir', config], env);
    const totalsOf = (stdout: string) => {
      const { inputTokens, outputTokens } = (JSON.parse(stdout) as { totals: TokenFields }).totals;
      return { inputTokens, outputTokens };
    };
    let expected = totalsOf((await daily()).stdout);
    // Sessions 1 and 20 share a summary shard; 14 has one of its own.
    for (let round = 0; round < 4; round++) {
      for (const n of [1, 14, 20]) {
        const line = assistantLine({
          id: `msg_round${round}_${n}`,
          usage: { input: 100 * n + round, output: n },
          sessionId: session(n),
          timestamp: `2026-11-2${round}T0${round}:00:00.000Z`,
        });
        fs.appendFileSync(transcript(`${session(n)}.jsonl`), `${line}\n`);
        expected = { inputTokens: expected.inputTokens + 100 * n + round, outputTokens: expected.outputTokens + n };
      }
      const results = await Promise.all([daily(), daily(), daily()]);
      for (const r of results) {
        expect(r.stderr).toBe('');
        expect(totalsOf(r.stdout)).toEqual(expected);
      }
    }
    const bySession = (home: string) =>
      (
        JSON.parse(runCli(['report', 'session', '--json', '--config-dir', config], cliEnv(home)).stdout) as {
          sessions: Array<{ sessionId: string; inputTokens: number; outputTokens: number; lastActivity: string }>;
        }
      ).sessions;
    const fresh = path.join(root, 'fresh-home');
    expect(bySession(root)).toEqual(bySession(fresh));
    expect(runCli(['report', 'daily', '--json', '--config-dir', config], cliEnv(fresh)).stdout).toBe(
      runCli(['report', 'daily', '--json', '--config-dir', config], env).stdout,
    );
  }, 120_000);

  describe('four CLI processes at once on a cold store', () => {
    beforeAll(() => ensureBuilt());

    it('every one prints the exact totals', async () => {
      const { root, config } = setup('per-block-lines', 'subagents-2.1', 'resumed-fork', 'calendar');
      const env = cliEnv(root);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => runCliAsync(['report', 'monthly', '--json', '--config-dir', config], env)),
      );
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
