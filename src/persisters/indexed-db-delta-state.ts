// Where delta resync keeps its state in the browser (docs/protocol.md §8.8): the watermark and the
// writes made while apart, next to an IndexedDB persister's content so that both survive a page
// reload. It is a database of its own (`<dbName>.syncstore-delta`, object store 'state', one
// record), so the persister's database keeps exactly TinyBase's layout and TinyBase can still
// open it.
import {
  type DeltaState,
  type DeltaStateStorage,
  isDeltaState,
} from '../synchronizers/extensions/delta-state.js';

const DATABASE_VERSION = 1;
const OBJECT_STORE = 'state';
const STATE_KEY = 'delta';

const requestResult = <Result>(request: IDBRequest<Result>): Promise<Result> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/**
 * Keeps a delta resync client's state in IndexedDB, beside the IndexedDB persister of database
 * `dbName`: give it as `deltaState` when connecting, so that a reload reconnects in O(changes).
 *
 * @example
 * const persister = createIndexedDbPersister(store, 'todos');
 * await persister.startAutoPersisting();
 * const deltaState = createIndexedDbDeltaState('todos');
 * const synchronizer = await createWsSynchronizer(store, {url, deltaState});
 */
export const createIndexedDbDeltaState = (dbName: string): DeltaStateStorage => {
  let database: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (typeof indexedDB === 'undefined') {
      return Promise.reject(new Error('IndexedDB is not available here'));
    }
    if (database === undefined) {
      const request = indexedDB.open(`${dbName}.syncstore-delta`, DATABASE_VERSION);
      request.onupgradeneeded = () => request.result.createObjectStore(OBJECT_STORE);
      database = requestResult(request);
    }
    return database;
  };
  return {
    load: async (): Promise<DeltaState | undefined> => {
      const store = (await open()).transaction(OBJECT_STORE).objectStore(OBJECT_STORE);
      const state: unknown = await requestResult(store.get(STATE_KEY));
      return isDeltaState(state) ? state : undefined;
    },
    save: async (state) => {
      const transaction = (await open()).transaction(OBJECT_STORE, 'readwrite');
      transaction.objectStore(OBJECT_STORE).put(state, STATE_KEY);
      await new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error ?? new Error('aborted'));
      });
    },
  };
};
