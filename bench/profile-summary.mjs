#!/usr/bin/env node
// Summarises V8 .cpuprofile files (from `node --cpu-prof`): top functions by self time, and the
// share of time under each function (inclusive) for the ones named with --focus.
//
//   node bench/profile-summary.mjs <file-or-dir.cpuprofile>... [--top 15]
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function summarizeProfiles(files, top = 15) {
  const self = new Map();
  const total = new Map();
  let sampled = 0;
  for (const file of files) {
    const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const dt = new Map();
    for (let i = 0; i < prof.samples.length; i++) {
      const d = prof.timeDeltas[i] ?? 0;
      dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + d);
    }
    for (const [id, us] of dt) {
      const node = byId.get(id);
      const key = label(node.callFrame);
      self.set(key, (self.get(key) ?? 0) + us);
      sampled += us;
      const seen = new Set();
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        const k = label(byId.get(cur).callFrame);
        if (seen.has(k)) continue;
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + us);
      }
    }
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [
    `sampled ${(sampled / 1e6).toFixed(2)} s over ${files.length} profile(s)`,
    '',
    '| self ms | self % | incl % | function |',
    '|---:|---:|---:|---|',
  ];
  for (const [k, us] of rows)
    lines.push(
      `| ${(us / 1000).toFixed(0)} | ${((100 * us) / sampled).toFixed(1)} | ${((100 * (total.get(k) ?? 0)) / sampled).toFixed(1)} | ${k} |`,
    );
  return lines.join('\n');
}

function label(cf) {
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) return name;
  return `${name} ${path.basename(cf.url.replace(/^file:\/\//, ''))}:${cf.lineNumber + 1}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const ti = args.indexOf('--top');
  const top = ti >= 0 ? Number(args.splice(ti, 2)[1]) : 15;
  const files = args.flatMap((a) =>
    fs.statSync(a).isDirectory()
      ? fs
          .readdirSync(a)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => path.join(a, f))
      : [a],
  );
  console.log(summarizeProfiles(files, top));
}
