import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES, FIXTURES_DIR, FORK, ORIGINAL, configDir, fixtureCase, session } from '../fixtures/transcripts/cases.js';
import { readCorpus, sessionsOf, totalsOf } from './corpus.js';

const read = (name: string) => readCorpus([configDir(name)]);
const callsIn = (name: string, file: string) =>
  [...read(name).reads.entries()].find(([p]) => p.endsWith(file))![1].calls;
/** API calls, not message ids: one message.id answered to two requests is two calls. */
const callCount = (calls: ReturnType<typeof read>['calls']) =>
  [...calls.entries.values()].reduce((n, e) => n + Math.max(1, e.byRequest.size), 0);

describe('every hand-written fixture: each API call counted once', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const { calls, malformed } = read(c.name);
    expect(totalsOf(calls)).toEqual(c.totals);
    expect(callCount(calls)).toBe(c.calls);
    expect(malformed).toBe(c.malformed);
  });

  it('README.md states the same totals as cases.ts, one row per case', () => {
    const readme = fs.readFileSync(path.join(FIXTURES_DIR, 'README.md'), 'utf8');
    for (const c of CASES) {
      const t = c.totals;
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${c.name}\` |`));
      expect(row, c.name).toBeDefined();
      expect(row).toContain(
        `| ${t.input} / ${t.output} / ${t.cacheWrite5m} / ${t.cacheWrite1h} / ${t.cacheRead} | ${c.calls} | ${c.malformed} | $${c.costUsd} |`,
      );
    }
    const folders = fs
      .readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});

describe('what each case is about', () => {
  it('per-block lines: 3 lines of msg_pb_1 are one call, not 3', () => {
    const lines = callsIn('per-block-lines', '.jsonl');
    expect(lines.map((c) => c.messageId)).toEqual(['msg_pb_1', 'msg_pb_1', 'msg_pb_1', 'msg_pb_2', 'msg_pb_2']);
    expect(totalsOf(read('per-block-lines').calls).output).toBe(70); // not 3 × 50 + 2 × 20 = 190
  });

  it('2.1.85: the final output count on the last line wins over the placeholders before it', () => {
    expect(callsIn('output-final-last-line', '.jsonl').map((c) => c.tokens.output)).toEqual([1, 1, 75]);
    expect(totalsOf(read('output-final-last-line').calls).output).toBe(75);
  });

  it('<=2.1.56: only placeholders reached the file, so the max of them (8) is what we report', () => {
    expect(callsIn('output-placeholder', '.jsonl').map((c) => c.tokens.output)).toEqual([1, 8, 3, 2]);
    expect(totalsOf(read('output-placeholder').calls).output).toBe(8 + 2);
  });

  it('missing requestId: copies merge by message.id', () => {
    const lines = callsIn('missing-request-id', '.jsonl');
    expect(lines.map((c) => [c.messageId, c.requestId])).toEqual([
      ['msg_nr_1', null],
      ['msg_nr_1', null],
      ['msg_nr_2', 'req_nr_2'],
      ['msg_nr_2', null],
    ]);
    expect(read('missing-request-id').calls.size).toBe(2);
  });

  it('two requestIds under one message.id: two calls, summed; the copy without requestId adds nothing', () => {
    const lines = callsIn('two-request-ids', '.jsonl');
    expect(lines.map((c) => [c.messageId, c.requestId, c.tokens.input, c.tokens.output])).toEqual([
      ['msg_tr_1', 'req_tr_1a', 100, 20],
      ['msg_tr_1', 'req_tr_1a', 100, 20],
      ['msg_tr_1', 'req_tr_1b', 300, 50],
      ['msg_tr_1', null, 100, 20],
    ]);
    // Not 300 / 50 (one call, the larger copy), nor 500 / 90 (the id-less copy as a third call).
    expect(totalsOf(read('two-request-ids').calls)).toMatchObject({ input: 400, output: 70, cacheRead: 3000 });
  });

  it('resumed fork: the copied calls count once, and belong to the session that made them', () => {
    const { calls } = read('resumed-fork');
    expect(totalsOf(calls)).toEqual(fixtureCase('resumed-fork').totals);
    // The fork's copies carry the same ids and timestamps as the originals; its id sorts first.
    expect(FORK < ORIGINAL).toBe(true);
    expect(sessionsOf(calls)).toEqual({ [ORIGINAL]: [3000, 300], [FORK]: [4000, 400] });
  });

  it('sidechain replay: the subagent file repeats msg_sr_1, which counts once', () => {
    const { reads, calls } = read('sidechain-replay');
    const subagent = [...reads.entries()].find(([p]) => p.includes('/subagents/'))![1];
    expect(subagent.calls.map((c) => [c.messageId, c.sidechain])).toEqual([
      ['msg_sr_1', true],
      ['msg_sr_2', true],
    ]);
    expect([...calls.entries.keys()].sort()).toEqual(['msg_sr_1', 'msg_sr_2', 'msg_sr_3']);
  });

  it('progress lines: the main file yields only its own calls, and the progress line is not malformed', () => {
    const { reads } = read('progress-lines');
    const main = reads.get(
      path.join(configDir('progress-lines'), 'projects', '-home-dev-shop', `${session(7)}.jsonl`),
    )!;
    expect(main.calls.map((c) => c.messageId)).toEqual(['msg_pg_1', 'msg_pg_3']);
    expect(main.malformed).toBe(0);
  });

  it('progress-only: the embedded copy of msg_po_2 folds into the copy in the subagent file (output 20, not 1 and not 21); msg_po_3 lives only in its progress line', () => {
    const { reads, calls } = read('progress-only');
    const main = [...reads.entries()].find(([p]) => p.endsWith(`${session(24)}.jsonl`))![1];
    expect(main.calls.map((c) => c.messageId)).toEqual(['msg_po_1', 'msg_po_4']);
    expect(main.embeddedCalls.map((c) => [c.messageId, c.tokens.output, c.agentId, c.sidechain])).toEqual([
      ['msg_po_2', 1, 'a1', true],
      ['msg_po_3', 30, 'a2', true],
    ]);
    expect(calls.entries.get('msg_po_2')!.tokens).toMatchObject({ input: 200, output: 20 });
    expect(calls.entries.get('msg_po_3')!.tokens).toMatchObject({ input: 300, output: 30 });
  });

  it('renamed transcript: the calls belong to the session their lines name, whatever the file is called', () => {
    const { calls, files } = read('renamed-transcript');
    expect(files.map((f) => path.basename(f.path))).toEqual(['shop-session-copy.jsonl', 'exported-session.jsonl']);
    expect(sessionsOf(calls)).toEqual({ [session(23)]: [3500, 350] });
  });

  it('<synthetic>: no call and no model', () => {
    const { calls } = read('synthetic');
    expect([...calls.entries.values()].map((e) => e.first.model)).toEqual([
      'claude-sonnet-4-5-20250929',
      'claude-sonnet-4-5-20250929',
    ]);
  });

  it('malformed lines are counted, and the torn last line is left unread for the next read', () => {
    const { reads } = read('malformed-lines');
    const [file, result] = [...reads.entries()][0]!;
    const bytes = fs.readFileSync(file);
    expect(result.malformed).toBe(3);
    expect(result.cursor.offset).toBe(bytes.lastIndexOf(10) + 1);
    expect(bytes.subarray(result.cursor.offset).toString()).toMatch(/^\{"type":"assistant".*"input_tokens":300$/);
  });

  it('pretty-printed JSON: the multi-line object is not a row; its "usage" line is 1 malformed line', () => {
    const { calls, malformed } = read('pretty-printed');
    expect([...calls.entries.keys()]).toEqual(['msg_pp_1', 'msg_pp_3']);
    expect(malformed).toBe(1);
  });

  it('1.0.x inline sidechain lines count, marked as sidechain', () => {
    const lines = callsIn('inline-sidechain-1.0', '.jsonl');
    expect(lines.map((c) => [c.messageId, c.sidechain])).toEqual([
      ['msg_is_1', false],
      ['msg_is_2', true],
      ['msg_is_3', true],
      ['msg_is_4', false],
    ]);
  });

  it('2.0.x sibling agent file: its calls carry the parent session', () => {
    const lines = callsIn('sibling-agent-2.0', 'agent-5f2c9a1e.jsonl');
    expect(lines.map((c) => [c.messageId, c.sessionId, c.agentId])).toEqual([['msg_sa_2', session(13), '5f2c9a1e']]);
    expect(sessionsOf(read('sibling-agent-2.0').calls)).toEqual({ [session(13)]: [600, 60] });
  });

  it('2.1.x subagents and the compaction agent are read; compact_boundary is seen', () => {
    const { reads } = read('subagents-2.1');
    const agents = [...reads.values()].flatMap((r) => r.calls.map((c) => c.agentId)).filter(Boolean);
    expect(agents.sort()).toEqual(['a9f8e7d6c5b4a3921', 'a9f8e7d6c5b4a3921', 'acompact-3f2e1d']);
    expect([...reads.values()].flatMap((r) => r.compactions)).toEqual([Date.parse('2026-11-20T10:00:06.000Z')]);
  });

  it('cache writes: the 5m/1h split is kept, and a total-only write is a 5m write', () => {
    const lines = callsIn('cache-creation-split', '.jsonl');
    expect(lines.map((c) => [c.tokens.cacheWrite5m, c.tokens.cacheWrite1h])).toEqual([
      [300, 700],
      [400, 0],
    ]);
  });

  it('fast mode is read from usage.speed', () => {
    expect(callsIn('fast-mode', '.jsonl').map((c) => c.speed)).toEqual(['fast', 'standard']);
  });

  it('CRLF lines parse', () => {
    expect(callsIn('crlf-lines', '.jsonl').map((c) => c.messageId)).toEqual(['msg_cr_1', 'msg_cr_2']);
  });
});
