// @vitest-environment happy-dom
// useSyncStatus, useSynchronizerStatus and SyncStatusView over a synchronizer whose status the
// test drives by hand.
import {act, render, renderHook, screen} from '@testing-library/react';
import type {ReactNode} from 'react';
import {describe, expect, test} from 'vitest';
import {
  NO_SYNC_STATUS,
  SynchronizerProvider,
  SyncStatusView,
  useSynchronizerStatus,
  useSyncStatus,
  useSyncStatusListener,
} from '../../src/react/index.js';
import type {Id} from '../../src/store/types.js';
import type {
  Status,
  StatusListener,
  Synchronizer,
  SyncStatus,
  SyncStatusListener,
} from '../../src/synchronizers/types.js';
import {createStore} from './support.js';

/** Just the status surface of a Synchronizer, with setters for the test. */
function createStatusSource() {
  let status: SyncStatus = {...NO_SYNC_STATUS, connection: 'connecting'};
  let persisterStatus: Status = 0;
  const syncStatusListeners = new Map<Id, SyncStatusListener>();
  const statusListeners = new Map<Id, StatusListener>();
  let nextId = 0;
  const synchronizer = {
    getSyncStatus: () => status,
    addSyncStatusListener: (listener: SyncStatusListener) => {
      const id = String(nextId++);
      syncStatusListeners.set(id, listener);
      return id;
    },
    getStatus: () => persisterStatus,
    addStatusListener: (listener: StatusListener) => {
      const id = String(nextId++);
      statusListeners.set(id, listener);
      return id;
    },
    delListener: (id: Id) => {
      syncStatusListeners.delete(id);
      statusListeners.delete(id);
      return synchronizer;
    },
  } as unknown as Synchronizer;
  return {
    synchronizer,
    setStatus(fields: Partial<SyncStatus>) {
      status = {...status, ...fields};
      for (const listener of syncStatusListeners.values()) {
        listener(status, synchronizer);
      }
    },
    setPersisterStatus(next: Status) {
      persisterStatus = next;
      for (const listener of statusListeners.values()) {
        listener(synchronizer, next);
      }
    },
    listenerCount: () => syncStatusListeners.size + statusListeners.size,
  };
}

function withSynchronizer(synchronizer: Synchronizer, id?: Id) {
  return ({children}: {children: ReactNode}) => (
    <SynchronizerProvider store={createStore()} synchronizer={synchronizer} id={id}>
      {children}
    </SynchronizerProvider>
  );
}

describe('useSyncStatus', () => {
  test('is NO_SYNC_STATUS while there is no synchronizer', () => {
    const {result} = renderHook(() => useSyncStatus());
    expect(result.current).toBe(NO_SYNC_STATUS);
    expect(result.current).toEqual({
      connection: 'offline',
      phase: 'idle',
      pendingChanges: 0,
      lastSyncedAt: null,
      error: null,
    });
  });

  test("follows the provider's synchronizer, by default or by id", () => {
    const source = createStatusSource();
    const {result} = renderHook(() => [useSyncStatus(), useSyncStatus('doc')], {
      wrapper: withSynchronizer(source.synchronizer, 'doc'),
    });
    expect(result.current[0].connection).toBe('connecting');
    act(() => source.setStatus({connection: 'online', phase: 'syncing', pendingChanges: 2}));
    expect(result.current[0]).toMatchObject({
      connection: 'online',
      phase: 'syncing',
      pendingChanges: 2,
    });
    expect(result.current[1]).toBe(result.current[0]);
  });

  test('renders only when the status really changes', () => {
    const source = createStatusSource();
    let renders = 0;
    renderHook(
      () => {
        renders++;
        return useSyncStatus();
      },
      {wrapper: withSynchronizer(source.synchronizer)},
    );
    const rendersAfterMount = renders;
    act(() => source.setStatus({}));
    expect(renders).toBe(rendersAfterMount);
    act(() => source.setStatus({error: new Error('timeout')}));
    expect(renders).toBe(rendersAfterMount + 1);
    act(() => source.setStatus({error: new Error('timeout')}));
    expect(renders).toBe(rendersAfterMount + 2);
  });

  test('useSyncStatusListener hears every change and stops on unmount', () => {
    const source = createStatusSource();
    const heard: string[] = [];
    const {unmount} = renderHook(
      () => useSyncStatusListener((status) => heard.push(status.connection)),
      {wrapper: withSynchronizer(source.synchronizer)},
    );
    source.setStatus({connection: 'online'});
    source.setStatus({connection: 'offline'});
    unmount();
    source.setStatus({connection: 'online'});
    expect(heard).toEqual(['online', 'offline']);
    expect(source.listenerCount()).toBe(0);
  });

  test('useSynchronizerStatus returns the numeric persister status', () => {
    const source = createStatusSource();
    const {result} = renderHook(() => useSynchronizerStatus(source.synchronizer));
    expect(result.current).toBe(0);
    act(() => source.setPersisterStatus(1));
    expect(result.current).toBe(1);
  });
});

describe('SyncStatusView', () => {
  test('shows connection, phase and pending changes as text and data attributes', () => {
    const source = createStatusSource();
    render(<SyncStatusView className="sync" />, {wrapper: withSynchronizer(source.synchronizer)});
    const view = screen.getByRole('status');
    expect(view.className).toBe('sync');
    expect(view.dataset).toMatchObject({
      connection: 'connecting',
      phase: 'idle',
      pendingChanges: '0',
    });
    expect(view.textContent).toBe('connecting · idle');

    act(() => source.setStatus({connection: 'offline', pendingChanges: 3}));
    expect(view.dataset).toMatchObject({connection: 'offline', pendingChanges: '3'});
    expect(view.textContent).toBe('offline · idle · 3 pending');
    expect(view.hasAttribute('data-error')).toBe(false);

    act(() => source.setStatus({error: new Error('socket closed')}));
    expect(view.hasAttribute('data-error')).toBe(true);
    expect(view.title).toBe('socket closed');
  });

  test('takes a custom format', () => {
    const source = createStatusSource();
    render(
      <SyncStatusView
        synchronizer={source.synchronizer}
        format={({connection}) => (connection === 'online' ? 'Live' : 'Working offline')}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe('Working offline');
    act(() => source.setStatus({connection: 'online'}));
    expect(screen.getByRole('status').textContent).toBe('Live');
  });
});
