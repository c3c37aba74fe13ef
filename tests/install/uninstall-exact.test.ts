/**
 * Install, then uninstall: every file is byte for byte what it was, and every file and folder
 * install created is gone, whatever the settings file looked like (compact or pretty, any indent,
 * CRLF, with or without a final newline, other keys and other hooks before or after ours).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectWith, read, run, tree } from './support/project-tree.js';

const PRETTIER = { matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write' }] };
const USER_STOP = { hooks: [{ type: 'command', command: 'say done' }] };

const SETTINGS: Array<[string, string | undefined]> = [
  ['no .claude folder', undefined],
  [
    'compact, hooks first, no final newline',
    JSON.stringify({ hooks: { PostToolUse: [PRETTIER] }, model: 'haiku', env: { A: '1' } }),
  ],
  [
    'compact with a final newline',
    `${JSON.stringify({ model: 'haiku', permissions: { allow: ['Bash(npm test:*)'] } })}\n`,
  ],
  [
    '2 spaces, hooks between other keys',
    `${JSON.stringify({ model: 'haiku', hooks: { Stop: [USER_STOP] }, statusLine: { type: 'command', command: 'mine' } }, null, 2)}\n`,
  ],
  [
    '4 spaces, CRLF, no final newline',
    JSON.stringify({ model: 'opus', hooks: { PostToolUse: [PRETTIER], Stop: [USER_STOP] } }, null, 4).replace(
      /\n/g,
      '\r\n',
    ),
  ],
  ['tabs, CRLF, final newline', `${JSON.stringify({ env: { X: 'y' } }, null, '\t').replace(/\n/g, '\r\n')}\r\n`],
  ['odd spacing and escapes', '{ "model" : "haiku",\n"note": "caf\\u00e9 \\/ 1.0",   "n": 1.50 }'],
  ['empty object', '{}'],
  ['empty file', ''],
];

const GITIGNORES: Array<[string, string | undefined]> = [
  ['no .gitignore', undefined],
  ['no final newline', 'node_modules/'],
  ['LF', 'node_modules/\ndist/\n'],
  ['CRLF', 'node_modules/\r\ndist/\r\n'],
  ['already ignores the state folder', 'node_modules/\n.claude/spec-session/state/\n'],
];

const GITATTRIBUTES: Array<[string, string | undefined]> = [
  ['no .gitattributes', undefined],
  ['LF, other rules', '*.png binary\n'],
  ['CRLF, no final newline', '*.png binary\r\n*.lock -diff'],
  ['already has one of the lines', '*.png binary\ndocs/PROGRESS.md merge=union\n'],
];

function roundTrip(files: Record<string, string>, installArgs: string[][] = [[]], between?: (dir: string) => void) {
  const dir = projectWith(files);
  mkdirSync(join(dir, 'src'));
  const before = tree(dir);
  for (const args of installArgs) {
    const r = run(['install', '--dir', dir, '--claude-version', '2.1.331', ...args]);
    expect(r.status, r.stderr).toBe(0);
  }
  expect(tree(dir)).not.toEqual(before);
  between?.(dir);
  const r = run(['uninstall', '--dir', dir]);
  expect(r.status, r.stderr).toBe(0);
  return { dir, before, after: tree(dir) };
}

describe('install then uninstall leaves every byte as it was', () => {
  it.each(SETTINGS)('settings: %s', (_name, settings) => {
    const { before, after } = roundTrip(settings === undefined ? {} : { '.claude/settings.json': settings });
    expect(after).toEqual(before);
  });

  it.each(GITIGNORES)('.gitignore: %s', (_name, gitignore) => {
    const { before, after } = roundTrip(
      gitignore === undefined ? { '.claude/settings.json': '{}' } : { '.gitignore': gitignore },
    );
    expect(after).toEqual(before);
  });

  it.each(GITATTRIBUTES)('.gitattributes: %s', (_name, attributes) => {
    const { before, after } = roundTrip(
      attributes === undefined ? { '.claude/settings.json': '{}' } : { '.gitattributes': attributes },
    );
    expect(after).toEqual(before);
  });

  it('with --statusline, installed twice, a command file of the user kept, hooks having run', () => {
    const { before, after } = roundTrip(
      {
        '.claude/settings.json': '{"model":"haiku"}\n',
        '.claude/commands/cost.md': 'my own /cost\n',
        '.claude/commands/other.md': 'x',
      },
      [['--statusline'], ['--statusline']],
      (dir) => {
        mkdirSync(join(dir, '.claude', 'spec-session', 'state', 'claude-sessions'), { recursive: true });
        writeFileSync(join(dir, '.claude', 'spec-session', 'state', 'hook.log'), '{}\n');
        mkdirSync(join(dir, 'docs', 'sessions', 'ledger'), { recursive: true });
      },
    );
    // The record install's hooks made stays; everything else is as before.
    expect(Object.keys(after).filter((k) => !(k in before))).toEqual([
      'docs/',
      'docs/sessions/',
      'docs/sessions/ledger/',
    ]);
    for (const k of Object.keys(before)) expect(after[k], k).toBe(before[k]);
  });
});

describe('a settings file edited after install', () => {
  it('keeps the edit, removes only what install added, in the file’s own style', () => {
    const original =
      '{"model":"haiku","hooks":{"Stop":[{"hooks":[{"type":"command","command":"say done"}]}]},"env":{}}';
    const dir = projectWith({ '.claude/settings.json': original });
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    const installed = JSON.parse(read(dir, '.claude/settings.json')) as Record<string, unknown>;
    writeFileSync(
      join(dir, '.claude', 'settings.json'),
      JSON.stringify({ ...installed, permissions: { allow: ['Read'] } }),
    );
    expect(run(['uninstall', '--dir', dir]).status).toBe(0);
    expect(read(dir, '.claude/settings.json')).toBe(
      '{"model":"haiku","hooks":{"Stop":[{"hooks":[{"type":"command","command":"say done"}]}]},"env":{},"permissions":{"allow":["Read"]}}',
    );
  });
});

describe('an install made before install.json kept bytes (its first version)', () => {
  it('uninstall still removes the hooks, the statusline, the commands and the ignore line', () => {
    const original = `${JSON.stringify({ model: 'haiku', hooks: { Stop: [USER_STOP] } }, null, 2)}\n`;
    const dir = projectWith({ '.claude/settings.json': original, '.gitignore': 'node_modules/\n' });
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331', '--statusline']).status).toBe(0);
    const v1 = {
      version: 1,
      events: ['Stop'],
      commands: ['cost.md', 'do-task.md', 'eod.md', 'log-task.md', 'session-status.md', 'start-session.md'],
      gitignore: true,
      statusline: true,
      config: true,
    };
    writeFileSync(join(dir, '.claude', 'spec-session', 'install.json'), JSON.stringify(v1));
    expect(run(['uninstall', '--dir', dir]).status).toBe(0);
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    expect(tree(dir)).toEqual({
      '.claude/': 'folder',
      '.claude/commands/': 'folder', // the first version did not record the folders it made
      '.claude/settings.json': b64(original),
      '.gitignore': b64('node_modules/\n'),
    });
  });
});

describe('an install whose install.json is gone', () => {
  it('uninstall removes whatever carries spec-session’s marks instead of saying "not installed"', () => {
    const original = `${JSON.stringify({ model: 'haiku' }, null, 2)}\n`;
    const dir = projectWith({ '.claude/settings.json': original });
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    rmSync(join(dir, '.claude', 'spec-session', 'install.json'));
    expect(run(['uninstall', '--dir', dir]).status).toBe(0);
    expect(read(dir, '.claude/settings.json')).toBe(original);
    expect(
      Object.keys(tree(dir)).filter((k) => k.startsWith('.claude/commands/') || k.startsWith('.claude/spec-session/')),
    ).toEqual(['.claude/commands/', '.claude/spec-session/', '.claude/spec-session/config.json']);
  });
});

describe('.gitignore edited between two installs', () => {
  it('keeps the edit and loses only the state line', () => {
    const dir = projectWith({ '.gitignore': 'node_modules/\n' });
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    writeFileSync(join(dir, '.gitignore'), `${read(dir, '.gitignore')}dist/\n`);
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    expect(run(['uninstall', '--dir', dir]).status).toBe(0);
    expect(read(dir, '.gitignore')).toBe('node_modules/\ndist/\n');
  });
});
