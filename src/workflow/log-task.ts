import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ManualRecord, TaskRecord } from '../ledger/records.js';
import { UNDO } from '../ledger/fold-events.js';
import type { LedgerView } from '../ledger/ledger-view.js';
import { priceTokens } from '../pricing/price-call.js';
import { CLAUDE_CODE_ALIASES_VERSION, claudeCodeModelFor, modelNameCandidates } from '../pricing/model-name.js';
import { formatCount, formatUsd } from '../render/format.js';
import { SpecError } from '../spec/errors.js';
import { assertSafeName, readSpecTasks, tasksPath } from '../spec/spec-dir.js';
import { updateTaskStatusFile } from '../spec/task-status-file.js';
import { findUniqueTask, type TaskStatus } from '../spec/tasks-file.js';
import { zeroTokens, totalTokens, type TokenCounts } from '../usage/tokens.js';
import type { ProjectContext } from './context.js';
import { recordEvents } from './context.js';
import { activeSessions, claudeBinding, projectSnapshot } from './snapshot.js';
import { writeSessionLog } from './session-log.js';

const STATUS: Record<string, TaskStatus> = {
  done: 'done',
  completed: 'done',
  'in-progress': 'in-progress',
  wip: 'in-progress',
  doing: 'in-progress',
  pending: 'pending',
  todo: 'pending',
  blocked: 'blocked',
};

/**
 * Hand-typed counts are summed with API counts as JS numbers: 10^12 tokens of one kind (about $1M
 * even at Haiku's price) is far above any real entry, and keeps thousands of entries summing
 * exactly (below 2^53), so `cost --json` never shows a rounded total.
 */
const MAX_TOKENS = 10n ** 12n;

/**
 * "45k", "1.2M", "45000", "45,000" → 45000, computed exactly; null when it is not a token count.
 * A count that is not a whole number of tokens ("1.5", "1.2345k") or is above 10^12 is refused.
 */
export function parseTokenCount(text: string): number | null {
  const m = /^(\d+(?:[.,]\d+)*)([kKmM]?)$/.exec(text.trim());
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  // With a unit a comma is a decimal mark (1,5k); without one it groups thousands (45,000).
  const number = unit ? m[1]!.replace(/,/g, '.') : m[1]!.replace(/,/g, '');
  const [whole, fraction = '', ...more] = number.split('.');
  if (more.length) return null;
  const scaled = BigInt(whole! + fraction) * (unit === 'k' ? 1_000n : unit === 'm' ? 1_000_000n : 1n);
  const divisor = 10n ** BigInt(fraction.length);
  if (scaled % divisor !== 0n)
    throw new SpecError(`invalid token count ${JSON.stringify(text)}: not a whole number of tokens`);
  if (scaled / divisor > MAX_TOKENS)
    throw new SpecError(`invalid token count ${JSON.stringify(text)}: more than 1,000,000,000,000 tokens of one kind`);
  return Number(scaled / divisor);
}

const KIND_NAMES: Record<keyof TokenCounts, string> = {
  input: 'input',
  output: 'output',
  cacheWrite5m: 'cache write 5m',
  cacheWrite1h: 'cache write 1h',
  cacheRead: 'cache read',
};

/** "45k" (all input) or "in:30k,out:15k,cw:1k,cr:100k" (an exact split, each kind at most once). */
export function parseTokenSpec(text: string): TokenCounts {
  const tokens = zeroTokens();
  const refuse = (why: string) => new SpecError(`invalid token count ${JSON.stringify(text)}: ${why}`);
  const countOf = (part: string) => {
    try {
      return parseTokenCount(part);
    } catch (error) {
      throw refuse((error as Error).message.replace(/^.*?": /, ''));
    }
  };
  const plain = countOf(text);
  if (plain !== null) {
    tokens.input = plain;
    return tokens;
  }
  const kinds: Record<string, keyof TokenCounts> = {
    in: 'input',
    input: 'input',
    out: 'output',
    output: 'output',
    cw: 'cacheWrite5m',
    cw5: 'cacheWrite5m',
    cw1h: 'cacheWrite1h',
    cr: 'cacheRead',
  };
  const seen = new Set<keyof TokenCounts>();
  for (const part of text.split(',')) {
    const [k, v] = part.split(':');
    const kind = kinds[k?.trim().toLowerCase() ?? ''];
    const n = v === undefined ? null : countOf(v);
    if (!kind || n === null) throw refuse('use 45k, 1.2M, 45000 or in:30k,out:15k,cw:1k,cr:100k');
    if (seen.has(kind)) throw refuse(`${KIND_NAMES[kind]} is given twice`);
    seen.add(kind);
    tokens[kind] = n;
  }
  return tokens;
}

/** `/log-task <id> <status> <tokens> [model]`: record work done outside Claude Code; `/log-task <id> undo` takes the last entry back. */
export function logTask(ctx: ProjectContext, args: string[]): string {
  const [target, statusText, tokenText, modelArg, ...extra] = args;
  if (target && statusText?.toLowerCase() === UNDO && tokenText === undefined) return undoLog(ctx, target);
  if (!target || !statusText || !tokenText || extra.length)
    throw new SpecError(
      'usage: /log-task <task id> <done|in-progress|pending|blocked> <tokens, e.g. 45k> [model], or /log-task <task id> undo',
    );
  const status = STATUS[statusText.toLowerCase()];
  if (!status) throw new SpecError(`invalid status "${statusText}": use done, in-progress, pending or blocked`);
  const tokens = parseTokenSpec(tokenText);
  const view = projectSnapshot(ctx);
  const bound = claudeBinding(ctx);
  const { ws, spec, task } = targetTask(ctx, view, bound, target);
  // A Claude Code alias (haiku, sonnet, opus…) is recorded as the model it stands for.
  const typedModel = modelArg === undefined ? undefined : claudeCodeModelFor(modelArg);
  const model = sameModelAsLogged(view, typedModel) ?? sessionModel(view, ws) ?? ctx.config.defaultModel;
  const priced = priceTokens({ model, tokens, speed: 'standard', longContext: false }, ctx.book);
  if (priced.cost === null && modelArg !== undefined && typedModel !== modelArg)
    throw new SpecError(
      `no price for model "${modelArg}" (Claude Code ${CLAUDE_CODE_ALIASES_VERSION} runs ${typedModel} for it): give a priced model, or add ${typedModel} to .claude/spec-session/prices.json`,
    );
  if (priced.cost === null)
    throw new SpecError(
      `no price for model "${model}": give a known model, or add it to .claude/spec-session/prices.json`,
    );
  updateTaskStatusFile(ctx.projectDir, spec, task.id, status);
  const now = new Date(ctx.now()).toISOString();
  recordEvents(ctx, (w) => {
    const manual: ManualRecord = {
      k: 'manual',
      id: `manual:${randomUUID()}`,
      t: now,
      ws: ws && view.sessions.get(ws)?.spec === spec ? ws : null,
      spec,
      task: task.id,
      status,
      model,
      in: tokens.input,
      out: tokens.output,
      cw5: tokens.cacheWrite5m,
      cw1h: tokens.cacheWrite1h,
      cr: tokens.cacheRead,
    };
    w.append(manual);
    if (status === 'done') {
      const done: TaskRecord = {
        k: 'task',
        t: now,
        ws: manual.ws,
        spec,
        task: task.id,
        event: 'done',
        cs: ctx.claude?.sessionId ?? null,
        source: 'log-task',
      };
      w.append(done);
    }
  });
  if (ws && view.sessions.get(ws)?.spec === spec) writeSessionLog(ctx, ws);
  const split = tokens.input === totalTokens(tokens) ? ' as input tokens; give in:…,out:… for an exact split' : '';
  return `✍ Task ${task.id} (${spec}) logged by hand: ${status}, ${formatCount(totalTokens(tokens))} tokens, ${formatUsd(priced.cost)} at ${model}${split} [manual]\n`;
}

/** `<id>` or `<spec>/<id>`: the task, its spec, and the work session to log against. */
function targetTask(
  ctx: ProjectContext,
  view: LedgerView,
  bound: { ws: string | null; spec: string | null },
  target: string,
) {
  // Split at the first '/' only: the rest is the task id and is checked whole, never cut short.
  const slash = target.indexOf('/');
  const [specPart, idPart] = slash < 0 ? [undefined, target] : [target.slice(0, slash), target.slice(slash + 1)];
  // Outside a bound Claude session: the one active work session, or the one active on the spec named.
  const active = activeSessions(view);
  const onSpec = specPart === undefined ? [] : active.filter((s) => s.spec === specPart);
  const ws =
    bound.ws ?? (active.length === 1 ? active[0]! : onSpec.length === 1 ? onSpec[0]! : undefined)?.name ?? null;
  const spec = specPart ?? bound.spec ?? (ws ? view.sessions.get(ws)?.spec : undefined);
  if (!spec)
    throw new SpecError(
      active.length > 1
        ? `${active.length} work sessions are active (${active.map((s) => s.name).join(', ')}): name the task as <spec>/<id>`
        : 'no active session to log against: /start-session first, or name the task as <spec>/<id>',
    );
  assertSafeName('spec', spec);
  assertSafeName('task', idPart!);
  const task = findUniqueTask(
    readSpecTasks(ctx.projectDir, spec),
    idPart!,
    path.relative(ctx.projectDir, tasksPath(ctx.projectDir, spec)),
  );
  if (!task) throw new SpecError(`no task ${idPart} in spec ${spec}`);
  return { ws, spec, task };
}

/**
 * `/log-task <id> undo`: the task's last entry logged by hand, taken back by a correcting entry
 * (its counts negated, id `undo:<its id>`), never by editing the ledger. Undoing twice takes back
 * the entry before it; tasks.md keeps the status the entry set (log the right one to change it).
 */
function undoLog(ctx: ProjectContext, target: string): string {
  const view = projectSnapshot(ctx);
  const { spec, task } = targetTask(ctx, view, claudeBinding(ctx), target);
  const entries = view.manual.filter((m) => m.spec === spec && m.task === task.id);
  const undone = new Set(entries.filter((m) => m.status === UNDO).map((m) => m.id.slice(`${UNDO}:`.length)));
  const last = entries
    .filter((m) => m.status !== UNDO && !undone.has(m.id))
    .sort((a, b) => a.time - b.time)
    .at(-1);
  if (!last) throw new SpecError(`nothing logged by hand for task ${task.id} (${spec}) to undo`);
  const t = last.tokens;
  recordEvents(ctx, (w) => {
    const undo: ManualRecord = {
      k: 'manual',
      id: `${UNDO}:${last.id}`,
      t: new Date(ctx.now()).toISOString(),
      ws: last.ws,
      spec,
      task: task.id,
      status: UNDO,
      model: last.model,
      in: -t.input,
      out: -t.output,
      cw5: -t.cacheWrite5m,
      cw1h: -t.cacheWrite1h,
      cr: -t.cacheRead,
    };
    w.append(undo);
  });
  if (last.ws) writeSessionLog(ctx, last.ws);
  const when = new Date(last.time).toISOString().slice(0, 16).replace('T', ' ');
  return `↩ Task ${task.id} (${spec}): the ${formatCount(totalTokens(t))} tokens logged by hand at ${when} UTC are taken back (a correcting entry; the ledger's history is kept)\n`;
}

/** The model a work session used most, by tokens. */
function sessionModel(view: ReturnType<typeof projectSnapshot>, ws: string | null): string | undefined {
  if (!ws) return undefined;
  const counts = new Map<string, number>();
  for (const item of view.usageOfSessions([ws]))
    if (item.kind === 'call') counts.set(item.model, (counts.get(item.model) ?? 0) + totalTokens(item.tokens));
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A typed model name (`claude-haiku-4-5`) as the transcripts spell it (`claude-haiku-4-5-20251001`)
 * when the project has used it, so reports show one model, not two. */
function sameModelAsLogged(view: ReturnType<typeof projectSnapshot>, typed: string | undefined): string | undefined {
  if (!typed) return undefined;
  const undated = (m: string) => modelNameCandidates(m).at(-1);
  return view.models.find((m) => undated(m) === undated(typed)) ?? typed;
}
