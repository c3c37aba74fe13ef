/**
 * dist/cli.cjs, the package's bin: `report` runs from report.cjs alone (a ccusage user's first
 * command never loads the rest); every other command runs the full bundle, spec-session.cjs. Both
 * load through a V8 code cache in the user's cache folder. Compiling the 510 KB bundle costs a short command
 * ~60 ms of its ~170; from the cache, a fraction of that.
 */
import os from 'node:os';
import path from 'node:path';
import { loadBundle, loadWithCodeCache } from '../store/code-cache.js';
import { holdYoungGeneration } from '../store/young-generation.js';

const [, , command] = process.argv;
const beside = (name: string) => path.join(__dirname, name);

if (command === 'report') {
  const report = loadBundle<{ runReport(argv: string[], o: { onFolded(): void }): Promise<number> }>(
    beside('report.cjs'),
    cacheDir(),
  );
  // A run that folds new bytes compiles the update's code too: its cache serves every later run.
  report.exports.runReport(process.argv.slice(3), { onFolded: () => report.deepen() }).then((code) => {
    process.exitCode = code;
  });
} else {
  // Before the bundle loads: V8 hashes its flags into the code cache, and a cache made under other
  // flags than the ones it is loaded under is rejected (and the bundle compiled again).
  holdYoungGeneration();
  loadWithCodeCache<{ runCli(argv: string[]): void }>(beside('spec-session.cjs'), cacheDir()).runCli(
    process.argv.slice(2),
  );
}

/** `$SPEC_SESSION_HOME/code-cache`, else `$XDG_CACHE_HOME/spec-session/code-cache` (~/.cache/spec-session/code-cache). */
function cacheDir(): string | undefined {
  const env = process.env;
  if (env.SPEC_SESSION_HOME) return path.join(env.SPEC_SESSION_HOME, 'code-cache');
  const home = env.HOME ?? os.homedir();
  return home || env.XDG_CACHE_HOME
    ? path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'spec-session', 'code-cache')
    : undefined;
}
