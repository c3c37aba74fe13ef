import { claudeConfigDirs } from '../../transcript/discover.js';
import { historyDir } from '../../history/history-store.js';
import { updateHistory } from '../../history/update-history.js';
import {
  buildUsageReport,
  firstDayOfLast,
  inProject,
  reportProjects,
  usageReportByProjectJson,
  usageReportJson,
  type Period,
} from '../../report/usage-report.js';
import { renderBlocksTable, renderProjectsTable, renderUsageTable } from '../../report/usage-table.js';
import { BLOCK_HOURS, blocksJson, tokenLimit, usageBlocks, type BlockCall } from '../../report/blocks.js';
import type { HistoryView } from '../../history/update-history.js';
import { inRange } from '../../time/day-range.js';
import { withYoungGenerationHeld } from '../../store/young-generation.js';
import { assertTimeZone, dayKey, systemTimeZone } from '../../time/zoned.js';
import { systemClock } from '../../time/clock.js';
import { tokensAt } from '../../usage/tokens.js';
import { commonReportOptions, dayRange, parse, UsageError, type Options } from '../../args/parse-args.js';
import { priceBookFrom } from '../../pricing/price-book-from.js';
import { progressBar } from '../progress.js';

const PERIODS = ['daily', 'weekly', 'monthly', 'session', 'blocks'];

/**
 * ccusage's own flags where they mean the same here, so its users' commands run as typed: -s -u -j
 * -b, -z/--timezone for --tz, -o/--order, -p/--project and -i/--instances (a project is its folder
 * under `projects/`), -O/--offline (prices are always the bundled tables: nothing is ever fetched,
 * so it changes nothing), -m/--mode calculate (every call is priced from its tokens: the only mode
 * here), and for blocks -a -r -t -n.
 */
const REPORT_OPTIONS = {
  ...commonReportOptions,
  since: { type: 'string', short: 's' },
  until: { type: 'string', short: 'u' },
  json: { type: 'boolean', short: 'j' },
  breakdown: { type: 'boolean', short: 'b' },
  timezone: { type: 'string', short: 'z' },
  order: { type: 'string', short: 'o' },
  project: { type: 'string', short: 'p' },
  instances: { type: 'boolean', short: 'i' },
  last: { type: 'string' },
  active: { type: 'boolean', short: 'a' },
  recent: { type: 'boolean', short: 'r' },
  'token-limit': { type: 'string', short: 't' },
  'session-length': { type: 'string', short: 'n' },
  offline: { type: 'boolean', short: 'O' },
  mode: { type: 'string', short: 'm' },
  'config-dir': { type: 'string' },
} as const satisfies Options;

/**
 * `spec-session report daily|weekly|monthly|session`: usage across the whole Claude Code history of
 * the config dirs asked for. Every API call in any `*.jsonl` under their `projects/` counts, once.
 */
/** `onFolded`: called when this run folded new bytes in this thread (the bin then deepens its code cache). */
export async function reportCommand(argv: string[], { onFolded }: { onFolded?: () => void } = {}): Promise<string> {
  const { values, positionals } = parse(argv, REPORT_OPTIONS, 1);
  const period = positionals[0] ?? 'daily';
  if (!PERIODS.includes(period))
    throw new UsageError(`unknown report "${period}": use daily, weekly, monthly, session or blocks`);
  for (const flag of ['active', 'recent', 'token-limit', 'session-length'] as const)
    if (values[flag] !== undefined && period !== 'blocks') throw new UsageError(`--${flag} is for report blocks`);
  if (values.mode !== undefined && values.mode !== 'calculate')
    throw new UsageError(
      `--mode ${values.mode}: every call is priced from its tokens here (ccusage's --mode calculate); a transcript's costUSD is not read`,
    );
  const limitFlag = values['token-limit'];
  if (limitFlag !== undefined && limitFlag !== 'max' && !(/^\d+$/.test(limitFlag) && Number(limitFlag) > 0))
    throw new UsageError(`--token-limit expects a number of tokens or max, got "${limitFlag}"`);
  const lengthFlag = values['session-length'];
  const hours = lengthFlag === undefined ? BLOCK_HOURS : Number(lengthFlag);
  if (lengthFlag !== undefined && (!/^\d+(\.\d+)?$/.test(lengthFlag) || !(hours >= 1 && hours <= 168)))
    throw new UsageError(
      `--session-length expects hours from 1 to 168 (a block starts at its first call's hour), got "${lengthFlag}"`,
    );
  // Neither 'UTC' nor the machine's zone needs Intl: its first formatter loads time-zone data (~27 ms).
  const storeDir = historyDir();
  if (values.tz !== undefined && values.timezone !== undefined && values.tz !== values.timezone)
    throw new UsageError(`--tz ${values.tz} and --timezone ${values.timezone} disagree: give one`);
  const order = values.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new UsageError(`--order expects asc or desc, got "${order}"`);
  if (values.instances && period === 'blocks')
    throw new UsageError(
      '--instances groups daily, weekly and monthly reports by project; blocks are of every project together',
    );
  if (values.instances && period === 'session')
    throw new UsageError(
      "--instances groups daily, weekly and monthly reports by project; report session names each session's project",
    );
  if (values.instances && values.project !== undefined) throw new UsageError('--instances and --project: give one');
  const tz = assertTimeZone(values.tz ?? values.timezone ?? systemTimeZone(storeDir));
  const { since, until } = values.last === undefined ? dayRange(values) : lastPeriods(values, period, tz);
  const book = priceBookFrom(values);
  const configDirs = claudeConfigDirs(
    values['config-dir'] ? { ...process.env, CLAUDE_CONFIG_DIR: values['config-dir'] } : process.env,
  );
  // Folders named on the command line that hold no transcripts are a mistake to say so; none found
  // where Claude Code keeps them by default is not (Claude Code may never have run here).
  if (configDirs.length === 0 && values['config-dir'])
    throw new UsageError(`--config-dir ${values['config-dir']}: no projects/ folder of Claude Code transcripts there`);
  if (configDirs.length === 0 && !values.json)
    return 'No Claude Code transcripts found (looked in CLAUDE_CONFIG_DIR, ~/.claude and ~/.config/claude).\n';
  const bar = progressBar(!values.json, 'Reading transcripts');
  const view = await updateHistory({
    configDirs,
    storeDir,
    onProgress: (d, t) => bar.update(d, t),
    tz,
    calls: period === 'blocks',
  });
  bar.end();
  if (view.foldedHere) onFolded?.();
  for (const error of view.errors) process.stderr.write(`spec-session: skipped ${error}\n`);
  const breakdown = values.breakdown === true;
  /** What a table says of a project with nothing to show: the projects there are. */
  const noUsageIn = (project: string) =>
    `No usage in project "${project}"${since || until ? ' in this range' : ''}; projects: ${reportProjects(view).join(', ') || 'none'}\n`;
  if (period === 'blocks')
    // Every call of the history is loaded: held, the young generation does not grow to 16 MB a half (140 → 112 MB at 1.6 GiB).
    return withYoungGenerationHeld(async () => {
      const now = systemClock()();
      let blocks = usageBlocks(blockCalls(view, tz, { since, until, project: values.project }), book, now, hours);
      const limit = limitFlag === undefined ? undefined : tokenLimit(limitFlag, blocks);
      if (values.recent) blocks = blocks.filter((b) => b.isActive || b.start >= now - RECENT_MS);
      if (values.active) blocks = blocks.filter((b) => b.isActive);
      if (order === 'desc') blocks.reverse();
      if (values.json) return `${JSON.stringify(blocksJson(blocks, now, limit), null, 2)}\n`;
      const table = renderBlocksTable(blocks, {
        tz,
        priceTable: book.table,
        now,
        breakdown,
        hours,
        limit: limitFlag === undefined ? undefined : { tokens: limit, max: limitFlag === 'max' },
      });
      return values.project !== undefined && blocks.length === 0 ? `${table}${noUsageIn(values.project)}` : table;
    });
  const options = {
    period: period as Period,
    tz,
    book,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
  if (values.instances) {
    const all = buildUsageReport(view, options);
    const projects = reportProjects(view)
      .map((name) => ({ name, report: buildUsageReport(view, { ...options, project: name }) }))
      .filter((p) => p.report.groups.length > 0);
    if (order === 'desc') for (const p of projects) p.report.groups.reverse();
    if (values.json) return `${JSON.stringify(usageReportByProjectJson(all, projects), null, 2)}\n`;
    return renderProjectsTable(all, projects, breakdown);
  }
  const report = buildUsageReport(view, {
    ...options,
    ...(values.project !== undefined ? { project: values.project } : {}),
  });
  if (order === 'desc') report.groups.reverse();
  if (values.json) return `${JSON.stringify(usageReportJson(report), null, 2)}\n`;
  const table = renderUsageTable(report, breakdown);
  return values.project !== undefined && report.groups.length === 0 ? `${table}${noUsageIn(values.project)}` : table;
}

/** `--last N`: the N most recent days, weeks or months, this one included (ccusage's flag). */
function lastPeriods(
  values: { last?: string; since?: string; until?: string },
  period: string,
  tz: string,
): { since: string; until?: string } {
  if (period === 'session' || period === 'blocks')
    throw new UsageError(`--last counts days, weeks or months: not for report ${period}`);
  if (values.since !== undefined || values.until !== undefined)
    throw new UsageError('--last and --since/--until: give one');
  const n = Number(values.last);
  if (!/^\d+$/.test(values.last!) || n < 1 || n > 100_000)
    throw new UsageError(
      `--last expects a number of ${period === 'daily' ? 'days' : period === 'weekly' ? 'weeks' : 'months'}, got "${values.last}"`,
    );
  return { since: firstDayOfLast(period as Exclude<Period, 'session'>, dayKey(systemClock()(), tz), n) };
}

/** ccusage's --recent: blocks of the last 3 days, and the active one. */
const RECENT_MS = 3 * 86_400_000;

/**
 * Every distinct call in the range, at its own time, with the calls only cost-state lines count
 * (at the time the summary keeps for them), in time order: what usageBlocks groups.
 */
function blockCalls(
  view: HistoryView,
  tz: string,
  { since, until, project }: { since?: string; until?: string; project?: string },
): BlockCall[] {
  const range = { since, until };
  const wanted = project === undefined ? undefined : inProject(project);
  const calls: BlockCall[] = [];
  const table = view.calls();
  for (let i = 0; i < table.size; i++) {
    if (wanted && !wanted(table.project(i))) continue;
    const time = table.time(i);
    if (inRange({ time }, range, tz))
      calls.push({ time, model: table.model(i), tokens: table.tokens(i), fast: table.fast(i) });
  }
  const summary = view.summary();
  for (const s of Object.values(summary.sessions)) {
    if (wanted && !wanted(s.project)) continue;
    for (const gap of s.gaps) {
      const time = gap[0] ?? s.last;
      if (inRange({ time }, range, tz))
        calls.push({ time, model: summary.models[gap[1]]!, tokens: tokensAt(gap as number[], 2), fast: false });
    }
  }
  return calls.sort((a, b) => a.time - b.time);
}
