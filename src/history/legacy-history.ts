import fs from 'node:fs';
import path from 'node:path';
import type { FileEntry } from './file-index.js';
import type { CallTable } from './call-table.js';

/**
 * The history of spec-session ≤ 0.1 (one store for every config dir: `<history>/state.json` and an
 * append-only `calls.jsonl`). A new store takes over, once, what only that history still knows:
 * the calls of sessions whose transcripts lived under the dirs asked for (Claude Code may have
 * deleted them since), and the cost-state snapshots of such transcripts that are gone. Transcripts
 * still on disk are read again anyway; their copies fold into the same calls.
 */
type LegacyCall = [
  string,
  string | null,
  number,
  string,
  string | null,
  string | null,
  0 | 1,
  0 | 1,
  number,
  number,
  number,
  number,
  number,
  string,
  (string | null)?,
];

interface LegacyState {
  version: 1;
  callsBytes: number;
  files: Record<string, FileEntry>;
}

export function importLegacyHistory(
  historyRoot: string,
  configDirs: string[],
  into: CallTable,
): Record<string, FileEntry> | undefined {
  let state: LegacyState;
  try {
    state = JSON.parse(fs.readFileSync(path.join(historyRoot, 'state.json'), 'utf8')) as LegacyState;
  } catch {
    return undefined; // no 0.1 history to take over
  }
  if (state?.version !== 1) return undefined;
  const roots = configDirs.map((d) => path.join(path.resolve(d), 'projects') + path.sep);
  const mine = Object.entries(state.files).filter(([file]) => roots.some((r) => file.startsWith(r)));
  const sessions = new Set(mine.map(([, f]) => f.sessionId));
  const gone: Record<string, FileEntry> = {};
  for (const [file, entry] of mine)
    if (!fs.existsSync(file) && entry.counts?.length) gone[file] = { ...entry, costState: true };
  let text = '';
  try {
    const fd = fs.openSync(path.join(historyRoot, 'calls.jsonl'), 'r');
    try {
      const buf = Buffer.alloc(state.callsBytes);
      text = buf.toString('utf8', 0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // no calls yet
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    let packed: LegacyCall;
    try {
      packed = JSON.parse(line) as LegacyCall;
    } catch {
      continue; // a torn line of the old store: skipped
    }
    const [
      messageId,
      requestId,
      time,
      model,
      sessionId,
      agentId,
      side,
      fast,
      input,
      output,
      cacheWrite5m,
      cacheWrite1h,
      cacheRead,
      project,
      copiedFrom = null,
    ] = packed;
    if (!sessions.has(sessionId ?? '')) continue;
    const tokens = { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
    into.addCopy(
      {
        messageId,
        requestId,
        time,
        model,
        sessionId,
        agentId,
        sidechain: side === 1,
        speed: fast ? 'fast' : 'standard',
        tokens,
        copiedFrom,
      },
      sessionId!,
      project,
    );
  }
  return gone;
}
