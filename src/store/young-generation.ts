import type * as V8 from 'node:v8';

/** Whether the process holds it for good (holdYoungGeneration). */
let held = false;
/** V8's own value (`node --v8-options` on node 20), restored after a hold for a while. */
const DEFAULT_GROWTH_FACTOR = 2;

/**
 * Keeps V8's young generation at the size it starts with (two 1 MB semi-spaces) for the rest of the
 * process. V8 doubles it, up to 16 MB a half, whenever a scavenge finds many objects alive, and a
 * read that builds tables of a long history does that at once: measured at ten developer-years,
 * `cost --json` peaked at 131 MB with growth and 108 MB without, `eod` at 116 and 93, in the same
 * time. V8 reads this flag each time it would grow the space, so setting it at run time works
 * (`--max-semi-space-size` is read only at start-up, and a hook's command line is the user's
 * settings.json). Measured on node 20 (V8 11.3). Later V8 sources give the flag a minimum of 2
 * (`DEFINE_MIN_VALUE_IMPLICATION`): there it changes nothing, and, being a known flag, prints
 * nothing (an unknown one would print "unrecognized flag" on stderr).
 *
 * Call it before a bundle loads through a code cache: V8 hashes its flags into the cache, and a
 * cache written under other flags than a run loads it under is rejected and compiled again, by
 * every run. Loading node:v8 costs ~1 ms once stdout is a stream (~3 ms before), so hooks that
 * print nothing leave it alone, and `report` holds it only while a big update reads and folds
 * (withYoungGenerationHeld): its warm runs are 1.9× `node -e 0` against a 2× target at 1.6 GiB.
 */
export function holdYoungGeneration(): void {
  growthFactor(1);
  held = true;
}

/**
 * `work` with the young generation held, for a process that does not hold it for good (`report`):
 * afterwards it may grow again, and V8's flags are as they were when the bundle loaded, so the
 * code cache written at exit is valid for the next run.
 */
export async function withYoungGenerationHeld<T>(work: () => Promise<T>): Promise<T> {
  if (held) return work();
  growthFactor(1);
  try {
    return await work();
  } finally {
    growthFactor(DEFAULT_GROWTH_FACTOR);
  }
}

function growthFactor(factor: number): void {
  try {
    (require('node:v8') as typeof V8).setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  } catch {
    // a runtime without the flag: memory only
  }
}
