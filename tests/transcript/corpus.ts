import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { discoverTranscripts, type TranscriptFile } from '../../src/transcript/discover.js';
import { readTranscriptFrom, type TranscriptRead } from '../../src/transcript/read-transcript.js';
import { CallSet } from '../../src/usage/call-set.js';
import { addTokens, zeroTokens, type TokenCounts } from '../../src/usage/tokens.js';

/** Every transcript under the config dirs read once, the way `report` reads them, merged into one call set. */
export function readCorpus(configDirs: string[]): {
  calls: CallSet;
  malformed: number;
  files: TranscriptFile[];
  reads: Map<string, TranscriptRead>;
} {
  const files = discoverTranscripts(configDirs);
  const calls = new CallSet();
  const reads = new Map<string, TranscriptRead>();
  let malformed = 0;
  for (const file of files) {
    const read = readTranscriptFrom(file.path, undefined);
    reads.set(file.path, read);
    malformed += read.malformed;
    // Copies inside progress lines count too: they fold into the subagent file's copy when it is there.
    for (const call of [...read.calls, ...read.embeddedCalls])
      calls.add({ ...call, sessionId: call.sessionId ?? file.sessionId });
  }
  return { calls, malformed, files, reads };
}

export function totalsOf(calls: CallSet): TokenCounts {
  const total = zeroTokens();
  for (const entry of calls.entries.values()) addTokens(total, entry.tokens);
  return total;
}

/** Input and output per session, from the copy each call is attributed to. */
export function sessionsOf(calls: CallSet): Record<string, [number, number]> {
  const sessions: Record<string, [number, number]> = {};
  for (const entry of calls.entries.values()) {
    const s = (sessions[entry.first.sessionId ?? 'unknown'] ??= [0, 0]);
    s[0] += entry.tokens.input;
    s[1] += entry.tokens.output;
  }
  return sessions;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test. */
export function tempDir(prefix = 'spec-session-transcript-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
