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
 * writes, in one IndexedDB transaction; a save is done (and counted) once that transaction has
 * committed. After each, it posts a notice on the BroadcastChannel
 * `syncstore:indexeddb:<dbName>`, and auto-loading persisters of the same database (other tabs,
 * or the same page) read it on that notice only, merging only when the stored content changed.
 * Give `autoLoadIntervalSeconds` to also poll that often, to see writers that post no notice
 * (TinyBase's persister in another tab); without BroadcastChannel it polls every second.
 * Storage errors go to `onIgnoredError`; the returned promises never reject because of them.
 *
 * @example
 * const persister = createIndexedDbPersister(store, 'todos');
 * await persister.startAutoPersisting(); // load what was stored, then save every change
 */
export const createIndexedDbPersister = (
  store: MergeableStoreLike,
  dbName: string,
  autoLoadIntervalSeconds?: number,
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
