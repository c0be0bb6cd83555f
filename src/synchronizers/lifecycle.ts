// The synchronizer's public surface (TinyBase's Persister interface, which its Synchronizer extends): TinyBase's Persister methods (load, save, auto load
// and save, schedule, status and stats), startSync/stopSync, destroy, and setConnection, by which
// the transport reports its link. Each is a few lines over the engine's parts.
//
// As in TinyBase, every lifecycle method returns a promise of the synchronizer (the stop methods
// and destroy take effect at once; the promise is for code written against TinyBase's types), and
// loads, saves and scheduled actions run one at a time, in the order they were asked for.

import type {Content, Id} from '../store/types.js';
import type {Broadcaster} from './broadcaster.js';
import type {EngineContext} from './engine-context.js';
import {ErrorCode, SyncError, toError} from './errors.js';
import type {Presence} from './presence/presence.js';
import type {PullRunner} from './pull-runner.js';
import type {ResyncStrategy} from './resync.js';
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
  presence: Presence<Synchronizer>,
  destroyTransport: () => void,
  resync?: ResyncStrategy,
): Synchronizer & TransportLink {
  let nextListenerId = 0;

  // The queue of loads, saves and scheduled actions. An action that fails is reported to
  // onIgnoredError and the queue goes on, as TinyBase's does.
  let queue: Promise<void> = Promise.resolve();
  function enqueue(action: () => unknown): Promise<void> {
    queue = queue
      .then(action)
      .then(undefined, (error: unknown) => context.reportError(toError(error), false));
    return queue;
  }

  async function schedule(...actions: (() => Promise<unknown>)[]): Promise<Synchronizer> {
    for (const action of actions) {
      void enqueue(action);
    }
    await queue;
    return synchronizer;
  }

  async function load(initialContent?: InitialContent): Promise<Synchronizer> {
    await enqueue(() => loadNow(initialContent));
    return synchronizer;
  }

  async function loadNow(initialContent?: InitialContent): Promise<void> {
    if (context.status === Status.Saving || context.destroyed) {
      return;
    }
    context.beginLoading();
    // As in TinyBase, every load counts, also one that found no peer and fell back to the
    // initial content (or to nothing).
    context.loads++;
    let applied = false;
    try {
      if (context.isOnline()) {
        applied =
          resync !== undefined && context.savesToPeers()
            ? await resync.load()
            : await pulls.run('load', 0);
      }
      if (!applied && initialContent !== undefined && !context.destroyed) {
        context.applyDefaultContent(initialContent);
      }
    } finally {
      context.endLoading();
    }
  }

  async function save(): Promise<Synchronizer> {
    await enqueue(saveNow);
    return synchronizer;
  }

  function saveNow(): void {
    if (context.status === Status.Loading || context.destroyed) {
      return;
    }
    context.setStatus(Status.Saving);
    if (context.isOnline()) {
      context.saves++;
      broadcaster.announce();
    }
    context.setStatus(Status.Idle);
  }

  async function startAutoLoad(initialContent?: InitialContent): Promise<Synchronizer> {
    context.autoLoading = true;
    return load(initialContent);
  }

  async function stopAutoLoad(): Promise<Synchronizer> {
    stopAutoLoadNow();
    return synchronizer;
  }

  function stopAutoLoadNow(): void {
    context.autoLoading = false;
    if (!context.isActive()) {
      pulls.stopBackgroundWork();
    }
  }

  async function startAutoSave(): Promise<Synchronizer> {
    await save();
    if (!context.destroyed) {
      context.autoSaving = true;
    }
    return synchronizer;
  }

  async function stopAutoSave(): Promise<Synchronizer> {
    stopAutoSaveNow();
    return synchronizer;
  }

  function stopAutoSaveNow(): void {
    broadcaster.flush();
    context.autoSaving = false;
    if (!context.isActive()) {
      pulls.stopBackgroundWork();
    }
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

  async function stopAutoPersisting(stopSaveFirst = false): Promise<Synchronizer> {
    stopAutoPersistingNow(stopSaveFirst);
    return synchronizer;
  }

  function stopAutoPersistingNow(stopSaveFirst = false): void {
    if (stopSaveFirst) {
      stopAutoSaveNow();
      stopAutoLoadNow();
    } else {
      stopAutoLoadNow();
      stopAutoSaveNow();
    }
  }

  async function startSync(initialContent?: InitialContent): Promise<Synchronizer> {
    context.syncing = true;
    return startAutoPersisting(initialContent);
  }

  async function stopSync(): Promise<Synchronizer> {
    context.syncing = false;
    stopAutoPersistingNow();
    pulls.stopBackgroundWork();
    return synchronizer;
  }

  async function destroy(): Promise<Synchronizer> {
    destroyNow();
    return synchronizer;
  }

  function destroyNow(): void {
    if (context.destroyed) {
      return;
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
    presence.destroy();
    try {
      destroyTransport();
    } catch (error) {
      // destroy() never fails: a transport that cannot be torn down cleanly is reported.
      context.reportError(toError(error), false);
    } finally {
      context.syncStatus.update({connection: 'offline'});
    }
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
    if (resync !== undefined && context.loadsFromPeers() && context.savesToPeers()) {
      resync.onReconnect();
    } else {
      resyncWithBase();
    }
  }

  /** docs/protocol.md §7.4: pull what peers changed meanwhile, and announce what changed here. */
  function resyncWithBase(): void {
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
      context.messageListeners.delete(listenerId);
      presence.delListener(listenerId);
      return synchronizer;
    },
    schedule,
    getStats: () => ({loads: context.loads, saves: context.saves}),
    startSync,
    stopSync,
    destroy,
    getSynchronizerStats: () => ({sends: context.sends, receives: context.receives}),
    getSyncStatus: (): SyncStatus => context.syncStatus.current,
    addSyncStatusListener: (listener) => addListenerTo(context.syncStatusListeners, listener),
    addMessageListener: (listener) => addListenerTo(context.messageListeners, listener),
    setPresence: (state) => {
      presence.set(state);
      return synchronizer;
    },
    getPresence: () => presence.get(),
    getPeersPresence: () => presence.getPeers(),
    addPresenceListener: (listener) => {
      const id = String(nextListenerId++);
      presence.addListener(id, listener);
      return id;
    },
    setConnection,
    notePeerActivity: (peerId) => {
      if (!context.destroyed) {
        context.requests.noteTrafficFrom(peerId);
      }
    },
    setLinkDetails: (details) => {
      if (!context.destroyed) {
        context.syncStatus.update(details);
      }
    },
  };
  resync?.attach({
    store: context.store,
    isOnline: () => context.isOnline(),
    syncsBothWays: () => context.loadsFromPeers() && context.savesToPeers(),
    isMerging: () => context.isMerging(),
    resyncWithBase,
    pullWithBase: () => pulls.run('load', 0),
    beginSyncing: () => context.syncStatus.update({phase: 'syncing'}),
    applyRemote: (changes, what, peerId) => context.applyRemote(changes, what, peerId),
    markSynced: () => {
      broadcaster.forgetPendingChanges();
      pulls.markSynced();
      context.markSynced();
    },
    settle: () => pulls.settlePhase(),
    reportError: (error) => context.reportError(error),
  });
  return synchronizer;
}
