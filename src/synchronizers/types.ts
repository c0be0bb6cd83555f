// Public types of synchronizers: TinyBase's Synchronizer surface plus syncstore's sync status.
import type {Content, Id, MergeableStore} from '../store/types.js';

/** Protocol message numbers (spec §3.2). */
export const Message = {
  Response: 0,
  GetContentHashes: 1,
  ContentHashes: 2,
  ContentDiff: 3,
  GetTableDiff: 4,
  GetRowDiff: 5,
  GetCellDiff: 6,
  GetValueDiff: 7,
} as const;
export type Message = (typeof Message)[keyof typeof Message];

/** Persister status, as in TinyBase: Idle 0, Loading 1, Saving 2. */
export const Status = {Idle: 0, Loading: 1, Saving: 2} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** Whether the transport can currently carry messages. */
export type Connection = 'connecting' | 'online' | 'offline';
/** Where the last exchange with peers stands. `synced`: it ended with equal content hashes. */
export type SyncPhase = 'idle' | 'syncing' | 'synced';

/** syncstore's observable sync status (beyond TinyBase). */
export type SyncStatus = {
  connection: Connection;
  phase: SyncPhase;
  /** Local cell/value changes not yet sent on an open transport. */
  pendingChanges: number;
  /** Time (ms since epoch, from the store's clock source) of the last completed sync, or null. */
  lastSyncedAt: number | null;
  /** The last error (rejected input, timeout, transport failure), or null. */
  error: Error | null;
};
export type SyncStatusListener = (status: SyncStatus, synchronizer: Synchronizer) => void;

export type Send = (
  toClientId: Id | null,
  requestId: Id | null,
  message: Message,
  body: unknown,
) => void;
export type Receive = (
  fromClientId: Id,
  requestId: Id | null,
  message: Message,
  body: unknown,
) => void;
/** Hands the engine's receive function to the transport, and a `fail` to report a broken transport. */
export type RegisterReceive = (receive: Receive, fail: (error: Error) => void) => void;
export type StatusListener = (synchronizer: Synchronizer, status: Status) => void;
export type IgnoredErrorListener = (error: Error) => void;

export type SynchronizerStats = {sends: number; receives: number};
export type PersisterStats = {loads: number; saves: number};

export interface Synchronizer {
  getStore(): MergeableStore;
  load(initialContent?: Content | (() => Content)): Promise<Synchronizer>;
  save(): Promise<Synchronizer>;
  startAutoLoad(initialContent?: Content | (() => Content)): Promise<Synchronizer>;
  stopAutoLoad(): Synchronizer;
  isAutoLoading(): boolean;
  startAutoSave(): Promise<Synchronizer>;
  stopAutoSave(): Synchronizer;
  isAutoSaving(): boolean;
  startAutoPersisting(
    initialContent?: Content | (() => Content),
    startSaveFirst?: boolean,
  ): Promise<Synchronizer>;
  stopAutoPersisting(stopSaveFirst?: boolean): Synchronizer;
  getStatus(): Status;
  addStatusListener(listener: StatusListener): Id;
  delListener(listenerId: Id): Synchronizer;
  getStats(): PersisterStats;
  startSync(initialContent?: Content | (() => Content)): Promise<Synchronizer>;
  stopSync(): Synchronizer;
  destroy(): Synchronizer;
  getSynchronizerStats(): SynchronizerStats;
  // Beyond TinyBase
  getSyncStatus(): SyncStatus;
  addSyncStatusListener(listener: SyncStatusListener): Id;
}

/**
 * What a transport tells the engine about its link (syncstore extension). A transport that starts
 * disconnected passes `initialConnection`; when its link comes back it reports `online`, and the
 * engine, if syncing, pulls and announces so edits made on either side while apart all arrive.
 */
export interface TransportLink {
  setConnection(connection: Connection, error?: Error): void;
}
