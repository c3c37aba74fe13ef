import { parse } from '../../args/parse-args.js';
import { runDemo } from '../../demo/run-demo.js';

/** `spec-session demo`: the whole workflow on an embedded demo project, in a temp folder. */
export async function demoCommand(argv: string[]): Promise<string> {
  const { values } = parse(argv, { keep: { type: 'boolean' } }, 0);
  const shown = await runDemo({ keep: values.keep === true, bundleDir: __dirname });
  // The demo checks its own numbers; a failed check must fail the command, not just print a ✗.
  if (/^\s*✗/m.test(shown)) {
    process.stdout.write(shown);
    throw new Error('the honesty check failed: the totals above differ from the tokens the demo wrote');
  }
  return shown;
}
