// createIndexedDbPersister: keeps a MergeableStore in the browser's IndexedDB, so that a reload
// (offline included) starts from everything the page had, local edits not yet synced among them.
import type {MergeableStoreLike} from '../store/schema-types.js';
import type {MergeableStore} from '../store/types.js';
import {createPersister} from './create-persister.js';
import {createIndexedDbStorage} from './indexed-db-storage.js';
import type {Persister, PersisterIgnoredErrorListener} from './types.js';

export {createIndexedDbDeltaState} from './indexed-db-delta-state.js';
export type * from './types.js';

/** A Persister that keeps a MergeableStore in IndexedDB. */
export interface IndexedDbPersister extends Persister {
  /** The name of the IndexedDB database the store is kept in. */
  getDbName(): string;
}

/**
 * Creates a persister that keeps `store`'s mergeable content (every stamp included) in the
 * IndexedDB database `dbName`, in the layout TinyBase 10 uses for MergeableStores.
 *
 * Loading merges the stored content into the store, so nothing the store already holds is lost.
 * Saving first merges in whatever another tab stored since this persister last looked, then
 * writes, in one IndexedDB transaction. IndexedDB reports no changes, so auto-loading polls
 * every `autoLoadIntervalSeconds` (default 1) and merges only when the stored content changed.
 * Storage errors go to `onIgnoredError`; the returned promises never reject because of them.
 *
 * @example
 * const persister = createIndexedDbPersister(store, 'todos');
 * await persister.startAutoPersisting(); // load what was stored, then save every change
 */
export const createIndexedDbPersister = (
  store: MergeableStoreLike,
  dbName: string,
  autoLoadIntervalSeconds = 1,
  onIgnoredError?: PersisterIgnoredErrorListener,
): IndexedDbPersister =>
  createPersister(
    store as MergeableStore,
    createIndexedDbStorage(dbName, autoLoadIntervalSeconds),
    onIgnoredError,
    {
      getDbName: () => dbName,
    },
  );
