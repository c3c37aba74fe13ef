import fs from 'node:fs';
import { HOOK_MARK, hookCommand } from './hook-events.js';

type Settings = Record<string, unknown> & { hooks?: Record<string, HookGroup[]>; statusLine?: unknown };
interface HookGroup {
  matcher?: string;
  hooks: Array<{ type: string; command?: string; timeout?: number }>;
}

/** Reads .claude/settings.json; a malformed file is refused before anything is written. */
export function readSettings(file: string): Settings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  if (!text.trim()) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Settings;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix it first: nothing was changed`);
  }
}

const ours = (h: { command?: string }) => typeof h.command === 'string' && h.command.includes(HOOK_MARK);

/** Adds spec-session's hook to each event, keeping every other key and hook. Idempotent. */
export function withOurHooks(settings: Settings, events: string[]): Settings {
  const hooks: Record<string, HookGroup[]> = { ...(settings.hooks ?? {}) };
  for (const event of events) {
    const groups = (hooks[event] ?? []).map((g) => ({ ...g, hooks: g.hooks.filter((h) => !ours(h)) })).filter((g) => g.hooks.length > 0);
    groups.push({ hooks: [{ type: 'command', command: hookCommand(event), timeout: 30 }] });
    hooks[event] = groups;
  }
  return { ...settings, hooks };
}

/** Removes exactly spec-session's hook entries (and events or the hooks key left empty by that). */
export function withoutOurHooks(settings: Settings): Settings {
  if (!settings.hooks) return settings;
  const hooks: Record<string, HookGroup[]> = {};
  for (const [event, groups] of Object.entries(settings.hooks)) {
    const kept = groups.map((g) => ({ ...g, hooks: g.hooks.filter((h) => !ours(h)) })).filter((g) => g.hooks.length > 0);
    if (kept.length) hooks[event] = kept;
  }
  const { hooks: _dropped, ...rest } = settings;
  return Object.keys(hooks).length ? { ...rest, hooks } : rest;
}

export function serializeSettings(settings: Settings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
