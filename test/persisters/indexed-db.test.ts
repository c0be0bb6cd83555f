// createIndexedDbPersister in Node, over fake-indexeddb: what is saved comes back with every stamp,
// loads merge instead of replacing, tabs sharing a database never drop each other's edits, and a
// database written by TinyBase's IndexedDB persister reads the same (and the other way round).
import 'fake-indexeddb/auto';
import {IDBFactory} from 'fake-indexeddb';
import {createMergeableStore as createTinyBaseMergeableStore} from 'tinybase';
import {createIndexedDbPersister as createTinyBaseIndexedDbPersister} from 'tinybase/persisters/persister-indexed-db';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore as createStore} from '../../src/index.js';
import {createIndexedDbPersister} from '../../src/persisters/persister-indexed-db.js';
import type {MergeableStore} from '../../src/store/types.js';
import {Status} from '../../src/synchronizers/types.js';

// A fixed clock per store keeps stamps readable and distinct between stores.
const clockAt = (time: number) => () => time;

const persisters: {destroy(): Promise<unknown>}[] = [];
const track = <P extends {destroy(): Promise<unknown>}>(persister: P): P => {
  persisters.push(persister);
  return persister;
};

beforeEach(() => {
  // A fresh, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await Promise.all(persisters.splice(0).map((persister) => persister.destroy()));
});

const fillStore = (store: MergeableStore) =>
  store
    .setRow('tasks', 't1', {title: 'Write tests', done: false, tags: ['a', 'b']})
    .setRow('tasks', 't2', {title: 'Ship', done: null})
    .setCell('lanes', 'todo', 'name', 'To do')
    .setValue('board', 'Main')
    .setValue('settings', {theme: 'dark'})
    .delCell('tasks', 't2', 'done')
    .delValue('board');

describe('createIndexedDbPersister', () => {
  test('gives back the database name and the store', () => {
    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    expect(persister.getDbName()).toBe('board');
    expect(persister.getStore()).toBe(store);
  });

  test('persists any store with the public MergeableStore API, such as TinyBase’s', async () => {
    const tinyBaseStore = createTinyBaseMergeableStore(
      's1',
      clockAt(1_700_000_000_000),
    ) as unknown as MergeableStore;
    fillStore(tinyBaseStore);
    await track(createIndexedDbPersister(tinyBaseStore, 'board')).save();

    const reloaded = createStore('s2');
    await track(createIndexedDbPersister(reloaded, 'board')).load();
    expect(reloaded.getMergeableContent()).toEqual(tinyBaseStore.getMergeableContent());

    // And the other way: syncstore's content, loaded into a TinyBase store.
    const other = createTinyBaseMergeableStore('s3') as unknown as MergeableStore;
    reloaded.setCell('lanes', 'done', 'name', 'Done');
    await track(createIndexedDbPersister(reloaded, 'board')).save();
    await track(createIndexedDbPersister(other, 'board')).load();
    expect(other.getContent()).toEqual(reloaded.getContent());
    expect(other.getTables().lanes).toEqual({todo: {name: 'To do'}, done: {name: 'Done'}});
  });

  test('has every member TinyBase’s IndexedDB persister has; lifecycle calls resolve to it', async () => {
    const tinyBase = createTinyBaseIndexedDbPersister(createTinyBaseMergeableStore(), 'board');
    const persister = track(createIndexedDbPersister(createStore('s1'), 'board'));
    const members = persister as unknown as Record<string, unknown>;
    expect(Object.keys(tinyBase).filter((key) => typeof members[key] !== 'function')).toEqual([]);
    for (const call of [
      () => persister.startAutoPersisting(),
      () => persister.stopAutoLoad(),
      () => persister.stopAutoSave(),
      () => persister.stopAutoPersisting(),
      () => persister.load(),
      () => persister.save(),
      () => persister.schedule(async () => {}),
    ]) {
      const result = call();
      expect(result).toBeInstanceOf(Promise);
      await expect(result).resolves.toBe(persister);
    }
    await tinyBase.destroy();
  });

  test('saves the full mergeable content and loads it back, stamps, objects and deletions included', async () => {
    const store = createStore('s1', clockAt(1_700_000_000_000));
    fillStore(store);
    await track(createIndexedDbPersister(store, 'board')).save();

    const reloaded = createStore('s2');
    await track(createIndexedDbPersister(reloaded, 'board')).load();

    expect(reloaded.getMergeableContent()).toEqual(store.getMergeableContent());
    expect(reloaded.getTables()).toEqual({
      tasks: {t1: {title: 'Write tests', done: false, tags: ['a', 'b']}, t2: {title: 'Ship'}},
      lanes: {todo: {name: 'To do'}},
    });
    expect(reloaded.getValues()).toEqual({settings: {theme: 'dark'}});
  });

  test('loading merges what is stored with what the store already holds', async () => {
    const saved = createStore('s1', clockAt(1_700_000_000_000));
    saved.setCell('tasks', 't1', 'title', 'old title').setCell('tasks', 't1', 'owner', 'ann');
    await track(createIndexedDbPersister(saved, 'board')).save();

    const store = createStore('s2', clockAt(1_700_000_001_000));
    store.setCell('tasks', 't1', 'title', 'newer title').setCell('tasks', 't2', 'title', 'other');
    await track(createIndexedDbPersister(store, 'board')).load();

    // Cell by cell: the newer title wins, the owner only the database had is kept.
    expect(store.getTables()).toEqual({
      tasks: {t1: {title: 'newer title', owner: 'ann'}, t2: {title: 'other'}},
    });
  });

  test('with nothing stored, load sets the initial content as defaults that any real edit beats', async () => {
    const store = createStore('s1');
    await track(createIndexedDbPersister(store, 'board')).load([
      {lanes: {todo: {name: 'To do'}}},
      {},
    ]);
    expect(store.getTables()).toEqual({lanes: {todo: {name: 'To do'}}});

    const other = createStore('s2');
    other.setCell('lanes', 'todo', 'name', 'Backlog');
    store.merge(other);
    expect(store.getCell('lanes', 'todo', 'name')).toBe('Backlog');
  });

  test('initial content is ignored when something is stored', async () => {
    const saved = createStore('s1');
    saved.setCell('tasks', 't1', 'title', 'saved');
    await track(createIndexedDbPersister(saved, 'board')).save();

    const store = createStore('s2');
    await track(createIndexedDbPersister(store, 'board')).load([{lanes: {todo: {name: 'x'}}}, {}]);
    expect(store.getTables()).toEqual({tasks: {t1: {title: 'saved'}}});
  });

  test('auto-save writes every change; a reload while offline starts from all local edits', async () => {
    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    await persister.startAutoPersisting();
    expect(persister.isAutoLoading()).toBe(true);
    expect(persister.isAutoSaving()).toBe(true);

    store.setCell('tasks', 't1', 'title', 'edited offline');
    store.transaction(() => {
      store.setCell('tasks', 't2', 'title', 'second');
      store.delCell('tasks', 't1', 'title');
      store.setCell('tasks', 't1', 'title', 'edited twice');
    });
    // The page goes away: whatever was queued is still written.
    await persister.destroy();

    const afterReload = createStore('s1');
    await track(createIndexedDbPersister(afterReload, 'board')).load();
    expect(afterReload.getMergeableContent()).toEqual(store.getMergeableContent());

    // Back online, the reloaded store merges with a peer and the local edits survive.
    const peer = createStore('s2');
    peer.setCell('tasks', 't3', 'title', 'from the peer');
    afterReload.merge(peer);
    expect(afterReload.getTables()).toEqual({
      tasks: {t1: {title: 'edited twice'}, t2: {title: 'second'}, t3: {title: 'from the peer'}},
    });
    expect(peer.getTables()).toEqual(afterReload.getTables());
  });

  test('stopAutoSave stops writing', async () => {
    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    await persister.startAutoSave();
    store.setCell('tasks', 't1', 'title', 'saved');
    await persister.stopAutoSave();
    expect(persister.isAutoSaving()).toBe(false);
    store.setCell('tasks', 't1', 'title', 'not saved');
    await persister.schedule();

    const reloaded = createStore('s2');
    await track(createIndexedDbPersister(reloaded, 'board')).load();
    expect(reloaded.getCell('tasks', 't1', 'title')).toBe('saved');
  });

  test('auto-load picks up what another tab saves', async () => {
    const storeA = createStore('sa');
    const storeB = createStore('sb');
    const persisterA = track(createIndexedDbPersister(storeA, 'board', 0.02));
    const persisterB = track(createIndexedDbPersister(storeB, 'board', 0.02));
    await persisterA.startAutoPersisting();
    await persisterB.startAutoPersisting();

    storeB.setCell('tasks', 't1', 'title', 'from tab B');
    await vi.waitFor(() => expect(storeA.getCell('tasks', 't1', 'title')).toBe('from tab B'));
    storeA.setCell('tasks', 't1', 'done', true);
    await vi.waitFor(() => expect(storeB.getCell('tasks', 't1', 'done')).toBe(true));
  });

  test('two tabs saving the same database keep each other’s edits', async () => {
    const storeA = createStore('sa');
    const storeB = createStore('sb');
    // No auto-load: each tab only saves, so only the merge inside a save can keep the other's edits.
    const persisterA = track(createIndexedDbPersister(storeA, 'board'));
    const persisterB = track(createIndexedDbPersister(storeB, 'board'));
    await persisterA.startAutoSave();
    await persisterB.startAutoSave();

    storeA.setCell('tasks', 'a', 'title', 'from A');
    storeB.setCell('tasks', 'b', 'title', 'from B');
    await Promise.all([persisterA.schedule(), persisterB.schedule()]);
    storeA.setCell('tasks', 'a', 'done', true);
    await persisterA.schedule();

    const reloaded = createStore('sc');
    await track(createIndexedDbPersister(reloaded, 'board')).load();
    expect(reloaded.getTables()).toEqual({
      tasks: {a: {title: 'from A', done: true}, b: {title: 'from B'}},
    });
  });

  test('changes loaded from the database are not saved back', async () => {
    const saved = createStore('s1');
    saved.setCell('tasks', 't1', 'title', 'saved');
    await track(createIndexedDbPersister(saved, 'board')).save();

    const store = createStore('s2');
    const persister = track(createIndexedDbPersister(store, 'board'));
    // The first save finds content it has never seen in the database and merges it in first.
    await persister.startAutoSave();
    await persister.schedule();
    expect(store.getTables()).toEqual({tasks: {t1: {title: 'saved'}}});
    expect(persister.getStats()).toEqual({loads: 1, saves: 1});
    await persister.load();
    await persister.schedule();
    expect(persister.getStats()).toEqual({loads: 2, saves: 1});

    store.setCell('tasks', 't1', 'title', 'local edit');
    await persister.schedule();
    expect(persister.getStats()).toEqual({loads: 2, saves: 2});
  });

  test('reports its status while loading and saving', async () => {
    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    const statuses: Status[] = [];
    const listenerId = persister.addStatusListener((from, status) => {
      expect(from).toBe(persister);
      statuses.push(status);
    });
    expect(persister.getStatus()).toBe(Status.Idle);

    store.setCell('tasks', 't1', 'title', 'x');
    await persister.save();
    await persister.load();
    expect(statuses).toEqual([Status.Saving, Status.Idle, Status.Loading, Status.Idle]);

    persister.delListener(listenerId);
    await persister.save();
    expect(statuses).toHaveLength(4);
  });

  test('schedule runs actions one after another, after queued work', async () => {
    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    const order: string[] = [];
    const saving = persister.save();
    await persister.schedule(
      async () => order.push(`first, after ${persister.getStats().saves} save`),
      async () => order.push('second'),
    );
    await saving;
    expect(order).toEqual(['first, after 1 save', 'second']);
  });

  test('content that is not valid is reported, not loaded, and the promise still resolves', async () => {
    const database = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('board', 3);
      request.onupgradeneeded = () => {
        for (const name of ['t', 'v', 'm']) request.result.createObjectStore(name, {keyPath: 'k'});
      };
      request.onsuccess = () => resolve(request.result);
    });
    await new Promise((resolve) => {
      const transaction = database.transaction('m', 'readwrite');
      transaction
        .objectStore('m')
        .put({k: 't', v: [{tasks: [{t1: 'not a row stamp'}, '', 1]}, '', 2]});
      transaction.oncomplete = resolve;
    });
    database.close();

    const errors: Error[] = [];
    const store = createStore('s1');
    store.setCell('tasks', 't0', 'title', 'kept');
    await track(createIndexedDbPersister(store, 'board', 1, (error) => errors.push(error))).load();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
    expect(store.getTables()).toEqual({tasks: {t0: {title: 'kept'}}});
  });

  test('without IndexedDB, errors are reported and nothing rejects', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: simulating an environment without IndexedDB
    delete globalThis.indexedDB;
    try {
      const errors: Error[] = [];
      const store = createStore('s1');
      const persister = createIndexedDbPersister(store, 'board', 1, (error) => errors.push(error));
      await expect(persister.startAutoPersisting()).resolves.toBe(persister);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]?.message).toMatch(/IndexedDB/);
      expect(persister.getStatus()).toBe(Status.Idle);
      // The failed set-up left nothing running: a change writes nothing and reports nothing.
      expect(persister.isAutoLoading()).toBe(false);
      expect(persister.isAutoSaving()).toBe(false);
      const reported = errors.length;
      store.setCell('tasks', 't1', 'title', 'x');
      await expect(persister.destroy()).resolves.toBe(persister);
      expect(errors).toHaveLength(reported);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  test('an IndexedDB that will not open leaves no poll timer and no listener behind', async () => {
    const intervals = new Set<unknown>();
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    const saved = globalThis.indexedDB;
    globalThis.indexedDB = {
      open: () => {
        throw new Error('IndexedDB open denied');
      },
    } as unknown as IDBFactory;
    try {
      const errors: Error[] = [];
      const store = createStore('s1');
      const persister = createIndexedDbPersister(store, 'board', 1, (error) => errors.push(error));
      await persister.startAutoPersisting();
      for (const result of setIntervalSpy.mock.results) intervals.add(result.value);
      const cleared = new Set(clearIntervalSpy.mock.calls.map(([id]) => id));
      expect(intervals.size).toBeGreaterThan(0);
      expect([...intervals].filter((id) => !cleared.has(id as never))).toEqual([]);
      expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([false, false]);
      expect(errors.map(({message}) => message)).toEqual(['IndexedDB open denied']);
      store.setCell('tasks', 't1', 'title', 'x');
      await persister.save(); // a later explicit save still tries, and reports again
      expect(errors.map(({message}) => message)).toEqual([
        'IndexedDB open denied',
        'IndexedDB open denied',
      ]);
      await expect(persister.destroy()).resolves.toBe(persister);
    } finally {
      globalThis.indexedDB = saved;
      setIntervalSpy.mockRestore();
      clearIntervalSpy.mockRestore();
    }
  });

  test('destroy closes the database so that it can be deleted', async () => {
    const store = createStore('s1');
    const persister = createIndexedDbPersister(store, 'board');
    await persister.startAutoPersisting();
    await persister.destroy();
    expect(persister.isAutoLoading()).toBe(false);
    expect(persister.isAutoSaving()).toBe(false);
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase('board');
      request.onsuccess = resolve;
      request.onerror = reject;
      request.onblocked = () => reject(new Error('blocked by an open connection'));
    });
  });

  test('a database that another tab deletes does not block it; the next save recreates it', async () => {
    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    await persister.save();
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase('board');
      request.onsuccess = resolve;
      request.onblocked = () => reject(new Error('blocked by an open connection'));
    });
    store.setCell('tasks', 't1', 'title', 'after delete');
    await persister.save();

    const reloaded = createStore('s2');
    await track(createIndexedDbPersister(reloaded, 'board')).load();
    expect(reloaded.getTables()).toEqual({tasks: {t1: {title: 'after delete'}}});
  });
});

describe('the same database as TinyBase', () => {
  test('TinyBase reads what syncstore saved', async () => {
    const store = createStore('s1', clockAt(1_700_000_000_000));
    fillStore(store);
    await track(createIndexedDbPersister(store, 'board')).save();

    const tinyBaseStore = createTinyBaseMergeableStore('s2');
    await track(createTinyBaseIndexedDbPersister(tinyBaseStore, 'board')).load();
    expect(tinyBaseStore.getMergeableContent()).toEqual(store.getMergeableContent());
  });

  test('syncstore reads what TinyBase saved', async () => {
    const tinyBaseStore = createTinyBaseMergeableStore('s1', clockAt(1_700_000_000_000));
    fillStore(tinyBaseStore as unknown as MergeableStore);
    await track(createTinyBaseIndexedDbPersister(tinyBaseStore, 'board')).save();

    const store = createStore('s2');
    await track(createIndexedDbPersister(store, 'board')).load();
    expect(store.getMergeableContent()).toEqual(tinyBaseStore.getMergeableContent());
  });
});

describe('between tabs: notices instead of polling, and what “saved” means', () => {
  /** Every notice posted for the database `dbName`, as another tab would receive them. */
  const noticesOf = (dbName: string) => {
    const received: unknown[] = [];
    const channel = new BroadcastChannel(`syncstore:indexeddb:${dbName}`);
    channel.onmessage = (event) => received.push(event.data);
    persisters.push({destroy: async () => channel.close()});
    return received;
  };

  test('a committed save tells the other tabs, which load only then: no timer polls', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    try {
      const storeA = createStore('sa');
      const storeB = createStore('sb');
      const persisterA = track(createIndexedDbPersister(storeA, 'board'));
      const persisterB = track(createIndexedDbPersister(storeB, 'board'));
      await persisterA.startAutoPersisting();
      await persisterB.startAutoPersisting();
      const loadsBefore = persisterA.getStats().loads;

      storeB.setCell('tasks', 't1', 'title', 'from tab B');
      await vi.waitFor(() => expect(storeA.getCell('tasks', 't1', 'title')).toBe('from tab B'));
      storeA.setCell('tasks', 't1', 'done', true);
      await vi.waitFor(() => expect(storeB.getCell('tasks', 't1', 'done')).toBe(true));
      expect(persisterA.getStats().loads).toBe(loadsBefore + 1);
      expect(setIntervalSpy).not.toHaveBeenCalled();
    } finally {
      setIntervalSpy.mockRestore();
    }
  });

  test('the notice comes after the commit, on the database’s own channel', async () => {
    const notices = noticesOf('board');
    const otherNotices = noticesOf('other');
    const seenInDatabase: unknown[] = [];
    const reader = createStore('reader');
    const readerPersister = track(createIndexedDbPersister(reader, 'board'));
    const channel = new BroadcastChannel('syncstore:indexeddb:board');
    persisters.push({destroy: async () => channel.close()});
    // What a tab reading on the notice finds there.
    channel.onmessage = () =>
      void readerPersister.load().then(() => seenInDatabase.push(reader.getTables()));

    const store = createStore('s1');
    const persister = track(createIndexedDbPersister(store, 'board'));
    store.setCell('tasks', 't1', 'title', 'first');
    await persister.save();
    await vi.waitFor(() => expect(seenInDatabase).toHaveLength(1));
    expect(seenInDatabase[0]).toEqual({tasks: {t1: {title: 'first'}}});
    expect(notices).toEqual(['written']);
    // A database of another name heard nothing (its save posts behind, on its own channel).
    await track(createIndexedDbPersister(createStore('s2'), 'other')).save();
    await vi.waitFor(() => expect(otherNotices).toEqual(['written']));
    expect(notices).toEqual(['written']);
  });

  test('a save resolves only after its transaction’s complete event', async () => {
    const order: string[] = [];
    const transaction = IDBDatabase.prototype.transaction;
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (
      this: IDBDatabase,
      ...args
    ) {
      const started = transaction.apply(this, args);
      if (args[1] === 'readwrite') {
        started.addEventListener('complete', () => order.push('complete'));
      }
      return started;
    });
    try {
      const store = createStore('s1');
      const persister = track(createIndexedDbPersister(store, 'board'));
      store.setCell('tasks', 't1', 'title', 'x');
      await persister.save();
      order.push('save resolved');
      expect(order).toEqual(['complete', 'save resolved']);
      expect(persister.getStats().saves).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('a tab closed during a write loses nothing already saved, and that write is not reported saved', async () => {
    const notices = noticesOf('board');
    const errors: Error[] = [];
    const store = createStore('s1');
    const persister = track(
      createIndexedDbPersister(store, 'board', undefined, (error) => errors.push(error)),
    );
    store.setCell('tasks', 't1', 'title', 'saved').setValue('board', 'Main');
    await persister.save();
    const saved = store.getMergeableContent();

    // The tab goes away after the tables half is written: the browser aborts the transaction.
    const put = IDBObjectStore.prototype.put;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(function (
      this: IDBObjectStore,
      ...args
    ) {
      const request = put.apply(this, args);
      this.transaction.abort();
      return request;
    });
    store.setCell('tasks', 't1', 'title', 'lost').setValue('board', 'Lost');
    await persister.save();
    spy.mockRestore();
    expect(errors).toHaveLength(1);
    expect(persister.getStats().saves).toBe(1);

    // Neither half of the aborted write is there; everything saved before is.
    const reloaded = createStore('s2');
    await track(createIndexedDbPersister(reloaded, 'board')).load();
    expect(reloaded.getMergeableContent()).toEqual(saved);

    // The aborted write posted no notice: the next save's is the second, not the third.
    await persister.save();
    await vi.waitFor(() => expect(notices).toHaveLength(2));
    const afterRetry = createStore('s3');
    await track(createIndexedDbPersister(afterRetry, 'board')).load();
    expect(afterRetry.getTables()).toEqual({tasks: {t1: {title: 'lost'}}});
    expect(notices).toHaveLength(2);
  });

  test('an interval, when given, also polls: a TinyBase tab, which posts no notice, is seen', async () => {
    const store = createStore('s1');
    await track(createIndexedDbPersister(store, 'board', 0.02)).startAutoLoad();
    const tinyBaseStore = createTinyBaseMergeableStore('tb');
    tinyBaseStore.setCell('tasks', 't1', 'title', 'from TinyBase');
    await track(createTinyBaseIndexedDbPersister(tinyBaseStore, 'board')).save();
    await vi.waitFor(() => expect(store.getCell('tasks', 't1', 'title')).toBe('from TinyBase'));
  });
});
