// The React side of a SynchronizerOwner (synchronizers/synchronizer-owner.ts): one owner per
// store, retained while the component is mounted, its snapshot read with useSyncExternalStore.
// The lifecycle itself (create, start, first sync, stop, destroy) lives in the owner.
import {useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import type {Content, MergeableStore} from '../store/types.js';
import {
  type CreateOwnedSynchronizer,
  createSynchronizerOwner,
  IDLE_OWNER_SNAPSHOT,
  type SynchronizerOwner,
  type SynchronizerOwnerSnapshot,
} from '../synchronizers/synchronizer-owner.js';

export type CreateSynchronizer = CreateOwnedSynchronizer;

export type OwnerCallbacks = {
  initialContent?: Content | (() => Content);
  onError?: (error: unknown) => void;
};

const subscribeToNothing = () => () => {};
// Owners start from this same snapshot, so hydrating after a server render re-renders nothing.
const getIdleSnapshot = () => IDLE_OWNER_SNAPSHOT;

/**
 * The snapshot of the owner of `store`'s synchronizer, made with `create`. A new store makes a new
 * owner (the old one is released, so its synchronizer is destroyed). The latest `create`,
 * `initialContent` and `onError` are read when needed, so new inline functions on every render do
 * not replace a working synchronizer. On the server nothing is created: effects never run there.
 */
export function useSynchronizerOwner(
  store: MergeableStore | undefined,
  create: CreateSynchronizer | undefined,
  callbacks: OwnerCallbacks,
): SynchronizerOwnerSnapshot {
  const latest = useRef({create, callbacks});
  latest.current = {create, callbacks};
  const hasCreate = create !== undefined;

  const owner = useMemo((): SynchronizerOwner | undefined => {
    if (store === undefined || !hasCreate) {
      return undefined;
    }
    // An owner holds nothing until retained, so StrictMode's discarded render costs nothing.
    return createSynchronizerOwner({
      store,
      create: (store) => latest.current.create?.(store),
      get initialContent() {
        return latest.current.callbacks.initialContent;
      },
      onError: (error) => (latest.current.callbacks.onError ?? console.error)(error),
    });
  }, [store, hasCreate]);

  useEffect(() => owner?.retain(), [owner]);

  return useSyncExternalStore(
    owner?.subscribe ?? subscribeToNothing,
    owner?.getSnapshot ?? getIdleSnapshot,
    getIdleSnapshot,
  );
}
