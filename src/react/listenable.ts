// The one generic binding between React and anything syncstore can listen to (a store, a
// synchronizer). Every reading hook is a one-line call to useListenable with a Reader; every
// listener hook is a one-line call to useListener.
import {type DependencyList, useLayoutEffect, useMemo, useSyncExternalStore} from 'react';
import type {Id} from '../store/types.js';
import {snapshotsEqual} from './equality.js';

/** Something with listeners that are removed by id: a MergeableStore or a Synchronizer. */
export type Listenable = {delListener(listenerId: Id): unknown};

/**
 * How to read one thing from a source and how to hear that it may have changed. Readers are
 * module constants, so a hook's subscription depends only on its source and its arguments.
 */
export type Reader<Source, Args extends readonly unknown[], Snapshot> = {
  read(source: Source, ...args: Args): Snapshot;
  listen(source: Source, onChange: () => void, ...args: Args): Id;
  /** The snapshot when there is no source (no provider yet, or an unknown id). */
  empty: Snapshot;
};

const unsubscribeNothing = () => {};

/**
 * Whether a hook's source can be read and listened to. Hooks may be handed anything as a store
 * (null, a plain object, a number); as in TinyBase, anything else reads as no source at all.
 */
export function isListenable<Source extends Listenable>(source: unknown): source is Source {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as Partial<Listenable>).delListener === 'function'
  );
}

/**
 * Reads `reader` from `source` through useSyncExternalStore. The snapshot stays the same object
 * while its content is equal, so re-reads after unrelated changes do not render. The same
 * getter serves as the server snapshot, which makes the hooks work in renderToString.
 */
export function useListenable<Source extends Listenable, Args extends readonly unknown[], Snapshot>(
  givenSource: Source | undefined,
  reader: Reader<Source, Args, Snapshot>,
  ...args: Args
): Snapshot {
  const source = isListenable<Source>(givenSource) ? givenSource : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: args are spread, one dependency each
  const {subscribe, getSnapshot} = useMemo(() => {
    let lastSnapshot = reader.empty;
    const getSnapshot = (): Snapshot => {
      const snapshot = source === undefined ? reader.empty : reader.read(source, ...args);
      if (!snapshotsEqual(snapshot, lastSnapshot)) {
        lastSnapshot = snapshot;
      }
      return lastSnapshot;
    };
    const subscribe = (onChange: () => void): (() => void) => {
      if (source === undefined) {
        return unsubscribeNothing;
      }
      const listenerId = reader.listen(source, onChange, ...args);
      return () => {
        source.delListener(listenerId);
      };
    };
    return {subscribe, getSnapshot};
  }, [source, reader, ...args]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/**
 * Registers a listener while the component is mounted, re-registering when the source or `deps`
 * change (the listener function itself is not a dependency, as in TinyBase: pass its inputs in
 * `deps`). Layout effects, so no change is missed between commit and paint; none on the server.
 */
export function useListener<Source extends Listenable>(
  givenSource: Source | undefined,
  addListener: (source: Source) => Id,
  deps: DependencyList,
): void {
  const source = isListenable<Source>(givenSource) ? givenSource : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's, by design
  useLayoutEffect(() => {
    if (source === undefined) {
      return;
    }
    const listenerId = addListener(source);
    return () => {
      source.delListener(listenerId);
    };
  }, [source, ...deps]);
}
