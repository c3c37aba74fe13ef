/**
 * `npm run demo` as a newcomer runs it: the built CLI (dist/, after `npm run build`) as a real
 * process, no Claude Code, no API key. It asserts what the user reads: the guide's messages, the
 * EOD block, and the honesty check; and that the files it leaves (--keep) agree with `cost --json`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(repoRoot, 'dist', 'spec-session.cjs');
const TIMEOUT = 180_000; // ~45 hook processes; a loaded CI machine is slow to start node

/** The user's environment, minus anything from a Claude Code session the tests may run inside. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CLAUDE') && !k.startsWith('SPEC_SESSION_')),
  );
}

function run(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: TIMEOUT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const count = (text: string) => Number(text.replace(/,/g, ''));

// One run serves every assertion: `--keep` changes only the closing lines (and keeps the folder).
let demo: ReturnType<typeof run>;
let kept: string | undefined;
beforeAll(() => {
  demo = run(['demo', '--keep']);
  kept = /^Kept: (.+)$/m.exec(demo.stdout)?.[1];
}, TIMEOUT);
afterAll(() => {
  if (kept) rmSync(kept, { recursive: true, force: true });
});

describe('spec-session demo', () => {
  it("plays the guide's day through the real hooks and shows the user's numbers, checked", () => {
    const { code, stdout, stderr } = demo;
    expect(stderr).toBe('');
    expect(code).toBe(0);

    expect(stdout).toContain('> /start-session inv-1000 spec invoice-management\n  Session inv-1000 created');
    expect(stdout).toMatch(
      /> \/do-task invoice-management 1\.1\n {2}▶ Task 1\.1 in progress: Create invoice model \(session inv-1000\)/,
    );
    expect(stdout).toMatch(/✅ Task 1\.1 completed \([\d,]+ tokens, \$\d+\.\d+\)/);
    expect(stdout).toMatch(/✅ Task 1\.5 completed \(/);
    expect(stdout).toMatch(/Session: inv-1000 \(this window\)[^\n]*\n {4}Active task: 1\.2 · Tasks: 2\/5 done/);
    expect(stdout).toContain('Continue from task 1.3: /do-task invoice-management 1.3');
    expect(stdout).toMatch(/✍ Task 2\.1 \(patient-search\) logged by hand: done, 45,000 tokens/);
    expect(stdout).toMatch(
      /📊 EOD Summary: \d{4}-\d{2}-\d{2}\n {2}├── Sessions: 3\n {2}├── Tasks: 6 done \(6 worked on\)\n {2}├── Tokens: [\d,]+\n {2}└── Cost: \$\d+\.\d\d/,
    );
    expect(stdout).toContain('✅ Session logs archived: inv-1000, inv-1300, pat-1600');

    // The completion line shows what the demo's Claude spent in that turn.
    const played = /\(Claude, haiku-4-5: 4 API calls, ([\d,]+) tokens · Read design\.md/.exec(stdout)?.[1];
    expect(stdout).toContain(`✅ Task 1.1 completed (${played} tokens,`);

    // The honesty check: what went into transcripts and /log-task = cost --json = the EOD total.
    const honesty = /✓ Honesty check: .* = ([\d,]+); spec-session cost --json totals: ([\d,]+)/.exec(stdout);
    expect(honesty).not.toBeNull();
    expect(count(honesty![1]!)).toBe(count(honesty![2]!));
    expect(stdout).toContain(`├── Tokens: ${honesty![2]}`);
    expect(stdout).toMatch(
      /✓ Per task, the same: invoice-management 1\.1 [\d,]+ · 1\.2 [\d,]+ · 1\.3 [\d,]+ · 1\.4 [\d,]+ · 1\.5 [\d,]+ · patient-search 2\.1 45,000/,
    );
    expect(stdout).not.toContain('✗');
    expect(stdout).not.toMatch(/⚠ .*hook/);
  });

  it('--keep leaves a project whose daily summary equals cost --json', () => {
    expect(kept).toBeDefined();
    const project = join(kept!, 'invoice-app');
    const day = /📊 EOD Summary: (\d{4}-\d{2}-\d{2})/.exec(demo.stdout)![1]!;
    const summary = join(project, 'docs', 'sessions', 'daily', `${day}.md`);
    expect(existsSync(summary)).toBe(true);
    const summaryTokens = count(/^- Tokens: ([\d,]+)$/m.exec(readFileSync(summary, 'utf8'))![1]!);

    const cost = run(['cost', '--json', '--dir', project], { ...cleanEnv(), CLAUDE_CONFIG_DIR: join(kept!, 'claude') });
    expect(cost.code).toBe(0);
    const totals = (JSON.parse(cost.stdout) as { totals: { totalTokens: number } }).totals;
    expect(summaryTokens).toBe(totals.totalTokens);
    expect(existsSync(join(project, 'docs', 'PROGRESS.md'))).toBe(true);
    expect(
      readdirSync(join(project, '.spec-workflow', 'specs', 'invoice-management', 'Implementation Logs')),
    ).toHaveLength(5);
  });
});
