// A room: the clients sharing one path, the relay between them (docs/protocol.md §6.4) and, when the room is
// stored, the server's own peer "S". Until an asynchronously started peer is ready, client
// messages wait in a bounded buffer (docs/protocol.md §6.7) so none of them misses the server store.

import type {FullMergeableStore} from '../store/mergeable-store.js';
import type {Id, Ids, MergeableChanges} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';
import type {ExtensionFrame} from '../synchronizers/extensions/wire.js';
import {createTransactionId} from '../synchronizers/ids.js';
import {Message} from '../synchronizers/types.js';
import type {DecodedMessage} from '../synchronizers/ws/decoder.js';
import {overflowError} from '../synchronizers/ws/errors.js';
import {fragmentRemainder} from '../synchronizers/ws/fragments.js';
import {encodeRemainder} from '../synchronizers/ws/frames.js';
import {MAX_WEBSOCKET_BUFFER_SIZE, MAX_WEBSOCKET_QUEUE_SIZE} from '../synchronizers/ws/limits.js';
import {checkMessageSize} from '../synchronizers/ws/message-size.js';
import {utf8ByteLength} from '../synchronizers/ws/utf8.js';
import type {ClientAccess} from './authorization.js';
import {LimitError} from './client-limits.js';
import type {RoomChangeLog} from './delta-log.js';
import type {MemberExtensions, RoomContext, ServerFeature} from './extensions.js';
import {RoomLoadError} from './storage-errors.js';
import {gateContent, type WriteRules} from './write-gate.js';

/** The client id of the server's own store. */
export const SERVER_CLIENT_ID = 'S';

/** One client in one room: a legacy socket, or one channel of a multiplexed socket. */
export interface RoomMember {
  readonly clientId: Id;
  readonly pathId: Id;
  /** What authorize granted this member in this room. */
  readonly access: ClientAccess;
  /** Sends `sourceId + "\n" + remainder` (wrapped in the channel frame when multiplexed). */
  sendRemainder(sourceId: Id, remainder: string, remainderBytes: number): void;
  /** Closes the member's socket because its traffic broke a rule or a limit. */
  fail(error: Error): void;
  /** Bytes and messages this member's socket has waiting in rooms that are not ready. */
  readonly buffered: {messages: number; bytes: number};
  /** Set when the member's socket speaks syncstore's extensions (docs/protocol.md §8.1). */
  readonly extensions?: MemberExtensions;
}

/** The server's own participant in a room (client id "S"). */
export interface ServerPeer {
  receive(fromClientId: Id, requestId: Id | null, message: number, body: unknown): void;
  destroy(): Promise<void>;
  /** The room store itself (not the view its synchronizer merges through), for the write gate. */
  readonly store?: FullMergeableStore;
  /** Writes the room's own changes (corrections), stored as its merges are. */
  applyOwnChanges?(changes: MergeableChanges): string | undefined;
  /**
   * Rooms with durable storage: resolves once every save queued so far has finished, with how many
   * saves ever failed (docs/protocol.md §8.7).
   */
  whenSaved?(): Promise<number>;
}

/** Sends from the server peer: `toClientId` null means every client in the room. */
export type PeerSend = (
  toClientId: Id | null,
  requestId: Id | null,
  message: number,
  body: unknown,
) => void;

type BufferedMessage = {member: RoomMember; decoded: DecodedMessage; bytes: number};

export type RoomOptions = {
  requestTimeoutSeconds: number;
  fragmentSize: number | undefined;
  onIgnoredError: (error: Error) => void;
  /**
   * Set when the server has authorization: the room store is then the only peer its clients
   * sync with, and what they write passes these rules first (docs/protocol.md §6.8).
   */
  writeRules?: WriteRules;
  /** The server's extension features, by name. */
  features?: ReadonlyMap<string, ServerFeature>;
  /**
   * Makes the change sequence of a room that has a store (delta resync, docs/protocol.md §8.8):
   * every change set the room store accepts is recorded in it.
   */
  createChangeLog?: (pathId: Id) => RoomChangeLog | undefined;
};

/** At most this many of the room store's requests are remembered, waiting for their answer. */
const MAX_TRACKED_REQUESTS = 10_000;

export class Room {
  readonly pathId: Id;
  readonly #members = new Map<Id, RoomMember>();
  readonly #options: RoomOptions;
  /** Correction tombstones each member's refused writes have added (§6.9). */
  readonly #refusedNewLeaves = new WeakMap<RoomMember, number>();
  #peer: ServerPeer | undefined;
  #ready = true;
  #destroyed = false;
  #buffer: BufferedMessage[] = [];
  #bufferBytes = 0;
  #bufferTimer: ReturnType<typeof setTimeout> | undefined;
  /** Gated rooms: the room store's open content requests, request id -> [client, message]. */
  readonly #asked = new Map<Id, [clientId: Id, message: number]>();
  /** Gated rooms: the member whose message the room store is handling right now. */
  #handling: RoomMember | undefined;
  /** Extension frames that arrived before the room was ready, handled in order once it is. */
  #heldExtensions: {member: RoomMember; frame: ExtensionFrame}[] = [];
  /** The room store's change sequence, once the room store exists. */
  #changeLog: RoomChangeLog | undefined;
  readonly #context: RoomContext = {
    pathId: '',
    getMembers: () => [...this.#members.values()],
    getStore: () => this.#peer?.store,
    whenSaved: () => this.#peer?.whenSaved?.(),
    applyClientChanges: (changes) => {
      if (this.#options.writeRules !== undefined) {
        return 'writes in this room pass the write gate';
      }
      return this.#peer?.applyOwnChanges?.(changes) ?? 'this room has no store';
    },
    getChangeLog: () => this.#changeLog,
    mergeFrom: (member, changes) => this.#mergeFrom(member, changes),
  };

  constructor(pathId: Id, options: RoomOptions) {
    this.pathId = pathId;
    this.#options = options;
    this.#context = {...this.#context, pathId};
  }

  /**
   * Starts the server peer. A synchronous start (SQLite storage) makes the room ready at once; a
   * promise (a persister) holds client messages until it settles.
   */
  startPeer(
    createPeer: (
      send: PeerSend,
      onMerged: (changes: MergeableChanges) => void,
    ) => ServerPeer | undefined | Promise<ServerPeer | undefined>,
  ): void {
    const send: PeerSend = (to, requestId, message, body) =>
      this.#sendFromServer(to, requestId, message, body);
    let result: ServerPeer | undefined | Promise<ServerPeer | undefined>;
    try {
      result = createPeer(send, (changes) => {
        this.#recordChanges(changes);
        this.#fanOut(changes);
      });
    } catch (error) {
      this.#options.onIgnoredError(toError(error));
      return;
    }
    if (!(result instanceof Promise)) {
      this.#setPeer(result);
      return;
    }
    this.#ready = false;
    result.then(
      (peer) => this.#becomeReady(peer),
      (error: unknown) => {
        this.#options.onIgnoredError(toError(error));
        if (error instanceof RoomLoadError) {
          // Serving the room without its content would lose what its clients write: they are
          // closed instead (1013, try again later), and the next one to join loads it again.
          this.#clearBuffer();
          for (const member of [...this.#members.values()]) {
            member.fail(overflowError('server'));
          }
          return;
        }
        this.#becomeReady(undefined);
      },
    );
  }

  #setPeer(peer: ServerPeer | undefined): void {
    this.#peer = peer;
    if (peer?.store !== undefined) {
      try {
        this.#changeLog = this.#options.createChangeLog?.(this.pathId);
      } catch (error) {
        this.#options.onIgnoredError(toError(error));
      }
    }
  }

  /** Records what the room store accepted in its change sequence (§8.8). */
  #recordChanges(changes: MergeableChanges): void {
    const store = this.#peer?.store;
    if (this.#changeLog !== undefined && store !== undefined) {
      this.#changeLog.record(changes, (address) => store.getLeafHlc(address));
    }
  }

  hasPeer(): boolean {
    return this.#peer !== undefined;
  }

  getClientIds(): Ids {
    return [...this.#members.keys()];
  }

  getMember(clientId: Id): RoomMember | undefined {
    return this.#members.get(clientId);
  }

  isEmpty(): boolean {
    return this.#members.size === 0;
  }

  add(member: RoomMember): void {
    this.#members.set(member.clientId, member);
  }

  remove(member: RoomMember): void {
    if (this.#members.get(member.clientId) === member) {
      this.#members.delete(member.clientId);
      if (member.extensions !== undefined) {
        for (const feature of this.#options.features?.values() ?? []) {
          this.#callFeature(() => feature.onLeave?.(this.#context, member));
        }
      }
    }
    this.#heldExtensions = this.#heldExtensions.filter((held) => held.member !== member);
    for (const [requestId, [clientId]] of this.#asked) {
      if (clientId === member.clientId) {
        this.#asked.delete(requestId);
      }
    }
    if (this.#buffer.length > 0) {
      this.#buffer = this.#buffer.filter((entry) => {
        if (entry.member !== member) {
          return true;
        }
        this.#release(entry);
        return false;
      });
    }
  }

  /** A valid message from a member: relayed, or buffered while the server peer starts. */
  handle(member: RoomMember, decoded: DecodedMessage): void {
    if (this.#destroyed) {
      return;
    }
    if (this.#ready) {
      this.#dispatch(member, decoded);
    } else {
      this.#hold(member, decoded);
    }
  }

  /** A frame of a feature the member negotiated: handled by that feature once the room is ready. */
  handleExtension(member: RoomMember, frame: ExtensionFrame): void {
    if (this.#destroyed) {
      return;
    }
    if (this.#ready) {
      this.#dispatchExtension(member, frame);
    } else if (this.#heldExtensions.length >= MAX_WEBSOCKET_QUEUE_SIZE) {
      member.fail(overflowError('server'));
    } else {
      this.#heldExtensions.push({member, frame});
    }
  }

  #dispatchExtension(member: RoomMember, frame: ExtensionFrame): void {
    const feature = this.#options.features?.get(frame.feature);
    if (feature !== undefined) {
      this.#callFeature(() => feature.onMessage(this.#context, member, frame.type, frame.body));
    }
  }

  #callFeature(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#options.onIgnoredError(toError(error));
    }
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) {
      return;
    }
    this.#destroyed = true;
    this.#heldExtensions = [];
    this.#clearBuffer();
    const peer = this.#peer;
    this.#peer = undefined;
    await peer?.destroy();
  }

  #dispatch(from: RoomMember, decoded: DecodedMessage): void {
    if (this.#options.writeRules !== undefined) {
      this.#dispatchGated(from, decoded, this.#options.writeRules);
      return;
    }
    const {prefix: to, requestId, message, body} = decoded;
    if (to === '') {
      this.#peer?.receive(from.clientId, requestId, message, body);
      for (const member of this.#members.values()) {
        if (member !== from) {
          relay(from, decoded, member);
        }
      }
    } else if (to === SERVER_CLIENT_ID) {
      if (this.#peer !== undefined) {
        this.#peer.receive(from.clientId, requestId, message, body);
      } else if (message === Message.GetContentHashes) {
        // A room without a store answers as an empty store, so that clients (browsers, which
        // cannot send WebSocket pings) can use this request as a heartbeat.
        const remainder = encodeRemainder(requestId, Message.Response, [0, 0]);
        from.sendRemainder(SERVER_CLIENT_ID, remainder, utf8ByteLength(remainder));
      }
    } else {
      const member = this.#members.get(to);
      if (member !== undefined) {
        relay(from, decoded, member);
      }
    }
  }

  /**
   * A gated room: whatever the destination, a client talks to the room store only, so that no
   * content reaches anyone without passing the write gate. Content it writes is filtered first;
   * the room store's fan-out (#fanOut) then tells the others what it accepted.
   */
  #dispatchGated(from: RoomMember, decoded: DecodedMessage, rules: WriteRules): void {
    const peer = this.#peer;
    if (peer === undefined) {
      return;
    }
    const {requestId, message} = decoded;
    let {body} = decoded;
    let answered: number | undefined;
    if (message === Message.Response && requestId !== null) {
      const asked = this.#asked.get(requestId);
      if (asked !== undefined && asked[0] === from.clientId) {
        this.#asked.delete(requestId);
        answered = asked[1];
      }
    }
    if (peer.store !== undefined && (message === Message.ContentDiff || answered !== undefined)) {
      const gated = gateContent(
        message,
        answered,
        body,
        {pathId: this.pathId, access: from.access},
        rules,
        peer.store,
      );
      if (gated.refused > 0) {
        rules.reportError(
          new Error(
            `room ${JSON.stringify(this.pathId)}: ${gated.refused} write(s) from client ${from.clientId} refused`,
          ),
        );
      }
      if (this.#chargeNewLeaves(from, gated.newLeaves, rules) === 'closed') {
        return;
      }
      if (gated.corrections !== undefined) {
        this.#correct(peer, gated.corrections, rules);
      }
      body = gated.body;
      if (body === undefined) {
        return;
      }
    }
    this.#handling = from;
    try {
      peer.receive(from.clientId, requestId, message, body);
    } finally {
      this.#handling = undefined;
    }
  }

  /**
   * Counts the correction tombstones a member's refused writes would add to the room; a member
   * beyond its allowance is closed instead, and its corrections are not written (§6.9).
   */
  #chargeNewLeaves(from: RoomMember, newLeaves: number, rules: WriteRules): 'closed' | 'charged' {
    if (newLeaves === 0) {
      return 'charged';
    }
    const total = (this.#refusedNewLeaves.get(from) ?? 0) + newLeaves;
    this.#refusedNewLeaves.set(from, total);
    if (total <= rules.refusedNewLeavesPerClient) {
      return 'charged';
    }
    from.fail(
      new LimitError(
        'refused',
        `more than ${rules.refusedNewLeavesPerClient} refused writes of ids room ${JSON.stringify(this.pathId)} never had`,
      ),
    );
    return 'closed';
  }

  /**
   * Writes corrections into the room store and sends them to every client. They are sent here
   * rather than left to the store's synchronizer, which sends only visible changes: a tombstone
   * for a cell the store never had is none, yet the writer needs it to drop its refused cell.
   */
  #correct(peer: ServerPeer, corrections: MergeableChanges, rules: WriteRules): void {
    const reason = peer.applyOwnChanges?.(corrections);
    if (reason !== undefined) {
      rules.reportError(new Error(`room ${JSON.stringify(this.pathId)}: ${reason}`));
      return;
    }
    this.#recordChanges(corrections);
    this.#fanOut(corrections, undefined);
  }

  /**
   * Gated rooms: what the room store merged from a client goes out to every other client as a
   * ContentDiff from "S" (the sender already has it; when the merge ends a pull, the sender is
   * not known here and hears its own changes back, which merging ignores).
   */
  #fanOut(changes: MergeableChanges, except = this.#handling): void {
    if (this.#destroyed || this.#options.writeRules === undefined) {
      return;
    }
    const remainder = encodeRemainder(createTransactionId(), Message.ContentDiff, changes);
    checkMessageSize(Message.ContentDiff, remainder);
    const remainders = fragmentRemainder(remainder, this.#options.fragmentSize);
    const sizes = remainders.map(utf8ByteLength);
    for (const member of [...this.#members.values()]) {
      if (member !== except) {
        for (let index = 0; index < remainders.length; index++) {
          member.sendRemainder(SERVER_CLIENT_ID, remainders[index]!, sizes[index]!);
        }
      }
    }
  }

  /**
   * Changes a member sent in an extension frame (delta resync), handled exactly as a ContentDiff
   * it broadcast: through the write gate in a gated room, else merged by the room store and relayed
   * to the other members, who see an ordinary ContentDiff from that member.
   */
  #mergeFrom(member: RoomMember, changes: MergeableChanges): void {
    const transactionId = createTransactionId();
    const remainder = encodeRemainder(transactionId, Message.ContentDiff, changes);
    checkMessageSize(Message.ContentDiff, remainder);
    const remainders = fragmentRemainder(remainder, this.#options.fragmentSize);
    this.#dispatch(member, {
      status: 'message',
      prefix: '',
      requestId: transactionId,
      message: Message.ContentDiff,
      body: changes,
      remainders,
      remainderBytes: remainders.map(utf8ByteLength),
    });
  }

  #sendFromServer(to: Id | null, requestId: Id | null, message: number, body: unknown): void {
    if (this.#destroyed) {
      return;
    }
    if (
      this.#options.writeRules !== undefined &&
      to !== null &&
      requestId !== null &&
      message >= Message.GetTableDiff
    ) {
      // Its answer will carry the client's content: remembered so that it passes the gate.
      if (this.#asked.size >= MAX_TRACKED_REQUESTS) {
        this.#asked.delete(this.#asked.keys().next().value!);
      }
      this.#asked.set(requestId, [to, message]);
    }
    const targets = to === null ? [...this.#members.values()] : [this.#members.get(to)];
    if (targets.every((target) => target === undefined)) {
      return;
    }
    const remainder = encodeRemainder(requestId, message, body);
    checkMessageSize(message, remainder);
    const remainders = fragmentRemainder(remainder, this.#options.fragmentSize);
    const sizes = remainders.map(utf8ByteLength);
    for (const target of targets) {
      if (target !== undefined) {
        for (let index = 0; index < remainders.length; index++) {
          target.sendRemainder(SERVER_CLIENT_ID, remainders[index]!, sizes[index]!);
        }
      }
    }
  }

  #hold(member: RoomMember, decoded: DecodedMessage): void {
    const bytes = decoded.remainderBytes.reduce((sum, size) => sum + size, 0);
    if (decoded.message === Message.ContentHashes) {
      // Announcements only say "pull from me": the latest one replaces earlier ones.
      const earlier = this.#buffer.findIndex(
        (entry) =>
          entry.member === member &&
          entry.decoded.message === Message.ContentHashes &&
          entry.decoded.prefix === decoded.prefix,
      );
      if (earlier !== -1) {
        this.#release(this.#buffer[earlier]!);
        this.#buffer.splice(earlier, 1);
      }
    }
    const {buffered} = member;
    if (
      this.#buffer.length + 1 > MAX_WEBSOCKET_QUEUE_SIZE ||
      this.#bufferBytes + bytes > MAX_WEBSOCKET_BUFFER_SIZE ||
      buffered.messages + 1 > MAX_WEBSOCKET_QUEUE_SIZE ||
      buffered.bytes + bytes > MAX_WEBSOCKET_BUFFER_SIZE
    ) {
      member.fail(overflowError('server'));
      return;
    }
    this.#buffer.push({member, decoded, bytes});
    this.#bufferBytes += bytes;
    buffered.messages++;
    buffered.bytes += bytes;
    this.#bufferTimer ??= setTimeout(
      () => this.#expireBuffer(),
      10 * this.#options.requestTimeoutSeconds * 1000,
    );
  }

  #release(entry: BufferedMessage): void {
    this.#bufferBytes -= entry.bytes;
    entry.member.buffered.messages--;
    entry.member.buffered.bytes -= entry.bytes;
  }

  #expireBuffer(): void {
    this.#bufferTimer = undefined;
    const members = new Set(this.#buffer.map((entry) => entry.member));
    this.#clearBuffer();
    for (const member of members) {
      member.fail(overflowError('server'));
    }
  }

  #clearBuffer(): void {
    for (const entry of this.#buffer) {
      this.#release(entry);
    }
    this.#buffer = [];
    clearTimeout(this.#bufferTimer);
    this.#bufferTimer = undefined;
  }

  #becomeReady(peer: ServerPeer | undefined): void {
    if (this.#destroyed) {
      void peer?.destroy();
      return;
    }
    this.#setPeer(peer);
    this.#ready = true;
    const buffered = this.#buffer;
    this.#clearBuffer();
    for (const {member, decoded} of buffered) {
      if (this.#members.get(member.clientId) === member) {
        this.#dispatch(member, decoded);
      }
    }
    const heldExtensions = this.#heldExtensions;
    this.#heldExtensions = [];
    for (const {member, frame} of heldExtensions) {
      if (this.#members.get(member.clientId) === member) {
        this.#dispatchExtension(member, frame);
      }
    }
  }
}

/** Forwards a message as received (fragments stay fragments), with the sender as prefix. */
const relay = (from: RoomMember, decoded: DecodedMessage, to: RoomMember): void => {
  const {remainders, remainderBytes} = decoded;
  for (let index = 0; index < remainders.length; index++) {
    to.sendRemainder(from.clientId, remainders[index]!, remainderBytes[index]!);
  }
};
