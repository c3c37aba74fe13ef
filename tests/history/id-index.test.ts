import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../src/history/call-store.js';
import { tempDir } from '../transcript/corpus.js';

describe('the id index: message.id hash → the buckets that may hold the call', () => {
  it('finds every bucket an id was placed in, among thousands of others, before and after a save and load', () => {
    const index = IdIndex.empty();
    for (let i = 0; i < 5000; i++) index.place(`msg_${i}`, undefined, i % 256);
    // An id in three buckets (an update that died while moving it leaves two; a hash collision more).
    for (const bucket of [7, 9, 200]) index.place('msg_moved', undefined, bucket);
    index.place('msg_moved', undefined, 9);
    expect(index.lookup('msg_moved')).toEqual([7, 9, 200]);
    expect(index.lookup('msg_4321')).toEqual([4321 % 256]);
    expect(index.lookup('msg_never')).toEqual([]);
    const dir = tempDir('spec-session-ids-');
    index.save(dir);
    const loaded = IdIndex.load(dir)!;
    expect(loaded.lookup('msg_moved')).toEqual([7, 9, 200]);
    loaded.prepare(100); // the map many lookups use: the same answers
    expect(loaded.lookup('msg_moved')).toEqual([7, 9, 200]);
    expect(loaded.lookup('msg_0')).toEqual([0]);
    loaded.place('msg_moved', undefined, 31);
    loaded.place('msg_moved', undefined, 7);
    expect(loaded.lookup('msg_moved')).toEqual([7, 9, 200, 31]);
  });
});
