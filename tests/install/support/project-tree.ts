/** Scratch projects for install tests, the real CLI, and a byte-for-byte picture of a folder tree. */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const cli = join(__dirname, '..', '..', '..', 'dist', 'spec-session.cjs');

/** The CLI as a user runs it; PATH without `claude`, so the version comes from --claude-version. */
export function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
  for (const k of Object.keys(env)) if (k.startsWith('CLAUDE_')) delete env[k];
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
}

/** A scratch folder holding exactly these files (relative path → text or bytes). */
export function projectWith(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-session-install-'));
  for (const [relative, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, relative)), { recursive: true });
    writeFileSync(join(dir, relative), content);
  }
  return dir;
}

/** Every folder, file (its bytes, base64) and symlink under `root`, keyed by relative path. */
export function tree(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const key = full.slice(root.length + 1);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) out[key] = `link → ${readlinkSync(full)}`;
    else if (stat.isDirectory()) {
      out[`${key}/`] = 'folder';
      tree(root, full, out);
    } else out[key] = readFileSync(full).toString('base64');
  }
  return out;
}

export const read = (dir: string, relative: string) => readFileSync(join(dir, relative), 'utf8');
