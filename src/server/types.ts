// Public types of syncstore's WebSocket server.
import type {WebSocketServer} from 'ws';
import type {Id, Ids, MergeableChanges, MergeableStore} from '../store/types.js';
import type {Authorize, CanWriteCell, CanWriteValue} from './authorization.js';
import type {ChangeLogWrite, StoredChangeLog} from './delta-log.js';

export type {ClientLimits, LimitName} from './client-limits.js';

import type {ClientLimits} from './client-limits.js';

export type {
  AccessContext,
  Authorize,
  CanWriteCell,
  CanWriteValue,
  ClientAccess,
} from './authorization.js';

/** +1 when an id appears, -1 when it goes. */
export type IdAddedOrRemoved = 1 | -1;

/** Called when a room (path) gets its first client (+1) or loses its last (-1). */
export type PathIdsListener = (
  wsServer: WsServer,
  pathId: Id,
  addedOrRemoved: IdAddedOrRemoved,
) => void;
/** Called when a client joins (+1) or leaves (-1) the room at `pathId`. */
export type ClientIdsListener = (
  wsServer: WsServer,
  pathId: Id,
  clientId: Id,
  addedOrRemoved: IdAddedOrRemoved,
) => void;

/** Occupancy of a WsServer, from getStats(): exactly TinyBase's shape. */
export type WsServerStats = {
  /** Rooms (paths) with at least one client. */
  paths: number;
  /** Client memberships across rooms (a multiplexed socket counts once per channel). */
  clients: number;
};

/** Traffic through a WsServer since it was created, from getTrafficStats() (syncstore's own). */
export type WsTrafficStats = {
  /** Frames received from clients. */
  messagesIn: number;
  /** UTF-8 bytes of the frames received from clients. */
  bytesIn: number;
  /** Frames sent to clients. */
  messagesOut: number;
  /** UTF-8 bytes of the frames sent to clients. */
  bytesOut: number;
};

/**
 * The part of a TinyBase-style persister the server drives: a syncstore Synchronizer or any
 * persister of a MergeableStore has it.
 */
export interface PathPersister {
  /** The store the persister keeps; the server syncs the room's clients with it. */
  getStore(): MergeableStore;
  /** Called when the room starts, to load the stored content and keep loading it. */
  startAutoLoad(): unknown;
  /** Called once loaded, to save every change the room's store receives. */
  startAutoSave(): unknown;
  /** Called when the room closes: its last client left, or the server is being destroyed. */
  destroy(): unknown;
}

/**
 * TinyBase's second argument: a persister (or nothing, for a pure relay room) for the room at
 * `pathId`, possibly with a function to call on its store once loaded; may be async.
 */
export type CreatePersisterForPath = (
  pathId: Id,
) =>
  | PathPersister
  | [PathPersister, (store: MergeableStore) => void]
  | undefined
  | Promise<PathPersister | [PathPersister, (store: MergeableStore) => void] | undefined>;

/**
 * Where rooms keep their content between server runs (docs/protocol.md §7.7). Every method may
 * answer synchronously (SQLite) or with a promise (PostgreSQL); the server handles both.
 */
export interface RoomStorage {
  /**
   * A room's stored content as unhashed, encoded change sets, read in parts so that a large room
   * is never one giant result; nothing for a new room. A synchronous iterable is loaded before
   * the room's first client is served; while an asynchronous one loads, client messages wait.
   */
  loadRoom(pathId: Id): Iterable<MergeableChanges> | AsyncIterable<MergeableChanges>;
  /**
   * Durably merges stamps into a room: each cell or value is kept only if its HLC is later than
   * the stored one (or the stored one has no time), the rule the store itself merges by. Returns
   * (or resolves) once the changes are durable; throws (or rejects) when they could not be
   * stored, and the server then tries again later with the same changes.
   */
  saveChanges(pathId: Id, changes: MergeableChanges): void | Promise<void>;
  /** Ids of every stored room. */
  getStoredPathIds(): Ids | Promise<Ids>;
  /**
   * Storage shared by several server nodes: from the end of the last loadRoom of `pathId` on,
   * calls `listener` with what other nodes store into the room, catching up by itself on what
   * it missed; what goes wrong meanwhile goes to `onError`. Returns a function that stops it.
   */
  watchRoom?(
    pathId: Id,
    listener: (changes: MergeableChanges) => void,
    onError: (error: Error) => void,
  ): () => void;
  /**
   * Optional, for delta resync across restarts (docs/protocol.md §8.8): the room's change
   * sequence as last written, or undefined when none was. A storage without these two methods
   * starts a new history at every room start, and old clients fall back to the hash walk.
   */
  loadChangeLog?(pathId: Id): StoredChangeLog | undefined;
  /** Optional: durably records what one accepted change set did to the room's change sequence. */
  saveChangeLog?(pathId: Id, write: ChangeLogWrite): void;
  /** Flushes and releases the storage. */
  close(): void | Promise<void>;
}

/** createWsServer's options, the second argument in place of TinyBase's persister function. */
export type WsServerOptions = {
  /**
   * Durable room storage: a SQLite file name (one MergeableStore per room, WAL mode; ':memory:'
   * for a database that lasts as long as the process) or a RoomStorage. Each room is loaded before
   * its first client is served. Without storage and without `createPersisterForPath` the server
   * is a pure relay.
   */
  storage?: string | RoomStorage;
  /** TinyBase-style persister per room (used when `storage` is not given). */
  createPersisterForPath?: CreatePersisterForPath;
  /**
   * TinyBase 10.1's: decides per client and room (per channel on a multiplexed socket) whether it
   * may join, read-only or not, and with what context. A refusal closes the socket with 1008.
   * With any of authorize, canWriteCell and canWriteValue, each room's store (in memory when the
   * room has no storage) is the only peer its clients sync with.
   */
  authorize?: Authorize;
  /** TinyBase 10.1's: whether a writable client may write one cell; a refused cell is dropped. */
  canWriteCell?: CanWriteCell;
  /** TinyBase 10.1's: whether a writable client may write one value; a refused value is dropped. */
  canWriteValue?: CanWriteValue;
  /** Receives every rejected input, transport problem and storage failure. */
  onIgnoredError?: (error: Error) => void;
  /** Timeout of the server store's requests to clients; default 1. */
  requestTimeoutSeconds?: number;
  /** Split the server store's large messages into fragments of about this many bytes. */
  fragmentSize?: number;
  /**
   * Limits per client socket, each with a safe default (client-limits.ts, docs/protocol.md §6.9);
   * 0 or Infinity turns one off. A client beyond one is closed (1013 for rates, channels and a
   * full room; 1009 for ids, values and nesting) and the reason goes to onIgnoredError.
   */
  limits?: ClientLimits;
  /**
   * Seconds between pings to each client; a client that has not answered the previous ping is
   * disconnected. Default 30; 0 turns it off.
   */
  heartbeatSeconds?: number;
  /** This node's id, told to syncstore clients when they connect (docs/protocol.md §8.1). */
  nodeId?: string;
  /**
   * Delta resync (docs/protocol.md §8.8): at most this many leaves per room are remembered in the
   * room's change sequence (default: all). A client that was away for longer than the forgotten
   * leaves walks the hash trees instead.
   */
  deltaHistory?: number;
};

/** A running sync server, from createWsServer. */
export interface WsServer {
  /** The `ws` WebSocketServer this server listens on. */
  getWebSocketServer(): WebSocketServer;
  /** The ids (URL paths) of the rooms that currently have clients. */
  getPathIds(): Ids;
  /** The ids of the clients in a room (`[]` for an unknown room). */
  getClientIds(pathId: Id): Ids;
  /** Listens to rooms opening and closing; returns the listener's id. */
  addPathIdsListener(listener: PathIdsListener): Id;
  /** Listens to clients joining and leaving a room (`null`: any room); returns its id. */
  addClientIdsListener(pathId: Id | null, listener: ClientIdsListener): Id;
  /** Removes a listener. Returns the server. */
  delListener(listenerId: Id): WsServer;
  /** How many rooms have clients, and how many clients they have, as TinyBase reports them. */
  getStats(): WsServerStats;
  /** Frames and UTF-8 bytes received from and sent to clients so far. */
  getTrafficStats(): WsTrafficStats;
  /** Closes every client socket and the server, stops the rooms and flushes storage. */
  destroy(): Promise<void>;
}

/** A pure relay server, from createWsServerSimple: TinyBase's WsServerSimple. */
export interface WsServerSimple {
  /** The `ws` WebSocketServer this server listens on. */
  getWebSocketServer(): WebSocketServer;
  /** Closes every client socket and the server. */
  destroy(): Promise<void>;
}
