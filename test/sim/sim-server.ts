// The server side of the simulation: the real Room (relay rules, server peer "S") and the real
// stored peer factory over the real SQLite storage (':memory:'), driven without sockets. Joining
// and leaving follow ws-server.ts exactly: a room is created for its first member and its peer
// started after that member is in; it is destroyed when its last member leaves, and the next
// member gets a new room loaded from storage. A restart destroys the room with every member in it.
import {resolveLimits} from '../../src/server/client-limits.js';
import {RoomChangeLog} from '../../src/server/delta-log.js';
import {createServerFeatures} from '../../src/server/feature-registry.js';
import {Room, type RoomMember} from '../../src/server/room.js';
import {createStoredPeerFactory, type PeerFactory} from '../../src/server/server-peer.js';
import {createSqliteStorage, type SqliteStorage} from '../../src/server/sqlite-storage.js';
import {StorageWriter} from '../../src/server/storage-writer.js';
import {
  decodeExtensionFrame,
  HANDSHAKE_FEATURE,
  parseHelloBody,
} from '../../src/synchronizers/extensions/wire.js';
import {NoPeerAnswered} from '../../src/synchronizers/pull.js';
import {PayloadDecoder} from '../../src/synchronizers/ws/decoder.js';
import type {SimMemberExtensions} from './sim-client.js';

export const PATH_ID = 'sim-room';

export class SimServer {
  readonly storage: SqliteStorage = createSqliteStorage(':memory:');
  readonly #writer: StorageWriter;
  /** Errors the server reported that an honest system must never cause (e.g. storage failures). */
  readonly problems: string[] = [];
  /** Request timeouts and the like: expected on a bad network. */
  ignoredErrors = 0;
  #room: Room | undefined;
  readonly #teardowns = new Set<Promise<void>>();
  readonly #decoder = new PayloadDecoder(60_000);
  readonly #createPeer: PeerFactory;
  readonly #features = createServerFeatures({limits: resolveLimits(), durableRooms: false});

  /** `deltaHistory` bounds each room's change sequence (compaction, docs/protocol.md §8.8). */
  constructor(
    readonly requestTimeoutSeconds: number,
    readonly deltaHistory?: number,
  ) {
    const report = (error: Error) => this.#report(error);
    this.#writer = new StorageWriter(this.storage, report);
    this.#createPeer = createStoredPeerFactory(
      this.storage,
      this.#writer,
      requestTimeoutSeconds,
      report,
    );
  }

  join(member: RoomMember): void {
    let room = this.#room;
    const isNewRoom = room === undefined;
    if (room === undefined) {
      room = new Room(PATH_ID, {
        requestTimeoutSeconds: this.requestTimeoutSeconds,
        fragmentSize: undefined,
        onIgnoredError: (error) => this.#report(error),
        features: this.#features,
        // As ws-server.ts makes it: durable in the storage, bounded by deltaHistory.
        createChangeLog: (pathId) =>
          new RoomChangeLog({
            stored: this.storage.loadChangeLog(pathId),
            maxLeaves: this.deltaHistory,
            onWrite: (write) => this.storage.saveChangeLog(pathId, write),
          }),
      });
      this.#room = room;
    }
    room.add(member);
    if (isNewRoom) {
      room.startPeer((send, onMerged) => this.#createPeer(PATH_ID, send, onMerged));
    }
  }

  leave(member: RoomMember): void {
    const room = this.#room;
    if (room === undefined || room.getMember(member.clientId) !== member) {
      return;
    }
    room.remove(member);
    if (room.isEmpty()) {
      this.#stopRoom();
    }
  }

  /** A payload from a member's socket, decoded and validated as the server's connection does. */
  deliver(member: RoomMember, payload: string): void {
    const decoded = this.#decoder.decode(payload);
    if (decoded.status === 'error') {
      this.problems.push(`server refused a payload: ${decoded.error.message}`);
      member.fail(decoded.error);
      return;
    }
    if (decoded.status === 'message' && this.#room?.getMember(member.clientId) === member) {
      this.#room.handle(member, decoded);
    }
  }

  /**
   * An extension payload from a member (docs/protocol.md §8.1): the hello is answered here, as the
   * server's connection answers it; frames of negotiated features go to the room.
   */
  deliverExtension(member: RoomMember, payload: string): void {
    const frame = decodeExtensionFrame(payload);
    const extensions = member.extensions as SimMemberExtensions | undefined;
    if (frame === undefined || extensions === undefined) {
      this.problems.push(`server got a bad extension payload ${payload}`);
      return;
    }
    if (this.#room?.getMember(member.clientId) !== member) {
      return;
    }
    if (frame.feature === HANDSHAKE_FEATURE) {
      const offered = parseHelloBody(frame.body)?.features ?? [];
      const features = offered.filter((feature) => this.#features.has(feature));
      extensions.negotiate(features);
      extensions.send(HANDSHAKE_FEATURE, 'hello', {features});
    } else if (extensions.has(frame.feature)) {
      this.#room.handleExtension(member, frame);
    } else {
      this.problems.push(`server got a frame of a feature not negotiated: ${payload}`);
    }
  }

  /** Stops the room with everyone still in it; the callers close their members' connections. */
  restart(): void {
    this.#stopRoom();
  }

  hasRoom(): boolean {
    return this.#room !== undefined;
  }

  async close(): Promise<void> {
    this.#stopRoom();
    await Promise.all(this.#teardowns);
    await this.#writer.close();
    this.storage.close();
  }

  #stopRoom(): void {
    const room = this.#room;
    this.#room = undefined;
    if (room !== undefined) {
      const teardown = room.destroy().finally(() => this.#teardowns.delete(teardown));
      this.#teardowns.add(teardown);
    }
  }

  #report(error: Error): void {
    if (error instanceof NoPeerAnswered) {
      return;
    }
    if (/stor/i.test(error.message)) {
      this.problems.push(`server: ${error.message}`);
    } else {
      this.ignoredErrors++;
    }
  }
}
