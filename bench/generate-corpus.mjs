#!/usr/bin/env node
// Deterministic generator of a realistic Claude Code history for the bench.
//
//   node bench/generate-corpus.mjs --out bench/corpus --mb 400 [--seed spec-session-bench-1]
//
// Writes <out>/projects/<munged-project>/<session>.jsonl (+ <session>/subagents/agent-<id>.jsonl
// for ~30% of sessions) and <out>/expected.json: the exact usage the generator wrote, per UTC day
// and overall, each API call counted once (field-wise max over its copies — which is what the
// files say: in <=2.1.56-style files the output count is the placeholder that reached the file).
// Same arguments, same bytes.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  Expected,
  FILE_SIZE_QUANTILES,
  MODELS_MAIN,
  PROFILE_WEIGHTS,
  makeRng,
  makeTextPool,
  mungeProject,
  writeSession,
} from './lib/corpus-lib.mjs';

export const GENERATOR_VERSION = 6;
const DAY = 86_400_000;
const END = Date.parse('2026-11-24T00:00:00Z');
const WINDOW_DAYS = 60;
const BIG_FILE = 80 << 20;

export function generateCorpus({ out, mb = 400, seed = 'spec-session-bench-1', log = () => {} }) {
  const t0 = Date.now();
  const rng = makeRng(seed);
  const pool = makeTextPool(makeRng(`${seed}:pool`));
  const budget = mb * (1 << 20);
  fs.rmSync(path.join(out, 'projects'), { recursive: true, force: true });
  fs.rmSync(path.join(out, 'expected.json'), { force: true });

  const projects = Array.from({ length: 24 }, (_, i) => {
    const cwd = `/home/dev/work/${['shop-api', 'invoice-app', 'billing', 'web', 'infra', 'docs-site', 'ml-pipeline', 'cli-tools'][i % 8]}${i >= 8 ? `-${i}` : ''}`;
    return { cwd, dir: mungeProject(cwd), weight: 1 / (i + 1) };
  });

  // Plan every file's size first, so the total is known before writing.
  const plan = [];
  let planned = BIG_FILE;
  while (planned < budget) {
    const mainTarget = rng.quantile(FILE_SIZE_QUANTILES);
    const subTargets = rng.chance(0.3)
      ? Array.from(
          {
            length: rng.weighted([
              [1, 60],
              [2, 25],
              [3, 10],
              [4, 5],
            ]),
          },
          () => rng.quantile(FILE_SIZE_QUANTILES),
        )
      : [];
    plan.push({ mainTarget, subTargets });
    planned += mainTarget + subTargets.reduce((a, b) => a + b, 0);
  }
  const bigAt = Math.floor(plan.length / 3);
  plan.splice(bigAt, 0, {
    mainTarget: BIG_FILE,
    subTargets: [rng.quantile(FILE_SIZE_QUANTILES), rng.quantile(FILE_SIZE_QUANTILES)],
    big: true,
  });

  const expected = new Expected();
  const forkable = [];
  const files = [];
  let sessions = 0;
  let forks = 0;
  let written = 0;
  for (const item of plan) {
    if (written >= budget) break; // the size tail is heavy: stop at the budget, not at the plan's end
    const project = rng.weighted(projects.map((p) => [p, p.weight]));
    const profile = item.big ? 'v331' : rng.weighted(PROFILE_WEIGHTS);
    // sessions start mostly in working hours, spread over the window
    const day = END - WINDOW_DAYS * DAY + rng.int(0, WINDOW_DAYS - 1) * DAY;
    const start =
      day +
      Math.round(Math.min(23.5, Math.max(0, 8 + rng.normal() * 3.5 + (rng.chance(0.5) ? 3 : 0))) * 3_600_000) +
      rng.int(0, 3_599_999);
    let subTargets = item.subTargets;
    if (profile === 'v34') subTargets = subTargets.map((t) => Math.min(t, Math.max(20_000, item.mainTarget))); // progress lines copy them into the main file
    const gateway = rng.chance(0.05); // a proxy that drops request ids
    const candidates = forkable.filter((f) => f.project === project.dir);
    const fork = !item.big && rng.chance(0.04) && candidates.length ? rng.pick(candidates) : undefined;
    const result = writeSession({
      rng,
      pool,
      expected,
      dir: path.join(out, 'projects', project.dir),
      cwd: project.cwd,
      sessionId: rng.uuid(),
      profile: fork ? fork.profile : profile,
      model: rng.weighted(MODELS_MAIN),
      start,
      mainTarget: item.mainTarget,
      subTargets,
      gateway: fork ? fork.gateway : gateway,
      costStates: true,
      record: !item.big,
      // `claude --resume <id> --fork-session`: every line copied (same ids, sessionId rewritten), cost-state continued
      fork: fork
        ? { lines: fork.lines, sessionId: fork.sessionId, end: fork.end, costModels: fork.costModels }
        : undefined,
    });
    sessions++;
    if (fork) forks++;
    files.push(...result.files);
    for (const f of result.files) written += fs.statSync(f).size;
    if (result.lines && result.lines.length > 5 && !fork) {
      forkable.push({
        lines: result.lines,
        sessionId: path.basename(result.files[0], '.jsonl'),
        end: result.end,
        profile,
        project: project.dir,
        gateway,
        costModels: result.costModels,
      });
      if (forkable.length > 40) forkable.shift();
    }
    if (sessions % 100 === 0) log(`  ${sessions}/${plan.length} sessions`);
  }

  const sizes = files.map((f) => fs.statSync(f).size).sort((a, b) => a - b);
  const q = (p) => sizes[Math.min(sizes.length - 1, Math.floor(p * sizes.length))];
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const stats = {
    files: sizes.length,
    sessions,
    forkedSessions: forks,
    subagentFiles: files.filter((f) => f.includes('/subagents/')).length,
    bytes,
    medianBytes: q(0.5),
    p90Bytes: q(0.9),
    p99Bytes: q(0.99),
    maxBytes: sizes[sizes.length - 1],
    secondBytes: sizes[sizes.length - 2],
  };
  const doc = {
    generator: { version: GENERATOR_VERSION, seed, mb },
    stats,
    semantics:
      'Each API call (message.id + requestId, message.id alone when requestId is absent) counted once, field-wise max over its copies, on the UTC day of its timestamp; ' +
      '<synthetic>, progress-embedded, torn and user-line usage excluded. cacheCreationTokens = cache_creation_input_tokens. ' +
      'totals/daily/models also hold the 2.1.331 compaction calls that only cost-state counts (costStateOnly; on the day of their compact_boundary); fromLines leaves them out.',
    ...expected.toJSON(),
  };
  fs.writeFileSync(path.join(out, 'expected.json'), `${JSON.stringify(doc, null, 2)}\n`);
  log(
    `wrote ${stats.files} files, ${(bytes / (1 << 20)).toFixed(1)} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return doc;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'bench/corpus' },
      mb: { type: 'string', default: '400' },
      seed: { type: 'string', default: 'spec-session-bench-1' },
    },
  });
  const doc = generateCorpus({
    out: values.out,
    mb: Number(values.mb),
    seed: values.seed,
    log: (m) => console.error(m),
  });
  const s = doc.stats;
  const kb = (n) => `${Math.round(n / 1000)} KB`;
  console.log(
    `files ${s.files} (${s.sessions} sessions, ${s.subagentFiles} subagent files, ${s.forkedSessions} forks), ${(s.bytes / (1 << 20)).toFixed(1)} MiB`,
  );
  console.log(
    `sizes: median ${kb(s.medianBytes)}, p90 ${kb(s.p90Bytes)}, p99 ${kb(s.p99Bytes)}, largest ${kb(s.maxBytes)}, 2nd ${kb(s.secondBytes)}`,
  );
  console.log(`calls ${doc.totals.calls}, days ${doc.daily.length}, total tokens ${doc.totals.totalTokens}`);
}
