import fs from 'node:fs';
import path from 'node:path';
import { childProcess } from '../store/lazy-builtins.js';
import { DEFAULT_CONFIG_TEXT } from '../config/project-config.js';
import { projectPaths } from '../project/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { fileProblem, readFileIfExists } from '../store/fs-utils.js';
import { eventsFor, parseClaudeVersion } from './hook-events.js';
import { fileChange, readManifest, writeManifest, type InstallManifest } from './install-manifest.js';
import {
  ATTRIBUTE_LINES,
  GITATTRIBUTES,
  GITIGNORE,
  IGNORE_LINE,
  isOurStatusLine,
  SETTINGS,
  STATUSLINE_COMMAND,
  undoFileChanges,
  withIgnoreLine,
  withLines,
} from './installed-files.js';
import {
  hasOurHooks,
  jsonStyleOf,
  parseSettings,
  serializeSettings,
  withOurHooks,
  withoutOurHooks,
} from './settings-file.js';

export const COMMAND_MARK = '<!-- spec-session command -->';
const BUNDLES = ['hook.cjs', 'spec-session.cjs'];
/** Folders install may create, parents first. */
const FOLDERS = ['.claude', path.join('.claude', 'commands'), path.join('.claude', 'spec-session')];

export interface InstallOptions {
  projectDir: string;
  /** Folder holding hook.cjs and spec-session.cjs (the package's dist/). */
  bundleDir: string;
  /** Folder holding the slash-command Markdown files. */
  commandsDir: string;
  claudeVersion?: string;
  statusline?: boolean;
}

/**
 * Everything is read, checked and computed first; then the manifest is written (so uninstall can
 * undo even an install that dies half-way), then the files. Refusals write nothing.
 */
export function installProject(o: InstallOptions): string {
  const p = projectPaths(o.projectDir);
  if (!fs.existsSync(o.projectDir)) throw new Error(`no such project folder: ${o.projectDir}`);
  const version = o.claudeVersion !== undefined ? parseClaudeVersion(o.claudeVersion) : detectClaudeVersion();
  const events = eventsFor(version);
  const at = (relative: string) => path.join(p.root, relative);
  const settingsBytes = readFileIfExists(at(SETTINGS));
  const settingsText = settingsBytes?.toString('utf8');
  const settings = parseSettings(settingsText, at(SETTINGS));
  const ignoreBytes = readFileIfExists(at(GITIGNORE));
  const attributesBytes = readFileIfExists(at(GITATTRIBUTES));
  const previous = readManifest(p.own);
  const notes: string[] = [];

  let next = withOurHooks(withoutOurHooks(settings), events);
  let statusline = previous?.statusline ?? false;
  // An earlier install's status line moves to the current command.
  if (statusline && isOurStatusLine(next.statusLine))
    next = { ...next, statusLine: { ...(next.statusLine as object), command: STATUSLINE_COMMAND } };
  if (o.statusline) {
    if (next.statusLine && !statusline)
      notes.push('statusline: kept your existing statusLine (spec-session statusline can be called from it)');
    else {
      next = { ...next, statusLine: { type: 'command', command: STATUSLINE_COMMAND, padding: 0 } };
      statusline = true;
    }
  }
  const settingsOut = Buffer.from(serializeSettings(next, jsonStyleOf(settingsText)));
  const ignoreOut = withIgnoreLine(ignoreBytes);
  const attributesOut = withLines(attributesBytes, ATTRIBUTE_LINES);

  const commands: string[] = [];
  for (const file of fs
    .readdirSync(o.commandsDir)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const existing = readCommandFile(at(path.join('.claude', 'commands', file)));
    if (existing !== undefined && !existing.includes(COMMAND_MARK))
      notes.push(`kept your own .claude/commands/${file}`);
    else commands.push(file);
  }
  const files: InstallManifest['files'] = {};
  const settingsChange = fileChange(
    previous?.files[SETTINGS],
    settingsBytes,
    settingsOut,
    hasOurHooks(settings) || isOurStatusLine(settings.statusLine),
  );
  if (settingsChange) files[SETTINGS] = settingsChange;
  const ignoreChange = fileChange(
    previous?.files[GITIGNORE],
    ignoreBytes,
    ignoreOut,
    ignoreBytes?.equals(ignoreOut) === true,
  );
  if (ignoreChange) files[GITIGNORE] = ignoreChange;
  const attributesChange = fileChange(
    previous?.files[GITATTRIBUTES],
    attributesBytes,
    attributesOut,
    attributesBytes?.equals(attributesOut) === true,
  );
  if (attributesChange) files[GITATTRIBUTES] = attributesChange;
  const addedConfig = !fs.existsSync(p.config);
  const manifest: InstallManifest = {
    version: 2,
    events,
    commands: [...new Set([...(previous?.commands ?? []), ...commands])].sort(),
    statusline,
    config: (previous?.config ?? false) || addedConfig,
    files,
    createdDirs: [...new Set([...(previous?.createdDirs ?? []), ...FOLDERS.filter((f) => !fs.existsSync(at(f)))])],
  };

  fs.mkdirSync(p.own, { recursive: true });
  writeManifest(p.own, manifest);
  for (const bundle of BUNDLES) fs.copyFileSync(path.join(o.bundleDir, bundle), path.join(p.own, bundle));
  writeFileAtomic(at(SETTINGS), settingsOut);
  fs.mkdirSync(at(path.join('.claude', 'commands')), { recursive: true });
  for (const file of commands)
    fs.copyFileSync(path.join(o.commandsDir, file), at(path.join('.claude', 'commands', file)));
  if (!ignoreBytes?.equals(ignoreOut)) writeFileAtomic(at(GITIGNORE), ignoreOut);
  if (!attributesBytes?.equals(attributesOut)) writeFileAtomic(at(GITATTRIBUTES), attributesOut);
  if (addedConfig) fs.writeFileSync(p.config, DEFAULT_CONFIG_TEXT);

  return `${[
    `spec-session installed in ${p.root}`,
    `  hooks: ${events.join(', ')}${version ? ` (Claude Code ${version})` : ''} → .claude/settings.json`,
    `  commands: ${commands.map((c) => `/${c.replace(/\.md$/, '')}`).join(' ')} → .claude/commands/`,
    `  runtime: .claude/spec-session/hook.cjs, spec-session.cjs (commit them: teammates need no install)`,
    `  machine-local state: ${IGNORE_LINE} (git-ignored)`,
    `  merges: docs/ summaries use git's union merge (${GITATTRIBUTES}), so teammates' /eod never conflict`,
    ...(version
      ? []
      : [
          '  note: `claude --version` did not answer, so every event is registered; pass --claude-version X.Y.Z if yours is older than 1.0.85',
        ]),
    ...notes.map((n) => `  note: ${n}`),
    'Next: in Claude Code, /start-session <name> spec <spec>',
  ].join('\n')}\n`;
}

/**
 * Removes what install added and puts back what it changed, byte for byte (see install-manifest.ts);
 * the ledger and docs/ stay. Without a manifest, whatever carries spec-session's marks is removed.
 */
export function uninstallProject(projectDir: string): string {
  const p = projectPaths(projectDir);
  const manifest = readManifest(p.own) ?? manifestFromMarks(p.root, p.own);
  if (!manifest)
    throw new Error(
      `spec-session is not installed in ${p.root} (no .claude/spec-session/install.json, and no spec-session hooks in .claude/settings.json)`,
    );
  undoFileChanges(p.root, manifest); // checks every file first: a refusal writes nothing
  for (const file of manifest.commands) {
    const target = path.join(p.root, '.claude', 'commands', file);
    if (readCommandFile(target)?.includes(COMMAND_MARK)) fs.rmSync(target);
  }
  for (const f of [...BUNDLES, 'install.json']) fs.rmSync(path.join(p.own, f), { force: true });
  fs.rmSync(p.state, { recursive: true, force: true });
  if (manifest.config && readFileIfExists(p.config)?.toString('utf8') === DEFAULT_CONFIG_TEXT) fs.rmSync(p.config);
  const removable = manifest.createdDirs.length ? manifest.createdDirs : [path.join('.claude', 'spec-session')];
  for (const dir of [...removable].reverse()) removeIfEmpty(path.join(p.root, dir));
  return `spec-session removed from ${p.root}; the ledger and docs/ it wrote are kept.\n`;
}

/** A command file's text; undefined when there is none. A folder in its place is kept as the user's. */
function readCommandFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') return '';
    throw fileProblem(file, error);
  }
}

/** What an install without a (readable) manifest left: found by the marks it writes. */
function manifestFromMarks(root: string, own: string): InstallManifest | undefined {
  const settings = readFileIfExists(path.join(root, SETTINGS))?.toString('utf8');
  const hooks = settings !== undefined && hasOurHooks(parseSettings(settings, path.join(root, SETTINGS)));
  const bundles = BUNDLES.some((b) => fs.existsSync(path.join(own, b)));
  if (!hooks && !bundles) return undefined;
  const commandsDir = path.join(root, '.claude', 'commands');
  const commands = fs.existsSync(commandsDir)
    ? fs
        .readdirSync(commandsDir)
        .filter((f) => f.endsWith('.md') && readCommandFile(path.join(commandsDir, f))?.includes(COMMAND_MARK))
    : [];
  return { version: 2, events: [], commands, statusline: true, config: false, files: {}, createdDirs: [] };
}

function removeIfEmpty(dir: string): void {
  try {
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  } catch {
    // not there, or not ours to remove
  }
}

function detectClaudeVersion(): string | undefined {
  try {
    const out = childProcess().execFileSync('claude', ['--version'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /(\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    return undefined; // no claude on PATH (or it failed): version unknown, every event is registered
  }
}
