import { adoptLocalZone, isLocalZone } from '../time/system-zone.js';
import { bundleScript, isWorkerThread, startWorker, workerSide } from './threads.js';
import { runScanWorker } from './scan-parallel.js';
import type { HistoryView, UpdateOptions } from './update-history.js';

/**
 * A big update (a first run reads every transcript) runs in a worker thread with a small young
 * generation: the main thread's cannot be limited once node has started (V8 sizes it at start-up,
 * up to 16 MB semi-spaces), and allocating briskly through hundreds of MB of transcripts grows it
 * to the maximum. The main thread only waits, draws progress, and prints.
 */
const YOUNG_GENERATION_MB = 4;

type Counts = Pick<HistoryView, 'bytesRead' | 'filesRead' | 'errors'>;

/** The bundle this code runs from, when it can be a worker's script (a built .cjs, on the main thread). */
export function workerScript(): string | undefined {
  return isWorkerThread() ? undefined : bundleScript();
}

export function updateInWorker(
  script: string,
  { configDirs, storeDir, onProgress, tz }: UpdateOptions,
): Promise<Counts> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(script, {
      // The zone the calendar's days are kept in, and whether it is Date's own (then no Intl there).
      workerData: { role: 'update-history', configDirs, storeDir, tz, local: tz !== undefined && isLocalZone(tz) },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    let done: Counts | undefined;
    worker.on('message', (m: { progress?: [number, number]; done?: Counts; error?: string }) => {
      if (m.progress) onProgress?.(...m.progress);
      else if (m.done) done = m.done;
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
    // Answered once the worker is gone, not at its last message: its heap and tables are freed
    // before this thread loads the summary and builds the report (at 1.6 GiB, the run's peak).
    worker.once('exit', (code) => (done ? resolve(done) : reject(new Error(`history worker exited with ${code}`))));
  });
}

/** Entry point of the history workers (each bundle calls this first; true when it is one). */
export function runWorkerIfAsked(): boolean {
  if (!isWorkerThread()) return false;
  const { data, port } = workerSide();
  const role = (data as { role?: string } | null)?.role;
  if (role === 'scan-transcripts') {
    runScanWorker();
    return true;
  }
  if (role !== 'update-history') return false;
  const { configDirs, storeDir, tz, local } = data as UpdateOptions & { local?: boolean };
  if (tz && local) adoptLocalZone(tz);
  let last = 0;
  const onProgress = (done: number, total: number) => {
    if (done - last < 8 << 20 && done < total) return;
    last = done;
    port.postMessage({ progress: [done, total] });
  };
  // Imported here, not at the top: update-history imports this module.
  void import('./update-history.js')
    .then(({ updateHistory }) => updateHistory({ configDirs, storeDir, onProgress, ...(tz ? { tz } : {}) }))
    .then(({ bytesRead, filesRead, errors }) => port.postMessage({ done: { bytesRead, filesRead, errors } }))
    .catch((error: unknown) => port.postMessage({ error: (error as Error).message }));
  return true;
}
