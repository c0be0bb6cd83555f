// The server's own participant "S" in a room: a MergeableStore driven by the protocol engine,
// fed from room storage (loaded before the room's first client is served) or from a TinyBase-style
// persister.
import {createMergeableStore, type FullMergeableStore} from '../store/mergeable-store.js';
import type {Id, MergeableChanges, MergeableStore} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';
import {createTransactionId} from '../synchronizers/ids.js';
import {createCustomSynchronizer, NoPeerAnswered} from '../synchronizers/index.js';
import {Message, type Receive} from '../synchronizers/types.js';
import {SOCKET_INBOUND} from '../synchronizers/ws/socket-inbound.js';
import type {PeerSend, ServerPeer} from './room.js';
import {SaveTracker} from './save-tracker.js';
import {describeStorageError, RoomLoadError} from './storage-errors.js';
import type {StorageWriter} from './storage-writer.js';
import type {CreatePersisterForPath, RoomStorage} from './types.js';

export type PeerFactory = (
  pathId: Id,
  send: PeerSend,
  onMerged?: OnMerged,
) => ServerPeer | undefined | Promise<ServerPeer | undefined>;

/**
 * Called with each change set the room store accepted from a client (never with the room
 * store's own writes). Gated rooms fan these out, since their clients hear only the room store
 * (docs/protocol.md §6.8). The change set is passed as merged, not as what it changed: a
 * tombstone for a cell the store never had changes its hashes but no visible content.
 */
export type OnMerged = (changes: MergeableChanges) => void;

/**
 * The store as the synchronizer sees it: merges go to `store`, and each accepted change set goes
 * to `afterMerge` (storage), then to `onMerged`.
 */
const watchMerges = (
  store: FullMergeableStore,
  afterMerge: ((changes: MergeableChanges) => void) | undefined,
  onMerged: OnMerged | undefined,
): FullMergeableStore =>
  Object.create(store, {
    applyEncodedMergeableChanges: {
      value: (changes: Parameters<FullMergeableStore['applyEncodedMergeableChanges']>[0]) => {
        const reason = store.applyEncodedMergeableChanges(changes);
        if (reason === undefined) {
          // A ContentDiff may come as [tables, values] without the trailing 1 (docs/protocol.md
          // §5.4): it is merged either way, so it is stored and passed on either way.
          const changeSet = [changes[0], changes[1], 1] as MergeableChanges;
          afterMerge?.(changeSet);
          onMerged?.(changeSet);
        }
        return reason;
      },
    },
  });

/** Durable storage as a room peer uses it: a save per accepted change set, and their progress. */
type RoomSaves = {
  save(changes: MergeableChanges): void;
  whenSaved(): Promise<number>;
};

/**
 * A room's peer over its own store: `saves` (storage), if any, is given every change set the store
 * accepts, from clients or from the room's own writes (corrections).
 */
const startRoomStorePeer = (
  store: FullMergeableStore,
  saves: RoomSaves | undefined,
  send: PeerSend,
  onMerged: OnMerged | undefined,
  requestTimeoutSeconds: number,
  reportError: (error: Error) => void,
): ServerPeer => {
  const save = saves?.save;
  const peer = startPeer(
    watchMerges(store, save, onMerged),
    send,
    requestTimeoutSeconds,
    reportError,
  );
  return {
    ...peer,
    store,
    applyOwnChanges: (changes) => {
      const reason = store.applyEncodedMergeableChanges(changes);
      if (reason === undefined) {
        save?.(changes);
      }
      return reason;
    },
    ...(saves === undefined ? {} : {whenSaved: saves.whenSaved}),
  };
};

/** Rooms whose store lives in memory only while the room has clients (gated relay rooms). */
export const createMemoryPeerFactory =
  (requestTimeoutSeconds: number, reportError: (error: Error) => void): PeerFactory =>
  (_pathId, send, onMerged) =>
    startRoomStorePeer(
      createMergeableStore(),
      undefined,
      send,
      onMerged,
      requestTimeoutSeconds,
      reportError,
    );

/**
 * Rooms backed by storage: each room's store is loaded before the room serves anyone (at once from
 * a synchronous storage; meanwhile client messages wait, from an asynchronous one), with the
 * writer's not yet stored changes of the room on top. Then every change set the room store
 * accepts goes to the writer, which stores it with the same merge rule in SQL. With storage
 * shared by several nodes, what the others store is merged into the room store, which relays it
 * to the room's clients like any change of its own (docs/protocol.md §7.8).
 */
export const createStoredPeerFactory =
  (
    storage: RoomStorage,
    writer: StorageWriter,
    requestTimeoutSeconds: number,
    reportError: (error: Error) => void,
  ): PeerFactory =>
  (pathId, send, onMerged) => {
    const store = createMergeableStore();
    const merge = (changes: MergeableChanges, what: string): void => {
      const reason = store.applyEncodedMergeableChanges(changes);
      if (reason !== undefined) {
        reportError(new Error(`room ${JSON.stringify(pathId)}: ${what} was rejected: ${reason}`));
      }
    };
    const start = (): ServerPeer => {
      for (const changes of writer.pendingFor(pathId)) {
        merge(changes, 'a change not stored yet');
      }
      // The writer's promise resolves once a change set is durable (it retries failed writes until
      // then); the tracker lets durable acknowledgements wait for every save queued before them.
      // The writer itself reports a change set it could not store before shutdown.
      const tracker = new SaveTracker(() => {});
      const saves: RoomSaves = {
        save: (changes) => tracker.track(() => writer.save(pathId, changes)),
        whenSaved: () => tracker.whenSettled(),
      };
      const peer = startRoomStorePeer(
        store,
        saves,
        send,
        onMerged,
        requestTimeoutSeconds,
        reportError,
      );
      const unwatch = storage.watchRoom?.(
        pathId,
        (changes) => {
          merge(changes, 'content stored by another node');
          // The room store's synchronizer sends its clients only the visible part of a change
          // (a tombstone for a cell it never had is none, yet clients need it for their hashes to
          // agree), so what other nodes stored goes to every client as it was stored.
          try {
            send(null, createTransactionId(), Message.ContentDiff, changes);
          } catch (error) {
            reportError(toError(error));
          }
        },
        reportError,
      );
      return {
        ...peer,
        destroy: async () => {
          unwatch?.();
          await peer.destroy();
        },
      };
    };
    const stored = storage.loadRoom(pathId);
    if (Symbol.iterator in stored) {
      for (const changes of stored) {
        merge(changes, 'stored content');
      }
      return start();
    }
    return (async () => {
      try {
        for await (const changes of stored) {
          merge(changes, 'stored content');
        }
      } catch (error) {
        throw new RoomLoadError(
          `room ${JSON.stringify(pathId)}: could not load its stored content (its clients are disconnected, to try again when they reconnect): ${describeStorageError(toError(error))}`,
        );
      }
      return start();
    })();
  };

/** Rooms backed by TinyBase-style persisters (the second argument of TinyBase's createWsServer). */
export const createPersisterPeerFactory =
  (
    createPersisterForPath: CreatePersisterForPath,
    requestTimeoutSeconds: number,
    reportError: (error: Error) => void,
  ): PeerFactory =>
  async (pathId, send, onMerged) => {
    const created = await createPersisterForPath(pathId);
    if (created === undefined) {
      return undefined;
    }
    const [persister, then] = Array.isArray(created) ? created : [created, undefined];
    const store = persister.getStore() as FullMergeableStore;
    const peer = startPeer(
      watchMerges(store, undefined, onMerged),
      send,
      requestTimeoutSeconds,
      reportError,
      false,
    );
    await persister.startAutoLoad();
    await persister.startAutoSave();
    peer.startSync();
    then?.(store as MergeableStore);
    return {
      receive: peer.receive,
      store,
      // The persister saves whatever the store takes, the room's own writes included.
      applyOwnChanges: (changes) => store.applyEncodedMergeableChanges(changes),
      destroy: async () => {
        await peer.destroy();
        await persister.destroy();
      },
    };
  };

type StartedPeer = ServerPeer & {startSync(): void};

const startPeer = (
  store: FullMergeableStore,
  send: PeerSend,
  requestTimeoutSeconds: number,
  reportError: (error: Error) => void,
  startNow = true,
): StartedPeer => {
  let receive: Receive | undefined;
  const synchronizer = createCustomSynchronizer(
    store,
    send,
    (registered: Receive) => {
      receive = registered;
    },
    () => {},
    requestTimeoutSeconds,
    undefined,
    undefined,
    (error) => {
      // A room store pulling when none of the room's clients is syncing yet (the first one has
      // just connected) gets no answer: the normal start of a room, not an error worth reporting.
      if (!(error instanceof NoPeerAnswered)) {
        reportError(error);
      }
    },
    // The room only hands over messages its decoder has validated; what the room's store pulls
    // from one client, it announces to the others; after a client's pull, it asks that client
    // for its hashes, so what the client never announced reaches the room (docs/protocol.md §7.7).
    // Its clients' answers arrive over sockets, read after due timers (socket-inbound.ts).
    {
      validatedByTransport: true,
      announcesPulledChanges: true,
      checksPullers: true,
      inbound: SOCKET_INBOUND,
    },
  );
  const startSync = (): void => {
    synchronizer.startSync().catch(reportError);
  };
  if (startNow) {
    startSync();
  }
  return {
    receive: (fromClientId, requestId, message, body) =>
      receive?.(fromClientId, requestId, message as Parameters<Receive>[2], body),
    startSync,
    destroy: async () => {
      synchronizer.destroy();
    },
  };
};
