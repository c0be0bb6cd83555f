// A room's change sequence (docs/protocol.md §8.8): numbers for the leaves the room store changed,
// "what changed after n" in order, compaction with a floor, and durability in the SQLite file.
import {describe, expect, test} from 'vitest';
import {RoomChangeLog} from '../../src/server/delta-log.js';
import {createSqliteStorage} from '../../src/server/sqlite-storage.js';
import type {LeafAddress, MergeableChanges} from '../../src/store/types.js';

/** Changes of cells in table t, row r: cell id -> HLC. */
const cells = (stamps: Record<string, string>, values: Record<string, string> = {}) =>
  [
    [{t: [{r: [Object.fromEntries(Object.entries(stamps).map(([id, hlc]) => [id, [1, hlc]]))]}]}],
    [Object.fromEntries(Object.entries(values).map(([id, hlc]) => [id, [1, hlc]]))],
    1,
  ] as unknown as MergeableChanges;

/** A store in which every stamp recorded won: its current HLC is the one given. */
const won = (changes: MergeableChanges) => {
  const current = new Map<string, string>();
  const [[tables], [values]] = changes as unknown as [
    [Record<string, [Record<string, [Record<string, [unknown, string]>]>]>],
    [Record<string, [unknown, string]>],
  ];
  for (const [cellId, [, hlc]] of Object.entries(tables.t?.[0].r?.[0] ?? {})) {
    current.set(JSON.stringify(['t', 'r', cellId]), hlc);
  }
  for (const [valueId, [, hlc]] of Object.entries(values)) {
    current.set(JSON.stringify([valueId]), hlc);
  }
  return (address: LeafAddress) => current.get(JSON.stringify(address));
};

const record = (log: RoomChangeLog, changes: MergeableChanges) => log.record(changes, won(changes));

describe('the change sequence', () => {
  test('numbers each changed leaf and lists those changed after a watermark, latest first written last', () => {
    const log = new RoomChangeLog();
    record(log, cells({a: 'h1', b: 'h1'}, {v: 'h1'}));
    expect(log.seq).toBe(3);
    record(log, cells({a: 'h2'}));
    expect(log.seq).toBe(4);
    expect(log.changedSince(0)).toEqual([['t', 'r', 'b'], ['v'], ['t', 'r', 'a']]);
    expect(log.changedSince(3)).toEqual([['t', 'r', 'a']]);
    expect(log.changedSince(4)).toEqual([]);
  });

  test('a stamp that lost, or that is no later than the one recorded, is not numbered', () => {
    const log = new RoomChangeLog();
    record(log, cells({a: 'h5'}));
    log.record(cells({a: 'h3'}), () => 'h5'); // lost to the store's newer stamp
    record(log, cells({a: 'h5'})); // the same stamp again (an echo)
    expect(log.seq).toBe(1);
  });

  test('a watermark after the last number, or from before the floor, cannot be served', () => {
    const log = new RoomChangeLog({maxLeaves: 2});
    record(log, cells({a: 'h1', b: 'h1', c: 'h1'}));
    expect(log.floor).toBe(1);
    expect(log.size).toBe(2);
    expect(log.changedSince(0)).toBeUndefined();
    expect(log.changedSince(1)).toEqual([
      ['t', 'r', 'b'],
      ['t', 'r', 'c'],
    ]);
    expect(log.changedSince(4)).toBeUndefined();
    // Rewriting a remembered leaf forgets nothing; a new one forgets the oldest.
    record(log, cells({b: 'h2'}));
    expect(log.floor).toBe(1);
    record(log, cells({d: 'h1'}));
    expect(log.floor).toBe(3);
    expect(log.changedSince(3)).toEqual([
      ['t', 'r', 'b'],
      ['t', 'r', 'd'],
    ]);
  });

  test('stale entries are dropped as the same leaves are written again and again', () => {
    const log = new RoomChangeLog();
    for (let round = 1; round <= 5000; round++) {
      record(log, cells({a: `h${String(round).padStart(5, '0')}`}));
    }
    expect(log.size).toBe(1);
    expect(log.changedSince(4999)).toEqual([['t', 'r', 'a']]);
    expect(log.changedSince(5000)).toEqual([]);
  });

  test('a bound below 1 is refused with a clear error', () => {
    expect(() => new RoomChangeLog({maxLeaves: 0})).toThrow(
      'a change log must keep at least 1 leaf, not 0',
    );
  });
});

describe('in the SQLite file', () => {
  test('the history, its numbers and its floor come back after a restart', () => {
    const storage = createSqliteStorage(':memory:');
    const open = () =>
      new RoomChangeLog({
        stored: storage.loadChangeLog!('room'),
        maxLeaves: 3,
        onWrite: (write) => storage.saveChangeLog!('room', write),
      });
    const first = open();
    // A new history is written down before any change, so that its epoch outlives a restart.
    expect(storage.loadChangeLog!('room')).toMatchObject({epoch: first.epoch, seq: 0});
    record(first, cells({a: 'h1', b: 'h1'}));
    record(first, cells({c: 'h1', d: 'h1'}));
    const second = open();
    expect(second.epoch).toBe(first.epoch);
    expect(second.seq).toBe(4);
    expect(second.floor).toBe(1);
    expect(second.changedSince(1)).toEqual(first.changedSince(1));
    // Forgotten leaves are gone from the file too.
    expect([...storage.loadChangeLog!('room')!.leaves].length).toBe(3);
    expect(storage.loadChangeLog!('other room')).toBeUndefined();
    storage.close();
  });
});
