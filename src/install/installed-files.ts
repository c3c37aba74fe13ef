import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { readFileIfExists } from '../store/fs-utils.js';
import { sha256, type FileChange, type InstallManifest } from './install-manifest.js';
import { jsonStyleOf, parseSettings, serializeSettings, withoutOurHooks, type Settings } from './settings-file.js';

/** The two files install shares with the user, relative to the project. */
export const SETTINGS = path.join('.claude', 'settings.json');
export const GITIGNORE = '.gitignore';
export const IGNORE_LINE = '.claude/spec-session/state/';
/**
 * The files spec-session regenerates from the ledger merge with git's union driver: two people's
 * /eod on one day then never conflict, and any spec-session run regenerates a file so merged (its
 * content no longer matches its own stamp; see workflow/derived-files.ts).
 */
export const GITATTRIBUTES = '.gitattributes';
export const ATTRIBUTE_LINES = [
  'docs/PROGRESS.md merge=union',
  'docs/sessions/daily/*.md merge=union',
  'docs/sessions/archive/**/*.md merge=union',
  'docs/sessions/.current/*.md merge=union',
];
export const STATUSLINE_COMMAND = 'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/hook.cjs" statusline';
/** What 0.1.0 installed: the full bundle without the code cache. */
const STATUSLINE_COMMAND_0_1 = 'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/spec-session.cjs" statusline';

export const isOurStatusLine = (statusLine: unknown) => {
  const command = (statusLine as { command?: unknown } | undefined)?.command;
  return command === STATUSLINE_COMMAND || command === STATUSLINE_COMMAND_0_1;
};

/** `.gitignore` with the state folder ignored: its line appended, in the file's own line ends. */
export function withIgnoreLine(bytes: Buffer | undefined): Buffer {
  return withLines(bytes, [IGNORE_LINE]);
}

/** A line-based file (.gitignore, .gitattributes) with `wanted` lines appended where missing, in the file's own line ends. */
export function withLines(bytes: Buffer | undefined, wanted: string[]): Buffer {
  const text = bytes?.toString('utf8') ?? '';
  const have = new Set(text.split(/\r?\n/));
  const missing = wanted.filter((l) => !have.has(l));
  if (missing.length === 0) return bytes ?? Buffer.alloc(0);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return Buffer.from(`${text}${text && !text.endsWith('\n') ? eol : ''}${missing.map((l) => `${l}${eol}`).join('')}`);
}

function withoutLines(bytes: Buffer, ours: string[]): Buffer {
  const lines = bytes.toString('utf8').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return Buffer.from(lines.filter((l) => !ours.includes(l.replace(/\r?\n$/, ''))).join(''));
}

/**
 * Undoes install's edits to settings.json and .gitignore. A file still exactly as install wrote it
 * gets its old bytes back (or is removed, if install created it); a file edited since keeps the
 * edit and loses only spec-session's entries, written in the file's own style. Everything is
 * checked before the first write, so a refusal (a settings file of the wrong shape) writes nothing.
 */
export function undoFileChanges(root: string, manifest: InstallManifest): void {
  const steps: Array<() => void> = [];
  const settingsFile = path.join(root, SETTINGS);
  const settingsBytes = readFileIfExists(settingsFile);
  const settingsChange = manifest.files[SETTINGS];
  if (settingsBytes !== undefined && !restorable(settingsBytes, settingsChange)) {
    const text = settingsBytes.toString('utf8');
    const settings = parseSettings(text, settingsFile);
    let kept: Settings = withoutOurHooks(settings);
    if (manifest.statusline && isOurStatusLine(kept.statusLine))
      kept = Object.fromEntries(Object.entries(kept).filter(([k]) => k !== 'statusLine'));
    if (JSON.stringify(kept) !== JSON.stringify(settings)) {
      const created = settingsChange?.before === null && Object.keys(kept).length === 0;
      steps.push(
        created
          ? () => fs.rmSync(settingsFile)
          : () => writeFileAtomic(settingsFile, serializeSettings(kept, jsonStyleOf(text))),
      );
    }
  } else if (settingsBytes !== undefined) steps.push(() => restore(settingsFile, settingsChange!.before!));

  for (const [name, ours] of [
    [GITIGNORE, [IGNORE_LINE]],
    [GITATTRIBUTES, ATTRIBUTE_LINES],
  ] as const) {
    const file = path.join(root, name);
    const bytes = readFileIfExists(file);
    const change = manifest.files[name];
    // An install.json of an older version did not record .gitattributes: its lines are found by their text.
    if (bytes === undefined || (!change && name !== GITATTRIBUTES)) continue;
    if (change && restorable(bytes, change)) steps.push(() => restore(file, change.before!));
    else {
      const kept = withoutLines(bytes, [...ours]);
      const created = change ? change.before === null : kept.length === 0;
      if (!kept.equals(bytes))
        steps.push(kept.length === 0 && created ? () => fs.rmSync(file) : () => writeFileAtomic(file, kept));
    }
  }
  for (const step of steps) step();
}

/** The file is byte for byte what install wrote, and install knows what was there before. */
function restorable(bytes: Buffer, change: FileChange | undefined): boolean {
  return change !== undefined && change.before !== undefined && sha256(bytes) === change.after;
}

/** Puts back the bytes from before install; null: install created the file, so it goes. */
function restore(file: string, before: string | null): void {
  if (before === null) fs.rmSync(file);
  else writeFileAtomic(file, Buffer.from(before, 'base64'));
}
