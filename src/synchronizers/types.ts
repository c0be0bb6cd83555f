// Public types of synchronizers: TinyBase's Synchronizer surface plus syncstore's sync status.
import type {Content, Id, MergeableStore} from '../store/types.js';
import type {PeersPresence, PresenceListenerOf, PresenceState} from './presence/types.js';

export type {
  PeersPresence,
  PresenceChannel,
  PresenceSink,
  PresenceState,
} from './presence/types.js';

/**
 * Protocol message numbers (docs/protocol.md §5.3), as they appear on the wire and in `onSend`/`onReceive`:
 * a Response answers a request by its request id; the others ask for or carry hashes and diffs.
 */
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
/** One of the Message numbers. */
export type Message = (typeof Message)[keyof typeof Message];

/** Persister status, as in TinyBase: Idle 0, Loading 1, Saving 2. */
export const Status = {Idle: 0, Loading: 1, Saving: 2} as const;
/** One of the Status numbers: Loading while pulling from peers, Saving while sending to them. */
export type Status = (typeof Status)[keyof typeof Status];

/**
 * Whether the transport can currently carry messages: `connecting` while a link is being
 * (re)established, `online` when messages flow, `offline` when there is no link (or after
 * destroy).
 */
export type Connection = 'connecting' | 'online' | 'offline';
/**
 * Where the exchange with peers stands: `idle` when not syncing, not online, alone (no peer
 * answered), or when a peer's content stays different after asking (it rejects this peer's
 * changes); `syncing` while a pull runs or is retried, or until it is settled that peers hold
 * what this one holds; `synced` once both sides ended with equal content hashes.
 */
export type SyncPhase = 'idle' | 'syncing' | 'synced';

/**
 * syncstore's observable sync status (beyond TinyBase), from getSyncStatus(). A new object each
 * time a field changes, so it can be compared by reference.
 */
export type SyncStatus = {
  /** Whether the transport is connecting, online or offline. */
  connection: Connection;
  /** Whether this peer is idle, syncing, or synced with its peers. */
  phase: SyncPhase;
  /**
   * Distinct local cells and values changed while the transport could not carry them; they stay
   * in the store and go out with the announcement after reconnecting, which resets this to 0.
   */
  pendingChanges: number;
  /** When the last sync completed (`Date.now()` milliseconds), or null if none has yet. */
  lastSyncedAt: number | null;
  /**
   * The last problem (rejected input, timeout, overflow, transport failure, or this peer's clock
   * running ahead of its peers), or null. A later successful sync clears it, except the clock
   * warning, which lasts until a peer's edit shows the clocks agree.
   */
  error: Error | null;
  /**
   * The server node a WebSocket synchronizer given URLs is connected or connecting to: its URL,
   * and the id the node gave in its extension handshake (`nodeId`, syncstore servers configured
   * with one). Absent for other transports (docs/protocol.md §7.4).
   */
  node?: SyncNode;
  /**
   * Local changes (distinct cells and values) sent to the server but not yet confirmed stored
   * durably by it (durable acknowledgements, docs/protocol.md §8.7). Absent until a server that
   * confirms has been met: TinyBase servers, rooms without storage and other transports never
   * confirm. Unconfirmed changes are still in the local store.
   */
  unconfirmedChanges?: number;
};
/** A server node of SyncStatus's `node`. */
export type SyncNode = {url: string; nodeId?: string};
/** What a transport adds to the sync status about its own link (TransportLink.setLinkDetails). */
export type LinkDetails = Pick<SyncStatus, 'node' | 'unconfirmedChanges'>;
/** Called with the new sync status whenever one of its fields changes. */
export type SyncStatusListener = (status: SyncStatus, synchronizer: Synchronizer) => void;

/**
 * Sends one protocol message: to the peer `toClientId`, or to every other peer when it is null.
 * `requestId` pairs a request with its Response (null for messages that expect none).
 */
export type Send = (
  toClientId: Id | null,
  requestId: Id | null,
  message: Message,
  body: unknown,
) => void;
/** Takes one incoming message from the peer `fromClientId` (the id to reply to). */
export type Receive = (
  fromClientId: Id,
  requestId: Id | null,
  message: Message,
  body: unknown,
) => void;
/**
 * Hands the engine's receive function to the transport, and a `fail` to report a broken
 * transport.
 */
export type RegisterReceive = (receive: Receive, fail: (error: Error) => void) => void;
/**
 * Called with a presence change: `peerId` null for this synchronizer's own, `state` null for a
 * peer that is gone (docs/protocol.md §8.2).
 */
export type PresenceListener = PresenceListenerOf<Synchronizer>;
/** Called with the new persister-style Status whenever it changes. */
export type StatusListener = (synchronizer: Synchronizer, status: Status) => void;
/**
 * Receives, with a reason, everything the synchronizer rejects or gives up on: invalid messages,
 * rejected change sets, timeouts, overflows, transport failures.
 */
export type IgnoredErrorListener = (error: Error) => void;

/** Whether a protocol message was sent by this synchronizer or received from a peer. */
export type MessageDirection = 'sent' | 'received';
/** One protocol message as a message listener sees it (syncstore extension). */
export type MessageInfo = {
  direction: MessageDirection;
  /** The peer it came from; for a sent one, the peer it went to, or null when sent to all. */
  peerId: Id | null;
  /** Pairs a request with its Response; null for messages that expect none. */
  requestId: Id | null;
  message: Message;
  /** The message's body as it is handed to or from the transport: read it, never change it. */
  body: unknown;
};
/**
 * Called synchronously with every protocol message sent, and every valid one received (invalid
 * ones go to onIgnoredError instead). For logging and dev tools: it must not write to the store.
 */
export type MessageListener = (info: MessageInfo, synchronizer: Synchronizer) => void;

/** Protocol messages sent and received so far. */
export type SynchronizerStats = {sends: number; receives: number};
/** Loads (pulls) and saves (announcements) done so far. */
export type PersisterStats = {loads: number; saves: number};

/**
 * Keeps a MergeableStore merged with the stores of its peers over some transport. It has
 * TinyBase's Persister surface, where loading means pulling changes from peers and saving means
 * sending changes to them; `startSync` turns both on. Beyond TinyBase it reports a SyncStatus.
 */
export interface Synchronizer {
  /** The store this synchronizer keeps in sync. */
  getStore(): MergeableStore;
  /**
   * Pulls what peers have that this store lacks. If no peer answers and `initialContent` is
   * given, it is set as default content (stamped with no time, so any real data beats it).
   * Skipped while saving. Resolves to the synchronizer once done.
   */
  load(initialContent?: Content | (() => Content)): Promise<Synchronizer>;
  /**
   * Announces this store's content hashes, so that peers pull what they lack. Skipped while
   * loading.
   */
  save(): Promise<Synchronizer>;
  /** Loads once, then merges whatever peers announce or send from then on. */
  startAutoLoad(initialContent?: Content | (() => Content)): Promise<Synchronizer>;
  /** Stops merging what peers send, at once. Resolves to the synchronizer. */
  stopAutoLoad(): Promise<Synchronizer>;
  /** Whether auto-loading is on. */
  isAutoLoading(): boolean;
  /** Saves once, then sends the changes of every local transaction to peers. */
  startAutoSave(): Promise<Synchronizer>;
  /** Sends what is queued, then stops sending local changes. Resolves to the synchronizer. */
  stopAutoSave(): Promise<Synchronizer>;
  /** Whether auto-saving is on. */
  isAutoSaving(): boolean;
  /** Starts auto-loading then auto-saving (the other way round with `startSaveFirst`). */
  startAutoPersisting(
    initialContent?: Content | (() => Content),
    startSaveFirst?: boolean,
  ): Promise<Synchronizer>;
  /** Stops auto-loading then auto-saving (the other way round with `stopSaveFirst`). */
  stopAutoPersisting(stopSaveFirst?: boolean): Promise<Synchronizer>;
  /** TinyBase's status: Idle, Loading (pulling) or Saving (sending). */
  getStatus(): Status;
  /** Listens to getStatus() changes; returns the listener's id. */
  addStatusListener(listener: StatusListener): Id;
  /** Removes a status, sync status, message or presence listener. Returns the synchronizer. */
  delListener(listenerId: Id): Synchronizer;
  /**
   * Runs the actions one after another, after every load, save and action queued before them;
   * loads and saves asked for later wait for them. An action that throws is reported to
   * onIgnoredError and the rest still run. Resolves to the synchronizer once they have all run.
   *
   * @example
   * await synchronizer.schedule(async () => {
   *   await migrate(synchronizer.getStore()); // no load or save runs meanwhile
   * });
   */
  schedule(...actions: (() => Promise<unknown>)[]): Promise<Synchronizer>;
  /**
   * How many loads and saves were done. Every load() counts (also one that found no peer and
   * fell back to the initial content), and so does every merge of what peers announced or sent.
   */
  getStats(): PersisterStats;
  /**
   * Starts syncing both ways: pulls from peers (falling back to `initialContent` if none has
   * content), then sends every local change and answers peers' requests. Resolves once the first
   * pull is done; a lone peer does not fail.
   *
   * @example
   * const synchronizer = createLocalSynchronizer(store);
   * await synchronizer.startSync([{todos: {}}, {}]);
   */
  startSync(initialContent?: Content | (() => Content)): Promise<Synchronizer>;
  /** Stops syncing, at once; the transport stays open until destroy. Resolves to the synchronizer. */
  stopSync(): Promise<Synchronizer>;
  /**
   * Sends what is queued, stops syncing, fails pending requests and tears the transport down
   * (a WebSocket it owns is closed), all at once; the sync status goes offline. Never fails: a
   * transport that throws while torn down is reported to onIgnoredError. Resolves to the
   * synchronizer.
   */
  destroy(): Promise<Synchronizer>;
  /** How many protocol messages were sent and received. */
  getSynchronizerStats(): SynchronizerStats;
  // Beyond TinyBase
  /** The current sync status: connection, phase, pending changes, last sync time, last error. */
  getSyncStatus(): SyncStatus;
  /**
   * Listens to sync status changes (called only when a field changes); returns the listener's
   * id, for delListener.
   *
   * @example
   * synchronizer.addSyncStatusListener(({connection, phase, pendingChanges}) =>
   *   console.log(connection, phase, pendingChanges),
   * );
   */
  addSyncStatusListener(listener: SyncStatusListener): Id;
  /**
   * Listens to every protocol message sent and every valid one received, as onSend and onReceive
   * do, but added and removed at any time (the Inspector uses it); returns the listener's id, for
   * delListener. Listening changes nothing about what is sent.
   *
   * @example
   * synchronizer.addMessageListener(({direction, peerId, message}) =>
   *   console.log(direction, peerId, getMessageName(message)),
   * );
   */
  addMessageListener(listener: MessageListener): Id;
  /**
   * Sets this client's presence (docs/protocol.md §8.2): a small JSON object such as a name, a
   * colour or a cursor, or null to clear it. It is never stored nor merged; the transport relays
   * it to the peers (at most one update per 50 ms, the last one always), who drop it when this
   * synchronizer is destroyed or stops answering. A transport without presence (a custom one, a
   * multiplexed socket, a TinyBase server) keeps it local. Throws a TypeError for anything but a
   * plain JSON object or null. Returns the synchronizer.
   *
   * @example
   * synchronizer.setPresence({name: 'Ada', cursor: {x: 10, y: 20}});
   */
  setPresence(state: PresenceState | null): Synchronizer;
  /** This client's presence, as last set (null before). */
  getPresence(): PresenceState | null;
  /**
   * The presence of every peer that has one, by peer id (the peer's client id on the transport).
   * The same frozen object until a peer's presence changes, so it can be compared by reference.
   */
  getPeersPresence(): PeersPresence;
  /**
   * Listens to presence changes, this client's own (peerId null) and its peers' (state null when
   * a peer is gone); returns the listener's id, for delListener.
   *
   * @example
   * synchronizer.addPresenceListener((synchronizer, peerId, state) =>
   *   console.log(peerId ?? 'me', state),
   * );
   */
  addPresenceListener(listener: PresenceListener): Id;
}

/**
 * What a transport tells the engine about its link (syncstore extension). A transport that starts
 * disconnected passes `initialConnection`; when its link comes back it reports `online`, and the
 * engine, if syncing, pulls and announces so edits made on either side while apart all arrive.
 */
export interface TransportLink {
  /**
   * Reports the transport's link state, and optionally an error (sent to onIgnoredError and the
   * status). Leaving `online` fails pending requests; coming back while syncing pulls and
   * announces.
   */
  setConnection(connection: Connection, error?: Error): void;
  /**
   * Reports part of a message from `peerId` (a fragment of a larger one): the peer is sending, so
   * the requests addressed to it wait their full timeout again from now (docs/protocol.md §7.3).
   */
  notePeerActivity(peerId: Id): void;
  /**
   * Reports what the transport knows beyond the connection: the node it is on, and how many
   * sent changes its server has not yet confirmed stored. Given fields replace the current ones.
   */
  setLinkDetails(details: LinkDetails): void;
}
