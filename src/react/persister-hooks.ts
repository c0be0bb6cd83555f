// Hooks over a persister: its status (TinyBase's Status: idle, loading, saving) and its changes.
import type {DependencyList} from 'react';
import type {Persister, PersisterStatusListener, Status} from '../persisters/types.js';
import {type PersisterOrPersisterId, usePersisterOrPersisterById} from './context.js';
import {type Reader, useListenable, useListener} from './listenable.js';

const NO_DEPS: DependencyList = [];

const persisterStatusReader: Reader<Persister, [], Status> = {
  read: (persister) => persister.getStatus(),
  listen: (persister, onChange) => persister.addStatusListener(onChange),
  empty: 0,
};

/** The persister's status: 0 idle, 1 loading, 2 saving; 0 without a persister. */
export function usePersisterStatus(persisterOrPersisterId?: PersisterOrPersisterId): Status {
  return useListenable(usePersisterOrPersisterById(persisterOrPersisterId), persisterStatusReader);
}

/**
 * Calls `listener` on every status change of the persister while the component is mounted; it is
 * registered again when `listenerDeps` (the listener's inputs) change.
 */
export function usePersisterStatusListener(
  listener: PersisterStatusListener,
  listenerDeps: DependencyList = NO_DEPS,
  persisterOrPersisterId?: PersisterOrPersisterId,
): void {
  useListener(
    usePersisterOrPersisterById(persisterOrPersisterId),
    (persister) => persister.addStatusListener(listener),
    listenerDeps,
  );
}
