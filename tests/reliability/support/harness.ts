/**
 * A project installed from dist/ (the e2e makeProject), with Claude Code's transcript folder under
 * its temp HOME, hooks run as real processes the way Claude Code runs them, and assertions on what
 * a user would see: `cost --json` totals, whole ledger lines, no lock left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../../e2e/support/claude.js';
import { makeProject, type CostJson, type Project, type TokenFields } from '../../e2e/support/project.js';
import { callLines, expectedTotals, type Call } from './transcript-lines.js';

export interface HookRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** With `probe`: each lock the hook took, how many link(2) attempts it needed and how long it waited. */
  locks: Array<{ lock: string; attempts: number; waitMs: number }>;
}

const LOCK_PROBE = join(repoRoot, 'tests', 'reliability', 'support', 'lock-probe.cjs');
let probes = 0;

export interface ReliabilityProject extends Project {
  /** Claude Code's transcript folder for the project, under the temp HOME. */
  transcriptDir: string;
  stateDir: string;
  sessionsStateDir: string;
  hookLog: string;
  transcriptPath(sessionId: string): string;
  /** Appends whole lines (each with its newline) in one write. */
  appendLines(sessionId: string, lines: string[]): void;
  appendCalls(sessionId: string, calls: Call[]): void;
  /** Starts the installed hook as Claude Code does; `done` settles when it exits. */
  startHook(
    event: string,
    input: Record<string, unknown>,
    options?: { probe?: boolean; env?: Record<string, string> },
  ): { child: ChildProcess; done: Promise<HookRun> };
  runHook(event: string, input?: Record<string, unknown>, options?: { probe?: boolean }): Promise<HookRun>;
  /** The stdin Claude Code gives a hook for this session. */
  hookInput(sessionId: string, event: string, extra?: Record<string, unknown>): Record<string, unknown>;
  ledgerFiles(): string[];
  /** Every file under state/ whose name says it is a lock. */
  lockFiles(): string[];
  hookLogText(): string;
}

const made: string[] = [];

/** Removes the scratch folders this file made (call from afterAll); E2E_KEEP=1 keeps them to look at. */
export function removeProjects(): void {
  if (!process.env.E2E_KEEP) for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function makeReliabilityProject(): ReliabilityProject {
  const p = makeProject();
  made.push(p.root);
  const transcriptDir = join(p.home, '.claude', 'projects', p.project.replace(/[^A-Za-z0-9]/g, '-'));
  mkdirSync(transcriptDir, { recursive: true });
  const stateDir = join(p.project, '.claude', 'spec-session', 'state');
  const hookScript = join(p.project, '.claude', 'spec-session', 'hook.cjs');
  const hookEnv = { ...p.env, CLAUDE_PROJECT_DIR: p.project };
  const transcriptPath = (sessionId: string) => join(transcriptDir, `${sessionId}.jsonl`);
  const r: ReliabilityProject = {
    ...p,
    transcriptDir,
    stateDir,
    sessionsStateDir: join(stateDir, 'claude-sessions'),
    hookLog: join(stateDir, 'hook.log'),
    transcriptPath,
    appendLines(sessionId, lines) {
      if (lines.length) appendFileSync(transcriptPath(sessionId), lines.map((l) => `${l}\n`).join(''));
    },
    appendCalls(sessionId, calls) {
      r.appendLines(
        sessionId,
        calls.flatMap((c) => callLines(c, sessionId, p.project)),
      );
    },
    hookInput(sessionId, event, extra = {}) {
      return {
        session_id: sessionId,
        transcript_path: transcriptPath(sessionId),
        cwd: p.project,
        hook_event_name: event,
        ...extra,
      };
    },
    startHook(event, input, { probe = false, env = {} } = {}) {
      const probeFile = join(p.root, `lock-probe-${++probes}.jsonl`);
      const args = probe ? ['-r', LOCK_PROBE, hookScript, event] : [hookScript, event];
      const started = Date.now();
      const child = spawn(process.execPath, args, {
        cwd: p.project,
        env: { ...hookEnv, ...env, ...(probe ? { LOCK_PROBE_FILE: probeFile } : {}) },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdin!.on('error', () => undefined); // a hook killed before it read stdin
      child.stdin!.end(JSON.stringify(input));
      const done = new Promise<HookRun>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) => {
          const ms = Date.now() - started;
          const locks = existsSync(probeFile)
            ? readFileSync(probeFile, 'utf8')
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as HookRun['locks'][number])
            : [];
          resolve({ code, signal, stdout, stderr, ms, locks });
        });
      });
      return { child, done };
    },
    runHook(event, input, options) {
      return r.startHook(
        event,
        input ?? r.hookInput(SESSION, event, { tool_name: 'Bash', tool_input: { command: 'x' } }),
        options,
      ).done;
    },
    ledgerFiles() {
      return walk(join(p.project, 'docs', 'sessions', 'ledger')).filter((f) => f.endsWith('.jsonl'));
    },
    lockFiles() {
      return walk(stateDir).filter((f) => /\.lock(\.|$)/.test(f));
    },
    hookLogText() {
      return existsSync(r.hookLog) ? readFileSync(r.hookLog, 'utf8') : '';
    },
  };
  return r;
}

/** The session id tests use when they need only one. */
export const SESSION = '11111111-2222-4333-8444-555555555555';

/** PostToolUse stdin for a Bash call, as 2.1.331 sends it. */
export function toolUseInput(p: ReliabilityProject, sessionId: string): Record<string, unknown> {
  return p.hookInput(sessionId, 'PostToolUse', { tool_name: 'Bash', tool_input: { command: 'x' } });
}

/** Every file under `dir`, absolute, sorted; [] when it does not exist. */
export function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out.sort();
}

/** Files under `root` that are new since `before`, relative to root. */
export function newFiles(root: string, before: string[]): string[] {
  const had = new Set(before);
  return walk(root)
    .filter((f) => !had.has(f))
    .map((f) => relative(root, f));
}

/** Lines of a ledger file that are not one whole JSON object, and whether it ends with a newline. */
function tornLines(file: string): { bad: string[]; endsWithNewline: boolean } {
  const text = readFileSync(file, 'utf8');
  const bad = text.split('\n').filter((l) => {
    if (!l) return false;
    try {
      return typeof JSON.parse(l) !== 'object';
    } catch {
      return true;
    }
  });
  return { bad, endsWithNewline: text.length === 0 || text.endsWith('\n') };
}

/** Token fields of a cost --json row, without cost, for exact comparison. */
function tokensOf(t: TokenFields): Omit<TokenFields, 'totalCost'> {
  return {
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheCreationTokens: t.cacheCreationTokens,
    cacheReadTokens: t.cacheReadTokens,
    totalTokens: t.totalTokens,
  };
}

/** `cost --json` (which first catches up on every transcript) must show these calls, each once. */
export function expectExactTotals(p: ReliabilityProject, calls: Call[]): CostJson {
  const { totalCost, ...tokens } = expectedTotals(calls);
  const shown = p.costJson();
  const totals = shown.totals as TokenFields & { calls: number };
  expect({ ...tokensOf(totals), calls: totals.calls }).toEqual(tokens);
  expect(totals.totalCost).toBeCloseTo(totalCost, 9);
  return shown;
}

/** Distinct API calls the ledger files hold, read without the CLI (so without its catch-up). */
export function ledgerCallIds(p: ReliabilityProject): Set<string> {
  const ids = new Set<string>();
  for (const file of p.ledgerFiles()) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"k":"call"')) continue;
      try {
        ids.add((JSON.parse(line) as { msg: string }).msg);
      } catch {
        // a torn line: counted by the fold as malformed
      }
    }
  }
  return ids;
}

/** The ledger has no torn line and ends every file with a newline. */
export function expectWholeLedger(p: ReliabilityProject): void {
  for (const file of p.ledgerFiles()) expect(tornLines(file), file).toEqual({ bad: [], endsWithNewline: true });
}
