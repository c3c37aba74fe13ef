import os from 'node:os';
import { CallTable, type PackedCalls } from './call-table.js';
import { scanFile, type FileScan, type ScanJob } from './file-scan.js';
import { bundleScript, startWorker, workerSide } from './threads.js';

export interface ScanResult {
  files: FileScan[];
  /** The distinct calls of the bytes read, one table per thread. */
  calls: CallTable[];
}

/** Work worth a second thread: below this a worker's start-up (~30 ms) costs more than it saves. */
const PARALLEL_MIN_BYTES = 32 << 20;
/** How often a worker tells how far it got (for the progress bar). */
const PROGRESS_EVERY = 16 << 20;

const pendingOf = (j: ScanJob) => Math.max(0, j.size - (j.previous?.offset ?? 0));

/** The new bytes of `jobs`. */
const pendingIn = (jobs: ScanJob[]) => jobs.reduce((sum, j) => sum + pendingOf(j), 0);

/**
 * The table for a scan of `bytes` new bytes, with room for the calls they may hold: one per 8 KB
 * (a 1.6 GiB history has one per 18 KB; real ones 10 to 30). Grown step by step to 92,000 calls,
 * its arrays left ~6 MB of a cold report's 100 MB peak behind them (measured at 1.6 GiB).
 */
function tableFor(bytes: number): CallTable {
  const table = new CallTable();
  if (bytes >= RESERVE_FROM_BYTES) table.reserve(Math.min(Math.ceil(bytes / (8 << 10)), 1 << 22));
  return table;
}

/** Below this, the tables' own growth is cheap. */
const RESERVE_FROM_BYTES = 32 << 20;

/**
 * Reads the new bytes of many transcripts, on every core when there is enough to read. Files are
 * dealt largest first to whichever side has the least bytes, so one huge file does not leave a
 * core idle. Each side folds its own copies into a CallTable and hands over typed arrays, never
 * an object per copy, and never content.
 */
export async function scanTranscripts(jobs: ScanJob[], onProgress?: (bytes: number) => void): Promise<ScanResult> {
  const pending = pendingIn(jobs);
  const script = bundleScript(); // any thread may start helpers
  // One thread unless asked: measured on 2 shared cores at 1.6 GiB, a second scan thread cut a cold
  // run from 3.0-3.5 s to 2.6-2.7 s but raised its peak from ~115 to ~150 MB (a V8 isolate and its
  // own table). SPEC_SESSION_SCAN_THREADS=2..4 for idle cores.
  const cores = Math.min(
    Number(process.env.SPEC_SESSION_SCAN_THREADS) || 1,
    os.availableParallelism?.() ?? os.cpus().length,
    4,
  );
  if (!script || cores < 2 || pending < PARALLEL_MIN_BYTES || jobs.length < 2) {
    const calls = tableFor(pending);
    return { files: jobs.map((j) => scanWithProgress(j, calls, onProgress)), calls: [calls] };
  }
  const shares: ScanJob[][] = Array.from({ length: cores }, () => []);
  const load = new Array<number>(cores).fill(0);
  for (const job of [...jobs].sort((a, b) => pendingOf(b) - pendingOf(a))) {
    const i = load.indexOf(Math.min(...load));
    shares[i]!.push(job);
    load[i]! += pendingOf(job);
  }
  const [own, ...others] = shares;
  const workers = others.map(
    (share) =>
      new Promise<{ files: FileScan[]; calls: PackedCalls }>((resolve, reject) => {
        const worker = startWorker(script, {
          workerData: { role: 'scan-transcripts', jobs: share },
          resourceLimits: { maxYoungGenerationSizeMb: 4 },
        });
        worker.on('message', (m: { progress?: number; files?: FileScan[]; calls?: PackedCalls }) => {
          if (m.progress !== undefined) onProgress?.(m.progress);
          else resolve(m as { files: FileScan[]; calls: PackedCalls });
        });
        worker.once('error', reject);
      }),
  );
  // Start the workers before reading: the main thread's share runs while they start.
  await new Promise((resolve) => setImmediate(resolve));
  const calls = tableFor(load[0]!); // own is shares[0]: load[0] its bytes
  const files: FileScan[] = [];
  for (const job of own!) {
    files.push(scanWithProgress(job, calls, onProgress));
    if (files.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve)); // let worker progress through
  }
  const rest = await Promise.all(workers);
  return {
    files: [...files, ...rest.flatMap((r) => r.files)],
    calls: [calls, ...rest.map((r) => CallTable.unpack(r.calls))],
  };
}

function scanWithProgress(job: ScanJob, calls: CallTable, onProgress?: (bytes: number) => void): FileScan {
  const scan = scanFile(job, calls);
  onProgress?.(scan.bytesRead);
  return scan;
}

/** The work of a scan worker (see history-worker.ts). */
export function runScanWorker(): void {
  const { data, port } = workerSide();
  const { jobs } = data as { jobs: ScanJob[] };
  const calls = tableFor(pendingIn(jobs));
  let unreported = 0;
  const files = jobs.map((job) => {
    const scan = scanFile(job, calls);
    unreported += scan.bytesRead;
    if (unreported >= PROGRESS_EVERY) {
      port.postMessage({ progress: unreported });
      unreported = 0;
    }
    return scan;
  });
  if (unreported) port.postMessage({ progress: unreported });
  const packed = calls.pack();
  port.postMessage({ files, calls: packed }, [packed.num.buffer as ArrayBuffer, packed.meta.buffer as ArrayBuffer]); // (arena bytes are copied: they share a pool)
}
