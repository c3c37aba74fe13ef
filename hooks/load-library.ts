/**
 * Loads the full library bundle (spec-session.cjs, beside the hook) for the events that need it,
 * through a V8 code cache kept in the project's machine-local state folder.
 */
import path from 'node:path';
import { loadWithCodeCache } from '../src/store/code-cache.js';
import { holdYoungGeneration } from '../src/store/young-generation.js';

export function loadLibrary<T>(): T {
  holdYoungGeneration(); // the events that load the library are the ones that read the ledger
  const project = process.env.CLAUDE_PROJECT_DIR;
  return loadWithCodeCache<T>(
    path.join(__dirname, 'spec-session.cjs'),
    project ? path.join(project, '.claude', 'spec-session', 'state', 'code-cache') : undefined,
    { shared: false }, // the project's folder holds the hook's cache alone: a moved project's old one goes too
  );
}
