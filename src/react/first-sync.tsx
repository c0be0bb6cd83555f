// Rendering a subtree only once the first sync is over: useFirstSync (which can suspend),
// useIsFirstSyncDone and <FirstSync fallback>. All three subscribe to the shared watch of
// first-sync-watch.ts, so they agree with each other and share one timeout.
import {type ReactNode, useSyncExternalStore} from 'react';
import {
  FIRST_SYNC_PENDING,
  type FirstSyncState,
  type FirstSyncWatch,
  watchFirstSync,
} from '../synchronizers/first-sync-watch.js';
import {type SynchronizerOrSynchronizerId, useSynchronizerOrSynchronizerById} from './context.js';

export type FirstSyncOptions = {
  /** The synchronizer (or its id in a provider); by default the provider's. */
  synchronizer?: SynchronizerOrSynchronizerId;
  /** Milliseconds to wait for the first sync before giving up (default 10000; Infinity: never). */
  timeout?: number;
};

export type UseFirstSyncOptions = FirstSyncOptions & {
  /**
   * Throw a promise while the first sync runs, so the nearest <Suspense> shows its fallback.
   * Before the provider has created its synchronizer there is nothing to wait on, so the hook
   * then returns the pending state without suspending (<FirstSync> covers that case too).
   */
  suspense?: boolean;
};

const PENDING_WATCH: FirstSyncWatch = {
  getState: () => FIRST_SYNC_PENDING,
  subscribe: () => () => {},
  promise: new Promise(() => {}),
};

function useFirstSyncWatch({synchronizer, timeout}: FirstSyncOptions): FirstSyncWatch {
  const found = useSynchronizerOrSynchronizerById(synchronizer);
  // The watch is cached per synchronizer and timeout, so asking again on each render is cheap.
  return found === undefined ? PENDING_WATCH : watchFirstSync(found, timeout);
}

/**
 * Whether the synchronizer's first sync is over, and why: `{done: false, reason: null}` until it
 * synced with a peer, found none, went offline, reported an error or timed out, then for example
 * `{done: true, reason: 'synced'}`. With `suspense: true` it suspends instead of returning the
 * pending state.
 *
 * @example
 * function Board() {
 *   useFirstSync({suspense: true}); // inside <Suspense fallback={<Spinner />}>
 *   return <Cards />;
 * }
 */
export function useFirstSync(options: UseFirstSyncOptions = {}): FirstSyncState {
  const watch = useFirstSyncWatch(options);
  const state = useSyncExternalStore(watch.subscribe, watch.getState, watch.getState);
  if (options.suspense && !state.done && watch !== PENDING_WATCH) {
    throw watch.promise;
  }
  return state;
}

/**
 * Whether the synchronizer's first sync is over (synced, no peer, offline, error or timeout);
 * useFirstSync tells which. False while there is no synchronizer.
 */
export function useIsFirstSyncDone(options: FirstSyncOptions = {}): boolean {
  return useFirstSync(options).done;
}

export type FirstSyncProps = FirstSyncOptions & {
  /** Rendered until the first sync is over (nothing by default). */
  fallback?: ReactNode;
  /** Rendered once the first sync is over, however it ended. */
  children?: ReactNode;
};

/**
 * Renders `fallback` until the synchronizer's first sync is over, then `children`: so a page
 * does not flash its empty local content before the peer's arrives. Needs no <Suspense>; an
 * offline or failed first sync still shows the children (useSyncStatus tells the user why).
 *
 * @example
 * <SynchronizerProvider createStore={createMergeableStore} createSynchronizer={connect}>
 *   <FirstSync fallback={<p>Loading…</p>} timeout={5000}>
 *     <Board />
 *   </FirstSync>
 * </SynchronizerProvider>
 */
export function FirstSync({fallback = null, children, ...options}: FirstSyncProps): ReactNode {
  return useIsFirstSyncDone(options) ? children : fallback;
}
