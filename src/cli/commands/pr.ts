import { currentBranch, prJson, prMarkdown, writeCommitNotes } from '../../workflow/branch-cost.js';
import { parse } from '../../args/parse-args.js';
import { projectFromFlags, wholeLedgerOptions } from '../project-options.js';

/** `spec-session pr [--branch B] [--json]`: a branch's cost from the committed ledger, as Markdown or JSON. */
export function prCommand(argv: string[]): string {
  const { values } = parse(argv, { ...wholeLedgerOptions, branch: { type: 'string' }, json: { type: 'boolean' } }, 0);
  const { ctx } = projectFromFlags(values);
  const branch = values.branch ?? currentBranch(ctx.projectDir);
  return values.json ? `${JSON.stringify(prJson(ctx, branch), null, 2)}\n` : prMarkdown(ctx, branch);
}

/** `spec-session notes`: each commit's figures as a git note (refs/notes/spec-session); opt-in. */
export function notesCommand(argv: string[]): string {
  const { values } = parse(argv, wholeLedgerOptions, 0);
  return writeCommitNotes(projectFromFlags(values).ctx);
}
