import type { UsageItem } from './usage-item.js';
import type { Phase } from './records.js';

/**
 * Usage items as the index stores them: one array of numbers per item, names in one dictionary.
 * A year of a team's rolled-up usage is tens of thousands of items; this keeps the index a few
 * MB and quick to parse.
 */
export interface PackedItems {
  names: string[];
  rows: number[][];
}

const KINDS = ['call', 'gap', 'manual'] as const;

export function packItems(items: UsageItem[]): PackedItems {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const name = (s: string | null) => {
    if (s === null) return -1;
    let id = ids.get(s);
    if (id === undefined) {
      id = names.push(s) - 1;
      ids.set(s, id);
    }
    return id;
  };
  const rows = items.map((i) => {
    const t = i.tokens;
    return [
      KINDS.indexOf(i.kind),
      i.first,
      i.last - i.first,
      i.calls,
      i.longContext ? 1 : 0,
      i.speed === 'fast' ? 1 : 0,
      name(i.model),
      name(i.cs),
      name(i.ws),
      name(i.spec),
      name(i.task),
      t.input,
      t.output,
      t.cacheWrite5m,
      t.cacheWrite1h,
      t.cacheRead,
      name(i.phase),
      name(i.branch),
      name(i.commit),
    ];
  });
  return { names, rows };
}

export function unpackItems({ names, rows }: PackedItems, keyPrefix = 'r'): UsageItem[] {
  const name = (id: number) => (id < 0 ? null : names[id]!);
  return rows.map((r, n) => {
    const [
      kind,
      first,
      span,
      calls,
      long,
      fast,
      model,
      cs,
      ws,
      spec,
      task,
      input,
      output,
      cacheWrite5m,
      cacheWrite1h,
      cacheRead,
      phase = -1,
      branch = -1,
      commit = -1,
    ] = r as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number?,
      number?,
      number?,
    ];
    return {
      kind: KINDS[kind]!,
      key: `${keyPrefix}${n}`,
      time: first,
      first,
      last: first + span,
      calls,
      longContext: long === 1,
      speed: fast === 1 ? 'fast' : 'standard',
      model: name(model)!,
      cs: name(cs),
      ws: name(ws),
      spec: name(spec),
      task: name(task),
      tokens: { input, output, cacheWrite5m, cacheWrite1h, cacheRead },
      phase: name(phase) as Phase | null,
      branch: name(branch),
      commit: name(commit),
    };
  });
}
