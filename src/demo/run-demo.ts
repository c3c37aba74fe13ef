import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childProcess } from '../store/lazy-builtins.js';
import { HOOK_MARK } from '../install/hook-events.js';
import { installProject } from '../install/install-project.js';
import { loadPriceBook } from '../pricing/price-call.js';
import type { DemoWorld } from './claude-player.js';
import { playDay } from './demo-day.js';
import { writeDemoProject } from './demo-project.js';
import { dailySummaryHead, writtenFiles } from './written-files.js';
import { honestyLines, reportLine, WrittenUsage, type CostJsonTotals } from './honesty-check.js';
import { Narrative } from './narrative.js';
import { CLAUDE_CODE_VERSION } from './transcript-writer.js';
import { seededRandom } from './usage-plan.js';

const INTRO = `spec-session demo: the guide's "Full day", run through the real pipeline
No Claude Code and no API key needed: the demo plays Claude Code's part. It writes the session
transcripts the way Claude Code ${CLAUDE_CODE_VERSION} does (one line per content block, usage on every line,
a cost-state line at the end of each session) and runs spec-session's installed hook as a real
process at each moment Claude Code would. Every figure below is spec-session's own, read from those
files; the last lines check them against what the demo wrote. The day is compressed into one
run, so every clock below shows the time now.
Lines in (parentheses) are the demo telling what it played; everything else is spec-session's output.`;

/**
 * `spec-session demo`: a temp folder with a demo project and a Claude config dir, spec-session
 * installed from `bundleDir` (the package's dist/), a day of work played against the installed
 * hooks, the reports, and a check that the totals equal what was written. Returns the narrative.
 */
export async function runDemo({ keep, bundleDir }: { keep: boolean; bundleDir: string }): Promise<string> {
  for (const bundle of ['hook.cjs', 'spec-session.cjs']) {
    if (!fs.existsSync(path.join(bundleDir, bundle)))
      throw new Error(`no ${bundle} in ${bundleDir}: build the bundles first (npm run build)`);
  }
  const commandsDir = findCommandsDir(bundleDir);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'spec-session-demo-')));
  try {
    const story = playDemo(tmp, bundleDir, commandsDir);
    story.plain(
      keep ? keptText(tmp) : '\n(The temp folder is removed; run `spec-session demo --keep` to look at the files.)',
    );
    return story.toString();
  } finally {
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function playDemo(tmp: string, bundleDir: string, commandsDir: string): Narrative {
  const story = new Narrative();
  story.plain(INTRO);
  const projectDir = writeDemoProject(tmp);
  const claudeDir = path.join(tmp, 'claude');
  // Claude Code's folder name for a project: its path with every non-alphanumeric char as '-'.
  const transcriptsDir = path.join(claudeDir, 'projects', projectDir.replace(/[^A-Za-z0-9]/g, '-'));
  fs.mkdirSync(transcriptsDir, { recursive: true });
  const env = childEnv({
    CLAUDE_CONFIG_DIR: claudeDir,
    CLAUDE_PROJECT_DIR: projectDir,
    SPEC_SESSION_HOME: path.join(tmp, 'spec-session-home'),
  });

  story.heading('Install, once per project');
  story.typed(`spec-session install --dir invoice-app --claude-version ${CLAUDE_CODE_VERSION}`, true);
  story.shown(
    installProject({ projectDir, bundleDir, commandsDir, claudeVersion: CLAUDE_CODE_VERSION }).replaceAll(tmp, '<tmp>'),
  );

  const world: DemoWorld = {
    projectDir,
    transcriptsDir,
    hookFile: path.join(projectDir, HOOK_MARK),
    registered: registeredEvents(projectDir),
    env,
    story,
    written: new WrittenUsage(),
    random: seededRandom(20250113),
    claudeCodePrices: loadPriceBook({ table: 'claude-code' }),
    problems: [],
    onHook: statusLine(),
  };
  playDay(world);
  world.onHook('');

  const cli = (args: string[]) => {
    const run = childProcess().spawnSync(
      process.execPath,
      [path.join(projectDir, '.claude', 'spec-session', 'spec-session.cjs'), ...args],
      { env, cwd: projectDir, encoding: 'utf8' },
    );
    if (run.status !== 0)
      world.problems.push(`spec-session ${args[0]} exited ${run.status}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    return run.stdout;
  };

  story.heading('What spec-session wrote in the project');
  story.shown(writtenFiles(projectDir));
  const daily = dailySummaryHead(projectDir);
  if (daily) {
    story.typed(`cat ${daily.file}`, true);
    story.shown(`${daily.head}\n…`);
  }

  story.heading('The same day across all your Claude Code history (transcripts only)');
  story.typed('spec-session report daily --config-dir <tmp>/claude', true);
  story.shown(cli(['report', 'daily', '--config-dir', claudeDir]));
  const reportTotal = parseJson<{ totals: { totalTokens: number } }>(
    cli(['report', 'daily', '--json', '--config-dir', claudeDir]),
  )?.totals.totalTokens;
  if (reportTotal !== undefined) story.shown(reportLine(world.written, reportTotal));

  story.heading('Honesty check');
  story.typed('spec-session cost --json', true);
  const cost = parseJson<CostJsonTotals>(cli(['cost', '--json', '--dir', projectDir]));
  if (cost) story.shown(honestyLines(world.written, cost).join('\n'));
  else story.shown('✗ Honesty check: spec-session cost --json gave no totals');
  const hookLog = path.join(projectDir, '.claude', 'spec-session', 'state', 'hook.log');
  if (fs.existsSync(hookLog))
    world.problems.push(
      ...fs
        .readFileSync(hookLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => `hook.log: ${l}`),
    );
  for (const problem of world.problems) story.shown(`⚠ ${problem}`);
  return story;
}

/** `Playing the day: 12 hooks run (Stop)` on stderr, on a terminal only; an empty event clears it. */
function statusLine(): (event: string) => void {
  if (!process.stderr.isTTY || !process.stdout.isTTY) return () => undefined;
  let runs = 0;
  return (event) => {
    process.stderr.write(event ? `\rPlaying the day: ${++runs} hooks run (${event})\x1b[K` : '\r\x1b[2K');
  };
}

function keptText(tmp: string): string {
  const project = path.join(tmp, 'invoice-app');
  return [
    '',
    `Kept: ${tmp}`,
    '  invoice-app/  the demo project: docs/, .spec-workflow/, .claude/ (spec-session installed)',
    '  claude/       its Claude Code config dir: the transcripts, under projects/',
    `  Try: cd ${project} && CLAUDE_CONFIG_DIR=${path.join(tmp, 'claude')} node .claude/spec-session/spec-session.cjs cost`,
  ].join('\n');
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined; // not JSON: the caller says what was expected
  }
}

/** The slash-command files beside the bundles: `<package>/commands/` next to `<package>/dist/`. */
function findCommandsDir(bundleDir: string): string {
  const candidates = [path.join(bundleDir, '..', 'commands'), path.join(bundleDir, 'commands')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'do-task.md')));
  if (!found) throw new Error(`no slash-command files (commands/do-task.md) next to ${bundleDir}`);
  return path.resolve(found);
}

/** The events `.claude/settings.json` runs our hook for: Claude Code would run it for no other. */
function registeredEvents(projectDir: string): Set<string> {
  const settings = JSON.parse(fs.readFileSync(path.join(projectDir, '.claude', 'settings.json'), 'utf8')) as {
    hooks?: Record<string, Array<{ hooks?: Array<{ command?: string }> }>>;
  };
  const events = Object.entries(settings.hooks ?? {}).filter(([, groups]) =>
    groups.some((g) => g.hooks?.some((h) => h.command?.includes(HOOK_MARK))),
  );
  return new Set(events.map(([event]) => event));
}

/** The user's environment without anything from a Claude Code session the demo may run inside. */
function childEnv(set: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('CLAUDE') || (key.startsWith('SPEC_SESSION_') && key !== 'SPEC_SESSION_DEBUG')) continue;
    env[key] = value;
  }
  return { ...env, ...set };
}
