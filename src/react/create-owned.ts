// The one way a hook creates an object over a store that it owns (checkpoints, indexes, metrics,
// relationships): made in a layout effect and destroyed on unmount or when the store or the
// caller's deps change, so that StrictMode's mount, unmount and remount leave exactly one live
// object, and made synchronously, so that no change after the first commit is missed.
import {type DependencyList, useLayoutEffect, useState} from 'react';
import type {MergeableStore} from '../store/types.js';

const NO_DEPS: DependencyList = [];

/** The object `create` makes for the store; undefined in the very first render. */
export function useCreateOwned<Owned extends {destroy(): void}>(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => Owned,
  createDeps: DependencyList = NO_DEPS,
): Owned | undefined {
  const [owned, setOwned] = useState<Owned>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: createDeps are the caller's
  useLayoutEffect(() => {
    const created = store === undefined ? undefined : create(store);
    setOwned(created);
    return () => created?.destroy();
  }, [store, ...createDeps]);
  return owned;
}
