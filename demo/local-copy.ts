// The board's copy in this browser's IndexedDB: loaded before syncing starts, saved after every
// change (local or synced), so a reload while the server is down loses nothing.
import {createIndexedDbPersister} from '../src/persisters/persister-indexed-db.js';
import type {MergeableStore} from '../src/store/types.js';

export type LocalCopy = {
  /** The last problem with IndexedDB (unavailable, quota...), or null. */
  getProblem(): Error | null;
  subscribe(onChange: () => void): () => void;
};

export const startLocalCopy = async (store: MergeableStore, dbName: string): Promise<LocalCopy> => {
  let problem: Error | null = null;
  const listeners = new Set<() => void>();
  // No poll interval: other tabs' saves arrive by their BroadcastChannel notices.
  const persister = createIndexedDbPersister(store, dbName, undefined, (error) => {
    problem = error;
    for (const listener of listeners) listener();
  });
  await persister.startAutoPersisting();
  return {
    getProblem: () => problem,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
};
