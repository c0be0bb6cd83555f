// createSqliteStorage on its own (the server tests use it through rooms): the merge rule of
// saveChanges, what loadRoom returns, the stored room ids, and content that outlives a reopen with
// either durability.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {createSqliteStorage} from '../../src/server/index.js';
import type {MergeableChanges} from '../../src/store/types.js';

const directory = mkdtempSync(join(tmpdir(), 'syncstore-sqlite-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

const EARLY = 'Nn1JUF-----0JQY8';
const LATE = 'Nn1JUF-----9JQY8';

/** Changes of one cell t/r/c and one value v, with their things and HLCs. */
const changes = (cell: [unknown, string], value: [unknown, string]): MergeableChanges =>
  [[{t: [{r: [{c: cell}]}]}], [{v: value}], 1] as unknown as MergeableChanges;

describe('createSqliteStorage', () => {
  test('keeps the later HLC of each cell and value, as the store merges', () => {
    const storage = createSqliteStorage(':memory:');
    storage.saveChanges('room', changes(['late', LATE], ['late', LATE]));
    // Earlier stamps lose, whichever order they arrive in.
    storage.saveChanges('room', changes(['early', EARLY], ['early', EARLY]));
    expect(storage.readRoom('room')).toEqual(changes(['late', LATE], ['late', LATE]));
    storage.close();
  });

  test('a stamp without a time (a default) gives way to any timed one', () => {
    const storage = createSqliteStorage(':memory:');
    storage.saveChanges('room', changes(['default', ''], [1, '']));
    storage.saveChanges('room', changes(['edited', EARLY], [2, EARLY]));
    expect(storage.readRoom('room')).toEqual(changes(['edited', EARLY], [2, EARLY]));
    storage.close();
  });

  test('stores tombstones and object cells as they came', () => {
    const storage = createSqliteStorage(':memory:');
    storage.saveChanges('room', changes(['\uFFFD{"a":[1]}', EARLY], [true, EARLY]));
    storage.saveChanges('room', changes([undefined, LATE], [true, EARLY]));
    expect(storage.readRoom('room')).toEqual(changes([undefined, LATE], [true, EARLY]));
    storage.close();
  });

  test('rooms are apart; an unknown room loads as undefined; the stored room ids are listed', () => {
    const storage = createSqliteStorage(':memory:');
    storage.saveChanges('one', changes([1, EARLY], [1, EARLY]));
    storage.saveChanges('two/sub', changes([2, LATE], [2, LATE]));
    expect(storage.readRoom('one')).toEqual(changes([1, EARLY], [1, EARLY]));
    expect(storage.readRoom('two/sub')).toEqual(changes([2, LATE], [2, LATE]));
    expect(storage.readRoom('three')).toBeUndefined();
    expect(storage.getStoredPathIds().sort()).toEqual(['one', 'two/sub']);
    storage.close();
  });

  test.each(['normal', 'full'] as const)(
    'with durability %s, content outlives closing and reopening the file',
    (durability) => {
      const file = join(directory, `${durability}.db`);
      const storage = createSqliteStorage(file, {durability});
      storage.saveChanges('room', changes(['kept', LATE], [3, LATE]));
      storage.close();
      const reopened = createSqliteStorage(file);
      expect(reopened.readRoom('room')).toEqual(changes(['kept', LATE], [3, LATE]));
      reopened.close();
    },
  );
});
