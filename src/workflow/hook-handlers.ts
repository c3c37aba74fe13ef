import { currentBinding } from '../capture/claude-session-state.js';
import { withClaudeSession, type ClaudeSessionRef } from '../capture/capture-session.js';
import { waitForTurnEnd } from '../capture/turn-end.js';
import { endPlanning } from '../capture/tool-use.js';
import type { HeavyHooks, HookResponse } from '../capture/run-hook.js';
import { usageOf } from '../report/project-usage.js';
import { readSpecTasks } from '../spec/spec-dir.js';
import { findTask } from '../spec/tasks-file.js';
import { budgetRange, budgetStates, takeBudgetNotices } from './budgets.js';
import { projectContext, type ProjectContext } from './context.js';
import { doTask } from './do-task.js';
import { runWorkflowCommand } from './run-command.js';
import { repairDerivedFiles } from './eod.js';
import { completionLine, noticeCompletion, recordTaskUsage } from './task-completion.js';
import { parseSlashCommand, slashHelp, wantsHelp } from './slash-command.js';
import { writeSessionLog } from './session-log.js';
import { claudeBinding, projectSnapshot } from './snapshot.js';
import { userMessage } from '../store/fs-utils.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import { rollUpAtStart } from './closed-days.js';

/**
 * What hooks do that needs the whole library. Report commands answer from the UserPromptSubmit
 * hook and block the prompt, so showing a number costs no model tokens; /do-task lets the prompt
 * through with the task's text added as context.
 */
export const hookHandlers: HeavyHooks = {
  onPrompt(ref, prompt) {
    const ctx = projectContext(ref.projectDir, { claude: ref });
    withClaudeSession(ref, (w) => {
      // A new turn: planning is counted from here, and a planning turn before it is over.
      w.state.turnStartedAt = ctx.now();
      const back = endPlanning(w.state);
      if (back) w.bind(back, 'planning-done', ctx.now());
    });
    const command = parseSlashCommand(prompt);
    if (!command) {
      releaseFinishedTask(ctx, ref);
      return undefined;
    }
    if (wantsHelp(command.args)) return block(slashHelp(command.name));
    try {
      if (command.name === 'do-task') {
        const { message, brief } = doTask(ctx, command.args);
        return {
          systemMessage: message,
          hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: brief },
        };
      }
      const notes: string[] = [];
      const output = runWorkflowCommand(ctx, command.name, command.args, (line) => notes.push(line));
      return block([...notes, String(output).trimEnd()].join('\n'));
    } catch (error) {
      return block(`spec-session /${command.name}: ${userMessage(error)}`);
    }
  },

  afterTurn(ref) {
    const ctx = projectContext(ref.projectDir, { claude: ref });
    const done = withClaudeSession(ref, (w) => {
      const finished = noticeCompletion(ctx, w);
      if (!finished || w.state.announced.includes(`announced:${finished.spec}/${finished.task}`)) return undefined;
      w.state.announced.push(`announced:${finished.spec}/${finished.task}`);
      return finished;
    });
    const messages: string[] = [];
    let view: LedgerView | undefined;
    if (done) {
      // The number is shown now, so make sure the turn's last message is in it.
      if (waitForTurnEnd(ref.transcriptPath)) withClaudeSession(ref, () => undefined);
      view = projectSnapshot(ctx, { catchUp: false, turn: true });
      messages.push(completionLine(ctx, done.spec, done.task, view));
      recordTaskUsage(ctx, done.spec, done.task, view); // writes the implementation log, not the ledger
      if (done.ws) writeSessionLog(ctx, done.ws, undefined, view);
    }
    // The logs written above are not the ledger: the view read for them still holds.
    messages.push(...budgetMessages(ctx, view));
    return messages.length ? { systemMessage: messages.join('\n') } : undefined;
  },

  afterStart(ref) {
    const ctx = projectContext(ref.projectDir, { claude: ref });
    let rolled = false;
    try {
      rolled = rollUpAtStart(ctx);
    } finally {
      repairDerivedFiles(ctx);
    }
    // Read as a turn reads: when the live part read the files just rolled up, or the new rollups are
    // few enough to add to a turn's answers (pending-rollups.ts), the base is left for the next
    // command to build, and the start stays light however long the history. Only when neither
    // holds is the base built here, rather than by the session's first statusline or Stop hook.
    // Every folder is listed, not only recent ones: the rollup changed long-over folders, and the
    // session's turns list those as this read remembers them.
    if (rolled) projectSnapshot(ctx, { catchUp: false, turn: true, listAll: true });
  },

  afterTasksEdit(ref) {
    const ctx = projectContext(ref.projectDir, { claude: ref });
    withClaudeSession(ref, (w) => noticeCompletion(ctx, w));
  },
};

function block(text: string): HookResponse {
  return { decision: 'block', reason: text };
}

/** A task marked done stays active to the end of its turn; the next prompt is session work. */
function releaseFinishedTask(ctx: ProjectContext, ref: ClaudeSessionRef): void {
  withClaudeSession(ref, (w) => {
    const bound = currentBinding(w.state);
    if (!bound.spec || !bound.task) return;
    let status: string | undefined;
    try {
      status = findTask(readSpecTasks(ctx.projectDir, bound.spec), bound.task)?.status;
    } catch {
      return; // tasks.md unreadable now: nothing to release
    }
    if (status === 'done')
      w.bind({ ws: bound.ws, spec: bound.ws ? bound.spec : null, task: null }, 'task-done', ctx.now());
  });
}

function budgetMessages(ctx: ProjectContext, view = projectSnapshot(ctx, { catchUp: false, turn: true })): string[] {
  // Budgets look at this week and this month only; the index folds only what is new since its last read.
  // Only the days' costs: no work session or task needs to be known (a big ledger's sessions are a file of their own).
  const usage = usageOf(view.usageIn(budgetRange(ctx), ctx.tz), [], ctx.book, ctx.tz);
  const states: Parameters<typeof takeBudgetNotices>[1] = budgetStates(ctx, usage);
  const perTask = ctx.config.budgets.perTask;
  const bound = claudeBinding(ctx);
  if (perTask !== null && bound.spec && bound.task) {
    const spent = usageOf(view.taskTotal(bound.spec, bound.task), [], ctx.book, ctx.tz).totals.cost;
    const level = spent >= perTask ? 'over' : spent >= 0.8 * perTask ? 'warn' : 'ok';
    states.push({
      period: 'task',
      key: `${bound.spec}/${bound.task}`,
      label: `Task ${bound.task}`,
      limit: perTask,
      spent,
      level,
    });
  }
  return takeBudgetNotices(ctx, states);
}
