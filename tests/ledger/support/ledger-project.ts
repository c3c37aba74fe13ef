/**
 * A scratch project whose committed ledger is a generated team ledger in 0.1.0's format, with its
 * truth (every distinct call once), and the real CLI (dist/) to read it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs module shared with bench/, no type declarations
import { expectedTotals, generateLedger } from '../../../bench/lib/ledger-gen.mjs';
import { cli } from '../../e2e/support/project.js';
import { readIndexedLedger } from '../../../src/ledger/ledger-index.js';
import type { LedgerView } from '../../../src/ledger/ledger-view.js';
import type { FoldResult } from '../../../src/ledger/fold.js';
import { readLedger } from '../../../src/ledger/read-ledger.js';

export interface Sums {
  calls: number;
  in: number;
  out: number;
  cw5: number;
  cw1h: number;
  cr: number;
}

export interface Truth {
  calls: Array<{
    time: number;
    msg?: string;
    gap?: boolean;
    model: string;
    fast: boolean;
    tokens: Omit<Sums, 'calls'>;
    ws: string;
    spec: string;
    task: string;
    cs: string;
  }>;
  manual: unknown[];
  bytes: number;
}

export interface Expected {
  tasks: Map<string, Sums>;
  sessions: Map<string, Sums>;
  days: Map<string, Sums>;
  models: Map<string, Sums>;
  total: Map<string, Sums>;
}

export interface LedgerProject {
  dir: string;
  ledger: string;
  truth: Truth;
  expected: Expected;
  run(args: string[], env?: Record<string, string>): { code: number; stdout: string; stderr: string };
  costJson(args?: string[]): CostJson;
}

export interface Fields {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
}

export interface CostJson {
  taskTotals: Array<
    Fields & { spec: string; taskId: string; sessions: string[]; firstActivity: string; lastActivity: string }
  >;
  tasks: Array<Fields & { spec: string; taskId: string; session: string | null }>;
  sessions: Array<Fields & { name: string }>;
  days: Array<Fields & { date: string; modelBreakdowns: Array<{ modelName: string } & Omit<Fields, 'totalCost'>> }>;
  models: Array<{ modelName: string; calls: number } & Omit<Fields, 'totalCost'>>;
  totals: Fields & { calls: number };
  malformedLines?: number;
}

/** A project holding a generated ledger; `now` far after it, so every file is long over. */
export function ledgerProject(
  options: { devs?: number; days?: number; callsPerDay?: number; seed?: number; dir?: string; start?: string } = {},
): LedgerProject {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ledger-project-'));
  const ledger = join(dir, 'docs', 'sessions', 'ledger');
  mkdirSync(ledger, { recursive: true });
  mkdirSync(join(dir, '.spec-workflow', 'specs'), { recursive: true });
  mkdirSync(join(dir, '.claude', 'spec-session'), { recursive: true });
  writeFileSync(
    join(dir, '.claude', 'spec-session', 'config.json'),
    JSON.stringify({ timeZone: 'UTC', budgets: { daily: null, weekly: null, monthly: null } }),
  );
  const truth = generateLedger(ledger, {
    devs: options.devs ?? 2,
    days: options.days ?? 4,
    callsPerDay: options.callsPerDay ?? 150,
    seed: options.seed ?? 7,
    ...(options.start ? { start: options.start } : {}),
  }) as Truth;
  const expected = expectedTotals(truth) as Expected;
  return { ...cliIn(dir), truth, expected };
}

/** The CLI run on the project in `dir` (another clone of the same ledger, say). */
export function cliIn(dir: string): Pick<LedgerProject, 'dir' | 'ledger' | 'run' | 'costJson'> {
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [cli, ...args, '--dir', dir], {
      env: { ...process.env, TZ: 'UTC', ...env },
      encoding: 'utf8',
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    dir,
    ledger: join(dir, 'docs', 'sessions', 'ledger'),
    run,
    costJson(args = []) {
      const r = run(['cost', '--json', ...args]);
      if (r.code !== 0) throw new Error(`cost --json failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as CostJson;
    },
  };
}

/** ccusage-style token fields of a truth sum. */
export function fieldsOf(s: Sums) {
  return {
    inputTokens: s.in,
    outputTokens: s.out,
    cacheCreationTokens: s.cw5 + s.cw1h,
    cacheReadTokens: s.cr,
    totalTokens: s.in + s.out + s.cw5 + s.cw1h + s.cr,
  };
}

export function tokenFields(f: Omit<Fields, 'totalCost'>) {
  return {
    inputTokens: f.inputTokens,
    outputTokens: f.outputTokens,
    cacheCreationTokens: f.cacheCreationTokens,
    cacheReadTokens: f.cacheReadTokens,
    totalTokens: f.totalTokens,
  };
}

export function dirBytes(dir: string): number {
  let sum = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const st = statSync(join(dir, name));
    if (st.isFile()) sum += st.size;
  }
  return sum;
}

/** The environment a test's git runs in: a fixed author, so commits need no user config. */
export const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t',
});

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv() });
}

/**
 * `check` with the full read of the ledger and a view of it through the index, each way the index
 * meets it: its files raw, then after `compact`; an index just built (keeping what it built), then
 * one read back from its files.
 */
export function forEachIndexedRead(
  p: Pick<LedgerProject, 'ledger' | 'run'>,
  check: (full: FoldResult, view: LedgerView, label: string) => void,
): void {
  for (const stage of ['raw', 'compacted']) {
    if (stage === 'compacted' && p.run(['compact']).code !== 0) throw new Error('compact failed');
    const full = readLedger(p.ledger);
    for (const fresh of [true, false]) {
      const dir = mkdtempSync(join(tmpdir(), 'index-'));
      let view = readIndexedLedger(p.ledger, dir, 'UTC').view;
      if (!fresh) view = readIndexedLedger(p.ledger, dir, 'UTC').view;
      check(full, view, `${stage}, ${fresh ? 'just built' : 'read back'}`);
    }
  }
}
