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
export const STATUSLINE_COMMAND = 'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/spec-session.cjs" statusline';

export const isOurStatusLine = (statusLine: unknown) => (statusLine as { command?: unknown } | undefined)?.command === STATUSLINE_COMMAND;

/** `.gitignore` with the state folder ignored: its line appended, in the file's own line ends. */
export function withIgnoreLine(bytes: Buffer | undefined): Buffer {
  const text = bytes?.toString('utf8') ?? '';
  if (text.split(/\r?\n/).includes(IGNORE_LINE)) return bytes ?? Buffer.alloc(0);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return Buffer.from(`${text}${text && !text.endsWith('\n') ? eol : ''}${IGNORE_LINE}${eol}`);
}

function withoutIgnoreLine(bytes: Buffer): Buffer {
  const lines = bytes.toString('utf8').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return Buffer.from(lines.filter((l) => l.replace(/\r?\n$/, '') !== IGNORE_LINE).join(''));
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
    if (manifest.statusline && isOurStatusLine(kept.statusLine)) kept = Object.fromEntries(Object.entries(kept).filter(([k]) => k !== 'statusLine'));
    if (JSON.stringify(kept) !== JSON.stringify(settings)) {
      const created = settingsChange?.before === null && Object.keys(kept).length === 0;
      steps.push(created ? () => fs.rmSync(settingsFile) : () => writeFileAtomic(settingsFile, serializeSettings(kept, jsonStyleOf(text))));
    }
  } else if (settingsBytes !== undefined) steps.push(() => restore(settingsFile, settingsChange!.before!));

  const ignoreFile = path.join(root, GITIGNORE);
  const ignoreBytes = readFileIfExists(ignoreFile);
  const ignoreChange = manifest.files[GITIGNORE];
  if (ignoreBytes !== undefined && ignoreChange) {
    if (restorable(ignoreBytes, ignoreChange)) steps.push(() => restore(ignoreFile, ignoreChange.before!));
    else {
      const kept = withoutIgnoreLine(ignoreBytes);
      if (!kept.equals(ignoreBytes)) steps.push(kept.length === 0 && ignoreChange.before === null ? () => fs.rmSync(ignoreFile) : () => writeFileAtomic(ignoreFile, kept));
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
