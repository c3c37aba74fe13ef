import fs from 'node:fs';
import path from 'node:path';
import { buildDashboard } from '../../dashboard/build-dashboard.js';
import { serveDashboard, serverUrl, untilInterrupted } from '../../dashboard/serve-dashboard.js';
import { errnoWords } from '../../store/fs-utils.js';
import { parse, UsageError } from '../../args/parse-args.js';
import { projectFromFlags, projectOptions } from '../project-options.js';

/** `spec-session dashboard`: serve the page on 127.0.0.1 until Ctrl-C, or write it to one file (--out). */
export async function dashboardCommand(argv: string[]): Promise<string | undefined> {
  const { values } = parse(argv, { ...projectOptions, port: { type: 'string' }, out: { type: 'string' } }, 0);
  if (values.port !== undefined && values.out !== undefined)
    throw new UsageError('--port and --out do not go together: --out writes a file, nothing is served');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port expects a port number (0-65535), got "${values.port}"`);
  const { ctx, range } = projectFromFlags(values);
  if (values.out !== undefined) {
    const file = path.resolve(values.out);
    const html = buildDashboard(ctx, range);
    try {
      fs.writeFileSync(file, html);
    } catch (error) {
      // Writing creates the file, so ENOENT can only mean its folder is missing.
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `--out ${values.out}: ${code === 'ENOENT' ? 'its folder does not exist' : (errnoWords(error) ?? (error as Error).message)}`,
      );
    }
    return `Wrote ${file} (one self-contained page: open it in a browser, no network needed)\n`;
  }
  buildDashboard(ctx, range); // a broken ledger or config fails here, in one line, before anything listens
  const server = await serveDashboard(() => buildDashboard(ctx, range), port);
  process.stdout.write(`spec-session dashboard: ${serverUrl(server)} (Ctrl-C to stop)\n`);
  await untilInterrupted(server);
}
