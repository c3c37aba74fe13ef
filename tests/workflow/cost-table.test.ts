/**
 * `/cost`'s "By task" labels: a task's spec is shortened only past the label column the other rows
 * already make (and never below 14 columns), so names are whole whenever the table has the room.
 */
import { describe, expect, it } from 'vitest';
import { INVOICE_TASKS, makeProject } from '../e2e/support/project.js';

const SEARCH_TASKS = `# Tasks Document

- [ ] 2.1 Add the search index
`;

const labels = (text: string, section: string) => {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.trim() === section);
  const to = lines.findIndex((l, i) => i > from && /^ By /.test(l));
  return lines.slice(from + 1, to).map((l) => l.split('│')[0]!);
};

describe('/cost By task labels', () => {
  it('are whole when a longer spec row already widens the column, shortened in the middle past it', () => {
    const p = makeProject({ 'invoice-management': INVOICE_TASKS, 'patient-search-and-indexing': SEARCH_TASKS });
    p.specSession(['start-session', 'inv-0900', 'spec', 'invoice-management']);
    p.specSession(['log-task', 'invoice-management/1.1', 'done', 'in:2000', 'claude-haiku-4-5']);
    p.specSession(['log-task', 'patient-search-and-indexing/2.1', 'done', 'in:1000', 'claude-haiku-4-5']);
    const text = p.specSession(['cost']).stdout;
    // "  patient-search-and-indexing" (29 columns) sets the column: 19 for a spec before " 2.1 (m)".
    expect(labels(text, 'By task').map((l) => l.trimEnd())).toEqual([
      '   invoice-management 1.1 (m)',
      '   patient-sear…dexing 2.1 (m)',
    ]);
    const width = labels(text, 'By spec')[0]!.length;
    for (const label of labels(text, 'By task')) expect(label.length).toBe(width);
  });
});
