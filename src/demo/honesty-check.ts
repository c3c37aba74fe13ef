import { formatCount } from '../render/format.js';

/**
 * What the demo itself put in: every token it wrote into a transcript (plus the compaction call
 * that only a cost-state line shows) and every token typed into /log-task, by the task that was
 * active when it did. spec-session's figures are checked against this, never the other way round.
 */
export class WrittenUsage {
  apiCalls = 0;
  compactionCalls = 0;
  compactionTokens = 0;
  transcriptTokens = 0;
  manualTokens = 0;
  readonly byTask = new Map<string, number>();

  addCall(tokens: number, task: string | null, compaction = false): void {
    this.apiCalls++;
    if (compaction) {
      this.compactionCalls++;
      this.compactionTokens += tokens;
    }
    this.transcriptTokens += tokens;
    if (task) this.byTask.set(task, (this.byTask.get(task) ?? 0) + tokens);
  }

  addManual(tokens: number, task: string): void {
    this.manualTokens += tokens;
    this.byTask.set(task, (this.byTask.get(task) ?? 0) + tokens);
  }

  get total(): number {
    return this.transcriptTokens + this.manualTokens;
  }
}

/** The parts of `spec-session cost --json` the check reads. */
export interface CostJsonTotals {
  totals: { totalTokens: number };
  tasks: Array<{ spec: string; taskId: string; totalTokens: number }>;
}

/** Two lines: the grand total, then each task, each marked ✓ or ✗ with both numbers. */
export function honestyLines(written: WrittenUsage, cost: CostJsonTotals): string[] {
  const reported = cost.totals.totalTokens;
  const ok = reported === written.total;
  const compaction = written.compactionCalls
    ? `, incl. ${written.compactionCalls} compaction call that only Claude Code's cost-state line counts`
    : '';
  const manual = written.manualTokens ? ` + ${formatCount(written.manualTokens)} logged by hand` : '';
  const lines = [
    `${ok ? '✓' : '✗'} Honesty check: the demo wrote ${formatCount(written.transcriptTokens)} tokens into transcripts (${written.apiCalls} API calls${compaction})${manual} = ${formatCount(written.total)}; spec-session cost --json totals: ${formatCount(reported)}${ok ? '' : ` (off by ${formatCount(reported - written.total)})`}`,
  ];
  const tasks = [...written.byTask].map(([key, tokens]) => {
    const [spec, id] = key.split('/') as [string, string];
    const got = cost.tasks.find((t) => t.spec === spec && t.taskId === id)?.totalTokens ?? 0;
    return { spec, id, tokens, got };
  });
  // "invoice-management 1.1 151,234 · 1.2 98,765 · patient-search 2.1 45,000": each spec named once.
  const label = (t: (typeof tasks)[number], i: number) =>
    `${i === 0 || tasks[i - 1]!.spec !== t.spec ? `${t.spec} ` : ''}${t.id}`;
  const wrong = tasks.filter((t) => t.got !== t.tokens);
  lines.push(
    wrong.length === 0
      ? `✓ Per task, the same: ${tasks.map((t, i) => `${label(t, i)} ${formatCount(t.tokens)}`).join(' · ')}`
      : `✗ Per task: ${wrong.map((t) => `${t.spec} ${t.id}: the demo wrote ${formatCount(t.tokens)}, cost --json says ${formatCount(t.got)}`).join(' · ')}`,
  );
  return lines;
}

/**
 * `report daily` reads the whole Claude Code history, transcripts only (no /log-task entries):
 * how its total compares with what the demo wrote into transcripts.
 */
export function reportLine(written: WrittenUsage, reportTotal: number): string {
  if (reportTotal === written.transcriptTokens)
    return `✓ report daily: ${formatCount(reportTotal)} tokens, what the demo wrote into transcripts (hand-logged tokens are in no transcript)`;
  if (written.compactionTokens && reportTotal === written.transcriptTokens - written.compactionTokens) {
    return `⚠ report daily: ${formatCount(reportTotal)} tokens, the transcripts' assistant lines only: it misses the ${formatCount(written.compactionTokens)}-token compaction call that only the cost-state line counts (/cost and /eod include it)`;
  }
  return `✗ report daily: ${formatCount(reportTotal)} tokens, but the demo wrote ${formatCount(written.transcriptTokens)} into transcripts`;
}
