// Public types of syncstore's WebSocket server.
import type {IncomingMessage} from 'node:http';
import type {WebSocketServer} from 'ws';
import type {Id, Ids, MergeableChanges, MergeableStore} from '../store/types.js';

/** +1 when an id appears, -1 when it goes. */
export type IdAddedOrRemoved = 1 | -1;

export type PathIdsListener = (
  wsServer: WsServer,
  pathId: Id,
  addedOrRemoved: IdAddedOrRemoved,
) => void;
export type ClientIdsListener = (
  wsServer: WsServer,
  pathId: Id,
  clientId: Id,
  addedOrRemoved: IdAddedOrRemoved,
) => void;

export type WsServerStats = {
  /** Rooms (paths) with at least one client. */
  paths: number;
  /** Client memberships across rooms (a multiplexed socket counts once per channel). */
  clients: number;
  /** Frames received from clients, and their UTF-8 bytes. */
  messagesIn: number;
  bytesIn: number;
  /** Frames sent to clients, and their UTF-8 bytes. */
  messagesOut: number;
  bytesOut: number;
};

/**
 * The part of a TinyBase-style persister the server drives: a syncstore Synchronizer or any
 * persister of a MergeableStore has it.
 */
export interface PathPersister {
  getStore(): MergeableStore;
  startAutoLoad(): unknown;
  startAutoSave(): unknown;
  destroy(): unknown;
}

/** TinyBase's second argument: a persister (or nothing) for the room at `pathId`. */
export type CreatePersisterForPath = (
  pathId: Id,
) =>
  | PathPersister
  | [PathPersister, (store: MergeableStore) => void]
  | undefined
  | Promise<PathPersister | [PathPersister, (store: MergeableStore) => void] | undefined>;

/** Where rooms keep their content between server runs. */
export interface RoomStorage {
  /** A room's stored content as unhashed, encoded changes, or undefined for a new room. */
  loadRoom(pathId: Id): MergeableChanges | undefined;
  /**
   * Durably merges stamps into a room: each cell or value is kept only if its HLC is later than
   * the stored one (or the stored one has no time), the rule the store itself merges by.
   */
  saveChanges(pathId: Id, changes: MergeableChanges): void;
  /** Ids of every stored room. */
  getStoredPathIds(): Ids;
  /** Flushes and releases the storage. */
  close(): void;
}

/**
 * Decides whether a connection may join the room at `pathId`: true accepts it; false rejects the
 * upgrade with HTTP 403; 401 or 403 rejects with that status. For a multiplexed socket it is also
 * asked for each channel's room; a refused channel is never subscribed.
 */
export type Authorize = (
  request: IncomingMessage,
  pathId: Id,
) => boolean | 401 | 403 | Promise<boolean | 401 | 403>;

export type WsServerOptions = {
  /**
   * Durable room storage: a SQLite file name (one MergeableStore per room, WAL mode) or a
   * RoomStorage. Without storage and without `createPersisterForPath` the server is a pure relay.
   */
  storage?: string | RoomStorage;
  /** TinyBase-style persister per room (used when `storage` is not given). */
  createPersisterForPath?: CreatePersisterForPath;
  authorize?: Authorize;
  /** Receives every rejected input, transport problem and storage failure. */
  onIgnoredError?: (error: Error) => void;
  /** Timeout of the server store's requests to clients; default 1. */
  requestTimeoutSeconds?: number;
  /** Split the server store's large messages into fragments of about this many bytes. */
  fragmentSize?: number;
  /**
   * Seconds between pings to each client; a client that has not answered the previous ping is
   * disconnected. Default 30; 0 turns it off.
   */
  heartbeatSeconds?: number;
};

export interface WsServer {
  getWebSocketServer(): WebSocketServer;
  getPathIds(): Ids;
  getClientIds(pathId: Id): Ids;
  addPathIdsListener(listener: PathIdsListener): Id;
  addClientIdsListener(pathId: Id | null, listener: ClientIdsListener): Id;
  delListener(listenerId: Id): WsServer;
  getStats(): WsServerStats;
  /** Closes every client socket and the server, stops the rooms and flushes storage. */
  destroy(): Promise<void>;
}
