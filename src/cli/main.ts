import { once } from 'node:events';
import { runWorkerIfAsked } from '../history/history-worker.js';
import { userMessage } from '../store/fs-utils.js';
import { UsageError } from '../args/parse-args.js';
import { COMMANDS, commandHelp, helpText } from './registry.js';
import { wantsHelp } from '../workflow/slash-command.js';
import { TextChunks } from '../render/json-chunks.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { holdYoungGeneration } from '../store/young-generation.js';

export { hookHandlers } from '../workflow/hook-handlers.js';
export { statuslineText } from './commands/statusline.js';

/**
 * The `spec-session` command line. Each command parses its arguments, calls the library and returns
 * what to print; errors are caught here once: one line on stderr, exit code 1.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(helpText());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}" (run: spec-session help)`);
    if (wantsHelp(rest)) {
      process.stdout.write(commandHelp(name));
      return 0;
    }
    const output = await command.run(rest);
    if (output instanceof TextChunks) {
      // A pipe takes what it can: the next piece is made once the last is out, so memory holds one piece.
      for (const piece of output) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
    } else if (output) process.stdout.write(output);
    return 0;
  } catch (error) {
    process.stderr.write(`spec-session ${name}: ${userMessage(error)}\n`);
    if (process.env.SPEC_SESSION_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

/** Runs the command line as the process's program: exit code, and a closed pipe on stdout ends the output quietly. */
export function runCli(argv: string[]): void {
  endQuietlyOnClosedPipe();
  holdYoungGeneration();
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`spec-session: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

// Run directly (`node dist/spec-session.cjs …`); dist/cli.cjs, the package's bin, calls runCli itself.
if (!runWorkerIfAsked() && typeof require !== 'undefined' && require.main === module) runCli(process.argv.slice(2));
