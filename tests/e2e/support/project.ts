/**
 * A scratch project with spec-session installed from the built bundles (dist/), the way a user
 * gets it: `spec-session install --dir <project>` (run once per worker, then copied: see
 * installedProject). The CLI runs as a real process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScratchHome, repoRoot, type Scratch } from './claude.js';

export const cli = join(repoRoot, 'dist', 'spec-session.cjs');

export const INVOICE_TASKS = `# Tasks Document

- [ ] 1.1 Create invoice model in src/invoice/model.ts
  - File: src/invoice/model.ts
  - Purpose: Invoice entity with line items
  - _Requirements: 1.1_
  - _Prompt: Role: TypeScript developer | Task: create the invoice model | Restrictions: no any | Success: compiles_
- [ ] 1.2 Add invoice totals calculation
  - File: src/invoice/totals.ts
- [ ] 1.3 Add invoice numbering
- [ ] 1.4 Add invoice PDF export
- [ ] 1.5 Add invoice API endpoint
`;

export interface Project extends Scratch {
  env: NodeJS.ProcessEnv;
  tasksFile(spec?: string): string;
  specSession(args: string[], opts?: { allowFail?: boolean }): { code: number; stdout: string; stderr: string };
  costJson(): CostJson;
}

export interface TokenFields {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
}
export interface CostJson {
  tasks: Array<TokenFields & { spec: string; taskId: string; session: string | null; manual: boolean }>;
  sessions: Array<TokenFields & { name: string; spec: string | null }>;
  unattributed: TokenFields;
  totals: TokenFields;
}

export function makeProject(
  specs: Record<string, string> = { 'invoice-management': INVOICE_TASKS },
  tz = 'UTC',
): Project {
  const scratch = makeScratchHome();
  for (const [spec, tasks] of Object.entries(specs)) {
    const dir = join(scratch.project, '.spec-workflow', 'specs', spec);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'requirements.md'), `# Requirements: ${spec}\n`);
    writeFileSync(join(dir, 'design.md'), `# Design: ${spec}\n`);
    writeFileSync(join(dir, 'tasks.md'), tasks);
  }
  const project = openProject(scratch, tz);
  cpSync(installedProject(), scratch.project, { recursive: true });
  writeFileSync(join(scratch.project, '.claude', 'spec-session', 'config.json'), JSON.stringify({ timeZone: tz }));
  return project;
}

let installed: { project: string; bundle: number } | undefined;

/**
 * `spec-session install --dir <empty project>`, run once per test worker (and again when dist/ is
 * rebuilt): install writes the same bytes whatever the project holds, so each project gets a copy,
 * a spawn fewer per test.
 */
function installedProject(): string {
  const bundle = statSync(cli).mtimeMs;
  if (installed?.bundle === bundle && existsSync(installed.project)) return installed.project;
  const root = mkdtempSync(join(tmpdir(), 'spec-session-installed-'));
  const project = join(root, 'project');
  mkdirSync(project);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: root };
  for (const k of Object.keys(env)) if (k.startsWith('CLAUDE_') || k === 'CLAUDECODE') delete env[k];
  execFileSync(process.execPath, [cli, 'install', '--dir', project, '--claude-version', '2.1.331'], { env });
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  installed = { project, bundle };
  return project;
}

/** A scratch project that already exists (made by makeProject, or a copy of one); `extraEnv` goes to every CLI run. */
export function openProject(scratch: Scratch, tz = 'UTC', extraEnv: Record<string, string> = {}): Project {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: scratch.home, TZ: tz, NO_COLOR: '1', ...extraEnv };
  for (const k of Object.keys(env)) if (k.startsWith('CLAUDE_') || k === 'CLAUDECODE') delete env[k];
  const project: Project = {
    ...scratch,
    env,
    tasksFile: (spec = 'invoice-management') => join(scratch.project, '.spec-workflow', 'specs', spec, 'tasks.md'),
    specSession(args, opts = {}) {
      const r = spawnSync(process.execPath, [cli, ...args, '--dir', scratch.project], { env, encoding: 'utf8' });
      if (r.status !== 0 && !opts.allowFail)
        throw new Error(`spec-session ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    costJson() {
      return JSON.parse(project.specSession(['cost', '--json']).stdout) as CostJson;
    },
  };
  return project;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The shell command a scripted reply uses to mark a task done, as an agent editing tasks.md would. */
export function markDoneCommand(task: string, spec = 'invoice-management'): string {
  return `sed -i 's/^- \\[-\\] ${task.replace(/\./g, '\\.')} /- [x] ${task} /' .spec-workflow/specs/${spec}/tasks.md`;
}
