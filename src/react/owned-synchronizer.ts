// What TinyBase's useCreateSynchronizer and useCreatePersister own: created after mount (the
// factory may be async), handed out once ready, destroyed on unmount or when its store or deps
// change. (SynchronizerProvider's synchronizer has a fuller lifecycle: synchronizer-owner.ts.)
import {type DependencyList, useEffect, useMemo, useRef, useState} from 'react';
import type {MergeableStore} from '../store/types.js';

/** What a component can own: something made for a store that must be destroyed after use. */
type Destroyable = {destroy(): unknown};

export type CreateOwned<Owned extends Destroyable> = (
  store: MergeableStore,
) => Owned | undefined | Promise<Owned | undefined>;

export type OwnedCallbacks<Owned extends Destroyable> = {
  /** Runs once the owned thing exists, for example to start syncing. */
  onCreated?: (owned: Owned) => unknown;
  /** Runs to retire the owned thing; by default it is destroyed. */
  retire?: (owned: Owned) => void;
  /** Receives what the factory or onCreated threw. */
  onError?: (error: unknown) => void;
};

type Created<Owned> = {generation: object; owned: Owned};

function retireByDestroying(owned: Destroyable): void {
  owned.destroy();
}

export function useOwned<Owned extends Destroyable>(
  store: MergeableStore | undefined,
  create: CreateOwned<Owned> | undefined,
  deps: DependencyList,
  callbacks: OwnedCallbacks<Owned> = {},
): Owned | undefined {
  // A new generation whenever the store or deps change: the previous owned thing is no longer
  // returned from that render on, even before the effect has retired it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's, by design
  const generation = useMemo(() => ({}), [store, create === undefined, ...deps]);
  const [created, setCreated] = useState<Created<Owned>>();

  // The factory and callbacks are read when they are needed, so passing new inline functions on
  // every render does not replace a working one.
  const latest = useRef({create, callbacks});
  latest.current = {create, callbacks};

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation stands for store and deps
  useEffect(() => {
    if (store === undefined || latest.current.create === undefined) {
      return;
    }
    let active = true;
    let owned: Owned | undefined;
    const report = (error: unknown) => (latest.current.callbacks.onError ?? console.error)(error);
    const retire = (retired: Owned) => {
      try {
        (latest.current.callbacks.retire ?? retireByDestroying)(retired);
      } catch (error) {
        report(error);
      }
    };
    // Creation waits for a microtask: StrictMode's mount, unmount and remount all happen before
    // it runs, so only one (one synchronizer: one socket) is ever created for the mount.
    queueMicrotask(async () => {
      if (!active) {
        return;
      }
      try {
        const next = await latest.current.create?.(store);
        if (next === undefined) {
          return;
        }
        if (!active) {
          retire(next);
          return;
        }
        owned = next;
        setCreated({generation, owned: next});
        await latest.current.callbacks.onCreated?.(next);
      } catch (error) {
        // Once retired, a failing start (its requests rejected by destroy) is expected.
        if (active) {
          report(error);
        }
      }
    });
    return () => {
      active = false;
      if (owned !== undefined) {
        retire(owned);
      }
    };
  }, [generation]);

  return created?.generation === generation ? created.owned : undefined;
}
