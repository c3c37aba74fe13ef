/**
 * The folders of src/ are layers, read → count → price → attribute → store → show, and imports
 * point one way: down, or within a folder. A newcomer changes one layer without touching a higher
 * one. This test reads every import in src/, hooks/ and install.ts and names each one that points up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

/** Lowest first. A folder may import its own layer's other folders only where no cycle results. */
const LAYERS: string[][] = [
  ['time', 'store'], // clocks and calendars; files, locks, atomic writes
  ['project', 'config', 'args'], // where the project is, its config, command-line flags
  ['transcript', 'usage'], // read Claude Code's bytes; token kinds, each call once
  ['pricing'], // what a call costs
  ['spec', 'render'], // spec-workflow's files; number formats, tables, charts
  ['ledger', 'history'], // what is stored: the committed ledger, report's machine-local history
  ['capture'], // hooks: attribute each call to what was active
  ['report'], // tallies and report shapes
  ['workflow', 'install'], // the slash commands; installing into a project
  ['statusline', 'export', 'dashboard', 'demo'], // other ways to show it
  ['cli'], // the command line
  ['(entry)'], // hooks/hook.ts, install.ts
];
const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** Every relative import: [from folder, to folder, file]. */
function imports(): Array<[string, string, string]> {
  const files = [
    ...sources(path.join(ROOT, 'src')),
    ...sources(path.join(ROOT, 'hooks')),
    path.join(ROOT, 'install.ts'),
  ];
  const out: Array<[string, string, string]> = [];
  const folderOf = (file: string) => {
    const rel = path.relative(path.join(ROOT, 'src'), file);
    return rel.startsWith('..') ? '(entry)' : rel.split(path.sep)[0]!;
  };
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), m[1]!);
      out.push([folderOf(file), folderOf(target), path.relative(ROOT, file)]);
    }
  }
  return out;
}

describe('layers', () => {
  const all = imports();

  it('every folder of src/ has a layer', () => {
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => !rank.has(f))).toEqual([]);
  });

  it('no import points up', () => {
    const upward = all
      .filter(([from, to]) => rank.get(to)! > rank.get(from)!)
      .map(([from, to, file]) => `${file}: ${from} → ${to}`);
    expect([...new Set(upward)]).toEqual([]);
  });

  it('no two folders import each other, even through others', () => {
    const edges = new Map<string, Set<string>>();
    for (const [from, to] of all) if (from !== to) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    const reaches = (a: string, b: string, seen = new Set<string>()): boolean =>
      [...(edges.get(a) ?? [])].some((n) => {
        if (n === b) return true;
        if (seen.has(n)) return false;
        seen.add(n);
        return reaches(n, b, seen);
      });
    const cycles = [...edges.keys()].filter((f) => reaches(f, f)).sort();
    expect(cycles).toEqual([]);
  });

  it('the per-tool-call hook bundle never loads zod or the full library eagerly', () => {
    // hooks/hook.ts loads src/capture/; zod lives in the schemas only the full CLI reads.
    const capture = sources(path.join(ROOT, 'src', 'capture'));
    const zodUsers = capture.filter((f) => /from 'zod[/']|zod-english/.test(readFileSync(f, 'utf8')));
    expect(zodUsers).toEqual([]);
  });
});
