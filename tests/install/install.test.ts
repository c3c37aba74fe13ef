/** Install and uninstall, run as the real CLI on scratch projects. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(__dirname, '..', '..', 'dist', 'spec-session.cjs');
const run = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });

function project(settings?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-session-install-'));
  if (settings !== undefined) {
    mkdirSync(join(dir, '.claude'), { recursive: true });
    writeFileSync(join(dir, '.claude', 'settings.json'), settings);
  }
  return dir;
}
const settingsOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8'));

const USER_SETTINGS = JSON.stringify({
  model: 'haiku',
  permissions: { allow: ['Bash(npm test:*)'] },
  hooks: { PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write' }] }] },
  statusLine: { type: 'command', command: 'my-statusline' },
});

describe('install', () => {
  it('merges its hooks, keeps every other key and hook, and is idempotent', () => {
    const dir = project(USER_SETTINGS);
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    const once = readFileSync(join(dir, '.claude', 'settings.json'), 'utf8');
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(once);
    const s = settingsOf(dir);
    expect(s.model).toBe('haiku');
    expect(s.permissions).toEqual({ allow: ['Bash(npm test:*)'] });
    expect(s.hooks.PostToolUse[0]).toEqual({
      matcher: 'Write',
      hooks: [{ type: 'command', command: 'prettier --write' }],
    });
    expect(Object.keys(s.hooks).sort()).toEqual([
      'PostToolUse',
      'SessionEnd',
      'SessionStart',
      'Stop',
      'SubagentStop',
      'UserPromptSubmit',
    ]);
    expect(s.hooks.Stop[0].hooks[0].command).toBe('node "$CLAUDE_PROJECT_DIR/.claude/spec-session/hook.cjs" Stop');
    expect(readdirSync(join(dir, '.claude', 'commands')).sort()).toEqual([
      'cost.md',
      'do-task.md',
      'eod.md',
      'log-task.md',
      'session-status.md',
      'start-session.md',
    ]);
    expect(existsSync(join(dir, '.claude', 'spec-session', 'hook.cjs'))).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.claude/spec-session/state/\n');
  });

  it('refuses malformed settings with one line and writes nothing', () => {
    const dir = project('{"hooks": {');
    const r = run(['install', '--dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('settings.json is not valid JSON');
    expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe('{"hooks": {');
    expect(existsSync(join(dir, '.claude', 'spec-session'))).toBe(false);
    expect(existsSync(join(dir, '.claude', 'commands'))).toBe(false);
  });

  it('registers only the events an old Claude Code knows', () => {
    const dir = project();
    run(['install', '--dir', dir, '--claude-version', '1.0.60']);
    expect(Object.keys(settingsOf(dir).hooks).sort()).toEqual([
      'PostToolUse',
      'Stop',
      'SubagentStop',
      'UserPromptSubmit',
    ]);
  });

  it('keeps a statusline the user already has, and adds its own otherwise', () => {
    const mine = project(USER_SETTINGS);
    run(['install', '--dir', mine, '--statusline', '--claude-version', '2.1.331']);
    expect(settingsOf(mine).statusLine).toEqual({ type: 'command', command: 'my-statusline' });
    const fresh = project();
    run(['install', '--dir', fresh, '--statusline', '--claude-version', '2.1.331']);
    expect(settingsOf(fresh).statusLine.command).toBe(
      'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/hook.cjs" statusline',
    );
  });

  it("keeps one code cache for the hook's library in the project's state, whatever older ones lay there", () => {
    const dir = project();
    run(['install', '--dir', dir, '--claude-version', '2.1.331']);
    const cacheDir = join(dir, '.claude', 'spec-session', 'state', 'code-cache');
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, '756000-1796000000000-v20.0.0.bin'), "0.1's name");
    writeFileSync(join(cacheDir, '0badf00d-1-2-v20.0.0.bin'), 'the project before it moved');
    const hook = (event: string) =>
      spawnSync(process.execPath, [join(dir, '.claude', 'spec-session', 'hook.cjs'), event], {
        input: JSON.stringify({
          session_id: 's-1',
          transcript_path: join(dir, 't.jsonl'),
          cwd: dir,
          hook_event_name: event,
          prompt: '/session-status',
        }),
        env: { ...process.env, CLAUDE_PROJECT_DIR: dir, HOME: dir },
        encoding: 'utf8',
      });
    const first = hook('UserPromptSubmit'); // answered by the full library
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('No active session');
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const cache = join(cacheDir, readdirSync(cacheDir)[0]!);
    const written = statSync(cache).mtimeMs;
    expect(hook('UserPromptSubmit').stdout).toBe(first.stdout);
    expect(statSync(cache).mtimeMs).toBe(written); // taken as it was, not rejected and made again
  });

  it('answers `/cost --help` in Claude Code with the usage, at zero model tokens', () => {
    const dir = project();
    run(['install', '--dir', dir, '--claude-version', '2.1.331']);
    const prompt = (text: string) =>
      spawnSync(process.execPath, [join(dir, '.claude', 'spec-session', 'hook.cjs'), 'UserPromptSubmit'], {
        input: JSON.stringify({
          session_id: 's-1',
          transcript_path: join(dir, 't.jsonl'),
          cwd: dir,
          hook_event_name: 'UserPromptSubmit',
          prompt: text,
        }),
        env: { ...process.env, CLAUDE_PROJECT_DIR: dir, HOME: dir },
        encoding: 'utf8',
      });
    const answer = prompt('/cost --help');
    expect(answer.status).toBe(0);
    const out = JSON.parse(answer.stdout) as { decision?: string; reason?: string };
    expect(out.decision).toBe('block'); // answered here: the prompt never reaches the model
    expect(out.reason).toBe(
      '/cost [today|week|month|all] [--json] [--since D] [--until D] [--tz Zone] [--prices anthropic|claude-code]\n' +
        '  cost by session, spec, task and model vs budgets (/cost)',
    );
    expect(JSON.parse(prompt('/eod -h').stdout).reason).toMatch(/^\/eod \[--date YYYY-MM-DD\]/);
    // A misspelt option is named, with where the right ones are.
    expect(JSON.parse(prompt('/cost --jsno').stdout).reason).toBe(
      "spec-session /cost: unknown option '--jsno' (--help lists the options)",
    );
  });

  it("moves 0.1.0's status line (the full bundle, no code cache) to the hook's, on the next install", () => {
    const dir = project();
    run(['install', '--dir', dir, '--statusline', '--claude-version', '2.1.331']);
    const file = join(dir, '.claude', 'settings.json');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'spec-session/hook.cjs\\" statusline',
        'spec-session/spec-session.cjs\\" statusline',
      ),
    );
    expect(settingsOf(dir).statusLine.command).toContain('spec-session.cjs');
    run(['install', '--dir', dir, '--claude-version', '2.1.331']);
    expect(settingsOf(dir).statusLine).toEqual({
      type: 'command',
      command: 'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/hook.cjs" statusline',
      padding: 0,
    });
  });

  it('keeps a command file the user wrote', () => {
    const dir = project();
    mkdirSync(join(dir, '.claude', 'commands'), { recursive: true });
    writeFileSync(join(dir, '.claude', 'commands', 'cost.md'), 'my own cost command\n');
    const r = run(['install', '--dir', dir, '--claude-version', '2.1.331']);
    expect(r.stdout).toContain('kept your own .claude/commands/cost.md');
    expect(readFileSync(join(dir, '.claude', 'commands', 'cost.md'), 'utf8')).toBe('my own cost command\n');
  });

  it('uninstall removes exactly what install added', () => {
    const dir = project(USER_SETTINGS);
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
    run(['install', '--dir', dir, '--claude-version', '2.1.331']);
    mkdirSync(join(dir, 'docs', 'sessions', 'ledger'), { recursive: true });
    expect(run(['uninstall', '--dir', dir]).status).toBe(0);
    expect(settingsOf(dir)).toEqual(JSON.parse(USER_SETTINGS));
    expect(existsSync(join(dir, '.claude', 'commands', 'cost.md'))).toBe(false);
    expect(existsSync(join(dir, '.claude', 'spec-session'))).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n');
    expect(existsSync(join(dir, 'docs', 'sessions', 'ledger'))).toBe(true); // the record stays
  });
});
