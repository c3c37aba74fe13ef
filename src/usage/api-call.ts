/** How a call was served: fast mode multiplies the price on the models that offer it. */
export type Speed = 'standard' | 'fast';
import type { TokenCounts } from './tokens.js';

/** One transcript line's view of one API call. Copies of a call share `messageId`/`requestId`. */
export interface ApiCall {
  messageId: string;
  requestId: string | null;
  /** Epoch ms of the line (when Claude Code wrote the response). */
  time: number;
  model: string;
  /** The Claude session that made the call; subagent lines carry their parent's. */
  sessionId: string | null;
  agentId: string | null;
  sidechain: boolean;
  /** Set on a forked session's copy of a call another session made (the copy keeps its timestamp). */
  copiedFrom?: string | null;
  tokens: TokenCounts;
  speed: Speed;
}

/** Claude Code's cumulative per-model totals for a session, from a `cost-state` line. */
export interface CostState {
  sessionId: string | null;
  time: number | null;
  models: Record<string, TokenCounts>;
  totalCostUsd: number | null;
}
