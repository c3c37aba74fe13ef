import { parse } from '../../args/parse-args.js';
import { resolveProjectRoot } from '../../project/project-root.js';
import { doctorReport } from '../../workflow/doctor.js';

/** `spec-session doctor`: every check is printed; when any failed (✗), the command then fails: one line, exit 1. */
export function doctorCommand(argv: string[]): string {
  const { values } = parse(argv, { dir: { type: 'string' } }, 0);
  const { report, failed } = doctorReport(resolveProjectRoot({ dir: values.dir }));
  if (failed === 0) return report;
  process.stdout.write(report);
  throw new Error(`${failed} check${failed === 1 ? '' : 's'} failed (marked ✗ above)`);
}
