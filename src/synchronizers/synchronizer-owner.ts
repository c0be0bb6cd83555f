// The lifecycle of a synchronizer that something else owns on the app's behalf: create it (the
// factory may be async), start syncing, watch the first sync, stop, replace and destroy it. It
// knows nothing of any UI framework: a binding (SynchronizerProvider in react/) only subscribes to
// its snapshot and retains it while mounted, as TanStack Query's hooks do with its observers.
import type {Content, MergeableStore} from '../store/types.js';
import {
  DEFAULT_FIRST_SYNC_TIMEOUT,
  FIRST_SYNC_PENDING,
  type FirstSyncState,
  watchFirstSync,
} from './first-sync-watch.js';
import type {Synchronizer} from './types.js';

/**
 * Where the owner is: `idle` with no synchronizer (not started yet, or released); `starting` while
 * the factory or `startSync` runs; `started` once syncing; `stopped` after `stop()` (the
 * synchronizer is kept and `start()` resumes it); `failed` when the factory or `startSync` threw;
 * `destroyed` for good.
 */
export type SynchronizerOwnerStatus =
  | 'idle'
  | 'starting'
  | 'started'
  | 'stopped'
  | 'failed'
  | 'destroyed';

/** What the owner holds now. A new object each time anything in it changes, and only then. */
export type SynchronizerOwnerSnapshot = {
  readonly status: SynchronizerOwnerStatus;
  /** The current synchronizer, from the moment the factory returned it until it is retired. */
  readonly synchronizer: Synchronizer | undefined;
  /** Whether the current synchronizer's first sync is over, and why (see watchFirstSync). */
  readonly firstSync: FirstSyncState;
  /** What the factory or `startSync` threw last, until the next start; otherwise undefined. */
  readonly error: unknown;
};

/** Makes the synchronizer for a store; undefined means "none for now" (the owner stays idle). */
export type CreateOwnedSynchronizer = (
  store: MergeableStore,
) => Synchronizer | undefined | Promise<Synchronizer | undefined>;

export type SynchronizerOwnerOptions = {
  /** The store every synchronizer of this owner is made for. */
  store: MergeableStore;
  /** Makes a synchronizer for the store, each time the owner starts without one. */
  create: CreateOwnedSynchronizer;
  /** Content to start with when no peer has any (passed to `startSync`), read at each start. */
  initialContent?: Content | (() => Content);
  /** Milliseconds before the first sync counts as timed out (default 10000; Infinity: never). */
  firstSyncTimeout?: number;
  /** Receives what the factory, `startSync` or a retirement threw (default: console.error). */
  onError?: (error: unknown) => void;
};

export type SynchronizerOwner = {
  /** Calls `listener` after every change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  getSnapshot(): SynchronizerOwnerSnapshot;
  /**
   * Creates the synchronizer if there is none and starts syncing (or resumes a stopped one).
   * Resolves with the snapshot once that attempt is over; a failure is reported to `onError` and
   * shows as status `failed`, it does not reject. Rejects only once the owner is destroyed.
   * Called while an earlier start is in flight (even one stopped since), it joins that start, so
   * there is still one synchronizer; the last of start() and stop() wins.
   */
  start(): Promise<SynchronizerOwnerSnapshot>;
  /** Stops syncing and keeps the synchronizer; during a start, the start ends stopped. */
  stop(): void;
  /**
   * Retires the current synchronizer (stop and destroy) and, if the owner was starting or
   * started, makes and starts a new one. A start still in flight is abandoned: what its factory
   * returns later is destroyed, never handed out.
   */
  replace(): Promise<SynchronizerOwnerSnapshot>;
  /** Retires the current synchronizer and makes the owner unusable; calling it again does nothing. */
  destroy(): void;
  /**
   * Marks one user of the owner (a mounted component, say) and returns its release. The first
   * retain starts the owner on a microtask; the last release retires the synchronizer at once and
   * goes back to idle. So a release and retain in the same task, as React StrictMode's mount,
   * unmount and mount again, make one synchronizer and never destroy a live one.
   */
  retain(): () => void;
};

type Mutable<T> = {-readonly [Key in keyof T]: T[Key]};

/** Every owner's snapshot before it first starts: also what a server render reads. */
export const IDLE_OWNER_SNAPSHOT: SynchronizerOwnerSnapshot = Object.freeze({
  status: 'idle',
  synchronizer: undefined,
  firstSync: FIRST_SYNC_PENDING,
  error: undefined,
});

const isUnderway = (status: SynchronizerOwnerStatus) =>
  status === 'starting' || status === 'started';

/**
 * An owner of the synchronizers made for one store: see SynchronizerOwner. Nothing is created
 * until `start()` or `retain()`.
 *
 * @example
 * const owner = createSynchronizerOwner({
 *   store,
 *   create: (store) => createWsSynchronizer(store, 'wss://example.com/todos'),
 * });
 * owner.subscribe(() => console.log(owner.getSnapshot().status));
 * await owner.start();
 */
export function createSynchronizerOwner(options: SynchronizerOwnerOptions): SynchronizerOwner {
  const {store, create, firstSyncTimeout = DEFAULT_FIRST_SYNC_TIMEOUT} = options;
  if (typeof create !== 'function') {
    throw new TypeError('createSynchronizerOwner: `create` must be a function');
  }
  const report = (error: unknown) => (options.onError ?? console.error)(error);

  let snapshot = IDLE_OWNER_SNAPSHOT;
  const listeners = new Set<() => void>();
  // Bumped whenever the current synchronizer is retired: a start that sees another generation
  // after an await has been abandoned.
  let generation = 0;
  let running: Promise<SynchronizerOwnerSnapshot> | undefined;
  let stopFirstSyncWatch: (() => void) | undefined;
  let retainers = 0;
  let startScheduled = false;
  // Counts stop() calls, so a start in flight can tell that a stop (and a start) came meanwhile.
  let stops = 0;

  function update(changes: Partial<Mutable<SynchronizerOwnerSnapshot>>): void {
    const keys = Object.keys(changes) as (keyof SynchronizerOwnerSnapshot)[];
    if (keys.every((key) => snapshot[key] === changes[key])) {
      return;
    }
    snapshot = Object.freeze({...snapshot, ...changes});
    for (const listener of [...listeners]) {
      listener();
    }
  }

  function assertUsable(method: string): void {
    if (snapshot.status === 'destroyed') {
      throw new Error(`SynchronizerOwner.${method}: the owner has been destroyed`);
    }
  }

  function adopt(synchronizer: Synchronizer): void {
    const watch = watchFirstSync(synchronizer, firstSyncTimeout);
    const unsubscribe = watch.subscribe(() => update({firstSync: watch.getState()}));
    stopFirstSyncWatch = unsubscribe;
    update({synchronizer, firstSync: watch.getState()});
  }

  function retireSynchronizer(synchronizer: Synchronizer): void {
    try {
      synchronizer.stopSync();
      synchronizer.destroy();
    } catch (error) {
      report(error);
    }
  }

  /** Abandons any start in flight and destroys the current synchronizer. */
  function retire(nextStatus: 'idle' | 'destroyed' = 'idle'): void {
    generation += 1;
    running = undefined;
    stopFirstSyncWatch?.();
    stopFirstSyncWatch = undefined;
    const {synchronizer} = snapshot;
    update({...IDLE_OWNER_SNAPSHOT, status: nextStatus});
    if (synchronizer !== undefined) {
      retireSynchronizer(synchronizer);
    }
  }

  const statusNow = (): SynchronizerOwnerStatus => snapshot.status;

  async function run(ownGeneration: number): Promise<SynchronizerOwnerSnapshot> {
    const current = () => ownGeneration === generation;
    try {
      let synchronizer = snapshot.synchronizer;
      if (synchronizer === undefined) {
        const created = await create(store);
        if (!current()) {
          if (created !== undefined) {
            retireSynchronizer(created);
          }
          return snapshot;
        }
        if (created === undefined) {
          update({status: 'idle'});
          return snapshot;
        }
        synchronizer = created;
        adopt(synchronizer);
        // stop() while the factory ran: keep what it made, but do not start it.
        if (snapshot.status === 'stopped') {
          return snapshot;
        }
      }
      // The last of start() and stop() wins, also when they come while startSync runs: a stop then
      // a start meanwhile (the stop may have ended what this startSync began) starts once more.
      while (current() && snapshot.status === 'starting') {
        const stopsBefore = stops;
        await synchronizer.startSync(options.initialContent);
        if (!current()) {
          break;
        }
        // Read afresh: stop() and start() may have changed it during the await.
        if (statusNow() === 'stopped') {
          // Whatever that start turned on late, stop wins.
          synchronizer.stopSync();
        } else if (stops === stopsBefore) {
          update({status: 'started'});
        }
      }
    } catch (error) {
      // Once abandoned or stopped, a failing start (its requests rejected by stop or destroy) is
      // expected and not reported.
      if (current() && snapshot.status === 'starting') {
        update({status: 'failed', error});
        report(error);
      }
    } finally {
      if (current()) {
        running = undefined;
      }
    }
    return snapshot;
  }

  function start(): Promise<SynchronizerOwnerSnapshot> {
    if (snapshot.status === 'destroyed') {
      return Promise.reject(new Error('SynchronizerOwner.start: the owner has been destroyed'));
    }
    if (snapshot.status === 'started') {
      return Promise.resolve(snapshot);
    }
    update({status: 'starting', error: undefined});
    // An attempt still in flight (perhaps stopped meanwhile) sees 'starting' again and goes on.
    running ??= run(generation);
    return running;
  }

  function stop(): void {
    if (snapshot.status === 'idle' || snapshot.status === 'destroyed') {
      return;
    }
    stops += 1;
    update({status: 'stopped'});
    if (snapshot.synchronizer !== undefined) {
      try {
        snapshot.synchronizer.stopSync();
      } catch (error) {
        report(error);
      }
    }
  }

  function replace(): Promise<SynchronizerOwnerSnapshot> {
    if (snapshot.status === 'destroyed') {
      return Promise.reject(new Error('SynchronizerOwner.replace: the owner has been destroyed'));
    }
    const wasUnderway = isUnderway(snapshot.status);
    retire();
    return wasUnderway ? start() : Promise.resolve(snapshot);
  }

  function destroy(): void {
    if (snapshot.status === 'destroyed') {
      return;
    }
    startScheduled = false;
    retire('destroyed');
    listeners.clear();
  }

  function retain(): () => void {
    assertUsable('retain');
    retainers += 1;
    if (retainers === 1 && !startScheduled) {
      startScheduled = true;
      queueMicrotask(() => {
        if (startScheduled && retainers > 0 && snapshot.status === 'idle') {
          void start();
        }
        startScheduled = false;
      });
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      retainers -= 1;
      if (retainers === 0 && snapshot.status !== 'destroyed') {
        startScheduled = false;
        retire();
      }
    };
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    start,
    stop,
    replace,
    destroy,
    retain,
  };
}
