/**
 * Users keep settings.json or tasks.md as symlinks (dotfiles, a spec shared between repos). Every
 * write goes through the link to its target, atomically there: the link stays a link, and the file
 * it points to is the one that changes.
 */
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  renameSync,
  symlinkSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/store/atomic-file.js';
import { cli, makeProject } from '../e2e/support/project.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'spec-session-links-'));
const isLink = (file: string) => lstatSync(file).isSymbolicLink();

describe('writeFileAtomic through a symlink', () => {
  it('changes the target, keeps the link, leaves no temp file', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'a.txt'), 'old\n');
    symlinkSync('real/a.txt', join(dir, 'link.txt'));
    writeFileAtomic(join(dir, 'link.txt'), 'new\n');
    expect(isLink(join(dir, 'link.txt'))).toBe(true);
    expect(readlinkSync(join(dir, 'link.txt'))).toBe('real/a.txt');
    expect(readFileSync(join(dir, 'real', 'a.txt'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir).sort()).toEqual(['link.txt', 'real']);
    expect(readdirSync(join(dir, 'real'))).toEqual(['a.txt']);
  });

  it('follows a chain of links, and a link whose target does not exist yet', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'target'), 'x');
    symlinkSync('target', join(dir, 'hop1'));
    symlinkSync(join(dir, 'hop1'), join(dir, 'hop2'));
    writeFileAtomic(join(dir, 'hop2'), 'through two hops');
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('through two hops');
    expect([isLink(join(dir, 'hop1')), isLink(join(dir, 'hop2'))]).toEqual([true, true]);

    symlinkSync('later/file', join(dir, 'dangling'));
    mkdirSync(join(dir, 'later'));
    writeFileAtomic(join(dir, 'dangling'), 'created at the target');
    expect(isLink(join(dir, 'dangling'))).toBe(true);
    expect(readFileSync(join(dir, 'later', 'file'), 'utf8')).toBe('created at the target');
  });
});

describe('symlinked project files, through the real CLI', () => {
  it('install and uninstall write settings.json through its link, and uninstall restores the target byte for byte', () => {
    const dir = scratch();
    const project = join(dir, 'project');
    mkdirSync(join(project, '.claude'), { recursive: true });
    mkdirSync(join(dir, 'dotfiles'));
    const original = '{\n  "model": "haiku"\n}\n';
    writeFileSync(join(dir, 'dotfiles', 'settings.json'), original);
    symlinkSync('../../dotfiles/settings.json', join(project, '.claude', 'settings.json'));
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args, '--dir', project], { encoding: 'utf8' });

    expect(run(['install', '--claude-version', '2.1.331']).status).toBe(0);
    expect(isLink(join(project, '.claude', 'settings.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'dotfiles', 'settings.json'), 'utf8')).hooks.Stop).toHaveLength(1);

    expect(run(['uninstall']).status).toBe(0);
    expect(isLink(join(project, '.claude', 'settings.json'))).toBe(true);
    expect(readFileSync(join(dir, 'dotfiles', 'settings.json'), 'utf8')).toBe(original);
  });

  it('do-task marks the task in the linked tasks.md', () => {
    const p = makeProject();
    const shared = join(p.root, 'shared-tasks.md');
    renameSync(p.tasksFile(), shared);
    symlinkSync(shared, p.tasksFile());
    p.specSession(['start-session', 'inv-1000', 'spec', 'invoice-management']);
    p.specSession(['do-task', 'invoice-management', '1.1']);
    expect(isLink(p.tasksFile())).toBe(true);
    expect(readFileSync(shared, 'utf8')).toContain('- [-] 1.1 Create invoice model');
  });
});
