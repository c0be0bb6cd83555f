// @vitest-environment happy-dom
// <FirstSync>, useFirstSync (with Suspense) and useIsFirstSyncDone: the fallback until the first
// sync is over, then the children, whether it synced, went offline, failed or timed out.
import {act, render, screen} from '@testing-library/react';
import {Suspense} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {
  FirstSync,
  SynchronizerProvider,
  useFirstSync,
  useIsFirstSyncDone,
  useSyncStatus,
} from '../../src/react/index.js';
import type {Id} from '../../src/store/types.js';
import type {Synchronizer, SyncStatus, SyncStatusListener} from '../../src/synchronizers/types.js';
import {createLocalSynchronizer, createStore} from './support.js';

/** A synchronizer whose sync status the test sets by hand. */
function createStatusSource(initial: Partial<SyncStatus> = {}) {
  let status: SyncStatus = {
    connection: 'connecting',
    phase: 'idle',
    pendingChanges: 0,
    lastSyncedAt: null,
    error: null,
    ...initial,
  };
  const listeners = new Map<Id, SyncStatusListener>();
  let nextId = 0;
  const synchronizer = {
    getSyncStatus: () => status,
    addSyncStatusListener: (listener: SyncStatusListener) => {
      const id = String(nextId++);
      listeners.set(id, listener);
      return id;
    },
    delListener: (id: Id) => {
      listeners.delete(id);
      return synchronizer;
    },
  } as unknown as Synchronizer;
  return {
    synchronizer,
    setStatus(fields: Partial<SyncStatus>) {
      status = {...status, ...fields};
      act(() => {
        for (const listener of [...listeners.values()]) {
          listener(status, synchronizer);
        }
      });
    },
    listenerCount: () => listeners.size,
  };
}

/** Shows why the first sync is over (or 'pending'), and the status's connection and error. */
function Reason({timeout}: {timeout?: number}) {
  const {reason} = useFirstSync({timeout});
  const {connection, error} = useSyncStatus();
  return (
    <p>
      reason: {reason ?? 'pending'}, connection: {connection}, error: {error?.message ?? 'none'}
    </p>
  );
}

function renderGated(synchronizer: Synchronizer, timeout = 60_000) {
  return render(
    <SynchronizerProvider store={createStore()} synchronizer={synchronizer}>
      <FirstSync fallback={<p>waiting</p>} timeout={timeout}>
        <Reason timeout={timeout} />
      </FirstSync>
    </SynchronizerProvider>,
  );
}

function Title() {
  const {reason} = useFirstSync();
  const {phase} = useSyncStatus();
  return (
    <p>
      {reason} {phase}
    </p>
  );
}

/** Reports useIsFirstSyncDone on every render. */
function Outside({onRender}: {onRender: (done: boolean) => void}) {
  onRender(useIsFirstSyncDone());
  return null;
}

function Suspending({timeout}: {timeout?: number}) {
  const {reason} = useFirstSync({suspense: true, timeout});
  return <p>children: {reason}</p>;
}

function Probe() {
  const state = useFirstSync({suspense: true});
  return <p>done: {String(state.done)}</p>;
}

const started: Synchronizer[] = [];
afterEach(async () => {
  for (const synchronizer of started.splice(0)) {
    await synchronizer.destroy();
  }
});

describe('FirstSync', () => {
  test('renders the fallback until the phase is synced, then the children', async () => {
    const source = createStatusSource();
    renderGated(source.synchronizer);
    expect(screen.getByText('waiting')).toBeDefined();
    source.setStatus({connection: 'online'});
    source.setStatus({phase: 'syncing'});
    expect(screen.getByText('waiting')).toBeDefined();
    expect(screen.queryByText(/reason:/)).toBeNull();
    source.setStatus({phase: 'synced', lastSyncedAt: Date.now()});
    expect(await screen.findByText(/reason: synced/)).toBeDefined();
    expect(screen.queryByText('waiting')).toBeNull();
    // Done for good: the watch no longer listens, and a later offline keeps the children.
    expect(source.listenerCount()).toBe(1); // only useSyncStatus's
    source.setStatus({connection: 'offline', phase: 'idle'});
    expect(screen.getByText(/reason: synced, connection: offline/)).toBeDefined();
  });

  test('on going offline renders the children, with the status telling why', async () => {
    const source = createStatusSource();
    renderGated(source.synchronizer);
    expect(screen.getByText('waiting')).toBeDefined();
    source.setStatus({connection: 'offline'});
    expect(await screen.findByText(/reason: offline, connection: offline/)).toBeDefined();
  });

  test('on an error renders the children, with the error', async () => {
    const source = createStatusSource({connection: 'online', phase: 'syncing'});
    renderGated(source.synchronizer);
    expect(screen.getByText('waiting')).toBeDefined();
    source.setStatus({error: new Error('pull timed out')});
    expect(await screen.findByText(/reason: error, .* error: pull timed out/)).toBeDefined();
  });

  test('when a first attempt ends idle (no peer), renders the children', async () => {
    const source = createStatusSource({connection: 'online'});
    renderGated(source.synchronizer);
    // Idle before any sync started is only "not started yet".
    source.setStatus({pendingChanges: 1});
    expect(screen.getByText('waiting')).toBeDefined();
    source.setStatus({phase: 'syncing'});
    expect(screen.getByText('waiting')).toBeDefined();
    source.setStatus({phase: 'idle'});
    expect(await screen.findByText(/reason: no-peer/)).toBeDefined();
  });

  test('asked only after a lone peer started, renders the children at once (no peer)', async () => {
    const alone = createLocalSynchronizer(createStore());
    started.push(alone);
    await alone.startSync();
    expect(alone.getSyncStatus().phase).toBe('idle');
    renderGated(alone);
    expect(screen.getByText(/reason: no-peer, connection: online/)).toBeDefined();
  });

  test('after the timeout renders the children, though still syncing', async () => {
    const source = createStatusSource({connection: 'online', phase: 'syncing'});
    renderGated(source.synchronizer, 50);
    expect(screen.getByText('waiting')).toBeDefined();
    expect(await screen.findByText(/reason: timeout, connection: online/)).toBeDefined();
    expect(source.synchronizer.getSyncStatus().phase).toBe('syncing');
  });

  test('with a real pair of local synchronizers, renders the children once synced', async () => {
    const remote = createStore();
    remote.setCell('todos', 'a', 'title', 'from the peer');
    const remoteSynchronizer = createLocalSynchronizer(remote);
    started.push(remoteSynchronizer);
    await remoteSynchronizer.startSync();

    render(
      <SynchronizerProvider
        createStore={createStore}
        createSynchronizer={(store) => {
          const synchronizer = createLocalSynchronizer(store);
          started.push(synchronizer);
          return synchronizer;
        }}
      >
        <FirstSync fallback={<p>waiting</p>}>
          <Title />
        </FirstSync>
      </SynchronizerProvider>,
    );
    expect(screen.getByText('waiting')).toBeDefined();
    expect(await screen.findByText('synced synced')).toBeDefined();
    expect(started[1].getStore().getCell('todos', 'a', 'title')).toBe('from the peer');
  });
});

describe('useFirstSync with suspense, and useIsFirstSyncDone', () => {
  test('suspends until synced; useIsFirstSyncDone turns true at the same time', async () => {
    const source = createStatusSource({connection: 'online'});
    const doneSeen: boolean[] = [];
    render(
      <SynchronizerProvider store={createStore()} synchronizer={source.synchronizer}>
        <Outside onRender={(done) => doneSeen.push(done)} />
        <Suspense fallback={<p>suspended</p>}>
          <Suspending />
        </Suspense>
      </SynchronizerProvider>,
    );
    expect(screen.getByText('suspended')).toBeDefined();
    expect(doneSeen.at(-1)).toBe(false);
    source.setStatus({phase: 'syncing'});
    expect(screen.getByText('suspended')).toBeDefined();
    source.setStatus({phase: 'synced', lastSyncedAt: 1});
    expect(await screen.findByText('children: synced')).toBeDefined();
    expect(screen.queryByText('suspended')).toBeNull();
    expect(doneSeen.at(-1)).toBe(true);
  });

  test('suspends until the timeout, then renders with reason timeout', async () => {
    const source = createStatusSource({connection: 'connecting'});
    render(
      <SynchronizerProvider store={createStore()} synchronizer={source.synchronizer}>
        <Suspense fallback={<p>suspended</p>}>
          <Suspending timeout={30} />
        </Suspense>
      </SynchronizerProvider>,
    );
    expect(screen.getByText('suspended')).toBeDefined();
    expect(await screen.findByText('children: timeout')).toBeDefined();
    expect(source.listenerCount()).toBe(0);
  });

  test('without a synchronizer, is pending and does not suspend', () => {
    render(
      <Suspense fallback={<p>suspended</p>}>
        <Probe />
      </Suspense>,
    );
    expect(screen.getByText('done: false')).toBeDefined();
  });
});
