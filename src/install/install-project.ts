import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DEFAULT_CONFIG_TEXT } from '../config/project-config.js';
import { projectPaths } from '../project/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { eventsFor } from './hook-events.js';
import { readSettings, serializeSettings, withOurHooks, withoutOurHooks } from './settings-file.js';

export const COMMAND_MARK = '<!-- spec-session command -->';
const IGNORE_LINE = '.claude/spec-session/state/';
const STATUSLINE_COMMAND = 'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/spec-session.cjs" statusline';

/** What install added, so uninstall removes exactly that. */
interface Manifest {
  version: 1;
  events: string[];
  commands: string[];
  gitignore: boolean;
  statusline: boolean;
  config: boolean;
}

export interface InstallOptions {
  projectDir: string;
  /** Folder holding hook.cjs and spec-session.cjs (the package's dist/). */
  bundleDir: string;
  /** Folder holding the slash-command Markdown files. */
  commandsDir: string;
  claudeVersion?: string;
  statusline?: boolean;
}

export function installProject(o: InstallOptions): string {
  const p = projectPaths(o.projectDir);
  if (!fs.existsSync(o.projectDir)) throw new Error(`no such project folder: ${o.projectDir}`);
  const settingsFile = path.join(p.root, '.claude', 'settings.json');
  const settings = readSettings(settingsFile); // refuses malformed JSON before any write
  const version = o.claudeVersion ?? detectClaudeVersion();
  const events = eventsFor(version);
  const previous = readManifest(p.own);
  const notes: string[] = [];

  fs.mkdirSync(p.own, { recursive: true });
  for (const bundle of ['hook.cjs', 'spec-session.cjs']) fs.copyFileSync(path.join(o.bundleDir, bundle), path.join(p.own, bundle));
  let next = withOurHooks(withoutOurHooks(settings), events);
  let statusline = previous?.statusline ?? false;
  if (o.statusline) {
    if (next.statusLine && !statusline) notes.push('statusline: kept your existing statusLine (spec-session statusline can be called from it)');
    else {
      next = { ...next, statusLine: { type: 'command', command: STATUSLINE_COMMAND, padding: 0 } };
      statusline = true;
    }
  }
  writeFileAtomic(settingsFile, serializeSettings(next));

  const commands: string[] = [];
  const commandsTarget = path.join(p.root, '.claude', 'commands');
  fs.mkdirSync(commandsTarget, { recursive: true });
  for (const file of fs.readdirSync(o.commandsDir).filter((f) => f.endsWith('.md')).sort()) {
    const target = path.join(commandsTarget, file);
    if (fs.existsSync(target) && !fs.readFileSync(target, 'utf8').includes(COMMAND_MARK)) {
      notes.push(`kept your own .claude/commands/${file}`);
      continue;
    }
    fs.copyFileSync(path.join(o.commandsDir, file), target);
    commands.push(file);
  }

  const gitignore = path.join(p.root, '.gitignore');
  const ignored = fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '';
  const addedIgnore = !ignored.split('\n').includes(IGNORE_LINE);
  if (addedIgnore) fs.writeFileSync(gitignore, `${ignored}${ignored && !ignored.endsWith('\n') ? '\n' : ''}${IGNORE_LINE}\n`);
  const addedConfig = !fs.existsSync(p.config);
  if (addedConfig) fs.writeFileSync(p.config, DEFAULT_CONFIG_TEXT);

  const manifest: Manifest = {
    version: 1,
    events,
    commands: [...new Set([...(previous?.commands ?? []), ...commands])].sort(),
    gitignore: (previous?.gitignore ?? false) || addedIgnore,
    statusline,
    config: (previous?.config ?? false) || addedConfig,
  };
  writeFileAtomic(path.join(p.own, 'install.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return [
    `spec-session installed in ${p.root}`,
    `  hooks: ${events.join(', ')}${version ? ` (Claude Code ${version})` : ''} → .claude/settings.json`,
    `  commands: ${commands.map((c) => `/${c.replace(/\.md$/, '')}`).join(' ')} → .claude/commands/`,
    `  runtime: .claude/spec-session/hook.cjs, spec-session.cjs (commit them: teammates need no install)`,
    `  machine-local state: ${IGNORE_LINE} (git-ignored)`,
    ...notes.map((n) => `  note: ${n}`),
    'Next: in Claude Code, /start-session <name> spec <spec>',
  ].join('\n') + '\n';
}

export function uninstallProject(projectDir: string): string {
  const p = projectPaths(projectDir);
  const manifest = readManifest(p.own);
  if (!manifest) throw new Error(`spec-session is not installed in ${p.root} (no .claude/spec-session/install.json)`);
  const settingsFile = path.join(p.root, '.claude', 'settings.json');
  let settings = withoutOurHooks(readSettings(settingsFile));
  if (manifest.statusline && (settings.statusLine as { command?: string } | undefined)?.command === STATUSLINE_COMMAND) {
    const { statusLine: _removed, ...rest } = settings;
    settings = rest;
  }
  writeFileAtomic(settingsFile, serializeSettings(settings));
  for (const file of manifest.commands) {
    const target = path.join(p.root, '.claude', 'commands', file);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8').includes(COMMAND_MARK)) fs.rmSync(target);
  }
  if (manifest.gitignore) {
    const gitignore = path.join(p.root, '.gitignore');
    if (fs.existsSync(gitignore)) fs.writeFileSync(gitignore, fs.readFileSync(gitignore, 'utf8').split('\n').filter((l) => l !== IGNORE_LINE).join('\n'));
  }
  for (const f of ['hook.cjs', 'spec-session.cjs', 'install.json']) fs.rmSync(path.join(p.own, f), { force: true });
  fs.rmSync(p.state, { recursive: true, force: true });
  if (manifest.config && fs.existsSync(p.config) && fs.readFileSync(p.config, 'utf8') === DEFAULT_CONFIG_TEXT) fs.rmSync(p.config);
  if (fs.existsSync(p.own) && fs.readdirSync(p.own).length === 0) fs.rmdirSync(p.own);
  return `spec-session removed from ${p.root}; the ledger and docs/ it wrote are kept.\n`;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'install.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function detectClaudeVersion(): string | undefined {
  try {
    const out = execFileSync('claude', ['--version'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return /(\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}
