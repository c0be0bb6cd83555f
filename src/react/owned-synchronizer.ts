// The lifecycle of a synchronizer that React owns: created after mount (the factory may be
// async), handed out once ready, destroyed on unmount or when its store or deps change. Shared by
// SynchronizerProvider and useCreateSynchronizer.
import {type DependencyList, useEffect, useMemo, useRef, useState} from 'react';
import type {MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';

export type CreateSynchronizer = (
  store: MergeableStore,
) => Synchronizer | undefined | Promise<Synchronizer | undefined>;

export type OwnedSynchronizerCallbacks = {
  /** Runs once the synchronizer exists, for example to start syncing. */
  onCreated?: (synchronizer: Synchronizer) => unknown;
  /** Runs to retire a synchronizer; by default it is destroyed. */
  retire?: (synchronizer: Synchronizer) => void;
  /** Receives what the factory or onCreated threw. */
  onError?: (error: unknown) => void;
};

type Created = {generation: object; synchronizer: Synchronizer};

function retireByDestroying(synchronizer: Synchronizer): void {
  synchronizer.destroy();
}

export function useOwnedSynchronizer(
  store: MergeableStore | undefined,
  create: CreateSynchronizer | undefined,
  deps: DependencyList,
  callbacks: OwnedSynchronizerCallbacks = {},
): Synchronizer | undefined {
  // A new generation whenever the store or deps change: the previous synchronizer is no longer
  // returned from that render on, even before the effect has retired it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's, by design
  const generation = useMemo(() => ({}), [store, create === undefined, ...deps]);
  const [created, setCreated] = useState<Created>();

  // The factory and callbacks are read when they are needed, so passing new inline functions on
  // every render does not replace a working synchronizer.
  const latest = useRef({create, callbacks});
  latest.current = {create, callbacks};

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation stands for store and deps
  useEffect(() => {
    if (store === undefined || latest.current.create === undefined) {
      return;
    }
    let active = true;
    let synchronizer: Synchronizer | undefined;
    const report = (error: unknown) => (latest.current.callbacks.onError ?? console.error)(error);
    const retire = (retired: Synchronizer) => {
      try {
        (latest.current.callbacks.retire ?? retireByDestroying)(retired);
      } catch (error) {
        report(error);
      }
    };
    // Creation waits for a microtask: StrictMode's mount, unmount and remount all happen before
    // it runs, so only one synchronizer (and one socket) is ever created for the mount.
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
        synchronizer = next;
        setCreated({generation, synchronizer: next});
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
      if (synchronizer !== undefined) {
        retire(synchronizer);
      }
    };
  }, [generation]);

  return created?.generation === generation ? created.synchronizer : undefined;
}
