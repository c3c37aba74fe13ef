/**
 * The package as npm packs it: dist/ bundles every library the code loads, so the package has no
 * runtime dependencies, installs nothing else, and its bin runs from a folder with no node_modules
 * around it. It ships what the README's install and plugin sections use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDir } from '../fixtures/transcripts/cases.js';
import { ensureBuilt, REPO } from '../report/cli.js';

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

let packed: Packed;
let tarball: string;
const scratch = mkdtempSync(join(tmpdir(), 'spec-session-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(() => {
  ensureBuilt();
  packed = (
    JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as Packed[]
  )[0]!;
  tarball = join(scratch, packed.filename);
}, 60_000);

describe('the packed package', () => {
  it('ships the bundles, the slash commands, the plugin files and the README', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/cli.cjs',
        'dist/spec-session.cjs',
        'dist/report.cjs',
        'dist/hook.cjs',
        'hooks/hooks.json',
        '.claude-plugin/plugin.json',
        'README.md',
        'package.json',
      ]),
    );
    expect(files.filter((f) => f.startsWith('commands/'))).toEqual(
      ['cost', 'do-task', 'eod', 'log-task', 'session-status', 'start-session'].map((c) => `commands/${c}.md`),
    );
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('tests/'))).toEqual([]);
  });

  it('installs alone: no dependency is fetched, and its bin runs with no node_modules around it', () => {
    const user = join(scratch, 'user-project');
    mkdirSync(user);
    writeFileSync(join(user, 'package.json'), '{"name":"user-project","private":true}');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
      cwd: user,
      stdio: 'pipe',
    });
    expect(readdirSync(join(user, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['spec-session']);
    // report: transcript discovery and a table; cost: a project's config read and checked.
    const bin = join(user, 'node_modules', '.bin', 'spec-session');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: user,
      SPEC_SESSION_HOME: join(user, 'history'),
      TZ: 'UTC',
      NO_COLOR: '1',
    };
    const report = spawnSync(bin, ['report', 'daily', '--config-dir', configDir('per-block-lines')], {
      cwd: user,
      env,
      encoding: 'utf8',
    });
    expect([report.status, report.stderr]).toEqual([0, '']);
    expect(report.stdout).toContain('2026-11-20');
    mkdirSync(join(user, '.claude', 'spec-session'), { recursive: true });
    writeFileSync(join(user, '.claude', 'spec-session', 'config.json'), '{"budgets":{"daily":7}}');
    const cost = spawnSync(bin, ['cost', '--dir', user], { cwd: user, env, encoding: 'utf8' });
    expect([cost.status, cost.stderr]).toEqual([0, '']);
    expect(cost.stdout).toContain('of $7.00');
    const version = spawnSync(bin, ['--version'], { cwd: user, env, encoding: 'utf8' });
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version}\n`);
  });
});
