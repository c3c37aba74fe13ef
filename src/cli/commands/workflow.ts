import { parse } from '../../args/parse-args.js';
import { projectContext } from '../../workflow/context.js';
import { runWorkflowCommand } from '../../workflow/run-command.js';
import type { WorkflowCommand } from '../../workflow/slash-command.js';
import { resolveProjectRoot } from '../../project/project-root.js';
import { contextOptions } from '../project-options.js';
import type { TextChunks } from '../../render/json-chunks.js';

const GLOBAL = {
  dir: { type: 'string' },
  tz: { type: 'string' },
  prices: { type: 'string' },
  'prices-file': { type: 'string' },
} as const;

/** The CLI form of a workflow command: `spec-session cost --json --dir <project>`. */
export function workflowCommand(name: WorkflowCommand) {
  return (argv: string[]): string | TextChunks => {
    const { global, rest } = splitGlobalOptions(argv);
    const ctx = projectContext(resolveProjectRoot({ dir: global.dir }), contextOptions(global));
    return runWorkflowCommand(ctx, name, rest, (line) => process.stderr.write(`spec-session: ${line}\n`)); // stdout stays the command's
  };
}

/** Takes --dir/--tz/--prices/--prices-file out, leaving the command's own arguments. */
function splitGlobalOptions(argv: string[]): { global: Record<string, string | undefined>; rest: string[] } {
  const global: Record<string, string | undefined> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if (flag && flag in GLOBAL) {
      const value = inline ?? argv[++i];
      if (value === undefined) parse([arg], GLOBAL); // reports the missing value in one line
      global[flag] = value;
    } else rest.push(arg);
  }
  return { global, rest };
}
