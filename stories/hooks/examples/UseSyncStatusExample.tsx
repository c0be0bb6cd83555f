import type {ReactNode} from 'react';
import {createMergeableStore} from '../../../src/index.js';
import {SynchronizerProvider, useStore, useSyncStatus} from '../../../src/react/index.js';
import {createLocalSynchronizer} from '../../../src/synchronizers/synchronizer-local.js';

function Status() {
  // Re-renders when the connection, phase, pending count, last sync or error changes.
  const {connection, phase, pendingChanges, lastSyncedAt, error} = useSyncStatus();
  return (
    <dl aria-label="Sync status">
      <dt>connection</dt>
      <dd>{connection}</dd>
      <dt>phase</dt>
      <dd>{phase}</dd>
      <dt>pending changes</dt>
      <dd>{pendingChanges}</dd>
      <dt>last synced</dt>
      <dd>{lastSyncedAt === null ? 'never' : new Date(lastSyncedAt).toLocaleTimeString()}</dd>
      <dt>error</dt>
      <dd>{error?.message ?? 'none'}</dd>
    </dl>
  );
}

function Edit() {
  const store = useStore();
  return (
    <button
      type="button"
      onClick={() => store?.setValue('edits', (edits) => Number(edits ?? 0) + 1)}
    >
      Edit
    </button>
  );
}

function Peer({children}: {children?: ReactNode}) {
  return (
    <SynchronizerProvider
      createStore={() => createMergeableStore()}
      createSynchronizer={(store) => createLocalSynchronizer(store)}
    >
      {children}
    </SynchronizerProvider>
  );
}

export function UseSyncStatusExample() {
  // Two stores in this page, synced in memory; the status is the first one's.
  return (
    <>
      <Peer>
        <Status />
        <Edit />
      </Peer>
      <Peer />
    </>
  );
}
