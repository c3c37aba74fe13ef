import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeConfigDirs, discoverTranscripts } from '../../src/transcript/discover.js';
import { configDir, session } from '../fixtures/transcripts/cases.js';
import { tempDir } from './corpus.js';

function dirs(...names: Array<[string, boolean]>): string {
  const root = tempDir();
  for (const [name, withProjects] of names)
    fs.mkdirSync(path.join(root, name, withProjects ? 'projects' : ''), { recursive: true });
  return root;
}

describe('claudeConfigDirs', () => {
  it('CLAUDE_CONFIG_DIR is a comma list; spaces, empties, duplicates and folders without projects/ are dropped', () => {
    const root = dirs(['a', true], ['b', true], ['no-projects', false]);
    const env = {
      HOME: root,
      CLAUDE_CONFIG_DIR: ` ${root}/a ,,${root}/no-projects, ${root}/b,${root}/a/,${root}/missing`,
    };
    expect(claudeConfigDirs(env)).toEqual([path.join(root, 'a'), path.join(root, 'b')]);
  });

  it('without CLAUDE_CONFIG_DIR: ~/.claude and ~/.config/claude, those that hold projects/', () => {
    const both = dirs(['.claude', true], ['.config/claude', true]);
    expect(claudeConfigDirs({ HOME: both })).toEqual([
      path.join(both, '.claude'),
      path.join(both, '.config', 'claude'),
    ]);
    const one = dirs(['.claude', false], ['.config/claude', true]);
    expect(claudeConfigDirs({ HOME: one })).toEqual([path.join(one, '.config', 'claude')]);
    expect(claudeConfigDirs({ HOME: dirs(), CLAUDE_CONFIG_DIR: '' })).toEqual([]);
  });
});

describe('discoverTranscripts: every layout Claude Code has used', () => {
  const found = (name: string) =>
    discoverTranscripts([configDir(name)]).map((f) => [
      path.relative(path.join(configDir(name), 'projects'), f.path),
      f.project,
      f.sessionId,
    ]);

  it('1.0.x: one main file per session', () => {
    expect(found('inline-sidechain-1.0')).toEqual([
      [`-home-dev-shop/${session(12)}.jsonl`, '-home-dev-shop', session(12)],
    ]);
  });

  it('2.0.x: agent-<id>.jsonl beside the main file (its session comes from its lines)', () => {
    expect(found('sibling-agent-2.0')).toEqual([
      [`-home-dev-shop/${session(13)}.jsonl`, '-home-dev-shop', session(13)],
      ['-home-dev-shop/agent-5f2c9a1e.jsonl', '-home-dev-shop', 'agent-5f2c9a1e'],
    ]);
  });

  it('2.1.x: <session>/subagents/agent-<id>.jsonl and agent-acompact-<hex>.jsonl belong to the session; .meta.json is not a transcript', () => {
    const s = session(14);
    expect(found('subagents-2.1')).toEqual([
      [`-home-dev-shop/${s}.jsonl`, '-home-dev-shop', s],
      [`-home-dev-shop/${s}/subagents/agent-a9f8e7d6c5b4a3921.jsonl`, '-home-dev-shop', s],
      [`-home-dev-shop/${s}/subagents/agent-acompact-3f2e1d.jsonl`, '-home-dev-shop', s],
    ]);
  });

  it('several config dirs at once, each file once, sorted by path', () => {
    const files = discoverTranscripts([configDir('calendar'), configDir('fast-mode')]);
    expect(files.map((f) => f.sessionId)).toEqual([session(19), session(20), session(16)]);
    expect(files.every((f) => f.size === fs.statSync(f.path).size && f.ino === fs.statSync(f.path).ino)).toBe(true);
  });
});
