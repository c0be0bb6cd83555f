// The lifecycle every persister shares, over storages that fail in each way they can: a set-up
// that fails leaves nothing running, and destroy never rejects.
import {describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createPersister, type PersisterStorage} from '../../src/persisters/create-persister.js';
import type {MergeableContent} from '../../src/store/types.js';

/** A storage in memory whose parts can be made to fail; counts live watches and writes. */
class TestStorage implements PersisterStorage {
  content: MergeableContent | undefined;
  failRead = false;
  failWrite = false;
  failWatch = false;
  failClose = false;
  watching = 0;
  writes = 0;

  async read() {
    if (this.failRead) throw new Error('read failed');
    return this.content;
  }

  async write(
    mergeStored: (stored: MergeableContent | undefined) => void,
    getContent: () => MergeableContent,
  ) {
    if (this.failWrite) throw new Error('write failed');
    mergeStored(this.content);
    this.content = getContent();
    this.writes++;
  }

  watch() {
    if (this.failWatch) throw new Error('watch failed');
    this.watching++;
    return () => {
      this.watching--;
    };
  }

  async close() {
    if (this.failClose) throw new Error('close failed');
  }
}

const setUp = (storage: TestStorage) => {
  const errors: string[] = [];
  const store = createMergeableStore('s1');
  const persister = createPersister(store, storage, (error) => errors.push(error.message), {});
  return {store, persister, errors};
};

describe('a persister whose set-up fails', () => {
  test.each([
    ['the first load cannot read', 'failRead', 'read failed'],
    ['the first save cannot write', 'failWrite', 'write failed'],
    ['the storage cannot be watched', 'failWatch', 'watch failed'],
  ] as const)('is left stopped when %s', async (_case, failure, message) => {
    for (const startSaveFirst of [false, true]) {
      const storage = new TestStorage();
      storage[failure] = true;
      const {store, persister, errors} = setUp(storage);
      await expect(persister.startAutoPersisting(undefined, startSaveFirst)).resolves.toBe(
        persister,
      );
      expect(errors).toEqual([message]);
      expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([false, false]);
      expect(storage.watching).toBe(0);
      // No listener was left: a later change is not written, even once the storage works.
      storage[failure] = false;
      const writes = storage.writes;
      store.setCell('t1', 'r1', 'c1', 1);
      await persister.schedule(async () => {});
      expect(storage.writes).toBe(writes);
      expect(persister.getStatus()).toBe(0);
    }
  });

  test('starts normally once the storage works again', async () => {
    const storage = new TestStorage();
    storage.failRead = true;
    const {store, persister} = setUp(storage);
    await persister.startAutoPersisting();
    storage.failRead = false;
    await persister.startAutoPersisting();
    expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([true, true]);
    expect(storage.watching).toBe(1);
    store.setCell('t1', 'r1', 'c1', 1);
    await persister.schedule(async () => {});
    expect(storage.content?.[0][0]).toHaveProperty('t1');
    await persister.destroy();
    expect(storage.watching).toBe(0);
  });
});

describe('destroy', () => {
  test('never rejects: a storage that fails to close is reported', async () => {
    const storage = new TestStorage();
    const {persister, errors} = setUp(storage);
    await persister.startAutoPersisting();
    storage.failClose = true;
    await expect(persister.destroy()).resolves.toBe(persister);
    expect(errors).toEqual(['close failed']);
    expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([false, false]);
    expect(storage.watching).toBe(0);
  });

  test('a throwing status listener is reported and does not stop a load', async () => {
    const storage = new TestStorage();
    const {store, persister, errors} = setUp(storage);
    const source = createMergeableStore('s2');
    source.setCell('t1', 'r1', 'c1', 1);
    storage.content = source.getMergeableContent();
    persister.addStatusListener(() => {
      throw new Error('listener failed');
    });
    await expect(persister.load()).resolves.toBe(persister);
    expect(store.getTables()).toEqual({t1: {r1: {c1: 1}}});
    expect(errors).toEqual(['listener failed', 'listener failed']);
    expect(persister.getStatus()).toBe(0);
  });
});

describe('listener writes while stored content is merged', () => {
  test('are saved; what was loaded is not written back for nothing', async () => {
    const storage = new TestStorage();
    const source = createMergeableStore('s2');
    source.setCell('people', 'p1', 'name', 'ada');
    storage.content = source.getMergeableContent();
    const {store, persister} = setUp(storage);
    store.addCellListener(
      'people',
      null,
      'name',
      (_store, tableId, rowId, _cellId, name) => {
        store.setCell(tableId, rowId, 'upper', String(name).toUpperCase());
      },
      true,
    );
    await persister.startAutoPersisting();
    const writesAfterStart = storage.writes;
    // A tab elsewhere adds a row; merging it sets off the listener, whose copy must be saved.
    source.setCell('people', 'p2', 'name', 'bob');
    storage.content = source.getMergeableContent();
    // A load merges it as the storage's poll would.
    await persister.load();
    await persister.schedule(async () => {});
    expect(storage.writes).toBe(writesAfterStart + 1);
    const stored = createMergeableStore('s3');
    stored.applyMergeableChanges(storage.content as MergeableContent);
    expect(stored.getTables()).toEqual({
      people: {p1: {name: 'ada', upper: 'ADA'}, p2: {name: 'bob', upper: 'BOB'}},
    });
    await persister.destroy();
  });

  test('loading content that sets off no listener saves nothing', async () => {
    const storage = new TestStorage();
    const source = createMergeableStore('s2');
    source.setCell('people', 'p1', 'name', 'ada');
    storage.content = source.getMergeableContent();
    const {persister} = setUp(storage);
    await persister.startAutoPersisting();
    const writes = storage.writes;
    source.setCell('people', 'p2', 'name', 'bob');
    storage.content = source.getMergeableContent();
    await persister.load();
    await persister.schedule(async () => {});
    expect(storage.writes).toBe(writes);
    await persister.destroy();
  });
});
