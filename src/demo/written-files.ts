import fs from 'node:fs';
import path from 'node:path';

/** What the files in each folder spec-session writes are. */
const FOLDERS: Array<[RegExp, string]> = [
  [/^docs$/, ''],
  [/^docs\/sessions\/daily$/, 'daily summaries (/eod)'],
  [/^docs\/sessions\/archive\/[^/]+$/, 'session logs, archived by /eod'],
  [/^docs\/sessions\/\.current$/, 'session logs of active sessions'],
  [
    /^docs\/sessions\/ledger\/[^/]+$/,
    'the ledger (committed, merge-safe): one file per Claude session, one more per machine for CLI use',
  ],
  [/Implementation Logs$/, "spec-workflow's implementation logs, each with a ## Usage section"],
];

/**
 * The files spec-session wrote under docs/ and into the specs' Implementation Logs/, folder by
 * folder: the folder and what its files are, then the file names.
 */
export function writtenFiles(projectDir: string): string {
  const folders = new Map<string, string[]>();
  const files = [
    ...walk(projectDir, 'docs'),
    ...walk(projectDir, '.spec-workflow/specs').filter((f) => f.includes('/Implementation Logs/')),
  ];
  for (const file of files) {
    const dir = path.posix.dirname(file);
    folders.set(dir, [...(folders.get(dir) ?? []), path.posix.basename(file)]);
  }
  const lines: string[] = [];
  for (const [dir, names] of folders) {
    const what = FOLDERS.find(([pattern]) => pattern.test(dir))?.[1];
    if (dir === 'docs') {
      for (const name of names)
        lines.push(`docs/${name}${name === 'PROGRESS.md' ? '  overall progress per spec and task (/eod)' : ''}`);
      continue;
    }
    const ledger = dir.startsWith('docs/sessions/ledger/')
      ? `, ${names.reduce((n, f) => n + records(path.join(projectDir, dir, f)), 0)} records`
      : '';
    lines.push(`${dir}/  ${what ?? ''}${ledger}`);
    lines.push(...wrap(names, 96).map((l) => `    ${l}`));
  }
  return lines.join('\n');
}

/** The newest daily summary, up to its per-task table: the day's totals and its sessions. */
export function dailySummaryHead(projectDir: string): { file: string; head: string } | undefined {
  const dir = path.join(projectDir, 'docs', 'sessions', 'daily');
  const newest = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .pop()
    : undefined;
  if (!newest) return undefined;
  const text = fs.readFileSync(path.join(dir, newest), 'utf8');
  const end = text.indexOf('\n## Tasks');
  return { file: `docs/sessions/daily/${newest}`, head: (end < 0 ? text : text.slice(0, end)).trimEnd() };
}

function walk(root: string, rel: string): string[] {
  const dir = path.join(root, rel);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? walk(root, `${rel}/${entry.name}`) : [`${rel}/${entry.name}`]));
}

function records(file: string): number {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim()).length;
}

function wrap(names: string[], width: number): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 2 + name.length <= width) lines[lines.length - 1] = `${last}  ${name}`;
    else lines.push(name);
  }
  return lines;
}
