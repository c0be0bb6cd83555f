// createSynchronizerOwner without any UI framework: retain and release (StrictMode's mount,
// unmount, mount), start failures, stop during a start, replace while starting, destroy twice, and
// the first sync ending synced, in error or by timeout. Synchronizers are real local ones (every
// local synchronizer in the process is a peer of the others) or custom ones over a test transport.
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {
  createCustomSynchronizer,
  createSynchronizerOwner,
  IDLE_OWNER_SNAPSHOT,
  type SynchronizerOwner,
  type SynchronizerOwnerOptions,
  type SynchronizerOwnerSnapshot,
} from '../../src/synchronizers/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';

/** A promise and its resolve/reject, to hold a factory or a startSync until the test lets go. */
function createGate<Value = void>() {
  let resolve!: (value: Value) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<Value>((resolvePromise, rejectPromise) => {
    resolve = resolvePromise;
    reject = rejectPromise;
  });
  return {promise, resolve, reject};
}

/** Local synchronizers made through `factory`, and which of them are destroyed. */
function trackLocal() {
  const made: Synchronizer[] = [];
  const destroyed = new Set<Synchronizer>();
  const starts = new Map<Synchronizer, number>();
  const factory = (store: MergeableStore): Synchronizer => {
    const real = createLocalSynchronizer(store);
    const tracked: Synchronizer = {
      ...real,
      startSync: (initialContent) => {
        starts.set(tracked, (starts.get(tracked) ?? 0) + 1);
        return real.startSync(initialContent).then(() => tracked);
      },
      destroy: () => {
        destroyed.add(tracked);
        return real.destroy().then(() => tracked);
      },
    };
    made.push(tracked);
    return tracked;
  };
  return {
    factory,
    made,
    live: () => made.filter((synchronizer) => !destroyed.has(synchronizer)),
    startsOf: (synchronizer: Synchronizer) => starts.get(synchronizer) ?? 0,
  };
}

/**
 * A synchronizer whose startSync does not resolve until `gate` opens: it starts the real one
 * after the gate (`late`, a start that turns syncing on after the owner was told to stop) or
 * before it (`early`, a start a stop can end while its promise is still pending).
 */
function withGatedStart(
  real: Synchronizer,
  gate: Promise<void>,
  when: 'late' | 'early',
): Synchronizer {
  const gated: Synchronizer = {
    ...real,
    startSync: async (initialContent) => {
      if (when === 'early') {
        await real.startSync(initialContent);
      }
      await gate;
      if (when === 'late') {
        await real.startSync(initialContent);
      }
      return gated;
    },
  };
  return gated;
}

const owners: SynchronizerOwner[] = [];
function ownerFor(
  options: Partial<SynchronizerOwnerOptions> & Pick<SynchronizerOwnerOptions, 'create'>,
) {
  const errors: unknown[] = [];
  const owner = createSynchronizerOwner({
    store: createMergeableStore(),
    onError: (error) => errors.push(error),
    ...options,
  });
  // Each status the owner passed through, once per stretch; and how many notifications came.
  const statuses: SynchronizerOwnerSnapshot['status'][] = [];
  const notifications = {count: 0};
  owner.subscribe(() => {
    notifications.count += 1;
    const {status} = owner.getSnapshot();
    if (statuses.at(-1) !== status) {
      statuses.push(status);
    }
  });
  owners.push(owner);
  return {owner, errors, statuses, notifications};
}

/** An owner whose factory waits for `gate` before making a tracked local synchronizer. */
function ownerWithHeldFactory() {
  const tracked = trackLocal();
  const gate = createGate();
  const {owner} = ownerFor({
    create: async (store) => {
      await gate.promise;
      return tracked.factory(store);
    },
  });
  return {owner, tracked, gate};
}

/** An owner whose synchronizer's startSync is held at `gate` (see withGatedStart). */
function ownerWithHeldStart(when: 'late' | 'early') {
  const gate = createGate();
  let made: Synchronizer | undefined;
  const {owner, errors} = ownerFor({
    create: (store) => {
      made = createLocalSynchronizer(store);
      return withGatedStart(made, gate.promise, when);
    },
  });
  const real = (): Synchronizer => {
    if (made === undefined) {
      throw new Error('the factory has not run yet');
    }
    return made;
  };
  return {owner, errors, gate, real};
}

/** Lets queued microtasks and promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  for (const owner of owners.splice(0)) {
    owner.destroy();
  }
  vi.useRealTimers();
});

describe('createSynchronizerOwner', () => {
  test('creates nothing until started, then creates, starts and hands out one synchronizer', async () => {
    const tracked = trackLocal();
    const {owner, statuses} = ownerFor({
      create: tracked.factory,
      initialContent: [{todos: {t1: {text: 'from initial content'}}}, {}],
    });
    expect(owner.getSnapshot()).toMatchObject({status: 'idle', synchronizer: undefined});
    expect(tracked.made).toHaveLength(0);

    const snapshot = await owner.start();
    expect(snapshot).toBe(owner.getSnapshot());
    expect(snapshot.status).toBe('started');
    expect(snapshot.synchronizer).toBe(tracked.made[0]);
    expect(snapshot.synchronizer!.isAutoSaving()).toBe(true);
    expect(snapshot.synchronizer!.getStore().getCell('todos', 't1', 'text')).toBe(
      'from initial content',
    );
    expect(statuses).toEqual(['starting', 'started']);
    // Starting again while started changes nothing.
    expect(await owner.start()).toBe(snapshot);
    expect(tracked.made).toHaveLength(1);
  });

  test('the snapshot object changes exactly when its content does', async () => {
    const {owner} = ownerFor({create: trackLocal().factory});
    const idle = owner.getSnapshot();
    // Every owner starts from the one idle snapshot, which a server render reads too.
    expect(idle).toBe(IDLE_OWNER_SNAPSHOT);
    expect(owner.getSnapshot()).toBe(idle);
    expect(Object.isFrozen(idle)).toBe(true);
    owner.stop(); // nothing to stop while idle
    expect(owner.getSnapshot()).toBe(idle);
    await owner.start();
    expect(owner.getSnapshot()).not.toBe(idle);
  });

  test('retain starts on a microtask; mount, unmount and mount again make one synchronizer', async () => {
    const tracked = trackLocal();
    const {owner} = ownerFor({create: tracked.factory});
    const releaseFirst = owner.retain();
    releaseFirst();
    releaseFirst(); // a release is counted once
    const releaseSecond = owner.retain();
    expect(tracked.made).toHaveLength(0);
    await vi.waitFor(() => expect(owner.getSnapshot().status).toBe('started'));
    expect(tracked.made).toHaveLength(1);
    expect(tracked.live()).toHaveLength(1);

    releaseSecond();
    expect(tracked.live()).toHaveLength(0);
    expect(owner.getSnapshot()).toMatchObject({status: 'idle', synchronizer: undefined});
  });

  test('two retainers share one synchronizer; it goes only with the last release', async () => {
    const tracked = trackLocal();
    const {owner} = ownerFor({create: tracked.factory});
    const releaseA = owner.retain();
    const releaseB = owner.retain();
    await vi.waitFor(() => expect(owner.getSnapshot().status).toBe('started'));
    releaseA();
    expect(tracked.live()).toHaveLength(1);
    expect(owner.getSnapshot().status).toBe('started');
    releaseB();
    expect(tracked.live()).toHaveLength(0);
    expect(tracked.made).toHaveLength(1);
  });

  test('a failing factory is reported and shows as failed; start again retries', async () => {
    const tracked = trackLocal();
    let fail = true;
    const {owner, errors} = ownerFor({
      create: (store) => (fail ? Promise.reject(new Error('no network')) : tracked.factory(store)),
    });
    const snapshot = await owner.start();
    expect(snapshot).toMatchObject({
      status: 'failed',
      synchronizer: undefined,
      error: new Error('no network'),
    });
    expect(errors).toEqual([new Error('no network')]);

    fail = false;
    expect(await owner.start()).toMatchObject({status: 'started', error: undefined});
    expect(owner.getSnapshot().synchronizer).toBe(tracked.made[0]);
  });

  test('a failing startSync is reported; the synchronizer stays until retired', async () => {
    const {owner, errors} = ownerFor({
      create: (store) => ({
        ...createLocalSynchronizer(store),
        startSync: () => Promise.reject(new Error('refused')),
      }),
    });
    const snapshot = await owner.start();
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error).toEqual(new Error('refused'));
    expect(snapshot.synchronizer).toBeDefined();
    expect(errors).toEqual([new Error('refused')]);
  });

  test('a factory returning undefined leaves the owner idle', async () => {
    const {owner, errors} = ownerFor({create: () => undefined});
    expect(await owner.start()).toMatchObject({status: 'idle', synchronizer: undefined});
    expect(errors).toEqual([]);
  });

  test('stop while the factory runs: what it makes is kept but not started; start resumes', async () => {
    const {owner, tracked, gate} = ownerWithHeldFactory();
    const starting = owner.start();
    expect(owner.getSnapshot().status).toBe('starting');
    owner.stop();
    gate.resolve();
    const snapshot = await starting;
    expect(snapshot.status).toBe('stopped');
    expect(snapshot.synchronizer).toBe(tracked.made[0]);
    expect(snapshot.synchronizer!.isAutoSaving()).toBe(false);
    expect(tracked.startsOf(snapshot.synchronizer!)).toBe(0);

    expect((await owner.start()).status).toBe('started');
    expect(owner.getSnapshot().synchronizer!.isAutoSaving()).toBe(true);
    expect(tracked.made).toHaveLength(1);
  });

  test('stop while startSync runs: syncing stops and the start ends stopped, not failed', async () => {
    const {owner, errors, gate, real} = ownerWithHeldStart('late');
    const starting = owner.start();
    await vi.waitFor(() => expect(owner.getSnapshot().synchronizer).toBeDefined());
    owner.stop();
    gate.resolve();
    expect((await starting).status).toBe('stopped');
    expect(errors).toEqual([]);
    // The held startSync went on to start the real synchronizer after stop(): stop still wins.
    expect(real().isAutoSaving()).toBe(false);
    expect((await owner.start()).status).toBe('started');
    expect(real().isAutoSaving()).toBe(true);
    owner.stop();
    expect(owner.getSnapshot().status).toBe('stopped');
    expect(real().isAutoSaving()).toBe(false);
  });

  test('stop then start while the factory runs: one synchronizer, and it ends started', async () => {
    const {owner, tracked, gate} = ownerWithHeldFactory();
    const first = owner.start();
    owner.stop();
    const second = owner.start();
    expect(second).toBe(first); // the attempt in flight goes on
    gate.resolve();
    expect((await second).status).toBe('started');
    expect(tracked.made).toHaveLength(1);
    expect(tracked.startsOf(tracked.made[0]!)).toBe(1);
    expect(tracked.made[0]!.isAutoSaving()).toBe(true);
  });

  test('stop then start while startSync runs: the last call wins, syncing is on', async () => {
    // The stop ends the sync this start began, before the start's promise resolves.
    const {owner, gate, real} = ownerWithHeldStart('early');
    const first = owner.start();
    // The real synchronizer has started; the owner's start still waits at the gate.
    await vi.waitFor(() => expect(real().isAutoSaving()).toBe(true));
    expect(owner.getSnapshot().status).toBe('starting');
    owner.stop();
    expect(real().isAutoSaving()).toBe(false);
    const second = owner.start();
    gate.resolve();
    expect((await first).status).toBe('started');
    expect(await second).toBe(owner.getSnapshot());
    expect(real().isAutoSaving()).toBe(true);
  });

  test('replace while the factory runs: the late synchronizer is destroyed, never handed out', async () => {
    const tracked = trackLocal();
    const gates = [createGate(), createGate()];
    let calls = 0;
    const {owner} = ownerFor({
      create: async (store) => {
        await gates[calls++]!.promise;
        return tracked.factory(store);
      },
    });
    const first = owner.start();
    const second = owner.replace();
    gates[0]!.resolve();
    await first;
    expect(tracked.made).toHaveLength(1);
    expect(tracked.live()).toHaveLength(0);
    expect(owner.getSnapshot()).toMatchObject({status: 'starting', synchronizer: undefined});

    gates[1]!.resolve();
    expect((await second).status).toBe('started');
    expect(owner.getSnapshot().synchronizer).toBe(tracked.made[1]);
    expect(tracked.live()).toEqual([tracked.made[1]]);
  });

  test('replace while started makes a fresh synchronizer; while idle it starts nothing', async () => {
    const tracked = trackLocal();
    const {owner} = ownerFor({create: tracked.factory});
    expect((await owner.replace()).status).toBe('idle');
    expect(tracked.made).toHaveLength(0);
    await owner.start();
    expect((await owner.replace()).status).toBe('started');
    expect(tracked.made).toHaveLength(2);
    expect(tracked.live()).toEqual([tracked.made[1]]);
  });

  test('destroy twice: retires once, notifies once, then start, replace and retain refuse', async () => {
    const tracked = trackLocal();
    const {owner, statuses, notifications} = ownerFor({create: tracked.factory});
    await owner.start();
    statuses.length = 0;
    notifications.count = 0;
    owner.destroy();
    owner.destroy();
    expect(statuses).toEqual(['destroyed']);
    expect(notifications.count).toBe(1);
    expect(owner.getSnapshot()).toMatchObject({status: 'destroyed', synchronizer: undefined});
    expect(tracked.live()).toHaveLength(0);
    await expect(owner.start()).rejects.toThrow(
      'SynchronizerOwner.start: the owner has been destroyed',
    );
    await expect(owner.replace()).rejects.toThrow('the owner has been destroyed');
    expect(() => owner.retain()).toThrow('SynchronizerOwner.retain: the owner has been destroyed');
  });

  test('destroy during a start: the late synchronizer is destroyed and no start is reported', async () => {
    const tracked = trackLocal();
    const gate = createGate();
    const {owner, errors} = ownerFor({
      create: async (store) => {
        await gate.promise;
        return tracked.factory(store);
      },
    });
    const releasing = owner.retain();
    await settle();
    owner.destroy();
    releasing(); // a release after destroy is harmless
    gate.resolve();
    await settle();
    expect(tracked.made).toHaveLength(1);
    expect(tracked.live()).toHaveLength(0);
    expect(owner.getSnapshot().status).toBe('destroyed');
    expect(errors).toEqual([]);
  });

  test('rejects a missing factory with a clear error', () => {
    expect(() =>
      createSynchronizerOwner({
        store: createMergeableStore(),
      } as unknown as SynchronizerOwnerOptions),
    ).toThrow('createSynchronizerOwner: `create` must be a function');
  });
});

describe('the first sync, as the owner sees it', () => {
  test('succeeds with a peer: reason synced', async () => {
    const peerStore = createMergeableStore().setCell('todos', 't1', 'text', 'from the peer');
    const peer = createLocalSynchronizer(peerStore);
    await peer.startSync();
    try {
      const {owner} = ownerFor({create: (store) => createLocalSynchronizer(store)});
      expect(owner.getSnapshot().firstSync).toEqual({done: false, reason: null});
      await owner.start();
      await vi.waitFor(() =>
        expect(owner.getSnapshot().firstSync).toEqual({done: true, reason: 'synced'}),
      );
      expect(owner.getSnapshot().synchronizer!.getStore().getCell('todos', 't1', 'text')).toBe(
        'from the peer',
      );
    } finally {
      await peer.destroy();
    }
  });

  test('fails when the transport breaks: reason error, and the status carries it', async () => {
    let fail: ((error: Error) => void) | undefined;
    const {owner} = ownerFor({
      create: (store) =>
        createCustomSynchronizer(
          store,
          () => {},
          (_receive, failTransport) => {
            fail = failTransport;
          },
          () => {},
          60,
        ),
      firstSyncTimeout: Number.POSITIVE_INFINITY,
    });
    void owner.start();
    await vi.waitFor(() => expect(fail).toBeDefined());
    expect(owner.getSnapshot().firstSync.done).toBe(false);
    fail!(new Error('link broke'));
    expect(owner.getSnapshot().firstSync).toEqual({done: true, reason: 'error'});
    expect(owner.getSnapshot().synchronizer!.getSyncStatus().error?.message).toContain(
      'link broke',
    );
  });

  test('times out when nothing answers, and a retired owner leaves no timer behind', async () => {
    vi.useFakeTimers();
    const {owner} = ownerFor({
      // A transport that never delivers: the first sync can only time out.
      create: (store) =>
        createCustomSynchronizer(
          store,
          () => {},
          () => {},
          () => {},
          3600,
        ),
      firstSyncTimeout: 5_000,
    });
    const release = owner.retain();
    await vi.advanceTimersByTimeAsync(0);
    expect(owner.getSnapshot().synchronizer).toBeDefined();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(owner.getSnapshot().firstSync.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(owner.getSnapshot().firstSync).toEqual({done: true, reason: 'timeout'});
    release();
    expect(owner.getSnapshot().firstSync).toEqual({done: false, reason: null});
    expect(vi.getTimerCount()).toBe(0);
  });
});
