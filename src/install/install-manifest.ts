import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import '../store/zod-english.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * `.claude/spec-session/install.json`: what install created or changed, so uninstall puts every
 * byte back. For each file it changed (settings.json, .gitignore) it keeps the bytes from before
 * and a hash of what it wrote: while the file still holds exactly that, uninstall restores the old
 * bytes (or removes the file install created). A file edited since is not restored, since that would lose
 * the edit: uninstall then removes only spec-session's entries from it.
 */
const FileChangeSchema = z.object({
  /** The bytes before install, base64; null: install created the file; absent: not known (the file already had our entries). */
  before: z.optional(z.nullable(z.string())),
  /** sha256 of the bytes install wrote. */
  after: z.string(),
});
export type FileChange = z.infer<typeof FileChangeSchema>;

const ManifestV2Schema = z.object({
  version: z.literal(2),
  events: z.array(z.string()),
  /** Command files install wrote into .claude/commands/. */
  commands: z.array(z.string()),
  statusline: z.boolean(),
  /** install wrote config.json (it is removed while it is still the default). */
  config: z.boolean(),
  /** Keyed by path relative to the project: '.claude/settings.json', '.gitignore'. */
  files: z.record(z.string(), FileChangeSchema),
  /** Folders install created, relative to the project, parents first. */
  createdDirs: z.array(z.string()),
});
export type InstallManifest = z.infer<typeof ManifestV2Schema>;

/** The first manifest: no bytes kept, so uninstall can only remove entries (kept readable for old installs). */
const ManifestV1Schema = z.object({
  version: z.literal(1),
  events: z.array(z.string()),
  commands: z.array(z.string()),
  gitignore: z.boolean(),
  statusline: z.boolean(),
  config: z.boolean(),
});

export const MANIFEST_FILE = 'install.json';

/** The manifest in `ownDir`, as version 2; undefined when there is none (or it cannot be read). */
export function readManifest(ownDir: string): InstallManifest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(ownDir, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined; // no manifest: installed by 0.1.0 or never
  }
  const v2 = ManifestV2Schema.safeParse(raw);
  if (v2.success) return v2.data;
  const v1 = ManifestV1Schema.safeParse(raw);
  if (!v1.success) return undefined;
  const { gitignore, ...rest } = v1.data;
  return { ...rest, version: 2, files: gitignore ? { '.gitignore': { after: '' } } : {}, createdDirs: [] };
}

export function writeManifest(ownDir: string, manifest: InstallManifest): void {
  writeFileAtomic(path.join(ownDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The record of a change from `current` to `next` (undefined: no file). A re-install over a file
 * still as install left it keeps the first install's `before`; `hadOurs` says `current` already
 * holds spec-session's entries from an install whose original bytes are lost.
 */
export function fileChange(
  previous: FileChange | undefined,
  current: Buffer | undefined,
  next: Buffer,
  hadOurs: boolean,
): FileChange | undefined {
  if (previous && current && sha256(current) === previous.after) return { ...previous, after: sha256(next) };
  if (!previous && current?.equals(next)) return undefined; // nothing to undo
  if (hadOurs) return { after: sha256(next) };
  return { before: current === undefined ? null : current.toString('base64'), after: sha256(next) };
}
