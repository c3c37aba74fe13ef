/**
 * The names spec-session accepts from outside and may turn into file names: one definition each.
 * Claude Code's session ids name state files; spec and task names name folders and ledger fields.
 */

/** A Claude Code session id: a UUID in practice; any id of these characters is safe as a file name. */
export const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A spec, work-session or task name: spec-workflow's folder names, never a path. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}

export function isSafeName(value: string | null | undefined): boolean {
  return typeof value === 'string' && SAFE_NAME.test(value) && !value.includes('..');
}
