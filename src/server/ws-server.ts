// createWsServer: syncstore's WebSocket server over a `ws` WebSocketServer. TinyBase-compatible
// (same arguments, relay rules, multiplexing, limits and close codes), plus durable SQLite rooms,
// an authorize hook, traffic stats and a graceful shutdown.
import type {IncomingMessage} from 'node:http';
import type {WebSocket, WebSocketServer} from 'ws';
import type {Id, Ids} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';
import {CLOSE_GOING_AWAY} from '../synchronizers/ws/errors.js';
import {decideAccess} from './authorization.js';
import {ClientConnection, type ConnectionHost} from './client-connection.js';
import {LimitError, resolveLimits} from './client-limits.js';
import {RoomChangeLog} from './delta-log.js';
import {createServerFeatures} from './feature-registry.js';
import {pathIdFromUrl} from './path-id.js';
import {Room, type RoomMember} from './room.js';
import {
  createMemoryPeerFactory,
  createPersisterPeerFactory,
  createStoredPeerFactory,
  type PeerFactory,
} from './server-peer.js';
import {createSqliteStorage} from './sqlite-storage.js';
import {createTrafficCounters} from './stats.js';
import {StorageWriter} from './storage-writer.js';
import {chooseExtensionSubprotocol} from './subprotocols.js';
import type {
  ClientIdsListener,
  CreatePersisterForPath,
  PathIdsListener,
  RoomStorage,
  WsServer,
  WsServerOptions,
  WsServerStats,
  WsTrafficStats,
} from './types.js';

const DEFAULT_HEARTBEAT_SECONDS = 30;
/** How long a graceful shutdown waits for clients to acknowledge the close. */
const CLOSE_GRACE_MS = 1000;

/**
 * Creates a sync server on `webSocketServer`: each URL path is a room, and the server relays
 * every client's messages to the others in its room (legacy and multiplexed sockets alike). The
 * second argument is either TinyBase's `createPersisterForPath` function or a WsServerOptions
 * object (`storage` as a SQLite file name gives durable rooms; `authorize`, `canWriteCell` and
 * `canWriteValue` decide, as in TinyBase 10.1, who may join a room and what each client may
 * write); the later positional arguments follow TinyBase's order and are overridden by the
 * same-named options. Invalid traffic closes the offending socket (1007,
 * or 1013 on overflow) and is reported to `onIgnoredError`; other clients keep working.
 * `destroy()` closes every socket, stops the rooms and flushes storage.
 *
 * @example
 * const server = createWsServer(new WebSocketServer({port: 8043}), {
 *   storage: 'rooms.db',
 *   authorize: (pathId, request) =>
 *     new URL(request.url ?? '', 'http://x').searchParams.get('token') === secret
 *       ? {context: {user: 'me'}}
 *       : undefined,
 *   canWriteCell: (pathId, tableId) => tableId !== 'settings',
 * });
 */
export function createWsServer(
  webSocketServer: WebSocketServer,
  createPersisterForPathOrOptions?: CreatePersisterForPath | WsServerOptions,
  onIgnoredError?: (error: Error) => void,
  requestTimeoutSeconds = 1,
  fragmentSize?: number,
): WsServer {
  const options: WsServerOptions =
    typeof createPersisterForPathOrOptions === 'function'
      ? {createPersisterForPath: createPersisterForPathOrOptions}
      : (createPersisterForPathOrOptions ?? {});
  const onError = options.onIgnoredError ?? onIgnoredError;
  // A throwing handler must not take the server down from inside a socket event.
  const reportError = (error: Error): void => {
    try {
      onError?.(error);
    } catch {
      // ignored: the handler itself failed
    }
  };
  const timeoutSeconds = options.requestTimeoutSeconds ?? requestTimeoutSeconds;
  const limits = resolveLimits(options.limits);
  const serverFragmentSize = options.fragmentSize ?? fragmentSize;
  const storage: RoomStorage | undefined =
    typeof options.storage === 'string' ? createSqliteStorage(options.storage) : options.storage;
  const writer = storage === undefined ? undefined : new StorageWriter(storage, reportError);

  const writeRules =
    options.authorize !== undefined ||
    options.canWriteCell !== undefined ||
    options.canWriteValue !== undefined
      ? {
          canWriteCell: options.canWriteCell,
          canWriteValue: options.canWriteValue,
          reportError,
          refusedNewLeavesPerClient: limits.refusedNewLeavesPerClient,
        }
      : undefined;
  const createPeer = gatedPeerFactory(
    storage !== undefined && writer !== undefined
      ? createStoredPeerFactory(storage, writer, timeoutSeconds, reportError)
      : options.createPersisterForPath
        ? createPersisterPeerFactory(options.createPersisterForPath, timeoutSeconds, reportError)
        : undefined,
    writeRules === undefined ? undefined : createMemoryPeerFactory(timeoutSeconds, reportError),
  );

  const features = createServerFeatures({limits, durableRooms: storage !== undefined});
  // Each room store's change sequence for delta resync (docs/protocol.md §8.8), durable when the
  // storage keeps it.
  const createChangeLog = (pathId: Id): RoomChangeLog => {
    const saveChangeLog = storage?.saveChangeLog?.bind(storage);
    return new RoomChangeLog({
      stored: storage?.loadChangeLog?.(pathId),
      maxLeaves: options.deltaHistory,
      onWrite:
        saveChangeLog === undefined
          ? undefined
          : (write) => {
              try {
                saveChangeLog(pathId, write);
              } catch (error) {
                reportError(
                  new Error(
                    `room ${JSON.stringify(pathId)}: could not store its change sequence: ${String(error)}`,
                  ),
                );
              }
            },
    });
  };
  const restoreSubprotocols = chooseExtensionSubprotocol(webSocketServer);
  const rooms = new Map<Id, Room>();
  const connections = new Set<ClientConnection>();
  const usedClientIds = new Set<Id>();
  /** Rooms being stopped; shutdown waits for them before closing storage. */
  const teardowns = new Set<Promise<void>>();
  const counters = createTrafficCounters();
  const pathIdsListeners = new Map<Id, PathIdsListener>();
  const clientIdsListeners = new Map<Id, [pathId: Id | null, listener: ClientIdsListener]>();
  const listenerIds = createListenerIds();
  let destroyed = false;

  const callSafely = (call: () => void): void => {
    try {
      call();
    } catch (error) {
      reportError(toError(error));
    }
  };

  const notifyPathId = (pathId: Id, change: 1 | -1): void => {
    for (const listener of [...pathIdsListeners.values()]) {
      callSafely(() => listener(wsServer, pathId, change));
    }
  };

  const notifyClientId = (pathId: Id, clientId: Id, change: 1 | -1): void => {
    // As TinyBase does: listeners of this very path first, then those of every path.
    const entries = [...clientIdsListeners.values()];
    const listeners = [
      ...entries.filter(([listenedPathId]) => listenedPathId === pathId),
      ...entries.filter(([listenedPathId]) => listenedPathId === null),
    ];
    for (const [, listener] of listeners) {
      callSafely(() => listener(wsServer, pathId, clientId, change));
    }
  };

  const stopRoom = (room: Room): void => {
    const teardown: Promise<void> = room
      .destroy()
      .catch(reportError)
      .finally(() => teardowns.delete(teardown));
    teardowns.add(teardown);
  };

  const host: ConnectionHost = {
    counters,
    requestTimeoutSeconds: timeoutSeconds,
    limits,
    onIgnoredError: reportError,
    join: (member: RoomMember) => {
      let room = rooms.get(member.pathId);
      if (room !== undefined && room.getClientIds().length >= limits.clientsPerRoom) {
        return new LimitError(
          'clients',
          `room ${JSON.stringify(member.pathId)} has ${limits.clientsPerRoom} clients`,
        );
      }
      const isNewRoom = room === undefined;
      if (room === undefined) {
        room = new Room(member.pathId, {
          requestTimeoutSeconds: timeoutSeconds,
          fragmentSize: serverFragmentSize,
          onIgnoredError: reportError,
          writeRules,
          features,
          createChangeLog,
        });
        rooms.set(member.pathId, room);
      }
      room.add(member);
      if (isNewRoom) {
        notifyPathId(member.pathId, 1);
        // The peer starts after the first member is in, so that what it sends at start reaches it.
        if (createPeer !== undefined) {
          const pathId = member.pathId;
          room.startPeer((send, onMerged) => createPeer(pathId, send, onMerged));
        }
      }
      notifyClientId(member.pathId, member.clientId, 1);
      return undefined;
    },
    leave: (member: RoomMember) => {
      const room = rooms.get(member.pathId);
      if (room === undefined || room.getMember(member.clientId) !== member) {
        return;
      }
      room.remove(member);
      notifyClientId(member.pathId, member.clientId, -1);
      if (room.isEmpty()) {
        rooms.delete(member.pathId);
        stopRoom(room);
        notifyPathId(member.pathId, -1);
      }
    },
    deliver: (member, decoded) => rooms.get(member.pathId)?.handle(member, decoded),
    features,
    nodeId: options.nodeId,
    deliverExtension: (member, frame) => rooms.get(member.pathId)?.handleExtension(member, frame),
    authorize: (request, pathId) => decideAccess(options.authorize, pathId, request, reportError),
    forget: (connection) => {
      connections.delete(connection);
      usedClientIds.delete(connection.clientId);
    },
  };

  const onConnection = (socket: WebSocket, request: IncomingMessage): void => {
    const pathId = pathIdFromUrl(request.url);
    const key = request.headers['sec-websocket-key'];
    if (destroyed || pathId === undefined || typeof key !== 'string') {
      socket.close(CLOSE_GOING_AWAY);
      return;
    }
    const connection = new ClientConnection(
      socket,
      request,
      uniqueClientId(key, usedClientIds),
      pathId,
      host,
    );
    usedClientIds.add(connection.clientId);
    connections.add(connection);
  };
  webSocketServer.on('connection', onConnection);
  // An 'error' nobody listens to would kill the process (e.g. the port cannot be listened on); as
  // TinyBase does, it goes to onIgnoredError instead.
  const onServerError = (error: Error): void => reportError(error);
  webSocketServer.on('error', onServerError);

  const heartbeatSeconds = options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
  const heartbeatTimer =
    heartbeatSeconds > 0
      ? setInterval(() => {
          for (const connection of connections) {
            connection.heartbeat();
          }
        }, heartbeatSeconds * 1000)
      : undefined;
  heartbeatTimer?.unref?.();

  // destroy() never rejects: whatever fails while shutting down is reported, and the rest goes on.
  const destroy = async (): Promise<void> => {
    try {
      await shutDown();
    } catch (error) {
      reportError(toError(error));
    }
  };

  const shutDown = async (): Promise<void> => {
    if (destroyed) {
      return;
    }
    destroyed = true;
    clearInterval(heartbeatTimer);
    const closing = [...connections].map((connection) => closeGracefully(connection));
    await Promise.all(closing);
    for (const room of rooms.values()) {
      stopRoom(room);
    }
    rooms.clear();
    await Promise.all([...teardowns]);
    await writer?.close();
    try {
      await storage?.close();
    } catch (error) {
      reportError(toError(error));
    }
    await new Promise<void>((resolve) => webSocketServer.close(() => resolve()));
    webSocketServer.off('connection', onConnection);
    webSocketServer.off('error', onServerError);
    restoreSubprotocols();
  };

  const wsServer: WsServer = {
    getWebSocketServer: () => webSocketServer,
    getPathIds: (): Ids => [...rooms.keys()],
    getClientIds: (pathId: Id): Ids => rooms.get(pathId)?.getClientIds() ?? [],
    addPathIdsListener: (listener) => {
      const id = listenerIds.take();
      pathIdsListeners.set(id, listener);
      return id;
    },
    addClientIdsListener: (pathId, listener) => {
      const id = listenerIds.take();
      clientIdsListeners.set(id, [pathId, listener]);
      return id;
    },
    delListener: (listenerId) => {
      if (pathIdsListeners.delete(listenerId) || clientIdsListeners.delete(listenerId)) {
        listenerIds.release(listenerId);
      }
      return wsServer;
    },
    getStats: (): WsServerStats => {
      let clients = 0;
      for (const room of rooms.values()) {
        clients += room.getClientIds().length;
      }
      return {paths: rooms.size, clients};
    },
    getTrafficStats: (): WsTrafficStats => ({...counters}),
    destroy,
  };
  return wsServer;
}

/**
 * Listener ids as TinyBase hands them out: "0", "1", ... with the ids of removed listeners reused
 * first, oldest removal first, so an app that relies on the ids it gets sees the same ones.
 */
const createListenerIds = () => {
  let next = 0;
  const released: Id[] = [];
  return {
    take: (): Id => released.shift() ?? String(next++),
    release: (id: Id): void => {
      released.push(id);
    },
  };
};

/**
 * Client ids are the `Sec-WebSocket-Key` headers (docs/protocol.md §6.4). A key already in use (only a
 * hostile or broken client repeats one) gets a suffix, so it can never receive another client's
 * traffic.
 */
const uniqueClientId = (key: string, used: Set<Id>): Id => {
  if (!used.has(key)) {
    return key;
  }
  let suffix = 1;
  while (used.has(`${key}.${suffix}`)) {
    suffix++;
  }
  return `${key}.${suffix}`;
};

const closeGracefully = (connection: ClientConnection): Promise<void> =>
  new Promise((resolve) => {
    if (connection.isClosed()) {
      resolve();
      return;
    }
    const socket = connection.getSocket();
    const timer = setTimeout(() => {
      connection.terminate();
      resolve();
    }, CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    } catch {
      // A socket that cannot close politely is cut off: shutdown must go on.
      clearTimeout(timer);
      connection.terminate();
      resolve();
    }
  });

/**
 * With authorization, every room needs a store of its own, since its clients sync with it alone
 * (docs/protocol.md §6.8): a room without storage, or whose createPersisterForPath gives nothing,
 * gets one in memory that lives as long as the room.
 */
const gatedPeerFactory = (
  configured: PeerFactory | undefined,
  memory: PeerFactory | undefined,
): PeerFactory | undefined => {
  if (memory === undefined || configured === undefined) {
    return configured ?? memory;
  }
  return (pathId, send, onMerged) => {
    const peer = configured(pathId, send, onMerged);
    return peer instanceof Promise
      ? peer.then((resolved) => resolved ?? memory(pathId, send, onMerged))
      : (peer ?? memory(pathId, send, onMerged));
  };
};
