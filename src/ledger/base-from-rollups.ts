/**
 * The index's base built from the rollup files: each file read once, the entry kept for each
 * source file chosen first, rows summed into items per day in the index's time zone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dayKey } from '../time/zoned.js';
import { checkRecord } from './ledger-schema.js';
import type { Phase } from './records.js';
import { assembleBase, type BaseFile, type BuiltBase, type GapsFile } from './index-base.js';
import { EventSink } from './packed-events.js';
import { outranks } from './rolled-up.js';
import { decodeRollup, rollupSources } from './rollup-decode.js';
import { FLAG_GAP, rowFlags, SLOT_MS, type RollupEntry } from './rollup-format.js';
import { addUsage, type UsageItem } from './usage-item.js';

/**
 * Reads every rollup file once and sums it: rows into items per day (in `tz`), Claude session,
 * attribution, model, pricing tier and kind, grouped by month; workflow events folded. Of two
 * entries for the same source file (two clones rolled it up at different sizes), the larger is
 * used, as the full fold does.
 */
export function buildBase(ledgerDir: string, rollups: string[], tz: string): BuiltBase {
  const problems = new Map<string, string>();
  const read = (rel: string) => fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
  // First the sources each file holds (a quick scan), so a file read once after is summed at once.
  const chosen = new Map<string, { bytes: number; sha: string }>();
  for (const rel of rollups) {
    try {
      for (const s of rollupSources(read(rel))) if (outranks(s, chosen.get(s.src))) chosen.set(s.src, s);
    } catch (error) {
      problems.set(rel, `${rel}: ${(error as Error).message}`);
    }
  }
  const parts = {
    sums: new Map<string, UsageItem>(),
    keyDays: {} as BaseFile['keyDays'],
    baselines: {} as GapsFile['baselines'],
    events: new EventSink(),
    malformed: 0,
  };
  for (const rel of rollups) {
    if (problems.has(rel)) continue;
    let decoded: ReturnType<typeof decodeRollup>;
    try {
      decoded = decodeRollup(read(rel), { keys: false, rows: 'packed' });
    } catch (error) {
      problems.set(rel, `${rel}: ${(error as Error).message}`);
      continue;
    }
    decoded.entries.forEach((entry, i) => {
      const pick = chosen.get(entry.src);
      if (pick?.bytes !== entry.bytes || pick.sha !== entry.sha) return;
      chosen.delete(entry.src); // the same entry in a second file counts once
      sumRows(
        entry,
        tz,
        parts.sums,
        (day) => (parts.keyDays[day] ??= []).includes(rel) || parts.keyDays[day]!.push(rel),
      );
      for (const [model, t] of Object.entries(entry.gaps)) {
        const key = `${entry.cs}|${model}`;
        parts.baselines[key] = (parts.baselines[key] ?? [0, 0, 0, 0, 0]).map((v, k) =>
          Math.max(v, t[k]!),
        ) as GapsFile['baselines'][string];
      }
      for (const raw of decoded.rawEvents[i]!) {
        const record =
          typeof raw === 'object' && raw !== null ? checkRecord(raw as Record<string, unknown>) : undefined;
        if (record) parts.events.add(record);
        else parts.malformed++;
      }
    });
  }
  return assembleBase({
    tz,
    rollups,
    keyDays: parts.keyDays,
    baselines: parts.baselines,
    malformed: parts.malformed,
    problems: [...problems.values()],
    items: [...parts.sums.values()],
    events: parts.events,
  });
}

/**
 * An entry's rows summed into items per day (in `tz`): first within the entry, keyed by the stored
 * row's own small numbers (no object per row), then into `sums` across entries. `keyDay` hears of
 * each UTC day whose calls the entry keys.
 */
function sumRows(entry: RollupEntry, tz: string, sums: Map<string, UsageItem>, keyDay: (day: string) => void): void {
  const { base, rows, attributions, names } = entry.packed!;
  const local = new Map<string, UsageItem>();
  let lastUtcDay = -1;
  for (const r of rows) {
    const slot = base + r[0]!;
    const flags = r[3]!;
    const first = slot * SLOT_MS + r[10]!;
    const last = slot * SLOT_MS + (r.length === 12 ? r[11]! : r[10]!);
    const utc = Math.floor(slot / SLOTS_PER_DAY);
    if ((flags & FLAG_GAP) === 0 && utc !== lastUtcDay)
      keyDay(new Date((lastUtcDay = utc) * 86_400_000).toISOString().slice(0, 10));
    const id = `${dayKey(first, tz)}|${r[1]}|${r[2]}|${flags}`;
    let item = local.get(id);
    if (!item) {
      const [ws, spec, task, phase, branch, commit] = attributions[r[1]!]!;
      const { fast, longContext, kind } = rowFlags(flags);
      item = {
        kind,
        key: '',
        time: first,
        first,
        last,
        calls: 0,
        longContext,
        model: names[r[2]!]!,
        cs: entry.cs,
        speed: fast ? 'fast' : 'standard',
        tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
        ws,
        spec,
        task,
        phase: phase as Phase | null,
        branch,
        commit,
      };
      local.set(id, item);
    }
    const t = item.tokens;
    t.input += r[5]!;
    t.output += r[6]!;
    t.cacheWrite5m += r[7]!;
    t.cacheWrite1h += r[8]!;
    t.cacheRead += r[9]!;
    item.calls += r[4]!;
    if (first < item.first) item.first = item.time = first;
    if (last > item.last) item.last = last;
  }
  for (const [id, item] of local) {
    const key = `${id.slice(0, 10)}\u0000${item.kind}\u0000${item.cs}\u0000${item.ws}\u0000${item.spec}\u0000${item.task}\u0000${item.phase}\u0000${item.branch}\u0000${item.commit}\u0000${item.model}\u0000${item.speed}\u0000${item.longContext}`;
    const sum = sums.get(key);
    if (!sum) sums.set(key, Object.assign(item, { key }));
    else addUsage(sum, item);
  }
}

const SLOTS_PER_DAY = 86_400_000 / SLOT_MS;
