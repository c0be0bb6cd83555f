// Synchronizers take any object with the public MergeableStore API, not only syncstore's: here a
// TinyBase MergeableStore (from the tinybase package), synced by a syncstore synchronizer with a
// syncstore store. Its changes and content are read and merged through its public methods.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {afterEach, describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import type {Synchronizer} from '../../src/synchronizers/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {waitUntil} from './helpers.js';

const created: Synchronizer[] = [];
afterEach(async () => {
  for (const synchronizer of created.splice(0)) {
    await synchronizer.destroy();
  }
});

/** A TinyBase store, typed as the public API syncstore's synchronizers ask for. */
const createForeignStore = (uniqueId: string): MergeableStore =>
  createTinyBaseStore(uniqueId) as unknown as MergeableStore;

const startSync = async (store: MergeableStore, errors: Error[] = []) => {
  const synchronizer = createLocalSynchronizer(store, undefined, undefined, (error) =>
    errors.push(error),
  );
  created.push(synchronizer);
  await synchronizer.startSync();
  return synchronizer;
};

const sameHashes = (first: MergeableStore, second: MergeableStore) =>
  JSON.stringify(first.getMergeableContentHashes()) ===
  JSON.stringify(second.getMergeableContentHashes());

describe('a syncstore synchronizer on a TinyBase store', () => {
  test('lacks syncstore’s encoded methods, so the public ones are used', () => {
    const foreign = createForeignStore('t1') as unknown as Record<string, unknown>;
    expect(foreign.getEncodedTransactionChanges).toBeUndefined();
    expect(foreign.applyEncodedMergeableChanges).toBeUndefined();
  });

  test('syncs with a syncstore store both ways: cells, values, deletions', async () => {
    const foreign = createForeignStore('t1');
    const native = createMergeableStore('s1');
    foreign.setCell('pets', 'fido', 'legs', 4);
    native.setValue('open', true);
    const foreignErrors: Error[] = [];
    const nativeErrors: Error[] = [];
    await startSync(foreign, foreignErrors);
    await startSync(native, nativeErrors);
    await waitUntil(() => native.hasRow('pets', 'fido') && foreign.hasValue('open'));

    native.setCell('pets', 'felix', 'species', 'cat');
    foreign.setCell('pets', 'fido', 'species', 'dog');
    foreign.delValue('open');
    await waitUntil(
      () => foreign.hasRow('pets', 'felix') && native.hasCell('pets', 'fido', 'species'),
    );
    await waitUntil(() => !native.hasValue('open') && sameHashes(foreign, native));
    expect(native.getContent()).toEqual([
      {pets: {fido: {legs: 4, species: 'dog'}, felix: {species: 'cat'}}},
      {},
    ]);
    expect(foreign.getContent()).toEqual(native.getContent());
    expect(foreign.getMergeableContent()).toEqual(native.getMergeableContent());
    // Only the lone first peer's unanswered GetContentHashes is reported.
    expect(nativeErrors).toEqual([]);
    expect(foreignErrors.map(({message}) => message.split(':')[0])).toEqual(['tinybase']);
    expect(foreignErrors).toHaveLength(1);
  });

  test('object and array cells arrive decoded on both sides', async () => {
    const foreign = createForeignStore('t1');
    const native = createMergeableStore('s1');
    await startSync(foreign);
    await startSync(native);
    foreign.setCell('pets', 'fido', 'tags', {good: [true]});
    native.setCell('pets', 'felix', 'tags', ['shy', {indoor: true}]);
    await waitUntil(() => native.hasRow('pets', 'fido') && foreign.hasRow('pets', 'felix'));
    expect(foreign.getTables()).toEqual({
      pets: {fido: {tags: {good: [true]}}, felix: {tags: ['shy', {indoor: true}]}},
    });
    expect(native.getTables()).toEqual(foreign.getTables());
    // What the TinyBase store sent is stored and hashed as the wire carries it, as from a peer.
    expect(native.getMergeableContent()[0][0].pets[0].fido).toEqual(
      foreign.getMergeableContent()[0][0].pets[0].fido,
    );
  });

  test('a mutator listener on the TinyBase store: its writes during a merge reach the peer', async () => {
    const foreign = createForeignStore('t1');
    const native = createMergeableStore('s1');
    foreign.addCellListener(
      'people',
      null,
      'name',
      (_store, tableId, rowId, _cellId, name) => {
        foreign.setCell(tableId, rowId, 'upper', String(name).toUpperCase());
      },
      true,
    );
    await startSync(foreign);
    await startSync(native);
    native.setCell('people', 'p1', 'name', 'ada');
    await waitUntil(() => native.getCell('people', 'p1', 'upper') === 'ADA');
    await waitUntil(() => sameHashes(foreign, native));
    expect(native.getTables()).toEqual({people: {p1: {name: 'ada', upper: 'ADA'}}});
  });
});
