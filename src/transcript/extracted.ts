/**
 * What one pass over transcript bytes finds (Extracted), what a pass is asked for (ExtractOptions),
 * and how each call found is taken: extract.ts reads lines from their bytes, whole-lines.ts parses
 * the rest whole; both take their calls here.
 */
import type { ApiCall, CostState } from '../usage/api-call.js';

/** What one pass over transcript bytes found. Only counts and ids: no content is kept. */
export interface Extracted {
  calls: ApiCall[];
  costStates: CostState[];
  /** Times of compact_boundary lines: the compaction call itself is never written as a line. */
  compactions: number[];
  /** `/do-task` prompts as the transcript records them (so a binding a failed hook missed can be recovered). */
  taskCommands: Array<{ time: number; args: string[] }>;
  /** File offsets of those lines, of the cost-state lines and of the calls' lines, in array order. */
  compactionOffsets: number[];
  costStateOffsets: number[];
  callOffsets: number[];
  /**
   * Copies of subagent calls embedded in `progress` lines (2.1.3x `agent_progress`), with the
   * offsets of those lines. The subagent's own file usually holds the same calls (same ids); when
   * it is gone, these copies are all that is left. Not in `calls`: a reader decides.
   */
  embeddedCalls: ApiCall[];
  embeddedCallOffsets: number[];
  /** Claude Code versions (`version` of the lines read that hold a call), in order of first appearance. */
  versions: string[];
  /** Lines that could hold usage but did not parse, did not fit the schema, or had an impossible time. */
  malformed: number;
}

export function emptyExtracted(): Extracted {
  return {
    calls: [],
    costStates: [],
    compactions: [],
    taskCommands: [],
    compactionOffsets: [],
    costStateOffsets: [],
    callOffsets: [],
    embeddedCalls: [],
    embeddedCallOffsets: [],
    versions: [],
    malformed: 0,
  };
}

export interface ExtractOptions {
  /** Look for `/do-task` prompts (hooks do; `report` does not need them). Default true. */
  taskCommands?: boolean;
  /**
   * Takes each call (embedded: from a progress line) as it is read, instead of `calls` and
   * `embeddedCalls`: a reader that folds copies at once keeps nothing per copy (a 200 MB transcript
   * holds tens of thousands of them).
   */
  onCall?: OnCall;
}

/** ExtractOptions.onCall, passed down through a pass; without one, calls go into `calls`. */
export type OnCall = (call: ApiCall, embedded: boolean, offset: number) => void;

/** Adds a call to what the pass found, or hands it to the caller's onCall; notes its version. */
export function takeCall(
  call: ApiCall,
  version: string | null | undefined,
  into: Extracted,
  offset: number,
  embedded: boolean,
  onCall: OnCall | undefined,
): void {
  if (onCall) onCall(call, embedded, offset);
  else if (embedded) {
    into.embeddedCalls.push(call);
    into.embeddedCallOffsets.push(offset);
  } else {
    into.calls.push(call);
    into.callOffsets.push(offset);
  }
  if (version && !into.versions.includes(version)) into.versions.push(version);
}
