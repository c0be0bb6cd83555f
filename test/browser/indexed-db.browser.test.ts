// createIndexedDbPersister against Chromium's real IndexedDB: a store rebuilt from the database
// after a "reload" has every local edit, and two persisters on one database see each other's
// through the BroadcastChannel notice each committed save posts.
import {afterEach, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createIndexedDbPersister} from '../../src/persisters/persister-indexed-db.js';

const dbNames: string[] = [];
const newDbName = () => {
  const dbName = `syncstore-test-${crypto.randomUUID()}`;
  dbNames.push(dbName);
  return dbName;
};

// Resolves once the database is gone. Chromium may fire `blocked` first even when every connection
// closes as asked; the deletion then completes, and only a connection that stays open stalls it.
const deleteDatabase = (dbName: string) =>
  new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(dbName);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
  });

afterEach(async () => {
  for (const dbName of dbNames.splice(0)) await deleteDatabase(dbName);
});

test('a reload starts from every edit the page made, objects and deletions included', async () => {
  const dbName = newDbName();
  const errors: Error[] = [];
  const store = createMergeableStore();
  const persister = createIndexedDbPersister(store, dbName, 1, (error) => errors.push(error));
  await persister.startAutoPersisting();
  store.setRow('tasks', 't1', {title: 'Offline edit', tags: ['urgent'], done: false});
  store.setRow('tasks', 't2', {title: 'Deleted later'});
  store.delRow('tasks', 't2');
  store.setValue('board', {name: 'Main'});
  await persister.destroy();

  const reloaded = createMergeableStore();
  const reloadedPersister = createIndexedDbPersister(reloaded, dbName);
  await reloadedPersister.load();
  await reloadedPersister.destroy();

  expect(reloaded.getTables()).toEqual({
    tasks: {t1: {title: 'Offline edit', tags: ['urgent'], done: false}},
  });
  expect(reloaded.getValues()).toEqual({board: {name: 'Main'}});
  expect(reloaded.getMergeableContent()).toEqual(store.getMergeableContent());
  expect(errors).toEqual([]);
});

test('two persisters on one database (two tabs) see each other’s edits through notices, no polling', async () => {
  const dbName = newDbName();
  const storeA = createMergeableStore();
  const storeB = createMergeableStore();
  const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
  const persisterA = createIndexedDbPersister(storeA, dbName);
  const persisterB = createIndexedDbPersister(storeB, dbName);
  await persisterA.startAutoPersisting();
  await persisterB.startAutoPersisting();

  storeA.setCell('tasks', 'a', 'title', 'from A');
  storeB.setCell('tasks', 'b', 'title', 'from B');
  await vi.waitFor(() => {
    expect(storeA.getTables()).toEqual({tasks: {a: {title: 'from A'}, b: {title: 'from B'}}});
    expect(storeB.getTables()).toEqual(storeA.getTables());
  });
  expect(setIntervalSpy).not.toHaveBeenCalled();
  setIntervalSpy.mockRestore();
  await persisterA.destroy();
  await persisterB.destroy();
});

test('an open persister does not block deleting its database, and the next save recreates it', async () => {
  const dbName = newDbName();
  const store = createMergeableStore();
  const persister = createIndexedDbPersister(store, dbName);
  await persister.save();
  await deleteDatabase(dbName);
  store.setCell('tasks', 't1', 'title', 'after delete');
  await persister.save();
  await persister.destroy();

  const reloaded = createMergeableStore();
  const reloadedPersister = createIndexedDbPersister(reloaded, dbName);
  await reloadedPersister.load();
  await reloadedPersister.destroy();
  expect(reloaded.getTables()).toEqual({tasks: {t1: {title: 'after delete'}}});
});
