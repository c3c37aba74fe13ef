import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArtifacts, searchKnowledge } from '../../src/spec/knowledge.js';
import { tempProject } from './temp-project.js';

// Two specs; billing's log has CRLF line endings; billing/notes.md has no Log ID and must be skipped.
const PROJECT = fileURLToPath(new URL('fixtures/knowledge-project', import.meta.url));
const AUTH_LOG = path.join(
  PROJECT,
  '.spec-workflow/specs/auth-sessions/Implementation Logs/task-2-1_2025-11-10T1430_3f2a9c1d.md',
);
const BILLING_LOG = path.join(
  PROJECT,
  '.spec-workflow/specs/billing/Implementation Logs/task-1_2025-11-12T0800_22222222.md',
);

const found = (term: string) =>
  searchKnowledge(PROJECT, term).map((hit) => `${hit.spec} ${hit.taskId} ${hit.kind} ${hit.name}`);

describe('searchKnowledge', () => {
  it.each([
    [
      'session',
      [
        'auth-sessions 2.1 apiEndpoint GET /api/sessions/:id',
        'auth-sessions 2.1 function isExpired',
        'auth-sessions 2.1 class SessionStore',
        'billing 1 apiEndpoint POST /api/invoices',
      ],
    ],
    ['SRC/BILLING', ['billing 1 apiEndpoint POST /api/invoices', 'billing 1 component InvoiceBadge']],
    ['invoicebadge', ['billing 1 component InvoiceBadge', 'billing 1 integration Integration']],
    ['session_store.ts', ['auth-sessions 2.1 function isExpired', 'auth-sessions 2.1 class SessionStore']],
    ['evict', ['auth-sessions 2.1 class SessionStore']],
    ['ghost', []],
    ['claude-sonnet', []],
  ])('%s', (term, hits) => expect(found(term)).toEqual(hits));

  it('returns the artifact with its fields and where it was logged', () => {
    expect(searchKnowledge(PROJECT, 'isexpired')).toEqual([
      {
        spec: 'auth-sessions',
        taskId: '2.1',
        kind: 'function',
        name: 'isExpired',
        fields: {
          Purpose: 'Tell whether a TTL has passed',
          Location: 'src/auth/session_store.ts:40',
          Signature: '(entry: Entry, now: number) => boolean',
          Exported: 'Yes',
        },
        file: AUTH_LOG,
      },
    ]);
    expect(searchKnowledge(PROJECT, 'data flow')).toEqual([]);
    expect(searchKnowledge(PROJECT, 'badge → api')[0]).toMatchObject({
      kind: 'integration',
      file: BILLING_LOG,
      fields: { 'Data Flow': 'badge → API → badge' },
    });
  });

  it('finds nothing in a project without specs', () => {
    expect(searchKnowledge(tempProject({}), '')).toEqual([]);
  });
});

describe('parseArtifacts', () => {
  it.each([
    ['no artifacts', '## Artifacts\n\n_No artifacts recorded_\n', []],
    ['items before any ### are ignored', '## Artifacts\n#### Loose\n- **Purpose:** x\n', []],
    [
      'unknown ### kinds are ignored',
      '## Artifacts\n### Diagrams\n#### Flow\n### Classes\n#### A\n- **Purpose:** p\n',
      [{ kind: 'class', name: 'A', fields: { Purpose: 'p' } }],
    ],
    [
      '#### outside ## Artifacts is not an artifact',
      '## Notes\n### Classes\n#### B\n## Artifacts\n### Classes\n#### C\n',
      [{ kind: 'class', name: 'C', fields: {} }],
    ],
  ])('%s', (_name, text, artifacts) => expect(parseArtifacts(text)).toEqual(artifacts));
});
