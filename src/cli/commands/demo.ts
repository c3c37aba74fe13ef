import { parse } from '../args.js';
import { runDemo } from '../../demo/run-demo.js';

/** `spec-session demo`: the whole workflow on an embedded demo project, in a temp folder. */
export async function demoCommand(argv: string[]): Promise<string> {
  const { values } = parse(argv, { keep: { type: 'boolean' } }, 0);
  return runDemo({ keep: values.keep === true, bundleDir: __dirname });
}
