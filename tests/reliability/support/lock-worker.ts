/**
 * A process that increments a counter file `times` times, each under src/store/lock.ts's lock.
 * It also holds an O_EXCL marker while inside, so two holders at once are seen, not only inferred
 * from a lost increment. Bundled by lock.test.ts with esbuild and run with plain node.
 */
import fs from 'node:fs';
import { withFileLock } from '../../../src/store/lock.js';

const [target, counter, inside, overlaps, times] = process.argv.slice(2);
for (let i = 0; i < Number(times); i++) {
  withFileLock(
    target!,
    () => {
      let alone = true;
      try {
        fs.writeFileSync(inside!, String(process.pid), { flag: 'wx' });
      } catch {
        alone = false;
        fs.appendFileSync(overlaps!, `${process.pid}\n`);
      }
      const value = Number(fs.readFileSync(counter!, 'utf8'));
      fs.writeFileSync(counter!, String(value + 1));
      if (alone) fs.rmSync(inside!);
    },
    { timeoutMs: 60_000 },
  );
}
