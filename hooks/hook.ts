/**
 * The hook Claude Code runs for every registered event: `node .claude/spec-session/hook.cjs <Event>`.
 * Thin on purpose: read stdin, hand it to the library, print its answer, exit 0, always.
 */
import fs from 'node:fs';
import { runHook, type HeavyHooks } from '../src/capture/run-hook.js';
import { loadLibrary } from './load-library.js';

// The full library sits beside this bundle and is loaded only when an event needs it.
const heavy = (): HeavyHooks => loadLibrary<{ hookHandlers: HeavyHooks }>().hookHandlers;

let stdin = '';
try {
  stdin = fs.readFileSync(0, 'utf8');
} catch {
  // no stdin: runHook logs the parse error
}
if (process.argv[2] === 'statusline') {
  // Claude Code's statusLine: the full library's status line, through the same code cache.
  process.stdout.write(loadLibrary<{ statuslineText: (stdin: string) => string }>().statuslineText(stdin));
} else {
  const out = runHook(stdin, process.argv[2], heavy);
  if (out) process.stdout.write(out);
}
process.exitCode = 0;
