import * as z from 'zod/mini';
import '../store/zod-english.js';
import { HOOK_MARK, hookCommand } from './hook-events.js';

/**
 * The part of `.claude/settings.json` spec-session reads or changes, checked whole before anything
 * is written (Claude Code's shape: {"hooks": {"<Event>": [{"matcher"?, "hooks": [{"type", "command"}]}]}}).
 * Every other key, and every other field of a hook, is kept as it is.
 */
const HookSchema = z.looseObject({ command: z.optional(z.string()) });
const HookGroupSchema = z.looseObject({ hooks: z.array(HookSchema) });
const SettingsSchema = z.looseObject({ hooks: z.optional(z.record(z.string(), z.array(HookGroupSchema))) });

export type Settings = z.infer<typeof SettingsSchema> & { statusLine?: unknown };
type HookGroup = z.infer<typeof HookGroupSchema>;

/** How a settings file is written, so a rewrite looks like the file it replaces. */
export interface JsonStyle {
  indent: string;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

/**
 * Parses settings text (undefined: no file); a malformed file, or one of the wrong shape, is
 * refused in one line naming the key, before anything is written.
 */
export function parseSettings(text: string | undefined, file: string): Settings {
  if (text === undefined || !text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix it first: nothing was changed`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file}: must be a JSON object, not ${kindOf(parsed)}; fix it first: nothing was changed`);
  const result = SettingsSchema.safeParse(parsed);
  // The parsed object itself, not zod's copy: a copy may order keys differently.
  if (result.success) return parsed as Settings;
  const issue = result.error.issues[0]!;
  const at = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
  const expected = issue.code !== 'invalid_type' ? 'valid' : issue.expected === 'record' ? 'object' : issue.expected;
  const article = expected === 'array' || expected === 'object' ? 'an' : 'a';
  throw new Error(
    `${file}: ${at} must be ${article} ${expected}, not ${kindOf(valueAt(parsed, issue.path))}; fix it first: nothing was changed`,
  );
}

const ours = (h: { command?: string | undefined }) => typeof h.command === 'string' && h.command.includes(HOOK_MARK);

/** Adds spec-session's hook to each event, keeping every other key and hook. Idempotent. */
export function withOurHooks(settings: Settings, events: string[]): Settings {
  const hooks: Record<string, HookGroup[]> = { ...(settings.hooks ?? {}) };
  for (const event of events) {
    const groups = withoutOurs(hooks[event] ?? []);
    groups.push({ hooks: [{ type: 'command', command: hookCommand(event), timeout: 30 }] });
    hooks[event] = groups;
  }
  return { ...settings, hooks };
}

/** Removes exactly spec-session's hook entries (and events or the hooks key left empty by that),
 * keeping every key where it was. */
export function withoutOurHooks(settings: Settings): Settings {
  if (!settings.hooks) return settings;
  const hooks: Record<string, HookGroup[]> = {};
  for (const [event, groups] of Object.entries(settings.hooks)) {
    const kept = withoutOurs(groups);
    if (kept.length) hooks[event] = kept;
  }
  const out: Settings = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key !== 'hooks') out[key] = value;
    else if (Object.keys(hooks).length) out.hooks = hooks;
  }
  return out;
}

function withoutOurs(groups: HookGroup[]): HookGroup[] {
  return groups
    .filter((g) => !g.hooks.some(ours) || g.hooks.some((h) => !ours(h)))
    .map((g) => (g.hooks.some(ours) ? { ...g, hooks: g.hooks.filter((h) => !ours(h)) } : g));
}

/** The events spec-session's hook is registered for. */
export function eventsWithOurHooks(settings: Settings): string[] {
  return Object.entries(settings.hooks ?? {})
    .filter(([, groups]) => groups.some((g) => g.hooks.some(ours)))
    .map(([event]) => event);
}

export const hasOurHooks = (settings: Settings) => eventsWithOurHooks(settings).length > 0;

/** The style of an existing settings file: its indent (none = compact), line ends, final newline. */
export function jsonStyleOf(text: string | undefined): JsonStyle {
  if (text === undefined || !text.trim()) return { indent: '  ', eol: '\n', finalNewline: true };
  return {
    indent: /\n([ \t]+)\S/.exec(text)?.[1] ?? '',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    finalNewline: /\n$/.test(text),
  };
}

export function serializeSettings(settings: Settings, style: JsonStyle = jsonStyleOf(undefined)): string {
  const json = JSON.stringify(settings, null, style.indent);
  return (style.eol === '\n' ? json : json.replace(/\n/g, '\r\n')) + (style.finalNewline ? style.eol : '');
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const key of path)
    current =
      current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
