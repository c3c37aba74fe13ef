/**
 * Drive the real Claude Code CLI (devDependency @anthropic-ai/claude-code, pinned) against
 * the loopback mock in ./mock-api.ts. Headless (`-p`) first; a tmux helper for interactive runs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const claudeBin = process.env.E2E_CLAUDE_BIN ?? join(repoRoot, 'node_modules', '.bin', 'claude');

export interface ClaudeJsonResult {
  type: string;
  subtype: string;
  is_error: boolean;
  result?: string;
  session_id: string;
  total_cost_usd: number;
  usage: Record<string, unknown>;
  modelUsage: Record<string, Record<string, number>>;
  num_turns?: number;
  duration_ms?: number;
  [k: string]: unknown;
}

export interface RunClaudeOptions {
  cwd: string;
  home: string;
  /** Mock base URL (http://127.0.0.1:<port>). */
  baseUrl: string;
  prompt: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  sessionId?: string;
  resume?: string;
  model?: string;
  /** Default true. */
  skipPermissions?: boolean;
  /** Default 'json'. */
  outputFormat?: 'json' | 'text' | 'stream-json';
  timeoutMs?: number;
}

export interface RunClaudeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json: ClaudeJsonResult | undefined;
  wallMs: number;
}

/** Environment for a CLI run against the mock. HOME is the scratch home; CLAUDE_CONFIG_DIR unset. */
export function claudeEnv(
  home: string,
  baseUrl: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('ANTHROPIC_') || k.startsWith('CLAUDE_') || k === 'CLAUDECODE') delete env[k];
  }
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'sk-test',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    IS_SANDBOX: '1',
    NO_COLOR: '1',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function claudeArgs(
  o: Pick<RunClaudeOptions, 'prompt' | 'args' | 'sessionId' | 'resume' | 'model' | 'skipPermissions' | 'outputFormat'>,
): string[] {
  const args = ['-p', o.prompt, '--output-format', o.outputFormat ?? 'json'];
  if (o.outputFormat === 'stream-json') args.push('--verbose');
  if (o.skipPermissions ?? true) args.push('--dangerously-skip-permissions');
  if (o.sessionId) args.push('--session-id', o.sessionId);
  if (o.resume) args.push('--resume', o.resume);
  if (o.model) args.push('--model', o.model);
  args.push(...(o.args ?? []));
  return args;
}

export function runClaude(o: RunClaudeOptions): Promise<RunClaudeResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(claudeBin, claudeArgs(o), {
      cwd: o.cwd,
      env: claudeEnv(o.home, o.baseUrl, o.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 55_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let json: ClaudeJsonResult | undefined;
      if ((o.outputFormat ?? 'json') === 'json') {
        try {
          json = JSON.parse(stdout.trim()) as ClaudeJsonResult;
        } catch {
          json = undefined;
        }
      }
      resolvePromise({ code, signal, stdout, stderr, json, wallMs: Date.now() - started });
    });
  });
}

/** `~/.claude/projects/<cwd with every non-alphanumeric char replaced by '-'>` */
export function mungePath(p: string): string {
  return p.replace(/[^a-zA-Z0-9]/g, '-');
}

export function projectTranscriptDir(home: string, cwd: string): string {
  return join(home, '.claude', 'projects', mungePath(realpathSync(cwd)));
}

export function transcriptPath(home: string, cwd: string, sessionId: string): string {
  return join(projectTranscriptDir(home, cwd), `${sessionId}.jsonl`);
}

export function readJsonl(path: string): any[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

export function subagentFiles(home: string, cwd: string, sessionId: string): string[] {
  const dir = join(projectTranscriptDir(home, cwd), sessionId, 'subagents');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => join(dir, f));
}

export interface Scratch {
  root: string;
  home: string;
  project: string;
}

/**
 * A throw-away HOME with `.claude.json` saying onboarding is done and `project` is trusted,
 * plus an empty project directory (created when not given).
 */
export function makeScratchHome(project?: string): Scratch {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'spec-session-e2e-')));
  const home = join(root, 'home');
  const proj = project ?? join(root, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(proj, { recursive: true });
  const absProj = realpathSync(proj);
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify(
      {
        hasCompletedOnboarding: true,
        lastOnboardingVersion: '2.1.331',
        bypassPermissionsModeAccepted: true,
        // Interactive mode asks "Detected a custom API key… use it?" unless the key's last 20 chars are approved.
        customApiKeyResponses: { approved: ['sk-test'.slice(-20)], rejected: [] },
        projects: {
          [absProj]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [] },
        },
      },
      null,
      2,
    ),
  );
  return { root, home, project: absProj };
}

// ---------------------------------------------------------------- interactive (tmux)

export interface Interactive {
  session: string;
  send(keys: string, opts?: { enter?: boolean; literal?: boolean }): void;
  capture(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  kill(): void;
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start `claude` (interactive) in a detached tmux session. Requires tmux. */
export function startInteractive(o: {
  cwd: string;
  home: string;
  baseUrl: string;
  args?: string[];
  env?: Record<string, string | undefined>;
}): Interactive {
  const session = `cc-e2e-${process.pid}-${Date.now().toString(36)}`;
  const env = claudeEnv(o.home, o.baseUrl, o.env);
  const exports = [
    'HOME',
    'XDG_CONFIG_HOME',
    'ANTHROPIC_BASE_URL',
    'ANTHROPIC_API_KEY',
    'DISABLE_TELEMETRY',
    'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
    'DISABLE_AUTOUPDATER',
    'DISABLE_ERROR_REPORTING',
    'IS_SANDBOX',
    ...Object.keys(o.env ?? {}),
  ]
    .filter((k) => env[k] !== undefined)
    .map((k) => `${k}=${sh(env[k] as string)}`)
    .join(' ');
  const cmd = `cd ${sh(o.cwd)} && env -u CLAUDE_CONFIG_DIR ${exports} ${sh(claudeBin)} --dangerously-skip-permissions ${(o.args ?? []).map(sh).join(' ')}`;
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', cmd]);
  const capture = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
  return {
    session,
    send(keys, opts = {}) {
      execFileSync('tmux', ['send-keys', '-t', session, ...((opts.literal ?? true) ? ['-l'] : []), keys]);
      if (opts.enter ?? true) execFileSync('tmux', ['send-keys', '-t', session, 'Enter']);
    },
    capture,
    async waitFor(re, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < end) {
        try {
          last = capture();
        } catch {
          /* session may be gone */
        }
        if (re.test(last)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timeout waiting for ${re} in tmux pane:\n${last}`);
    },
    kill() {
      try {
        execFileSync('tmux', ['kill-session', '-t', session]);
      } catch {
        /* already gone */
      }
    },
  };
}
