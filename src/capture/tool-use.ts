import fs from 'node:fs';
import path from 'node:path';
import type { PlanRecord } from '../ledger/records.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { withFileLock } from '../store/lock.js';
import { projectPaths } from '../project/paths.js';
import { currentBinding, type ClaudeSessionState } from './claude-session-state.js';
import type { SessionWriter } from './capture-session.js';
import type { HookInput } from './hook-input.js';
import { isSafeName } from '../project/names.js';

type Phase = 'requirements' | 'design' | 'tasks';
const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
const SPEC_DOC = /^\.spec-workflow\/specs\/([^/]+)\/(requirements|design|tasks)\.md$/;

/** The project-relative path of a tool's file; undefined outside the project. */
export function projectFile(projectDir: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  const rel = path.relative(projectDir, path.resolve(projectDir, file)).split(path.sep).join('/');
  return rel.startsWith('../') || path.isAbsolute(rel) ? undefined : rel;
}

/**
 * Is this tool call planning a spec? Writing its requirements, design or tasks document, or a
 * spec-workflow MCP tool called for it (`approvals` names the spec as categoryName and the document
 * as filePath; `spec-status` only the spec: its phase is its latest document).
 */
export function planningOf(projectDir: string, input: HookInput): { spec: string; phase: Phase } | undefined {
  if (input.toolName && EDIT_TOOLS.has(input.toolName)) {
    const m = SPEC_DOC.exec(projectFile(projectDir, input.toolFilePath) ?? '');
    return m ? { spec: m[1]!, phase: m[2] as Phase } : undefined;
  }
  if (!input.toolName?.startsWith('mcp__spec-workflow__') || !input.toolSpec?.spec || !isSafeName(input.toolSpec.spec))
    return undefined;
  const { spec, file, document } = input.toolSpec;
  const named = /(requirements|design|tasks)(\.md)?$/.exec(document ?? file ?? '')?.[1] as Phase | undefined;
  if (named) return { spec, phase: named };
  const dir = path.join(projectDir, '.spec-workflow', 'specs', spec);
  const phase =
    (['tasks', 'design', 'requirements'] as const).find((p) => fs.existsSync(path.join(dir, `${p}.md`))) ??
    'requirements';
  return { spec, phase };
}

/**
 * A turn with no active task that plans a spec: its calls, from the start of the turn, go to the
 * spec's planning phase (a `plan` record covers those already captured, a binding the rest of the
 * turn; the next prompt ends it). Runs inside the session's capture, under its lock.
 */
export function notePlanning(projectDir: string, input: HookInput, w: SessionWriter, now: number): void {
  const plan = planningOf(projectDir, input);
  const bound = currentBinding(w.state);
  if (!plan || bound.task || (bound.phase === plan.phase && bound.spec === plan.spec)) return;
  const from = bound.phase ? now : (w.state.turnStartedAt ?? now);
  const record: PlanRecord = {
    k: 'plan',
    t: new Date(Math.min(from, now)).toISOString(),
    until: new Date(now).toISOString(),
    cs: w.state.sessionId,
    ws: bound.ws,
    spec: plan.spec,
    phase: plan.phase,
  };
  w.append(record);
  w.bind({ ws: bound.ws, spec: plan.spec, task: null, phase: plan.phase }, `planning:${plan.phase}`, now);
}

/** After the planning turn: back to what the session was bound to before it. */
export function endPlanning(
  state: ClaudeSessionState,
): { ws: string | null; spec: string | null; task: string | null } | undefined {
  if (!currentBinding(state).phase) return undefined;
  const before = [...state.bindings].reverse().find((b) => !b.phase);
  return { ws: before?.ws ?? null, spec: before?.spec ?? null, task: null };
}

const WINDOW_MS = 30 * 60_000;

interface Edit {
  file: string;
  cs: string;
  ws: string | null;
  spec: string | null;
  task: string | null;
  t: number;
}

/**
 * Two Claude sessions, one file: when a file this session edited was also edited by another
 * session active in the last 30 minutes on another work session or task, warn this session once
 * per (file, other session): the user through systemMessage, the model through additionalContext.
 * The second editor hears it at that edit; the first at its next tool call, so each hears it once,
 * before it touches the file again. Kept in the machine-local state (parallel sessions run on one
 * machine), project-relative paths only. A hook with no edit and nothing to hear takes no lock.
 */
export function noteEdit(
  projectDir: string,
  input: HookInput,
  state: ClaudeSessionState,
  now: number,
): { user: string; model: string } | undefined {
  const file =
    input.toolName && EDIT_TOOLS.has(input.toolName) ? projectFile(projectDir, input.toolFilePath) : undefined;
  const store = path.join(projectPaths(projectDir).state, 'recent-edits.json');
  const me = state.sessionId;
  if (!file && collisions(readEdits(store), me, now).length === 0) return undefined;
  const bound = currentBinding(state);
  return withFileLock(store, () => {
    const known = readEdits(store);
    const edits = known.edits.filter((e) => now - e.t <= WINDOW_MS && !(e.file === file && e.cs === me));
    if (file) edits.push({ file, cs: me, ws: bound.ws, spec: bound.spec, task: bound.task, t: now });
    const fresh = collisions({ edits, warned: known.warned }, me, now);
    const warned = [
      ...known.warned.filter((w) => edits.some((e) => w.startsWith(`${e.file}|`))),
      ...fresh.map((c) => c.key),
    ];
    writeFileAtomic(store, JSON.stringify({ edits, warned }), { durable: false });
    if (fresh.length === 0) return undefined;
    const lines = [...new Set(fresh.map((c) => c.file))].map((f) => {
      const who = fresh
        .filter((c) => c.file === f)
        .map(
          ({ other: o }) =>
            `${o.ws ? `work session ${o.ws}` : `Claude session ${o.cs.slice(0, 8)}`}${o.task ? ` (task ${o.spec} ${o.task})` : ''}`,
        );
      return { file: f, who: who.join(' and ') };
    });
    return {
      user: lines
        .map(
          (l) =>
            `⚠ spec-session: ${l.file} was also edited in the last 30 minutes by ${l.who}: parallel sessions on one file may overwrite each other.`,
        )
        .join('\n'),
      model: lines
        .map(
          (l) =>
            `spec-session: another Claude session, ${l.who}, edited ${l.file} in the last 30 minutes. Re-read the file before changing it further, and keep to your own task's part of it.`,
        )
        .join('\n'),
    };
  });
}

/** Files this session edited that another session, on another work session or task, edited too, not yet told. */
function collisions(
  known: { edits: Edit[]; warned: string[] },
  me: string,
  now: number,
): Array<{ file: string; other: Edit; key: string }> {
  const live = known.edits.filter((e) => now - e.t <= WINDOW_MS);
  const out = new Map<string, { file: string; other: Edit; key: string }>();
  for (const mine of live.filter((e) => e.cs === me)) {
    for (const other of live) {
      if (other.file !== mine.file || other.cs === me || (other.ws === mine.ws && other.task === mine.task)) continue;
      const key = `${mine.file}|${other.cs}>${me}`;
      if (!known.warned.includes(key) && !out.has(key)) out.set(key, { file: mine.file, other, key });
    }
  }
  return [...out.values()];
}

/** Files more than one active Claude session edited in the last 30 minutes, with who edited them. */
export function sharedFiles(projectDir: string, now: number): Array<{ file: string; by: Edit[] }> {
  const edits = readEdits(path.join(projectPaths(projectDir).state, 'recent-edits.json')).edits.filter(
    (e) => now - e.t <= WINDOW_MS,
  );
  const byFile = new Map<string, Edit[]>();
  for (const e of edits) (byFile.get(e.file) ?? byFile.set(e.file, []).get(e.file)!).push(e);
  return [...byFile]
    .filter(([, by]) => new Set(by.map((e) => e.cs)).size > 1)
    .map(([file, by]) => ({ file, by }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

function readEdits(file: string): { edits: Edit[]; warned: string[] } {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { edits?: Edit[]; warned?: string[] };
    return {
      edits: Array.isArray(parsed.edits) ? parsed.edits : [],
      warned: Array.isArray(parsed.warned) ? parsed.warned : [],
    };
  } catch {
    return { edits: [], warned: [] }; // none yet, or torn: a cache of the last 30 minutes
  }
}
