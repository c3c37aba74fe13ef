import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateHistory } from '../../src/history/update-history.js';
import { configDir } from '../fixtures/transcripts/cases.js';
import { tempDir } from '../transcript/corpus.js';

/**
 * A report with nothing new takes a folder's listing from the last walk when the folder has not
 * changed since (listings.json in the store). A transcript added since is still found: a folder's
 * new entry changes its mtime, and a listing taken within the same clock tick as a change is never
 * trusted. Figures are the history's: sessions with calls, and their calls and tokens by kind.
 */
const PROJECT = '-home-dev-shop';
const fixture = (name: string, rel: string) => path.join(configDir(name), 'projects', PROJECT, rel);
const A = fixture('calendar', '10000000-0000-4000-8000-000000000019.jsonl');
const B = fixture('calendar', '10000000-0000-4000-8000-000000000020.jsonl');
const C = fixture('per-block-lines', '10000000-0000-4000-8000-000000000001.jsonl');
const SUBAGENT = 'agent-a9f8e7d6c5b4a3921.jsonl';
const MAIN14 = fixture('subagents-2.1', '10000000-0000-4000-8000-000000000014.jsonl');
const SUB14 = fixture('subagents-2.1', path.join('10000000-0000-4000-8000-000000000014', 'subagents', SUBAGENT));

function setup() {
  const root = tempDir('spec-session-dir-cache-');
  const config = path.join(root, 'config');
  const project = path.join(config, 'projects', PROJECT);
  fs.mkdirSync(project, { recursive: true });
  const storeDir = path.join(root, 'store');
  const read = async () => {
    const view = await updateHistory({ configDirs: [config], storeDir });
    const sessions = Object.entries(view.summary().sessions).filter(([, s]) => s.rows.length);
    return Object.fromEntries(sessions.map(([id, s]) => [id.slice(-2), totals(s.rows)]));
  };
  /** Every folder's mtime an hour back: changed long before any listing. */
  const age = () => {
    const old = new Date(Date.now() - 3_600_000);
    for (const dir of [path.join(config, 'projects'), project, ...subfolders(project)]) fs.utimesSync(dir, old, old);
  };
  return { root, config, project, storeDir, read, age };
}

/** A session's calls and tokens by kind (in, out, 5m write, 1h write, read), summed over its rows. */
function totals(rows: number[][]): number[] {
  const sum = [0, 0, 0, 0, 0, 0];
  for (const r of rows) for (let k = 0; k < 6; k++) sum[k]! += r[3 + k]!;
  return sum;
}

function subfolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Calls and tokens of fixture sessions as a history of them alone counts them. */
async function alone(...files: Array<[string, string]>): Promise<Record<string, number[]>> {
  const t = setup();
  for (const [from, rel] of files) {
    fs.mkdirSync(path.dirname(path.join(t.project, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(t.project, rel));
  }
  return t.read();
}

describe('folder listings kept between reports', () => {
  it('finds a transcript added to a folder listed long after its last change', async () => {
    const t = setup();
    fs.copyFileSync(A, path.join(t.project, path.basename(A)));
    t.age();
    const first = await t.read(); // lists every folder: each changed an hour before, so kept and trusted
    expect(Object.keys(first)).toEqual(['19']);
    fs.copyFileSync(B, path.join(t.project, path.basename(B)));
    const halfHourAgo = Math.floor(Date.now() / 1000) - 1800;
    fs.utimesSync(t.project, halfHourAgo, halfHourAgo); // as a copy that keeps times leaves it: changed, and long before the listing
    const second = await t.read();
    expect(second).toEqual({ ...first, ...(await alone([B, path.basename(B)])) });
    expect(Object.keys(second).sort()).toEqual(['19', '20']);
  });

  it("finds a subagent's file added to a session's folder listed before", async () => {
    const t = setup();
    const session = path.basename(MAIN14, '.jsonl');
    fs.copyFileSync(MAIN14, path.join(t.project, path.basename(MAIN14)));
    fs.mkdirSync(path.join(t.project, session, 'subagents'), { recursive: true });
    t.age();
    const before = await t.read();
    fs.copyFileSync(SUB14, path.join(t.project, session, 'subagents', SUBAGENT));
    const after = await t.read();
    expect(after).toEqual(
      await alone([MAIN14, path.basename(MAIN14)], [SUB14, path.join(session, 'subagents', SUBAGENT)]),
    );
    expect(after['14']![0]).toBeGreaterThan(before['14']![0]!); // the subagent's calls are the session's
  });

  it('does not trust a listing taken within the same clock tick as a change (a file added then leaves the mtime as it was)', async () => {
    const t = setup();
    // Whole seconds: a time utimes sets exactly, so the folder's mtime can be put back as it was.
    const now = Math.floor(Date.now() / 1000);
    fs.copyFileSync(A, path.join(t.project, path.basename(A)));
    fs.utimesSync(t.project, now, now);
    await t.read(); // the project folder changed less than a second before: listed, not to be trusted
    fs.copyFileSync(C, path.join(t.project, path.basename(C)));
    fs.utimesSync(t.project, now, now); // as a coarse clock leaves it: a change in the same tick as the one before
    const after = await t.read();
    expect(Object.keys(after).sort()).toEqual(['01', '19']);
    expect(after['01']).toEqual((await alone([C, path.basename(C)]))['01']);
  });

  it('lists a folder again when another one took its place with the same mtime (restored from a backup)', async () => {
    const t = setup();
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    fs.copyFileSync(A, path.join(t.project, path.basename(A)));
    fs.utimesSync(t.project, hourAgo, hourAgo);
    await t.read();
    fs.renameSync(t.project, `${t.project}.old`);
    fs.mkdirSync(t.project);
    for (const f of [A, C]) fs.copyFileSync(f, path.join(t.project, path.basename(f)));
    fs.utimesSync(t.project, hourAgo, hourAgo);
    expect(Object.keys(await t.read()).sort()).toEqual(['01', '19']);
  });

  it('skips a config folder whose projects/ it cannot even stat (a symbolic link that loops), as one it cannot list', async () => {
    const t = setup();
    fs.copyFileSync(A, path.join(t.project, path.basename(A)));
    const looping = path.join(t.root, 'looping');
    fs.mkdirSync(looping);
    fs.symlinkSync('projects', path.join(looping, 'projects')); // points at itself: ELOOP
    const view = await updateHistory({ configDirs: [t.config, looping], storeDir: path.join(t.root, 'store-2') });
    const sessions = Object.entries(view.summary().sessions).filter(([, s]) => s.rows.length);
    expect(sessions.map(([id]) => id.slice(-2))).toEqual(['19']);
  });

  it('gives the same figures with the kept listings damaged or gone', async () => {
    const t = setup();
    fs.copyFileSync(A, path.join(t.project, path.basename(A)));
    fs.copyFileSync(B, path.join(t.project, path.basename(B)));
    t.age();
    const first = await t.read();
    const [store] = fs.readdirSync(t.storeDir);
    const kept = path.join(t.storeDir, store!, 'listings.json');
    expect(fs.existsSync(kept)).toBe(true);
    fs.copyFileSync(C, path.join(t.project, path.basename(C)));
    fs.writeFileSync(kept, '{"v":1,"dirs":{"x":[1,2');
    const damaged = await t.read();
    expect(Object.keys(damaged).sort()).toEqual(['01', '19', '20']);
    fs.rmSync(kept);
    expect(await t.read()).toEqual(damaged);
    expect(damaged['19']).toEqual(first['19']);
  });
});
