import type { RecordedReply } from './mock-api.js';

export interface Fields {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

/** What the mock returned, summed the way spec-session reports it (ccusage's field names). */
export function sumReplies(replies: RecordedReply[]): Fields {
  const t = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
  for (const r of replies) {
    t.inputTokens += r.usage.input_tokens;
    t.outputTokens += r.usage.output_tokens;
    t.cacheCreationTokens += r.usage.cache_creation_input_tokens;
    t.cacheReadTokens += r.usage.cache_read_input_tokens;
  }
  return { ...t, totalTokens: t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens };
}

export function tokenFields(o: Fields): Fields {
  return {
    inputTokens: o.inputTokens,
    outputTokens: o.outputTokens,
    cacheCreationTokens: o.cacheCreationTokens,
    cacheReadTokens: o.cacheReadTokens,
    totalTokens: o.totalTokens,
  };
}

export const ZERO: Fields = {
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
  totalTokens: 0,
};
