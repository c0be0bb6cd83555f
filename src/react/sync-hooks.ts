// Hooks over a synchronizer: TinyBase's persister-style status, and syncstore's sync status.
import type {DependencyList} from 'react';
import type {
  Status,
  StatusListener,
  Synchronizer,
  SyncStatus,
  SyncStatusListener,
} from '../synchronizers/types.js';
import {type SynchronizerOrSynchronizerId, useSynchronizerOrSynchronizerById} from './context.js';
import {type Reader, useListenable, useListener} from './listenable.js';

const NO_DEPS: DependencyList = [];

/** useSyncStatus's result while there is no synchronizer (not created yet, or on the server). */
export const NO_SYNC_STATUS: SyncStatus = Object.freeze({
  connection: 'offline',
  phase: 'idle',
  pendingChanges: 0,
  lastSyncedAt: null,
  error: null,
});

const statusReader: Reader<Synchronizer, [], Status> = {
  read: (synchronizer) => synchronizer.getStatus(),
  listen: (synchronizer, onChange) => synchronizer.addStatusListener(onChange),
  empty: 0,
};

const syncStatusReader: Reader<Synchronizer, [], SyncStatus> = {
  read: (synchronizer) => synchronizer.getSyncStatus(),
  listen: (synchronizer, onChange) => synchronizer.addSyncStatusListener(onChange),
  empty: NO_SYNC_STATUS,
};

/** TinyBase's status: 0 idle, 1 loading (pulling), 2 saving (sending). 0 without a synchronizer. */
export function useSynchronizerStatus(
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): Status {
  return useListenable(
    useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId),
    statusReader,
  );
}

/**
 * Calls `listener` on every TinyBase status change of the synchronizer, while the component is
 * mounted; it is registered again when `listenerDeps` (the listener's inputs) change.
 */
export function useSynchronizerStatusListener(
  listener: StatusListener,
  listenerDeps: DependencyList = NO_DEPS,
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): void {
  useListener(
    useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId),
    (synchronizer) => synchronizer.addStatusListener(listener),
    listenerDeps,
  );
}

/**
 * The sync status of the provider's synchronizer (or the one with this id):
 * `{connection, phase, pendingChanges, lastSyncedAt, error}`. Re-renders when any of it changes;
 * NO_SYNC_STATUS while there is no synchronizer.
 *
 * @example
 * function Status() {
 *   const {connection, phase, pendingChanges} = useSyncStatus();
 *   return <span>{connection} {phase} ({pendingChanges} pending)</span>;
 * }
 */
export function useSyncStatus(
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): SyncStatus {
  return useListenable(
    useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId),
    syncStatusReader,
  );
}

/**
 * Calls `listener` on every sync status change of the synchronizer, while the component is
 * mounted; it is registered again when `listenerDeps` (the listener's inputs) change. For side
 * effects that need no re-render, such as a toast on error.
 */
export function useSyncStatusListener(
  listener: SyncStatusListener,
  listenerDeps: DependencyList = NO_DEPS,
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): void {
  useListener(
    useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId),
    (synchronizer) => synchronizer.addSyncStatusListener(listener),
    listenerDeps,
  );
}
