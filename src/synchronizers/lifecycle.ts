// The synchronizer's public surface (spec §6): TinyBase's Persister methods (load, save, auto load
// and save, status and stats), startSync/stopSync, destroy, and setConnection, by which the
// transport reports its link. Each is a few lines over the engine's parts.

import type {Content, Id} from '../store/types.js';
import type {Broadcaster} from './broadcaster.js';
import type {EngineContext} from './engine-context.js';
import {ErrorCode, SyncError} from './errors.js';
import type {PullRunner} from './pull-runner.js';
import {
  type Connection,
  Status,
  type Synchronizer,
  type SyncStatus,
  type TransportLink,
} from './types.js';

type InitialContent = Content | (() => Content);

export function createSynchronizerSurface(
  context: EngineContext,
  broadcaster: Broadcaster,
  pulls: PullRunner,
  destroyTransport: () => void,
): Synchronizer & TransportLink {
  let nextListenerId = 0;

  async function load(initialContent?: InitialContent): Promise<Synchronizer> {
    if (context.status === Status.Saving || context.destroyed) {
      return synchronizer;
    }
    context.beginLoading();
    let applied = false;
    try {
      if (context.isOnline()) {
        applied = await pulls.run('load', 0);
      }
      if (!applied && initialContent !== undefined && !context.destroyed) {
        context.applyDefaultContent(initialContent);
      }
    } finally {
      context.endLoading();
    }
    return synchronizer;
  }

  async function save(): Promise<Synchronizer> {
    if (context.status === Status.Loading || context.destroyed) {
      return synchronizer;
    }
    context.setStatus(Status.Saving);
    if (context.isOnline()) {
      context.saves++;
      broadcaster.announce();
    }
    context.setStatus(Status.Idle);
    return synchronizer;
  }

  async function startAutoLoad(initialContent?: InitialContent): Promise<Synchronizer> {
    context.autoLoading = true;
    return load(initialContent);
  }

  function stopAutoLoad(): Synchronizer {
    context.autoLoading = false;
    if (!context.isActive()) {
      pulls.stopBackgroundWork();
    }
    return synchronizer;
  }

  async function startAutoSave(): Promise<Synchronizer> {
    await save();
    if (!context.destroyed) {
      context.autoSaving = true;
    }
    return synchronizer;
  }

  function stopAutoSave(): Synchronizer {
    broadcaster.flush();
    context.autoSaving = false;
    if (!context.isActive()) {
      pulls.stopBackgroundWork();
    }
    return synchronizer;
  }

  async function startAutoPersisting(
    initialContent?: InitialContent,
    startSaveFirst = false,
  ): Promise<Synchronizer> {
    if (startSaveFirst) {
      await startAutoSave();
      await startAutoLoad(initialContent);
    } else {
      await startAutoLoad(initialContent);
      await startAutoSave();
    }
    return synchronizer;
  }

  function stopAutoPersisting(stopSaveFirst = false): Synchronizer {
    if (stopSaveFirst) {
      stopAutoSave();
      stopAutoLoad();
    } else {
      stopAutoLoad();
      stopAutoSave();
    }
    return synchronizer;
  }

  async function startSync(initialContent?: InitialContent): Promise<Synchronizer> {
    context.syncing = true;
    return startAutoPersisting(initialContent);
  }

  function stopSync(): Synchronizer {
    context.syncing = false;
    stopAutoPersisting();
    pulls.stopBackgroundWork();
    return synchronizer;
  }

  function destroy(): Synchronizer {
    if (context.destroyed) {
      return synchronizer;
    }
    broadcaster.flush();
    context.destroyed = true;
    context.requests.rejectAll(
      new SyncError(`${ErrorCode.ResponseTimeout}:destroyed`, 'the synchronizer was destroyed'),
    );
    context.syncing = false;
    context.autoLoading = false;
    context.autoSaving = false;
    pulls.stopBackgroundWork();
    broadcaster.detach();
    try {
      destroyTransport();
    } finally {
      context.syncStatus.update({connection: 'offline'});
    }
    return synchronizer;
  }

  /**
   * The transport reports its link. Going back to 'online' while active resyncs both ways: a pull
   * (GetContentHashes) brings in what peers changed meanwhile, and an announcement (ContentHashes)
   * makes them pull what changed here. Leaving 'online' fails pending requests at once.
   */
  function setConnection(connection: Connection, error?: Error): void {
    if (context.destroyed) {
      return;
    }
    const syncStatus = context.syncStatus;
    const previous = syncStatus.current.connection;
    // Apart from its peers, a synchronizer is no longer known to be synced with them.
    const phase = connection === 'online' ? syncStatus.current.phase : 'idle';
    syncStatus.update(error ? {connection, phase, error} : {connection, phase});
    if (error) {
      context.reportError(error, false);
    }
    if (connection === previous) {
      return;
    }
    if (connection !== 'online') {
      pulls.cancelRetry();
      context.requests.rejectAll(
        new SyncError(ErrorCode.TransportFailure, `connection is ${connection}`),
      );
      return;
    }
    if (context.loadsFromPeers()) {
      void pulls.run('reconnect', 0);
    }
    if (context.savesToPeers()) {
      broadcaster.announce();
    }
  }

  function addListenerTo<Listener>(listeners: Map<Id, Listener>, listener: Listener): Id {
    const id = String(nextListenerId++);
    listeners.set(id, listener);
    return id;
  }

  const synchronizer: Synchronizer & TransportLink = {
    getStore: () => context.store,
    load,
    save,
    startAutoLoad,
    stopAutoLoad,
    isAutoLoading: () => context.autoLoading,
    startAutoSave,
    stopAutoSave,
    isAutoSaving: () => context.autoSaving,
    startAutoPersisting,
    stopAutoPersisting,
    getStatus: () => context.status,
    addStatusListener: (listener) => addListenerTo(context.statusListeners, listener),
    delListener: (listenerId) => {
      context.statusListeners.delete(listenerId);
      context.syncStatusListeners.delete(listenerId);
      return synchronizer;
    },
    getStats: () => ({loads: context.loads, saves: context.saves}),
    startSync,
    stopSync,
    destroy,
    getSynchronizerStats: () => ({sends: context.sends, receives: context.receives}),
    getSyncStatus: (): SyncStatus => context.syncStatus.current,
    addSyncStatusListener: (listener) => addListenerTo(context.syncStatusListeners, listener),
    setConnection,
  };
  return synchronizer;
}
