import { readLogHeaders } from './implementation-log.js';
import { listSpecDirs } from './spec-dir.js';

/**
 * What earlier tasks built, as agents recorded it in the `## Artifacts` section of
 * spec-workflow's implementation logs (2.2.x, checked 2025-11):
 *   ### API Endpoints | Components | Functions | Classes | Integrations
 *   #### <name>                      (for endpoints `GET /api/x`; integrations are all `Integration`)
 *   - **Purpose:** …                 (one `- **Key:** value` line per field)
 * Kinds are recognised the way spec-workflow's reader does: by a word in the `###` heading.
 */
export type ArtifactKind = 'apiEndpoint' | 'component' | 'function' | 'class' | 'integration';

export interface Artifact {
  kind: ArtifactKind;
  name: string;
  /** Field labels as written in the log (`Purpose`, `Request Format`, …). */
  fields: Record<string, string>;
}

export interface KnowledgeHit extends Artifact {
  spec: string;
  taskId: string;
  /** Path of the log file. */
  file: string;
}

const KIND_WORDS: Array<[string, ArtifactKind]> = [
  ['api endpoint', 'apiEndpoint'],
  ['component', 'component'],
  ['function', 'function'],
  ['class', 'class'],
  ['integration', 'integration'],
];
const FIELD = /^- \*\*([^:]+):\*\*\s*(.*)$/;

export function parseArtifacts(logText: string): Artifact[] {
  const artifacts: Artifact[] = [];
  let inArtifacts = false;
  let kind: ArtifactKind | undefined;
  let current: Artifact | undefined;
  for (const line of logText.split(/\r?\n/)) {
    if (line.startsWith('## ')) {
      inArtifacts = /^## Artifacts\s*$/.test(line);
      kind = undefined;
      current = undefined;
    } else if (!inArtifacts) {
    } else if (line.startsWith('### ')) {
      const heading = line.slice(4).toLowerCase();
      kind = KIND_WORDS.find(([word]) => heading.includes(word))?.[1];
      current = undefined;
    } else if (line.startsWith('#### ') && kind) {
      current = { kind, name: line.slice(5).trim(), fields: {} };
      artifacts.push(current);
    } else if (current) {
      const field = FIELD.exec(line);
      if (field) current.fields[field[1]!.trim()] = field[2]!.trim();
    }
  }
  return artifacts;
}

/**
 * Artifacts in every spec's logs whose name or any field value contains `term`, ignoring case
 * (an empty term matches all). Ordered by spec, then log file name, then position in the log.
 */
export function searchKnowledge(projectDir: string, term: string): KnowledgeHit[] {
  const needle = term.toLowerCase();
  const matches = (artifact: Artifact) =>
    [artifact.name, ...Object.values(artifact.fields)].some((text) => text.toLowerCase().includes(needle));
  return listSpecDirs(projectDir).flatMap((spec) =>
    readLogHeaders(projectDir, spec).flatMap(({ file, header, text }) =>
      parseArtifacts(text)
        .filter(matches)
        .map((artifact) => ({ spec, taskId: header.taskId, file, ...artifact })),
    ),
  );
}
