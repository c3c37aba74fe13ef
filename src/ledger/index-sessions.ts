import { applySessionRecord, type WorkSession } from './fold-events.js';
import type { SessionRecordsFile, SessionsFile } from './index-base.js';
import type { LineOf } from './ledger-schema.js';

/**
 * The work sessions the index shows: those the rollups fold to, then the raw records on top, as
 * the full fold takes every record in time order. A session with a raw record before one the
 * rollups hold (its end rolled up with a 0.1.0 writer's first folder, its start still raw) is
 * folded again from all its records: a session's records change only that session, so the others
 * need not be. `rolledRecords` is read only then.
 */
export function indexSessions(
  stored: SessionsFile,
  raw: Array<LineOf<'session'>>,
  rolledRecords: () => SessionRecordsFile['records'],
): Map<string, WorkSession> {
  const sessions = new Map<string, WorkSession>(
    stored.sessions.map(([name, spec, started, ended, cs]) => [
      name,
      { name, spec, started, ended, claudeSessions: new Set(cs) },
    ]),
  );
  const inOrder = raw.sort((a, b) => a.t.localeCompare(b.t));
  const lastRolled = new Map(stored.sessions.map((s) => [s[0], s[5]]));
  for (const [ws, t] of Object.entries(stored.orphans)) lastRolled.set(ws, t);
  const again = new Set(inOrder.filter((r) => Date.parse(r.t) < (lastRolled.get(r.ws) ?? -Infinity)).map((r) => r.ws));
  if (again.size) {
    const rolled = rolledRecords();
    for (const ws of again) {
      const kept = sessions.get(ws);
      sessions.delete(ws);
      const records = [...(rolled[ws] ?? []), ...inOrder.filter((r) => r.ws === ws)];
      for (const r of records.sort((a, b) => a.t.localeCompare(b.t))) applySessionRecord(sessions, r);
      const now = sessions.get(ws);
      if (kept && now) for (const cs of kept.claudeSessions) now.claudeSessions.add(cs);
    }
  }
  for (const r of inOrder) if (!again.has(r.ws)) applySessionRecord(sessions, r);
  return sessions;
}
