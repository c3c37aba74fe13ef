import type * as WorkerThreads from 'node:worker_threads';

/**
 * node:worker_threads, loaded only by a thread that starts a worker or is one: every bundle asks
 * "am I a worker?" first, and loading the module to answer cost each report ~2 ms. Workers this
 * package starts carry a mark in their environment; a thread without it is the main one (one
 * with it is checked with the module itself, so a mark inherited by accident changes nothing).
 */
const MARK = 'SPEC_SESSION_WORKER_THREAD';

function threads(): typeof WorkerThreads {
  return require('node:worker_threads') as typeof WorkerThreads;
}

/** The built bundle this code runs from, which a worker can run too (none when run from sources, as in tests). */
export function bundleScript(): string | undefined {
  return typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined;
}

export function isWorkerThread(): boolean {
  return process.env[MARK] === '1' && !threads().isMainThread;
}

/** This worker's data and the port to its parent (only in a worker). */
export function workerSide(): { data: unknown; port: WorkerThreads.MessagePort } {
  const { workerData, parentPort } = threads();
  return { data: workerData, port: parentPort! };
}

export function startWorker(script: string, options: WorkerThreads.WorkerOptions): WorkerThreads.Worker {
  return new (threads().Worker)(script, { ...options, env: { ...process.env, [MARK]: '1' } });
}
