import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { priceCall, type PriceBook } from '../pricing/price-call.js';
import { formatCount, shortModel } from '../render/format.js';
import { addTokens, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import type { WrittenUsage } from './honesty-check.js';
import { runHookProcess, type HookAnswer } from './hook-process.js';
import type { Narrative } from './narrative.js';
import { base62, TranscriptWriter, usageJson, type ContentBlock } from './transcript-writer.js';
import { Conversation } from './usage-plan.js';

/** Everything the played Claude Code sessions share: the project, the hooks, what was written. */
export interface DemoWorld {
  projectDir: string;
  /** `<CLAUDE_CONFIG_DIR>/projects/<project path, munged>`: where Claude Code puts this project's transcripts. */
  transcriptsDir: string;
  hookFile: string;
  /** The events `.claude/settings.json` registers our hook for: Claude Code runs no other. */
  registered: Set<string>;
  env: NodeJS.ProcessEnv;
  story: Narrative;
  written: WrittenUsage;
  random: (min: number, max: number) => number;
  /** Claude Code's own price table, for its cost-state line. */
  claudeCodePrices: PriceBook;
  problems: string[];
  /** Called before each hook runs (a status line on a terminal: the day takes a few seconds). */
  onHook: (event: string) => void;
}

/** A tool use as the demo plays it: what Claude asks for, what the tool returns, what it changes. */
export interface ToolStep {
  name: string;
  input: Record<string, unknown>;
  result: string;
  /** Short words for the narration, e.g. "Write src/invoice/model.ts". */
  label: string;
  /** The tool's effect on the project (a file written, tasks.md edited). */
  apply?: () => void;
  /** Size of what the tool returns into the conversation, in tokens. */
  returns?: [number, number];
}

/**
 * One Claude Code session, played: it writes the session's transcript as Claude Code does and runs
 * the installed hook as a real process at the moments Claude Code would. The demo's user types
 * prompts; the demo's "model" answers with API calls whose usage it records in `world.written`.
 */
export class PlayedSession {
  readonly id = randomUUID();
  readonly transcriptPath: string;
  private readonly transcript: TranscriptWriter;
  private readonly conversation: Conversation;
  private readonly perModel = new Map<string, { tokens: TokenCounts; costUsd: number }>();
  private readonly startTime = Date.now();
  private promptId = randomUUID();
  /** The task the user set going with /do-task: where this session's calls belong. */
  private task: string | null = null;
  private turn = { calls: 0, tokens: 0, actions: [] as string[] };

  constructor(
    private readonly world: DemoWorld,
    readonly model: string,
  ) {
    this.transcriptPath = path.join(world.transcriptsDir, `${this.id}.jsonl`);
    this.transcript = new TranscriptWriter(this.transcriptPath, { cwd: world.projectDir, sessionId: this.id });
    this.conversation = new Conversation(world.random, { cached: [20_000, 24_000], prompt: [2_500, 6_000] });
  }

  start(): void {
    this.hook('SessionStart', { source: 'startup', model: this.model });
  }

  /** The user types a prompt. A blocked prompt never reaches the model: the user sees the reason. */
  type(prompt: string): HookAnswer {
    this.world.story.typed(prompt);
    this.promptId = randomUUID();
    this.transcript.queue(prompt);
    const answer = this.hook('UserPromptSubmit', { prompt });
    if (answer.blocked !== undefined) {
      this.world.story.shown(answer.blocked);
      return answer;
    }
    this.world.story.shown(answer.systemMessage);
    const brief = answer.additionalContext?.split('\n') ?? [];
    if (brief.length)
      this.world.story.note(
        `the hook also hands the model the task: "${brief[1] ?? brief[0]}", its files, requirements and _Prompt_: ${brief.length} lines`,
      );
    const command = /^\/([a-z-]+)\s*(.*)$/.exec(prompt);
    if (command)
      this.transcript.command(command[1]!, command[2]!, this.commandBody(command[1]!, command[2]!), this.promptId);
    else this.transcript.prompt(prompt, this.promptId);
    if (command?.[1] === 'do-task') this.task = command[2]!.split(/\s+/).join('/');
    this.conversation.add(1_000, 2_500);
    return answer;
  }

  /** Claude uses a tool: the API call asking for it, the tool's result line, the PostToolUse hook. */
  useTool(step: ToolStep, say?: string): void {
    const toolUseId = `toolu_01${base62(22)}`;
    const blocks: ContentBlock[] = [
      ...(say ? [{ type: 'text' as const, text: say }] : []),
      { type: 'tool_use', id: toolUseId, name: step.name, input: step.input },
    ];
    const call = this.respond(blocks);
    step.apply?.();
    const response = { type: step.name.toLowerCase(), ...step.input };
    this.transcript.toolResult(toolUseId, step.result, response, call.lastUuid, this.promptId);
    this.conversation.add(...(step.returns ?? [1_500, 9_000]));
    this.hook('PostToolUse', {
      tool_name: step.name,
      tool_input: step.input,
      tool_response: response,
      tool_use_id: toolUseId,
      duration_ms: this.world.random(20, 900),
    });
    this.turn.actions.push(step.label);
  }

  /** Claude hands part of the work to a subagent, which writes its own transcript file. */
  delegate(agentType: string, description: string, prompt: string, steps: ToolStep[], report: string): void {
    const toolUseId = `toolu_01${base62(22)}`;
    const input = { description, prompt, subagent_type: agentType, run_in_background: false };
    const call = this.respond([{ type: 'tool_use', id: toolUseId, name: 'Agent', input }]);
    const agentId = `a${randomBytes(8).toString('hex')}`;
    const file = path.join(this.world.transcriptsDir, this.id, 'subagents', `agent-${agentId}.jsonl`);
    const agent = new TranscriptWriter(file, {
      cwd: this.world.projectDir,
      sessionId: this.id,
      agent: { id: agentId, type: agentType },
    });
    fs.writeFileSync(
      file.replace(/\.jsonl$/, '.meta.json'),
      JSON.stringify({
        agentType,
        isBuiltIn: true,
        description,
        toolUseId,
        spawnDepth: 1,
        model: this.model,
        finished: true,
      }),
    );
    agent.prompt(prompt, this.promptId);
    const talk = new Conversation(this.world.random, { cached: [20_000, 23_000], prompt: [2_000, 4_000] });
    let tokens = 0;
    let last = zeroTokens();
    const agentCall = (blocks: ContentBlock[]) => {
      last = talk.nextCall([300, 900]);
      tokens += totalTokens(last);
      this.record(last);
      return agent.response(this.model, blocks, last);
    };
    for (const step of steps) {
      const id = `toolu_01${base62(22)}`;
      const sub = agentCall([{ type: 'tool_use', id, name: step.name, input: step.input }]);
      const stepResponse = { type: step.name.toLowerCase(), ...step.input };
      agent.toolResult(id, step.result, stepResponse, sub.lastUuid, this.promptId);
      talk.add(...(step.returns ?? [1_500, 6_000]));
      this.hook('PostToolUse', {
        agent_id: agentId,
        agent_type: agentType,
        tool_name: step.name,
        tool_input: step.input,
        tool_response: stepResponse,
        tool_use_id: id,
        duration_ms: this.world.random(20, 400),
      });
    }
    agentCall([{ type: 'text', text: report }]);
    this.hook('SubagentStop', {
      agent_id: agentId,
      agent_type: agentType,
      stop_hook_active: false,
      agent_transcript_path: file,
      last_assistant_message: report,
    });
    const response = {
      status: 'completed',
      prompt,
      agentId,
      agentType,
      content: [{ type: 'text', text: report }],
      resolvedModel: this.model,
      totalTokens: tokens,
      totalToolUseCount: steps.length,
      usage: usageJson(last),
    };
    this.transcript.toolResult(toolUseId, report, response, call.lastUuid, this.promptId);
    this.conversation.add(800, 2_000);
    this.hook('PostToolUse', {
      tool_name: 'Agent',
      tool_input: input,
      tool_response: response,
      tool_use_id: toolUseId,
      duration_ms: this.world.random(5_000, 20_000),
    });
    this.turn.actions.push(
      `Agent ${agentType}: ${steps.length + 1} calls in its own transcript (${formatCount(tokens)} tokens)`,
    );
  }

  /** The turn's last reply; then the Stop hook, whose message the user sees under the turn. */
  finish(summary: string): HookAnswer {
    this.respond([{ type: 'text', text: summary }]);
    const { calls, tokens, actions } = this.turn;
    this.world.story.note(
      `Claude, ${shortModel(this.model)}: ${calls} API calls, ${formatCount(tokens)} tokens · ${actions.join(' · ')}`,
    );
    this.turn = { calls: 0, tokens: 0, actions: [] };
    const answer = this.hook('Stop', { stop_hook_active: false, last_assistant_message: summary });
    this.world.story.shown(answer.systemMessage);
    return answer;
  }

  /** `/compact`: Claude Code summarises the conversation with one API call that 2.1.331 writes to
   * no assistant line; the session's cost-state line will count it. */
  compact(summary: string): void {
    this.world.story.typed('/compact');
    const preTokens = this.world.random(60_000, 70_000);
    const tokens = this.conversation.compact();
    this.record(tokens, true);
    const agentId = `a${randomBytes(8).toString('hex')}`;
    this.hook('SubagentStop', {
      agent_id: agentId,
      agent_type: '',
      stop_hook_active: false,
      agent_transcript_path: path.join(this.world.transcriptsDir, this.id, 'subagents', `agent-${agentId}.jsonl`),
      last_assistant_message: summary,
    });
    this.transcript.compaction(preTokens, this.world.random(3_000, 5_000), summary);
    this.hook('SessionStart', { source: 'compact', model: this.model });
    this.world.story.note(
      `Claude Code compacts: 1 API call, ${formatCount(totalTokens(tokens))} tokens, written to no assistant line; only the cost-state line at the session's end counts it. No prompt came since /do-task ${this.task?.replace('/', ' ')}, so it belongs to that task`,
    );
  }

  /** The user leaves Claude Code: it appends its cost-state line, then runs SessionEnd. */
  end(): void {
    this.world.story.typed('/exit');
    this.world.story.note('Claude Code appends its cost-state line to the transcript, then runs the SessionEnd hook');
    this.transcript.costState(this.perModel, this.startTime);
    this.hook('SessionEnd', { reason: 'prompt_input_exit' });
  }

  private respond(blocks: ContentBlock[]) {
    const tokens = this.conversation.nextCall();
    this.record(tokens);
    return this.transcript.response(this.model, blocks, tokens);
  }

  /** Counts a call for Claude Code's cost-state, for the turn's narration and for the honesty check. */
  private record(tokens: TokenCounts, compaction = false): void {
    const mine = this.perModel.get(this.model) ?? { tokens: zeroTokens(), costUsd: 0 };
    addTokens(mine.tokens, tokens);
    mine.costUsd += priceCall({ model: this.model, tokens, speed: 'standard' }, this.world.claudeCodePrices).cost ?? 0;
    this.perModel.set(this.model, mine);
    this.world.written.addCall(totalTokens(tokens), this.task, compaction);
    if (compaction) return; // not part of a turn: narrated on its own
    this.turn.calls++;
    this.turn.tokens += totalTokens(tokens);
  }

  private hook(event: string, fields: Record<string, unknown>): HookAnswer {
    if (!this.world.registered.has(event)) return {};
    const input = {
      session_id: this.id,
      transcript_path: this.transcriptPath,
      cwd: this.world.projectDir,
      prompt_id: this.promptId,
      permission_mode: 'default',
      hook_event_name: event,
      ...fields,
    };
    this.world.onHook(event);
    const answer = runHookProcess(this.world.hookFile, event, input, this.world.env, this.world.projectDir);
    if (answer.problem) {
      this.world.problems.push(answer.problem);
      this.world.story.note(`⚠ ${answer.problem}`);
    }
    return answer;
  }

  /** The slash command's Markdown body, as Claude Code expands it for the model. */
  private commandBody(name: string, args: string): string {
    const file = path.join(this.world.projectDir, '.claude', 'commands', `${name}.md`);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    return text.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/\$ARGUMENTS/g, args);
  }
}
