// The lifecycle every persister shares (status, queue, auto-load, auto-save, stats), over a
// storage medium that only knows how to read and write a MergeableStore's content.
import type {Content, ContentHashes, Id, MergeableContent, MergeableStore} from '../store/types.js';
import {isEmptyChanges, writesBesides} from '../synchronizers/change-trees.js';
import {toError} from '../synchronizers/errors.js';
import {createStoreAccess} from '../synchronizers/store-access.js';
import {Status} from '../synchronizers/types.js';
import type {
  Persister,
  PersisterIgnoredErrorListener,
  PersisterStats,
  PersisterStatusListener,
} from './types.js';

/** What a storage medium provides. Content is in the store's encoded (wire) form. */
export type PersisterStorage = {
  /** Reads what is stored, or undefined when nothing is. */
  read(): Promise<MergeableContent | undefined>;
  /**
   * In one atomic step: reads what is stored, hands it to `mergeStored` (synchronously), then
   * writes `getContent()`. Being atomic, two tabs saving at once cannot drop each other's edits.
   */
  write(
    mergeStored: (stored: MergeableContent | undefined) => void,
    getContent: () => MergeableContent,
  ): Promise<void>;
  /** Calls `onMaybeChanged` whenever the stored content may have changed; returns a stop function. */
  watch(onMaybeChanged: () => void): () => void;
  /** Releases the medium (closes connections). */
  close(): Promise<void>;
};

const getHashes = (content: MergeableContent): ContentHashes => [content[0][2], content[1][2]];

const sameHashes = (a: ContentHashes | undefined, b: ContentHashes): boolean =>
  a !== undefined && a[0] === b[0] && a[1] === b[1];

/**
 * Builds a persister for `store` over `storage`. `extra` members (such as `getDbName`) are added
 * to the returned object.
 */
export const createPersister = <Extra extends object>(
  store: MergeableStore,
  storage: PersisterStorage,
  onIgnoredError: PersisterIgnoredErrorListener | undefined,
  extra: Extra,
): Persister & Extra => {
  // Any object with the public MergeableStore API will do (see store-access.ts).
  const access = createStoreAccess(store);
  const reportIgnored = (error: unknown) => onIgnoredError?.(toError(error));

  let status: Status = Status.Idle;
  const statusListeners = new Map<Id, PersisterStatusListener>();
  let nextListenerId = 0;
  const stats: PersisterStats = {loads: 0, saves: 0};

  const setStatus = (newStatus: Status) => {
    if (newStatus === status) return;
    status = newStatus;
    for (const listener of [...statusListeners.values()]) {
      try {
        listener(persister, status);
      } catch (error) {
        // A throwing listener must not leave a load or save half done.
        reportIgnored(error);
      }
    }
  };

  // Every load and save runs in this queue, one at a time, in the order asked for. Each action's
  // promise tells whether it succeeded; a failure is reported, never thrown at the caller.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (action: () => Promise<unknown> | unknown): Promise<boolean> => {
    const done = queue.then(action).then(
      () => true,
      (error) => {
        reportIgnored(error);
        return false;
      },
    );
    queue = done;
    return done;
  };

  // Hashes of the content this persister last read or wrote: stored content with the same hashes
  // is already in the store, so a poll need not merge it again.
  let lastSeenHashes: ContentHashes | undefined;
  // The stored content being merged in, if any: what it brings needs no save, but what listeners
  // write in reaction to it (a mutator listener, say) does (see writesBesides).
  let mergingStoredContent: MergeableContent | undefined;
  // The store's local stamp count when that merge began: unchanged, no listener wrote.
  let stampsBeforeMerge: number | undefined;

  const mergeStored = (stored: MergeableContent, force: boolean) => {
    const hashes = getHashes(stored);
    if (!force && sameHashes(lastSeenHashes, hashes)) return;
    const statusBefore = status;
    setStatus(status === Status.Idle ? Status.Loading : status);
    mergingStoredContent = stored;
    stampsBeforeMerge = access.getLocalStampCount();
    try {
      const rejection = access.applyChanges(stored);
      if (rejection === undefined) {
        lastSeenHashes = hashes;
        stats.loads++;
      } else {
        reportIgnored(new Error(`Stored content was not loaded: ${rejection}`));
      }
    } finally {
      mergingStoredContent = undefined;
      setStatus(statusBefore);
    }
  };

  const loadNow = async (initialContent?: Content | (() => Content)) => {
    setStatus(Status.Loading);
    try {
      const stored = await storage.read();
      if (stored !== undefined) {
        mergeStored(stored, true);
      } else if (initialContent !== undefined) {
        store.setDefaultContent(initialContent);
      }
    } finally {
      setStatus(Status.Idle);
    }
  };

  const saveNow = async () => {
    setStatus(Status.Saving);
    try {
      await storage.write(
        (stored) => {
          // Someone else (another tab) wrote since we last looked: keep their edits too.
          if (stored !== undefined) mergeStored(stored, false);
        },
        () => {
          const content = access.getContent();
          lastSeenHashes = getHashes(content);
          return content;
        },
      );
      stats.saves++;
    } finally {
      setStatus(Status.Idle);
    }
  };

  // Requests made while one of the same kind is still waiting in the queue are merged into it:
  // a save writes the content as it is when it runs, so one waiting save covers them all.
  let saveWaiting = false;
  const requestSave = () => {
    if (saveWaiting) return;
    saveWaiting = true;
    enqueue(() => {
      saveWaiting = false;
      return saveNow();
    });
  };
  let pollWaiting = false;
  const requestPoll = () => {
    if (pollWaiting) return;
    pollWaiting = true;
    enqueue(async () => {
      pollWaiting = false;
      const stored = await storage.read();
      if (stored !== undefined) mergeStored(stored, false);
    });
  };

  let stopWatching: (() => void) | undefined;
  let autoSaveListenerId: Id | undefined;

  const onTransactionFinished = () => {
    if (mergingStoredContent === undefined) {
      if (!isEmptyChanges(access.getTransactionChanges())) requestSave();
      return;
    }
    // Merging what is stored: only what listeners wrote meanwhile needs saving.
    if (stampsBeforeMerge !== undefined && stampsBeforeMerge === access.getLocalStampCount())
      return;
    if (writesBesides(access.getTransactionChanges(), mergingStoredContent) !== undefined) {
      requestSave();
    }
  };

  const load = async (initialContent?: Content | (() => Content)) => {
    await enqueue(() => loadNow(initialContent));
    return persister;
  };

  const stopWatchingNow = () => {
    stopWatching?.();
    stopWatching = undefined;
  };

  // Setting up auto-loading or auto-saving fails when the storage cannot be watched or reached
  // (IndexedDB will not open, say): the error is reported and no timer or listener is left.
  const startAutoLoadNow = async (initialContent?: Content | (() => Content)) => {
    stopWatchingNow();
    try {
      stopWatching = storage.watch(requestPoll);
    } catch (error) {
      reportIgnored(error);
      return false;
    }
    if (await enqueue(() => loadNow(initialContent))) return true;
    stopWatchingNow();
    return false;
  };

  const startAutoLoad = async (initialContent?: Content | (() => Content)) => {
    await startAutoLoadNow(initialContent);
    return persister;
  };

  const stopAutoLoad = async () => {
    stopWatchingNow();
    await queue;
    return persister;
  };

  const save = async () => {
    await enqueue(saveNow);
    return persister;
  };

  const stopListeningNow = () => {
    if (autoSaveListenerId !== undefined) {
      store.delListener(autoSaveListenerId);
      autoSaveListenerId = undefined;
    }
  };

  const startAutoSaveNow = async () => {
    if (autoSaveListenerId === undefined) {
      try {
        autoSaveListenerId = store.addDidFinishTransactionListener(onTransactionFinished);
      } catch (error) {
        reportIgnored(error);
        return false;
      }
    }
    if (await enqueue(saveNow)) return true;
    stopListeningNow();
    return false;
  };

  const startAutoSave = async () => {
    await startAutoSaveNow();
    return persister;
  };

  const stopAutoSave = async () => {
    stopListeningNow();
    // Whatever was edited before stopping is still written.
    await queue;
    return persister;
  };

  const startAutoPersisting = async (
    initialContent?: Content | (() => Content),
    startSaveFirst = false,
  ) => {
    const started = startSaveFirst
      ? (await startAutoSaveNow()) && (await startAutoLoadNow(initialContent))
      : (await startAutoLoadNow(initialContent)) && (await startAutoSaveNow());
    if (!started) {
      // Half started is not started: neither direction is left running.
      stopWatchingNow();
      stopListeningNow();
    }
    return persister;
  };

  const stopAutoPersisting = async (stopSaveFirst = false) => {
    if (stopSaveFirst) {
      await stopAutoSave();
      return stopAutoLoad();
    }
    await stopAutoLoad();
    return stopAutoSave();
  };

  const addStatusListener = (listener: PersisterStatusListener): Id => {
    const listenerId = String(nextListenerId++);
    statusListeners.set(listenerId, listener);
    return listenerId;
  };

  const delListener = (listenerId: Id) => {
    statusListeners.delete(listenerId);
    return persister;
  };

  const schedule = async (...actions: (() => Promise<unknown>)[]) => {
    for (const action of actions) enqueue(action);
    await queue;
    return persister;
  };

  // destroy() never fails: whatever goes wrong while releasing the storage is reported.
  const destroy = async () => {
    stopWatchingNow();
    stopListeningNow();
    await queue;
    statusListeners.clear();
    try {
      await storage.close();
    } catch (error) {
      reportIgnored(error);
    }
    return persister;
  };

  const persister: Persister & Extra = {
    ...extra,
    load,
    startAutoLoad,
    stopAutoLoad,
    isAutoLoading: () => stopWatching !== undefined,
    save,
    startAutoSave,
    stopAutoSave,
    isAutoSaving: () => autoSaveListenerId !== undefined,
    startAutoPersisting,
    stopAutoPersisting,
    getStatus: () => status,
    addStatusListener,
    delListener,
    schedule,
    getStore: () => store,
    getStats: () => ({...stats}),
    destroy,
  };
  return persister;
};
