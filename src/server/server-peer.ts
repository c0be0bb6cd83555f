// The server's own participant "S" in a room: a MergeableStore driven by the protocol engine,
// fed from SQLite storage (loaded synchronously, before the room's first client is served) or
// from a TinyBase-style persister.
import {createMergeableStore, type FullMergeableStore} from '../store/mergeable-store.js';
import type {Id, MergeableChanges, MergeableStore} from '../store/types.js';
import {createCustomSynchronizer, NoPeerAnswered} from '../synchronizers/index.js';
import type {Receive} from '../synchronizers/types.js';
import type {PeerSend, ServerPeer} from './room.js';
import type {CreatePersisterForPath, RoomStorage} from './types.js';

export type PeerFactory = (
  pathId: Id,
  send: PeerSend,
) => ServerPeer | undefined | Promise<ServerPeer | undefined>;

/**
 * Rooms backed by storage: each room's store is loaded before the room serves anyone, then every
 * change set the room store accepts is written before the next message is handled. The room store
 * only ever changes by merging what clients send, so the write happens right where the protocol
 * engine merges, with the same rule in SQL.
 */
export const createStoredPeerFactory =
  (
    storage: RoomStorage,
    requestTimeoutSeconds: number,
    reportError: (error: Error) => void,
  ): PeerFactory =>
  (pathId, send) => {
    const store = createMergeableStore();
    const stored = storage.loadRoom(pathId);
    if (stored !== undefined) {
      const reason = store.applyEncodedMergeableChanges(stored);
      if (reason !== undefined) {
        reportError(
          new Error(`room ${JSON.stringify(pathId)}: stored content was rejected: ${reason}`),
        );
      }
    }
    const storingStore: FullMergeableStore = Object.create(store, {
      applyEncodedMergeableChanges: {
        value: (changes: Parameters<FullMergeableStore['applyEncodedMergeableChanges']>[0]) => {
          const reason = store.applyEncodedMergeableChanges(changes);
          // A ContentDiff may come as [tables, values] without the trailing 1 (docs/protocol.md
          // §5.4): it is merged either way, so it must be stored either way.
          if (reason === undefined) {
            try {
              storage.saveChanges(pathId, [changes[0], changes[1], 1] as MergeableChanges);
            } catch (error) {
              reportError(
                new Error(
                  `room ${JSON.stringify(pathId)}: could not store changes: ${String(error)}`,
                ),
              );
            }
          }
          return reason;
        },
      },
    });
    return startPeer(storingStore, send, requestTimeoutSeconds, reportError);
  };

/** Rooms backed by TinyBase-style persisters (the second argument of TinyBase's createWsServer). */
export const createPersisterPeerFactory =
  (
    createPersisterForPath: CreatePersisterForPath,
    requestTimeoutSeconds: number,
    reportError: (error: Error) => void,
  ): PeerFactory =>
  async (pathId, send) => {
    const created = await createPersisterForPath(pathId);
    if (created === undefined) {
      return undefined;
    }
    const [persister, then] = Array.isArray(created) ? created : [created, undefined];
    const store = persister.getStore() as FullMergeableStore;
    const peer = startPeer(store, send, requestTimeoutSeconds, reportError, false);
    await persister.startAutoLoad();
    await persister.startAutoSave();
    peer.startSync();
    then?.(store as MergeableStore);
    return {
      receive: peer.receive,
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
    // from one client, it announces to the others (docs/protocol.md §7.7).
    {validatedByTransport: true, announcesPulledChanges: true},
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
