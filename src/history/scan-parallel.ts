import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readTranscriptFrom, type Cursor, type TranscriptRead } from '../transcript/read-transcript.js';

export interface ScanJob {
  path: string;
  cursor: Cursor | undefined;
  size: number;
}

export interface ScanOutcome {
  path: string;
  read: TranscriptRead | null;
  error?: string;
}

/** Work worth a second thread: below this a worker's start-up costs more than it saves. */
const PARALLEL_MIN_BYTES = 24 << 20;

/**
 * Reads the new bytes of many transcripts, on every core when there is enough to read. Files are
 * dealt largest first to whichever side has the least bytes, so one huge file does not leave a
 * core idle. Each side returns only extracted counts, never content.
 */
export async function scanTranscripts(jobs: ScanJob[], onProgress?: (bytes: number) => void): Promise<ScanOutcome[]> {
  const pending = jobs.reduce((sum, j) => sum + Math.max(0, j.size - (j.cursor?.offset ?? 0)), 0);
  const bundle = typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined;
  const cores = Math.min(os.availableParallelism?.() ?? os.cpus().length, 4);
  if (!bundle || cores < 2 || pending < PARALLEL_MIN_BYTES || jobs.length < 2) return jobs.map((j) => scanOne(j, onProgress));

  const shares: ScanJob[][] = Array.from({ length: cores }, () => []);
  const load = new Array<number>(cores).fill(0);
  for (const job of [...jobs].sort((a, b) => b.size - a.size)) {
    const i = load.indexOf(Math.min(...load));
    shares[i]!.push(job);
    load[i]! += job.size;
  }
  const [own, ...others] = shares;
  const workers = others.map(
    (share) =>
      new Promise<ScanOutcome[]>((resolve, reject) => {
        const worker = new Worker(bundle, { workerData: { role: 'scan-transcripts', jobs: share } });
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  const mine = own!.map((j) => scanOne(j, onProgress));
  const rest = await Promise.all(workers);
  return [...mine, ...rest.flat()];
}

function scanOne(job: ScanJob, onProgress?: (bytes: number) => void): ScanOutcome {
  try {
    const read = readTranscriptFrom(job.path, job.cursor, { taskCommands: false });
    onProgress?.(read.bytesRead);
    return { path: job.path, read };
  } catch (error) {
    return { path: job.path, read: null, error: (error as Error).message };
  }
}

/** Entry point of a scan worker (the CLI bundle calls this when started as a worker). */
export function runScanWorkerIfAsked(): boolean {
  if (isMainThread || (workerData as { role?: string } | null)?.role !== 'scan-transcripts') return false;
  const { jobs } = workerData as { jobs: ScanJob[] };
  parentPort!.postMessage(jobs.map((j) => scanOne(j)));
  return true;
}
