// Public types of persisters: TinyBase's Persister surface, for MergeableStores.
import type {Content, Id, MergeableStore} from '../store/types.js';
import type {PersisterStats, Status} from '../synchronizers/types.js';

export type {PersisterStats, Status};

export type PersisterStatusListener = (persister: Persister, status: Status) => void;

/** Called with every error a persister handles by itself instead of rejecting a promise. */
export type PersisterIgnoredErrorListener = (error: Error) => void;

/**
 * Keeps a MergeableStore's content in some storage. Loads merge what is stored into the store
 * (nothing in the store is lost); saves write the store's full mergeable content, with every
 * stamp, so that a store rebuilt from storage still merges correctly with its peers.
 *
 * Storage errors never reject: they go to the persister's `onIgnoredError`.
 */
export interface Persister {
  /** Merges what is stored into the store; when nothing is stored, sets `initialContent` as defaults. */
  load(initialContent?: Content | (() => Content)): Promise<Persister>;
  /**
   * Loads now, then again whenever the storage changes (from another tab, say). If the storage
   * cannot be watched or read (IndexedDB will not open, say), the error is reported and the
   * persister is left not auto-loading, with no timer behind.
   */
  startAutoLoad(initialContent?: Content | (() => Content)): Promise<Persister>;
  stopAutoLoad(): Promise<Persister>;
  isAutoLoading(): boolean;
  /** Writes the store's content now. */
  save(): Promise<Persister>;
  /**
   * Saves now, then after every transaction that changes the store. If that first save fails,
   * the error is reported and the persister is left not auto-saving, with no listener behind.
   */
  startAutoSave(): Promise<Persister>;
  stopAutoSave(): Promise<Persister>;
  isAutoSaving(): boolean;
  /**
   * Starts auto-loading then auto-saving (or the other way round with `startSaveFirst`). If
   * either fails to start, neither is left running.
   */
  startAutoPersisting(
    initialContent?: Content | (() => Content),
    startSaveFirst?: boolean,
  ): Promise<Persister>;
  stopAutoPersisting(stopSaveFirst?: boolean): Promise<Persister>;
  /** Idle 0, Loading 1, Saving 2. */
  getStatus(): Status;
  addStatusListener(listener: PersisterStatusListener): Id;
  delListener(listenerId: Id): Persister;
  /** Runs the actions one after another, after every load and save queued before them. */
  schedule(...actions: (() => Promise<unknown>)[]): Promise<Persister>;
  getStore(): MergeableStore;
  /** `loads`: content read from storage and merged in; `saves`: content written. */
  getStats(): PersisterStats;
  /**
   * Stops auto-loading and auto-saving, waits for queued work, and releases the storage. Never
   * rejects: a storage that fails to close is reported.
   */
  destroy(): Promise<Persister>;
}
