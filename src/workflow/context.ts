import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../time/clock.js';
import { withClaudeSession, type ClaudeSessionRef, type SessionWriter } from '../capture/capture-session.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { writerFile } from '../ledger/ledger-files.js';
import type { LedgerRecord } from '../ledger/records.js';
import type { PriceBook } from '../pricing/price-call.js';
import { projectPaths, type ProjectPaths } from '../project/paths.js';
import { appendLines } from '../store/atomic-file.js';
import { withFileLock } from '../store/lock.js';
import { assertTimeZone, systemTimeZone } from '../time/zoned.js';
import { priceBookFrom } from '../pricing/price-book-from.js';

/** Everything a workflow command needs about the project it runs in. */
export interface ProjectContext {
  projectDir: string;
  paths: ProjectPaths;
  config: ProjectConfig;
  tz: string;
  book: PriceBook;
  now: () => number;
  /** Set when the command runs inside Claude Code (from the UserPromptSubmit hook). */
  claude?: ClaudeSessionRef;
}

/** `now` defaults to the clock (see systemClock: tests pin it). */
export function projectContext(
  projectDir: string,
  options: { tz?: string; prices?: string; pricesFile?: string; claude?: ClaudeSessionRef; now?: () => number } = {},
): ProjectContext {
  const config = loadProjectConfig(projectDir);
  const paths = projectPaths(projectDir);
  const tz = assertTimeZone(options.tz ?? config.timeZone ?? systemTimeZone(paths.state));
  const book = priceBookFrom(
    {
      ...(options.prices !== undefined ? { prices: options.prices } : {}),
      ...(options.pricesFile !== undefined ? { 'prices-file': options.pricesFile } : {}),
    },
    projectDir,
    config.prices,
  );
  return {
    projectDir,
    paths,
    config,
    tz,
    book,
    now: options.now ?? systemClock(),
    ...(options.claude ? { claude: options.claude } : {}),
  };
}

/** Records workflow events: into the Claude session's ledger file when inside Claude Code, else into
 * this machine's CLI ledger file. Either way under a lock, appended whole. */
export function recordEvents<T>(
  ctx: ProjectContext,
  fn: (writer: Pick<SessionWriter, 'append'> & Partial<Pick<SessionWriter, 'bind' | 'state'>>) => T,
): T {
  if (ctx.claude) return withClaudeSession(ctx.claude, fn, { now: ctx.now });
  const writer = `cli-${machineWriterId(ctx.paths)}`;
  const file = path.join(ctx.paths.ledger, writerFile(ctx.paths.ledger, writer, ctx.now()));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return withFileLock(file, () => {
    const pending: LedgerRecord[] = [];
    const result = fn({ append: (r) => pending.push(r) });
    appendLines(
      file,
      pending.map((r) => JSON.stringify(r)),
    );
    return result;
  });
}

/** A random id per machine (and clone), so each machine's CLI writes its own ledger file. */
function machineWriterId(paths: ProjectPaths): string {
  try {
    return fs.readFileSync(paths.writerId, 'utf8').trim();
  } catch {
    // first run on this machine (the id file is machine-local): make one
    const id = `${
      os
        .hostname()
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 12) || 'host'
    }-${randomBytes(3).toString('hex')}`;
    fs.mkdirSync(path.dirname(paths.writerId), { recursive: true });
    fs.writeFileSync(paths.writerId, id);
    return id;
  }
}
