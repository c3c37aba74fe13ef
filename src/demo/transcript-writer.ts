import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenCounts } from '../usage/tokens.js';

/**
 * Writes transcript lines in the shapes Claude Code 2.1.331 writes them (copied from the real
 * transcripts in tests/fixtures/real-2.1.331): one line per content block of a response, every line
 * with the same message.id and requestId and the response's full usage; subagent lines in their own
 * file with the parent's sessionId, `isSidechain: true` and the agentId; a `cost-state` line with
 * Claude Code's cumulative totals when a run ends. Each line is stamped with the time it is written.
 */
export const CLAUDE_CODE_VERSION = '2.1.331';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface TranscriptOwner {
  cwd: string;
  sessionId: string;
  /** Set for a subagent's own transcript. */
  agent?: { id: string; type: string };
}

export interface WrittenCall {
  messageId: string;
  requestId: string;
  /** uuid of the response's last line (tool results point at it). */
  lastUuid: string;
}

export class TranscriptWriter {
  private parent: string | null = null;

  constructor(
    readonly file: string,
    private readonly owner: TranscriptOwner,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  /** The two queue lines Claude Code writes for every prompt, blocked or not. */
  queue(prompt: string): void {
    const base = { type: 'queue-operation', timestamp: now(), sessionId: this.owner.sessionId };
    this.write({ ...base, operation: 'enqueue', content: prompt });
    this.write({ ...base, operation: 'dequeue', timestamp: now() });
  }

  prompt(text: string, promptId: string): void {
    this.chain({ promptId, type: 'user', message: { role: 'user', content: text } });
  }

  /** A slash command: the command line, then the expanded Markdown body as an `isMeta` line. */
  command(name: string, args: string, body: string, promptId: string): void {
    this.chain({
      promptId,
      type: 'user',
      message: {
        role: 'user',
        content: `<command-message>${name}</command-message>\n<command-name>/${name}</command-name>\n<command-args>${args}</command-args>`,
      },
    });
    this.chain({
      promptId,
      type: 'user',
      message: { role: 'user', content: [{ type: 'text', text: body }] },
      isMeta: true,
      turnCompanion: true,
    });
  }

  /** One API response: a line per content block, each repeating the message id, request id and usage. */
  response(model: string, blocks: ContentBlock[], tokens: TokenCounts): WrittenCall {
    const messageId = `msg_01${base62(22)}`;
    const requestId = `req_011C${base62(20)}`;
    const requestRef = randomUUID();
    const stopReason = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
    let lastUuid = '';
    blocks.forEach((block, index) => {
      lastUuid = this.chain({
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model,
          content: [block],
          stop_reason: stopReason,
          stop_sequence: null,
          usage: usageJson(tokens),
          stop_details: null,
        },
        ...(block.type === 'tool_use' ? { toolInputStreamMs: 1 } : {}),
        apiBlockIndex: index,
        requestId,
        requestRef,
        requestedModel: model,
        promptCacheRequested: '5m',
        ...(this.owner.agent ? { attributionAgent: this.owner.agent.type } : {}),
        type: 'assistant',
        effort: 'medium',
        perTurnEffort: 'medium',
        madeBy: 'model',
      });
    });
    return { messageId, requestId, lastUuid };
  }

  toolResult(
    toolUseId: string,
    content: string,
    toolUseResult: Record<string, unknown>,
    sourceUuid: string,
    promptId: string,
  ): void {
    this.chain({
      promptId,
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: toolUseId, type: 'tool_result', content }] },
      toolUseResult,
      sourceToolAssistantUUID: sourceUuid,
    });
  }

  /** `/compact`: the boundary, then the summary as an `isCompactSummary` user line. The
   * summarising call itself is written as no assistant line (2.1.331). */
  compaction(preTokens: number, postTokens: number, summary: string): void {
    this.parent = null;
    this.chain({
      type: 'system',
      subtype: 'compact_boundary',
      content: 'Conversation compacted',
      isMeta: false,
      level: 'info',
      compactMetadata: { trigger: 'manual', preTokens, postTokens, cumulativeDroppedTokens: preTokens - postTokens },
    });
    this.chain({
      type: 'user',
      message: {
        role: 'user',
        content: `This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\n\nSummary:\n${summary}`,
      },
      isVisibleInTranscriptOnly: true,
      isCompactSummary: true,
    });
  }

  /** Claude Code's own cumulative count for the session (subagents and compaction included). */
  costState(models: Map<string, { tokens: TokenCounts; costUsd: number }>, startTime: number): void {
    const modelUsage: Record<string, unknown> = {};
    let total = 0;
    for (const [model, { tokens: t, costUsd }] of models) {
      total += costUsd;
      modelUsage[model] = {
        inputTokens: t.input,
        outputTokens: t.output,
        thinkingTokens: 0,
        cacheReadInputTokens: t.cacheRead,
        cacheCreationInputTokens: t.cacheWrite5m + t.cacheWrite1h,
        cacheCreationEphemeral5mInputTokens: t.cacheWrite5m,
        cacheCreationEphemeral1hInputTokens: t.cacheWrite1h,
        webSearchRequests: 0,
        costUSD: costUsd,
      };
    }
    const duration = Date.now() - startTime;
    this.write({
      type: 'cost-state',
      sessionId: this.owner.sessionId,
      totalCostUSD: total,
      totalAPIDuration: duration,
      totalAPIDurationWithoutRetries: duration,
      totalToolDuration: 0,
      totalLinesAdded: 0,
      totalLinesRemoved: 0,
      totalDuration: duration,
      startTime,
      modelUsage,
      hasUnknownModelCost: false,
    });
  }

  private chain(row: Record<string, unknown>): string {
    const uuid = randomUUID();
    const { cwd, sessionId, agent } = this.owner;
    this.write({
      parentUuid: this.parent,
      isSidechain: agent !== undefined,
      ...(agent ? { agentId: agent.id } : {}),
      ...row,
      uuid,
      timestamp: now(),
      userType: 'external',
      entrypoint: 'cli',
      cwd,
      sessionId,
      version: CLAUDE_CODE_VERSION,
      gitBranch: 'main',
    });
    this.parent = uuid;
    return uuid;
  }

  private write(row: Record<string, unknown>): void {
    fs.appendFileSync(this.file, `${JSON.stringify(row)}\n`);
  }
}

/** The `usage` object of an API response, as the API returns it and Claude Code copies it. */
export function usageJson(t: TokenCounts) {
  return {
    input_tokens: t.input,
    cache_creation_input_tokens: t.cacheWrite5m + t.cacheWrite1h,
    cache_read_input_tokens: t.cacheRead,
    output_tokens: t.output,
    output_tokens_details: { thinking_tokens: 0 },
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: t.cacheWrite1h, ephemeral_5m_input_tokens: t.cacheWrite5m },
    inference_geo: '',
    iterations: [],
    speed: 'standard',
    fallback_credit: null,
  };
}

const now = () => new Date().toISOString();

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function base62(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}
