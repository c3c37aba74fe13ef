/**
 * dist/cli.cjs, the package's bin: the same program as dist/spec-session.cjs, started through a V8
 * code cache in the user's folder, and `report` from report.cjs alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configDir } from '../fixtures/transcripts/cases.js';
import { CLI, ensureBuilt, REPO } from '../report/cli.js';

const BIN = path.join(REPO, 'dist', 'cli.cjs');

beforeAll(() => ensureBuilt(), 120_000);

function run(file: string, args: string[], home: string, extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [file, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, SPEC_SESSION_HOME: path.join(home, 'ss'), TZ: 'UTC', ...extraEnv },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bin', () => {
  it('prints what spec-session.cjs prints, for the full CLI and for report', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-'));
    const report = ['report', 'daily', '--json', '--config-dir', configDir('per-block-lines')];
    for (const args of [['help'], ['--version'], report, ['cost', '--bogus'], ['no-such-command']]) {
      expect(run(BIN, args, home)).toEqual(run(CLI, args, home));
    }
    expect(run(BIN, ['--version'], home).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    // The mark the package's worker threads carry, inherited by a main thread: still the main thread.
    const marked = run(BIN, report, fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-')), {
      SPEC_SESSION_WORKER_THREAD: '1',
    });
    expect(marked).toEqual(run(CLI, report, home));
  });

  it('answers `<command> --help` (or -h) for every command with the usage `help` lists for it, exit 0', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-'));
    const listed = run(BIN, ['help'], home).stdout.split('\n');
    const names = listed.flatMap((line) => /^ {2}([a-z-]+) {2,}\S/.exec(line)?.[1] ?? []);
    expect(names).toContain('report');
    expect(names).toContain('cost');
    for (const name of names) {
      const usage = listed.find((line) => line.trim().startsWith(`spec-session ${name}`))!.trim();
      for (const [file, flag] of [
        [BIN, '--help'],
        [CLI, '-h'],
      ] as const) {
        const r = run(file, [name, flag], home); // no project, no history: help needs neither
        expect(r, `${name} ${flag}`).toEqual({ status: 0, stdout: expect.any(String), stderr: '' });
        expect(r.stdout.split('\n')[0]).toBe(usage);
      }
    }
    // After other arguments too, and for report through report.cjs alone
    expect(run(BIN, ['report', 'weekly', '--json', '-h'], home).stdout).toMatch(/^spec-session report \[daily/);
  });

  it('a bad option: one line in lower case that names it, exit 1; an unknown one points at --help', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-'));
    const expectOneLine = (args: string[], line: string) => {
      const r = run(BIN, args, home);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${line}\n`);
    };
    expectOneLine(
      ['report', 'daily', '--jsno'],
      "spec-session report: unknown option '--jsno' (--help lists the options)",
    );
    expectOneLine(['report', '--since'], "spec-session report: option '-s, --since <value>' argument missing");
    expectOneLine(['export', '--format'], "spec-session export: option '--format <value>' argument missing");
    expectOneLine(['doctor', '-q'], "spec-session doctor: unknown option '-q' (--help lists the options)");
  });

  it('keeps one code cache for the full bundle, makes a damaged one again, and answers the same', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-'));
    const cacheDir = path.join(home, 'ss', 'code-cache');
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(path.join(cacheDir, '756000-1796000000000-v20.0.0.bin'), 'a cache named as 0.1 named it');
    fs.writeFileSync(path.join(cacheDir, '0badf00d-1-2-v20.0.0.bin'), "another bundle's cache");
    const first = run(BIN, ['help'], home);
    const caches = fs.readdirSync(cacheDir).filter((f) => !f.startsWith('0badf00d-'));
    expect(caches).toHaveLength(1); // the old-style one is gone, another bundle's is left
    expect(fs.existsSync(path.join(cacheDir, '0badf00d-1-2-v20.0.0.bin'))).toBe(true);
    const cache = path.join(cacheDir, caches[0]!);
    const made = fs.readFileSync(cache);
    expect(made.length).toBeGreaterThan(1000);
    const written = fs.statSync(cache).mtimeMs;
    expect(run(BIN, ['help'], home)).toEqual(first);
    // The second run took the cache as it was: one made under other V8 flags than a run loads it
    // under is rejected, compiled again and rewritten, by every run.
    expect(fs.statSync(cache).mtimeMs).toBe(written);
    fs.writeFileSync(cache, 'not bytecode');
    expect(run(BIN, ['help'], home)).toEqual(first);
    expect(fs.readdirSync(cacheDir).filter((f) => !f.startsWith('0badf00d-'))).toEqual(caches);
    expect(fs.statSync(cache).size).toBeGreaterThan(1000); // rejected, so written again
    // report never loads the full bundle: the one cache it leaves is report.cjs's (caches are named by their bundle's size)
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-'));
    run(BIN, ['report', 'daily', '--config-dir', configDir('per-block-lines')], other);
    const reportSize = fs.statSync(path.join(path.dirname(BIN), 'report.cjs')).size;
    expect(fs.readdirSync(path.join(other, 'ss', 'code-cache')).map((f) => f.split('-')[1])).toEqual([
      String(reportSize),
    ]);
  });

  it("report's cache is made again, deep, by a run that folds new bytes, and no run with nothing new replaces it", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bin-'));
    const config = path.join(home, 'claude');
    fs.cpSync(configDir('per-block-lines'), config, { recursive: true });
    const cacheDir = path.join(home, 'ss', 'code-cache');
    const report = () => run(BIN, ['report', 'daily', '--json', '--config-dir', config], home);
    const caches = () =>
      fs.readdirSync(cacheDir).map((f) => f.replace(/^[0-9a-f]+-\d+-\d+-v\d+\.\d+\.\d+/, '<bundle>'));
    const first = report(); // a new store: it folds every transcript
    expect(caches()).toEqual(['<bundle>.deep.bin']);
    const deep = fs.statSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0]!));
    expect(report()).toEqual(first); // nothing new
    expect(fs.statSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0]!)).mtimeMs).toBe(deep.mtimeMs);
    // A cache made by a run with nothing new is shallow: the next run that folds replaces it.
    fs.rmSync(cacheDir, { recursive: true });
    expect(report()).toEqual(first);
    expect(caches()).toEqual(['<bundle>.bin']);
    const transcript = fs
      .readdirSync(config, { recursive: true, withFileTypes: true })
      .find((e) => e.isFile() && e.name.endsWith('.jsonl'))!;
    const grow = () => fs.appendFileSync(path.join(transcript.parentPath, transcript.name), '\n');
    grow();
    expect(report()).toEqual(first);
    expect(caches()).toEqual(['<bundle>.deep.bin']);
    // Made once: a later run that folds too leaves it.
    const made = fs.statSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0]!)).mtimeMs;
    grow();
    expect(report()).toEqual(first);
    expect(fs.statSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0]!)).mtimeMs).toBe(made);
  });
});
