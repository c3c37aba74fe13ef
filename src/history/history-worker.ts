import { isWorkerThread, workerSide } from './threads.js';
import { runScanWorker } from './scan-parallel.js';

/** Entry point of the history's scan workers (each bundle calls this first; true when it is one). */
export function runWorkerIfAsked(): boolean {
  if (!isWorkerThread()) return false;
  const { data } = workerSide();
  if ((data as { role?: string } | null)?.role !== 'scan-transcripts') return false;
  runScanWorker();
  return true;
}
