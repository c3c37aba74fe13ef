import { resolveProjectRoot } from '../../project/project-root.js';
import { searchKnowledge } from '../../spec/knowledge.js';
import { parse, UsageError } from '../../args/parse-args.js';

/** `spec-session knowledge <term>`: the guide's grep over Implementation Logs, done properly. */
export function knowledgeCommand(argv: string[]): string {
  const { values, positionals } = parse(argv, { dir: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const term = positionals[0];
  if (!term) throw new UsageError('usage: spec-session knowledge <term>   e.g. spec-session knowledge invoice');
  const hits = searchKnowledge(resolveProjectRoot({ dir: values.dir }), term);
  if (values.json) return `${JSON.stringify({ term, hits }, null, 2)}\n`;
  if (hits.length === 0) return `No artifact in the implementation logs matches "${term}".\n`;
  const lines = hits.map((h) => {
    const where = h.fields.Location ?? h.fields.location ?? '';
    const purpose = h.fields.Purpose ?? h.fields.Description ?? '';
    return `${h.spec} ${h.taskId}  ${h.kind.padEnd(11)} ${h.name}${where ? `  (${where})` : ''}${purpose ? `\n    ${purpose}` : ''}`;
  });
  return `${lines.join('\n')}\n${hits.length} artifact${hits.length === 1 ? '' : 's'} match "${term}".\n`;
}
