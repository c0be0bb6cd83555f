// Watches a synchronizer's sync status until its first sync is over: the framework-agnostic core
// of useFirstSync, useIsFirstSyncDone and <FirstSync> (no React here), so that every component
// asking about the same synchronizer shares one watch, one timeout and one promise to suspend on.
import type {Synchronizer, SyncStatus} from './types.js';

/**
 * Why the first sync is over: `synced` with a peer; `no-peer` when the first attempt ended
 * without one (alone in the room, or a peer whose content stays different); `offline` when the
 * transport went (or was) offline; `error` when the status carries an error (a failed pull, a
 * rejected message, a clock running ahead); `timeout` when none of these came in time.
 */
export type FirstSyncReason = 'synced' | 'no-peer' | 'offline' | 'error' | 'timeout';

/** Whether the first sync is over, and if so why. */
export type FirstSyncState = {done: false; reason: null} | {done: true; reason: FirstSyncReason};

/** How long to wait for the first sync, in milliseconds, unless told otherwise. */
export const DEFAULT_FIRST_SYNC_TIMEOUT = 10_000;

export const FIRST_SYNC_PENDING: FirstSyncState = Object.freeze({done: false, reason: null});

export type FirstSyncWatch = {
  getState(): FirstSyncState;
  /** Calls `onChange` once the state changes (it changes once, to done); returns an unsubscribe. */
  subscribe(onChange: () => void): () => void;
  /** Resolves with the done state: what a suspending component throws. */
  readonly promise: Promise<FirstSyncState>;
};

/**
 * The reason the first sync is over, given the status now and whether a sync has been seen to
 * start (an idle phase before that is only "not started yet").
 */
function reasonFrom(status: SyncStatus, sawSyncing: boolean): FirstSyncReason | null {
  if (status.phase === 'synced' || status.lastSyncedAt !== null) {
    return 'synced';
  }
  if (status.error !== null) {
    return 'error';
  }
  if (status.connection === 'offline') {
    return 'offline';
  }
  if (sawSyncing && status.phase === 'idle' && status.connection === 'online') {
    return 'no-peer';
  }
  return null;
}

function createWatch(synchronizer: Synchronizer, timeout: number): FirstSyncWatch {
  let state: FirstSyncState = FIRST_SYNC_PENDING;
  const subscribers = new Set<() => void>();
  let resolvePromise!: (state: FirstSyncState) => void;
  const promise = new Promise<FirstSyncState>((resolve) => {
    resolvePromise = resolve;
  });
  let sawSyncing = false;
  let listenerId: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const finish = (reason: FirstSyncReason) => {
    if (state.done) {
      return;
    }
    state = Object.freeze({done: true, reason});
    // Done for good: nothing is left listening or pending on the synchronizer's behalf.
    if (listenerId !== undefined) {
      synchronizer.delListener(listenerId);
    }
    clearTimeout(timer);
    resolvePromise(state);
    for (const onChange of [...subscribers]) {
      onChange();
    }
  };

  const check = (status: SyncStatus) => {
    sawSyncing ||= status.phase === 'syncing';
    const reason = reasonFrom(status, sawSyncing);
    if (reason !== null) {
      finish(reason);
    }
  };

  // Asked only after an attempt ended idle (say a lone peer's startSync), the phase alone cannot
  // tell "over" from "not started"; a load already done can.
  sawSyncing = (synchronizer.getStats?.().loads ?? 0) > 0;
  check(synchronizer.getSyncStatus());
  if (!state.done) {
    listenerId = synchronizer.addSyncStatusListener(check);
    if (Number.isFinite(timeout)) {
      timer = setTimeout(() => finish('timeout'), Math.max(0, timeout));
    }
  }
  return {
    getState: () => state,
    subscribe: (onChange) => {
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
    promise,
  };
}

/** One watch per synchronizer and timeout, for as long as the synchronizer lives. */
const watches = new WeakMap<Synchronizer, Map<number, FirstSyncWatch>>();

/**
 * The shared watch of `synchronizer`'s first sync with this timeout (ms; Infinity for none). The
 * timeout counts from the first time anything asks for this synchronizer and timeout.
 */
export function watchFirstSync(
  synchronizer: Synchronizer,
  timeout: number = DEFAULT_FIRST_SYNC_TIMEOUT,
): FirstSyncWatch {
  let byTimeout = watches.get(synchronizer);
  if (byTimeout === undefined) {
    byTimeout = new Map();
    watches.set(synchronizer, byTimeout);
  }
  let watch = byTimeout.get(timeout);
  if (watch === undefined) {
    watch = createWatch(synchronizer, timeout);
    byTimeout.set(timeout, watch);
  }
  return watch;
}
