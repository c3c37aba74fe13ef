/**
 * Installs spec-session into a project, the user's one step: `node dist/install.cjs --dir <project>
 * [--statusline] [--claude-version X]` (built from this file), the same as `spec-session install`.
 * Thin on purpose: flags in src/cli/commands/install.ts, the work in src/install/.
 */
import { installCommand } from './src/cli/commands/install.js';
import { userMessage } from './src/store/fs-utils.js';

try {
  process.stdout.write(installCommand(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`spec-session install: ${userMessage(error)}\n`);
  process.exitCode = 1;
}
