// Hooks that create a store or a synchronizer inside a component, as TinyBase's do.
import {type DependencyList, useMemo} from 'react';
import type {MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';
import {useOwnedSynchronizer} from './owned-synchronizer.js';

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
 * Creates a synchronizer for a store after mount (the factory may be async) and destroys it on
 * unmount or when the store or `createDeps` change; `destroy` runs after that. Returns undefined
 * until it exists. It does not start syncing: call `startSync()` in the factory.
 */
export function useCreateSynchronizer<SynchronizerOrUndefined extends Synchronizer | undefined>(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => SynchronizerOrUndefined | Promise<SynchronizerOrUndefined>,
  createDeps: DependencyList = NO_DEPS,
  destroy?: (synchronizer: Synchronizer) => void,
  _destroyDeps: DependencyList = NO_DEPS,
): SynchronizerOrUndefined | undefined {
  // The latest `destroy` is always used, so its deps (kept for TinyBase parity) change nothing.
  return useOwnedSynchronizer(store, create, createDeps, {
    retire: (synchronizer) => {
      synchronizer.destroy();
      destroy?.(synchronizer);
    },
  }) as SynchronizerOrUndefined | undefined;
}
