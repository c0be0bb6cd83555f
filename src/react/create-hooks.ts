// Hooks that create a store, a synchronizer or a persister inside a component, as TinyBase's do.
import {type DependencyList, useCallback, useMemo} from 'react';
import type {Persister} from '../persisters/types.js';
import type {MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';
import {useOwned} from './owned-synchronizer.js';

const NO_DEPS: DependencyList = [];

/** Creates a MergeableStore once, and again whenever `createDeps` change. */
export function useCreateMergeableStore(
  create: () => MergeableStore,
  createDeps: DependencyList = NO_DEPS,
): MergeableStore {
  // biome-ignore lint/correctness/useExhaustiveDependencies: createDeps are the caller's
  return useMemo(create, createDeps);
}

/**
 * TinyBase's useCreateStore. Every syncstore store is a MergeableStore, so this is
 * useCreateMergeableStore under TinyBase's other name.
 */
export function useCreateStore(
  create: () => MergeableStore,
  createDeps: DependencyList = NO_DEPS,
): MergeableStore {
  return useCreateMergeableStore(create, createDeps);
}

/**
 * The destroy callback as of the last change of its deps, as a useCallback would keep it: a new
 * inline function on every render is not picked up unless `destroyDeps` changed.
 */
function useDestroyCallback<Owned>(
  destroy: ((owned: Owned) => void) | undefined,
  destroyDeps: DependencyList,
): ((owned: Owned) => void) | undefined {
  // biome-ignore lint/correctness/useExhaustiveDependencies: destroyDeps are the caller's
  return useCallback((owned: Owned) => destroy?.(owned), destroyDeps);
}

/**
 * Creates a synchronizer for a store after mount (the factory may be async) and destroys it on
 * unmount or when the store or `createDeps` change; `destroy` runs after it has been destroyed,
 * as it was when `destroyDeps` last changed. Returns undefined until it exists. It does not start
 * syncing: call `startSync()` in the factory.
 */
export function useCreateSynchronizer<SynchronizerOrUndefined extends Synchronizer | undefined>(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => SynchronizerOrUndefined | Promise<SynchronizerOrUndefined>,
  createDeps: DependencyList = NO_DEPS,
  destroy?: (synchronizer: Synchronizer) => void,
  destroyDeps: DependencyList = NO_DEPS,
): SynchronizerOrUndefined | undefined {
  const onDestroyed = useDestroyCallback(destroy, destroyDeps);
  return useOwned<Synchronizer>(store, create, createDeps, {
    retire: (synchronizer) => {
      synchronizer.destroy();
      onDestroyed?.(synchronizer);
    },
  }) as SynchronizerOrUndefined | undefined;
}

/**
 * Creates a persister for a store after mount (the factory may be async) and returns it once it
 * exists; `then` runs next with it (to load or start auto-saving, say). A change of the store,
 * `createDeps` or `thenDeps` destroys it and creates a new one, as in TinyBase; so does unmount.
 * `destroy` runs after the persister's destroy has been called, as it was when `destroyDeps` last
 * changed.
 *
 * @example
 * const persister = useCreatePersister(
 *   store,
 *   (store) => createIndexedDbPersister(store, 'todos'),
 *   [],
 *   (persister) => persister.startAutoPersisting(),
 * );
 */
export function useCreatePersister<PersisterOrUndefined extends Persister | undefined>(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => PersisterOrUndefined | Promise<PersisterOrUndefined>,
  createDeps: DependencyList = NO_DEPS,
  then?: (persister: Persister) => Promise<unknown>,
  thenDeps: DependencyList = NO_DEPS,
  destroy?: (persister: Persister) => void,
  destroyDeps: DependencyList = NO_DEPS,
): PersisterOrUndefined | undefined {
  const onDestroyed = useDestroyCallback(destroy, destroyDeps);
  return useOwned<Persister>(store, create, [...createDeps, ...thenDeps], {
    onCreated: then,
    retire: (persister) => {
      // Not awaited, as in TinyBase: `destroy` runs once the persister has been told to stop.
      void persister.destroy();
      onDestroyed?.(persister);
    },
  }) as PersisterOrUndefined | undefined;
}
