import fs from 'node:fs';
import path from 'node:path';
import { readHookLog } from '../../capture/hook-log.js';
import { ledgerDamage, readLedger } from '../../ledger/read-ledger.js';
import { projectPaths } from '../../project/paths.js';
import { resolveProjectRoot } from '../../project/project-root.js';
import { eventsWithOurHooks, parseSettings, type Settings } from '../../install/settings-file.js';
import { readFileIfExists } from '../../store/fs-utils.js';
import { projectTranscriptDirs } from '../../workflow/catch-up.js';
import { parse } from '../args.js';
import { versionsNote } from '../../ledger/claude-versions.js';

/** `spec-session doctor`: is capture working here, and what went wrong if not. Every check is
 * printed; when any failed (✗), the command then fails: one line, exit 1. */
export function doctorCommand(argv: string[]): string {
  const { values } = parse(argv, { dir: { type: 'string' } }, 0);
  const p = projectPaths(resolveProjectRoot({ dir: values.dir }));
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
  check(events.length > 0, events.length ? `hooks registered: ${events.join(', ')}` : 'no spec-session hooks in .claude/settings.json (run: npx spec-session install)');
  for (const bundle of ['hook.cjs', 'spec-session.cjs']) check(fs.existsSync(path.join(p.own, bundle)), `.claude/spec-session/${bundle}`);
  const dirs = projectTranscriptDirs(p.root);
  // None yet is where every install starts, not a failure.
  if (dirs.length) check(true, `transcripts: ${dirs.join(', ')}`);
  else lines.push('  no Claude Code transcripts for this project yet');
  const states = fs.existsSync(p.claudeSessionsState) ? fs.readdirSync(p.claudeSessionsState).filter((f) => f.endsWith('.json')) : [];
  let skipped = 0;
  for (const f of states) {
    try {
      skipped += (JSON.parse(fs.readFileSync(path.join(p.claudeSessionsState, f), 'utf8')) as { malformed?: number }).malformed ?? 0;
    } catch {
      // a torn state file is rebuilt by the next hook
    }
  }
  lines.push(`  Claude sessions tracked on this machine: ${states.length}${skipped ? `; transcripts: ${skipped} malformed lines skipped` : ''}`);
  const view = readLedger(p.ledger);
  lines.push(`  ledger: ${view.usage.length} usage items, ${view.sessions.size} work sessions${view.malformed ? `, ${view.malformed} malformed lines skipped` : ''}`);
  const seen = view.claudeCode;
  if (seen.versions.length) lines.push(`  Claude Code versions in the ledger: ${seen.versions.join(', ')}`);
  const missing = versionsNote(seen);
  if (missing) lines.push(`  ⚠ ${missing}`);
  const damage = ledgerDamage(p.ledger);
  for (const where of damage.lines.slice(0, 10)) lines.push(`    skipped: ${where}`);
  if (damage.lines.length > 10) lines.push(`    … and ${damage.lines.length - 10} more`);
  for (const file of damage.files) check(false, `unreadable ledger file ${file}`);
  const locks = fs.existsSync(p.claudeSessionsState) ? fs.readdirSync(p.claudeSessionsState).filter((f) => f.endsWith('.lock')) : [];
  if (locks.length) lines.push(`  locks held now: ${locks.length} (a lock of a dead process is recovered by the next hook)`);
  const errors = readHookLog(p.hookLog);
  check(errors.length === 0, errors.length ? `hook errors (last ${errors.length}, from ${path.relative(p.root, p.hookLog)}):` : 'no hook errors logged');
  for (const e of errors) lines.push(`  ${e.t} ${e.event}: ${e.error}${e.where ? ` [${e.where}]` : ''}`);
  const report = `${lines.join('\n')}\n`;
  if (failed === 0) return report;
  process.stdout.write(report);
  throw new Error(`${failed} check${failed === 1 ? '' : 's'} failed (marked ✗ above)`);
}
