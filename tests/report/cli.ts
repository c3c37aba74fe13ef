import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileLock } from '../../src/store/lock.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(REPO, 'dist', 'spec-session.cjs');

/** `npm run build` when the bundle is missing or older than its sources (once, whichever test file asks first). */
export function ensureBuilt(): void {
  fs.mkdirSync(path.dirname(CLI), { recursive: true });
  withFileLock(
    path.join(path.dirname(CLI), 'test-build'),
    () => {
      if (!isStale()) return;
      execFileSync(process.execPath, ['build.mjs'], { cwd: REPO, stdio: 'pipe' });
    },
    { timeoutMs: 120_000, staleMs: 120_000 },
  );
}

function isStale(): boolean {
  let built: number;
  try {
    built = fs.statSync(CLI).mtimeMs;
  } catch {
    return true;
  }
  const sources = ['build.mjs', 'package.json', 'install.ts'].map((f) => path.join(REPO, f));
  for (const dir of ['src', 'hooks']) {
    for (const entry of fs.readdirSync(path.join(REPO, dir), { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
      if (entry.isFile()) sources.push(path.join(entry.parentPath, entry.name));
    }
  }
  return sources.some((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > built);
}

export interface CliResult {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** A clean environment: fixed TZ, a throw-away HOME and history store, nothing inherited from the user. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    SPEC_SESSION_HOME: path.join(home, 'spec-session'),
    TZ: 'UTC',
    NO_COLOR: '1',
    ...extra,
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

export function runCliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ stdout, stderr, status, signal }));
  });
}

/**
 * A config dir of two projects: the calendar fixture's sessions in -home-dev-shop, the cache-split
 * fixture's moved to -home-dev-api.
 */
export function twoProjects(): string {
  // Not corpus.ts's tempDir: this module is also loaded by a global setup, outside any test file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-session-two-projects-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const fixture = (name: string) =>
    path.join(REPO, 'tests', 'fixtures', 'transcripts', name, 'claude-config', 'projects');
  fs.cpSync(fixture('calendar'), path.join(dir, 'projects'), { recursive: true });
  fs.cpSync(path.join(fixture('cache-creation-split'), '-home-dev-shop'), path.join(dir, 'projects', '-home-dev-api'), {
    recursive: true,
  });
  return dir;
}
