/**
 * The entry of dist/report.cjs: `spec-session report` without the rest of the CLI. The full bundle
 * (750 KB: zod, every command) costs more to load than a warm report costs to answer, so
 * dist/spec-session.cjs hands `report` over to this small one before anything else (see build.mjs).
 * It is also the script of the scan workers. Whatever it cannot do alone (a user price file needs
 * zod to be validated) goes back to the full CLI, which runs the very same report code.
 */
import path from 'node:path';
import { runWorkerIfAsked } from '../history/history-worker.js';
import { reportCommand } from './commands/report.js';
import { FullCliNeeded } from './full-cli-needed.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { wantsHelp } from '../workflow/slash-command.js';

/** `spec-session report …` as the process's program (the bin, the full bundle's banner, the bench). */
export async function runReport(argv: string[], options: { onFolded?: () => void } = {}): Promise<number> {
  endQuietlyOnClosedPipe();
  if (wantsHelp(argv)) return fullCli(argv); // the usage lives with every command's
  try {
    const output = await reportCommand(argv, options);
    if (output) process.stdout.write(output);
    return 0;
  } catch (error) {
    if (error instanceof FullCliNeeded) return fullCli(argv);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`spec-session report: ${message.split('\n')[0]}\n`);
    if (process.env.SPEC_SESSION_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

function fullCli(argv: string[]): Promise<number> {
  // spec-session.cjs is the running main module, cut short by its banner: load it again, whole.
  const file = path.join(__dirname, 'spec-session.cjs');
  delete require.cache[file];
  const cli = require(file) as { main(argv: string[]): Promise<number> };
  return cli.main(['report', ...argv]);
}

runWorkerIfAsked();
