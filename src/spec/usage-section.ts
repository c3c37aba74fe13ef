import { formatCount, formatUsd } from '../render/format.js';

/**
 * The `## Usage` block spec-session adds to an implementation log. It sits between
 * `## Statistics` and `## Files Modified`, where spec-workflow's log reader (2.2.x, checked
 * 2025-11) looks at nothing: that reader matches `**Summary:**`, `**Timestamp:**`, `**Log ID:**`,
 * `**Lines Added:**`, `**Lines Removed:**` and `**Files Changed:**` on any line and `###` headings
 * as artifact kinds, so this block uses none of those. Content is counts, ids, names and
 * timestamps only: never prompt or transcript text.
 */
export interface ModelUsageRow {
  model: string;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** USD; null when the model has no price in the table. */
  cost: number | null;
}

export interface UsageBlock {
  /** spec-session's session name. */
  session: string;
  /** Claude Code session ids whose calls were counted. */
  claudeSessions: string[];
  started?: string;
  finished?: string;
  durationMinutes?: number;
  models: ModelUsageRow[];
  total: { tokens: number; cost: number | null };
  /** Which price table priced it, e.g. `litellm 2025-11-20`. */
  priceTable: string;
  /** The user typed the numbers in instead of spec-session reading transcripts. */
  manual?: boolean;
}

const formatCost = (cost: number | null) => formatUsd(cost, 4); // $0.0912, or `unpriced`

// Names come from transcripts and config: keep each on one line and out of the table syntax.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');
const cell = (text: string) => oneLine(text).replace(/\|/g, '\\|');

/** The section, ending with a blank line so the next heading follows as in spec-workflow's files. */
export function usageSection(usage: UsageBlock): string {
  const lines = ['## Usage', '', `- **Session:** ${oneLine(usage.session)}`];
  if (usage.claudeSessions.length > 0)
    lines.push(`- **Claude Code Sessions:** ${usage.claudeSessions.map(oneLine).join(', ')}`);
  if (usage.started !== undefined) lines.push(`- **Started:** ${oneLine(usage.started)}`);
  if (usage.finished !== undefined) lines.push(`- **Finished:** ${oneLine(usage.finished)}`);
  if (usage.durationMinutes !== undefined)
    lines.push(`- **Duration:** ${formatCount(Math.round(usage.durationMinutes))} min`);
  lines.push(`- **Tokens:** ${formatCount(usage.total.tokens)}`, `- **Cost:** ${formatCost(usage.total.cost)}`);
  lines.push(`- **Prices:** ${oneLine(usage.priceTable)}`);
  if (usage.manual) lines.push('- **Entered:** manually');
  lines.push('');
  if (usage.models.length === 0) lines.push('_No model usage recorded_');
  else {
    lines.push('| Model | Input | Output | Cache write 5m | Cache write 1h | Cache read | Cost |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of usage.models) {
      const counts = [row.input, row.output, row.cacheWrite5m, row.cacheWrite1h, row.cacheRead].map(formatCount);
      lines.push(`| ${cell(row.model)} | ${counts.join(' | ')} | ${formatCost(row.cost)} |`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

const USAGE_HEADING = /^## Usage\s*$/;
const STATISTICS_HEADING = /^## Statistics\s*$/;
const FILES_MODIFIED_HEADING = /^## Files Modified\s*$/;
const SECTION_BOUNDARY = /^(## |---\s*$)/;

/** A log's lines without their `\r`, and where each line starts in the text. */
function logLines(logText: string) {
  const lines = logText.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const starts: number[] = [];
  let offset = 0;
  for (const line of logText.split('\n')) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const find = (heading: RegExp) => lines.findIndex((line) => heading.test(line));
  const sectionEnd = (from: number) => {
    const next = lines.findIndex((line, i) => i > from && SECTION_BOUNDARY.test(line));
    return next === -1 ? lines.length : next;
  };
  const offsetOf = (lineIndex: number) => (lineIndex < lines.length ? starts[lineIndex]! : logText.length);
  return { lines, starts, find, sectionEnd, offsetOf };
}

/**
 * Put the usage section into a log: replace an existing `## Usage` section (up to the next `## `
 * heading or `---` rule), else insert it before `## Files Modified`, else after the
 * `## Statistics` section, else at the end. Every other byte is kept, CRLF files get CRLF, and
 * applying it twice gives the same text as once.
 */
export function upsertUsageSection(logText: string, usage: UsageBlock): string {
  return placeUsageSection(logText, usageSection(usage));
}

/** upsertUsageSection with the section's text (as usageSection renders it, or as read from a log). */
export function placeUsageSection(logText: string, sectionText: string): string {
  const eol = logText.includes('\r\n') ? '\r\n' : '\n';
  const section = sectionText.replace(/\r\n/g, '\n').replace(/\n/g, eol);
  const { lines, starts, find, sectionEnd, offsetOf } = logLines(logText);
  const existing = find(USAGE_HEADING);
  if (existing !== -1) {
    return logText.slice(0, starts[existing]) + section + logText.slice(offsetOf(sectionEnd(existing)));
  }
  const filesModified = find(FILES_MODIFIED_HEADING);
  const statistics = find(STATISTICS_HEADING);
  const at = filesModified !== -1 ? filesModified : statistics !== -1 ? sectionEnd(statistics) : lines.length;
  if (at < lines.length) return logText.slice(0, starts[at]) + section + logText.slice(starts[at]);
  const gap = logText === '' || logText.endsWith(eol + eol) ? '' : logText.endsWith(eol) ? eol : eol + eol;
  return logText + gap + section;
}

/** The log's `## Usage` section as written (up to the next `## ` heading or `---`), if it has one. */
export function readUsageSection(logText: string): string | undefined {
  const { find, sectionEnd, starts, offsetOf } = logLines(logText);
  const at = find(USAGE_HEADING);
  return at === -1 ? undefined : logText.slice(starts[at], offsetOf(sectionEnd(at)));
}

/** The log without its `## Usage` section: the bytes it had before the section was inserted. */
export function removeUsageSection(logText: string): string {
  const { find, sectionEnd, starts, offsetOf } = logLines(logText);
  const at = find(USAGE_HEADING);
  return at === -1 ? logText : logText.slice(0, starts[at]) + logText.slice(offsetOf(sectionEnd(at)));
}
