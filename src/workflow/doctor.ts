import fs from 'node:fs';
import path from 'node:path';
import { readHookLog } from '../capture/hook-log.js';
import { ledgerDamage, readLedger } from '../ledger/read-ledger.js';
import { projectPaths } from '../project/paths.js';
import { eventsWithOurHooks, parseSettings, type Settings } from '../install/settings-file.js';
import { readFileIfExists } from '../store/fs-utils.js';
import { projectTranscriptDirs } from './catch-up.js';
import { versionsNote } from '../ledger/claude-versions.js';
import { loadSessionState, sessionStateIds } from '../capture/claude-session-state.js';

/**
 * `spec-session doctor`: is capture working here, and what went wrong if not. Every check, and
 * the number that failed (✗). It reads the ledger itself, not the index: it checks the truth.
 */
export function doctorReport(projectDir: string): { report: string; failed: number } {
  const p = projectPaths(projectDir);
  const lines = [`spec-session doctor · ${p.root}`];
  let failed = 0;
  const check = (ok: boolean, text: string) => {
    if (!ok) failed++;
    lines.push(`${ok ? '✓' : '✗'} ${text}`);
  };
  let settings: Settings = {};
  try {
    const file = path.join(p.root, '.claude', 'settings.json');
    settings = parseSettings(readFileIfExists(file)?.toString('utf8'), file);
  } catch (error) {
    check(false, (error as Error).message);
  }
  const events = eventsWithOurHooks(settings);
  check(
    events.length > 0,
    events.length
      ? `hooks registered: ${events.join(', ')}`
      : 'no spec-session hooks in .claude/settings.json (run: npx spec-session install)',
  );
  for (const bundle of ['hook.cjs', 'spec-session.cjs'])
    check(fs.existsSync(path.join(p.own, bundle)), `.claude/spec-session/${bundle}`);
  const dirs = projectTranscriptDirs(p.root);
  // None yet is where every install starts, not a failure.
  if (dirs.length) check(true, `transcripts: ${dirs.join(', ')}`);
  else lines.push('  no Claude Code transcripts for this project yet');
  const states = sessionStateIds(p.claudeSessionsState);
  // A torn state file reads as none; the next hook rebuilds it.
  const skipped = states.reduce((n, id) => n + (loadSessionState(p.claudeSessionsState, id)?.malformed ?? 0), 0);
  lines.push(
    `  Claude sessions tracked on this machine: ${states.length}${skipped ? `; transcripts: ${skipped} malformed lines skipped` : ''}`,
  );
  const view = readLedger(p.ledger);
  lines.push(
    `  ledger: ${view.usage.length} usage items, ${view.sessions.size} work sessions${view.malformed ? `, ${view.malformed} malformed lines skipped` : ''}`,
  );
  const seen = view.claudeCode;
  if (seen.versions.length) lines.push(`  Claude Code versions in the ledger: ${seen.versions.join(', ')}`);
  const missing = versionsNote(seen);
  if (missing) lines.push(`  ⚠ ${missing}`);
  const damage = ledgerDamage(p.ledger);
  for (const where of damage.lines.slice(0, 10)) lines.push(`    skipped: ${where}`);
  if (damage.lines.length > 10) lines.push(`    … and ${damage.lines.length - 10} more`);
  for (const file of damage.files) check(false, `unreadable ledger file ${file}`);
  const locks = fs.existsSync(p.claudeSessionsState)
    ? fs.readdirSync(p.claudeSessionsState).filter((f) => f.endsWith('.lock'))
    : [];
  if (locks.length)
    lines.push(`  locks held now: ${locks.length} (a lock of a dead process is recovered by the next hook)`);
  const errors = readHookLog(p.hookLog);
  check(
    errors.length === 0,
    errors.length
      ? `hook errors (last ${errors.length}, from ${path.relative(p.root, p.hookLog)}):`
      : 'no hook errors logged',
  );
  for (const e of errors) lines.push(`  ${e.t} ${e.event}: ${e.error}${e.where ? ` [${e.where}]` : ''}`);
  return { report: `${lines.join('\n')}\n`, failed };
}
