// One client socket on the server: decodes its frames, enforces the wire format's rules and limits
// (closing the socket with 1007 or 1013 on the first offence, after which nothing more from it is
// handled) and joins it to rooms: one room for a legacy socket, one per channel for a multiplexed
// socket (docs/protocol.md §6.5).
import type {IncomingMessage} from 'node:http';
import type {RawData, WebSocket} from 'ws';
import type {Id} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';
import {
  decodeExtensionFrame,
  EXTENSION_SUBPROTOCOL,
  type ExtensionFrame,
  encodeExtensionFrame,
  HANDSHAKE_FEATURE,
  isExtensionPayload,
  parseHelloBody,
} from '../synchronizers/extensions/wire.js';
import {type DecodedMessage, PayloadDecoder} from '../synchronizers/ws/decoder.js';
import {closeCodeFor, invalidMessageError, overflowError} from '../synchronizers/ws/errors.js';
import {
  MAX_CHANNELS_PER_SOCKET,
  MAX_WEBSOCKET_BUFFER_SIZE,
  MAX_WEBSOCKET_QUEUE_SIZE,
} from '../synchronizers/ws/limits.js';
import {
  Control,
  channelFrameOverhead,
  channelPath,
  checkChannelId,
  encodeChannelFrame,
  isChannelPayload,
  MULTIPLEX_SUBPROTOCOL,
  parseChannelFrame,
  parseControl,
} from '../synchronizers/ws/multiplex-protocol.js';
import {utf8ByteLength} from '../synchronizers/ws/utf8.js';
import {CLOSE_POLICY, type ClientAccess, refusedError} from './authorization.js';
import {ClientRates, checkContent, LimitError, type ResolvedLimits} from './client-limits.js';
import {type MemberExtensions, negotiateFeatures, type ServerFeature} from './extensions.js';
import type {RoomMember} from './room.js';
import type {TrafficCounters} from './stats.js';

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly counters: TrafficCounters;
  readonly requestTimeoutSeconds: number;
  readonly limits: ResolvedLimits;
  onIgnoredError(error: Error): void;
  /**
   * Adds a member to the room at its path, creating the room if needed; returns the error
   * instead when the room is full.
   */
  join(member: RoomMember): LimitError | undefined;
  /** Removes a member from its room, removing the room when it empties. */
  leave(member: RoomMember): void;
  /** Hands a valid message from a member to its room. */
  deliver(member: RoomMember, decoded: DecodedMessage): void;
  /** The extension features this server speaks (docs/protocol.md §8), by name. */
  readonly features: ReadonlyMap<string, ServerFeature>;
  /** This server node's id, told to extension clients in the handshake. */
  readonly nodeId: string | undefined;
  /** Hands a frame of a negotiated feature from a member to its room. */
  deliverExtension(member: RoomMember, frame: ExtensionFrame): void;
  /** What this connection may do in the room at `pathId`; undefined: refused. Never rejects. */
  authorize(request: IncomingMessage, pathId: Id): Promise<ClientAccess | undefined>;
  /** Called once when the connection is gone. */
  forget(connection: ClientConnection): void;
}

const OPEN = 1;

export class ClientConnection {
  readonly clientId: Id;
  readonly basePath: Id;
  readonly request: IncomingMessage;
  readonly multiplexed: boolean;
  /** Whether the socket chose the extension subprotocol: extension frames may flow (§8.1). */
  readonly speaksExtensions: boolean;
  /** Cleared by each heartbeat, set by any pong or frame. */
  alive = true;
  readonly #socket: WebSocket;
  readonly #host: ConnectionHost;
  readonly #decoder: PayloadDecoder;
  readonly #rates: ClientRates;
  /** Memberships: the legacy room under key null, or one per subscribed channel id. */
  readonly #members = new Map<string | null, RoomMember>();
  readonly #pendingChannels = new Set<string>();
  readonly #buffered = {messages: 0, bytes: 0};
  /**
   * Frames that arrived while an authorize call was pending, in order: they are handled once it
   * settles, so a slow authorize loses and reorders nothing.
   */
  #waiting: {frames: RawData[]; bytes: number} | undefined;
  #helloReceived = false;
  /** The features negotiated by the client's extension hello; undefined before it. */
  #features: Set<string> | undefined;
  #closed = false;

  constructor(
    socket: WebSocket,
    request: IncomingMessage,
    clientId: Id,
    basePath: Id,
    host: ConnectionHost,
  ) {
    this.#socket = socket;
    this.request = request;
    this.clientId = clientId;
    this.basePath = basePath;
    this.#host = host;
    this.multiplexed = socket.protocol === MULTIPLEX_SUBPROTOCOL;
    this.speaksExtensions = socket.protocol === EXTENSION_SUBPROTOCOL;
    this.#decoder = new PayloadDecoder(host.requestTimeoutSeconds * 1000);
    this.#rates = new ClientRates(host.limits);
    socket.on('message', (data) => this.#onFrame(data));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => this.#onClosed());
    socket.on('error', (error) => host.onIgnoredError(error));
    if (!this.multiplexed) {
      this.#authorize(basePath, (access) => this.#addMember(null, basePath, access));
    }
  }

  /** Sends a ping; a socket that did not answer the previous one is cut off. */
  heartbeat(): void {
    if (!this.alive) {
      this.#socket.terminate();
      return;
    }
    this.alive = false;
    if (this.#socket.readyState === OPEN) {
      this.#socket.ping();
    }
  }

  /**
   * Closes the socket for a shutdown. Frames the client sent before it saw the close are still
   * handled (and stored) until its close arrives; the rooms are left then.
   */
  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  terminate(): void {
    this.#socket.terminate();
  }

  isClosed(): boolean {
    return this.#socket.readyState > OPEN;
  }

  getSocket(): WebSocket {
    return this.#socket;
  }

  /** Sends one frame, closing the socket instead when it would exceed the buffer limit. */
  sendFrame(frame: string, bytes: number): void {
    if (this.#closed || this.#socket.readyState !== OPEN) {
      return;
    }
    if (this.#socket.bufferedAmount + bytes > MAX_WEBSOCKET_BUFFER_SIZE) {
      this.fail(overflowError('socket'));
      return;
    }
    this.#socket.send(frame);
    this.#host.counters.messagesOut++;
    this.#host.counters.bytesOut += bytes;
  }

  /**
   * Closes the socket because of its traffic: 1013 for overflow, 1007 for anything invalid, a
   * limit's own code (client-limits.ts), or the given code (1008 for a refusal).
   */
  fail(
    error: Error,
    closeCode = error instanceof LimitError ? error.closeCode : closeCodeFor(error),
  ): void {
    if (this.#closed) {
      return;
    }
    this.#host.onIgnoredError(error);
    this.#closed = true;
    this.#waiting = undefined;
    this.#leaveAll();
    this.#socket.close(closeCode, error.message);
  }

  /**
   * Asks the server's authorize about `pathId`, holding this socket's frames until it settles;
   * admitted, `join` runs before the held frames are handled; refused, the socket is closed with
   * 1008 (a multiplexed socket as a whole, as TinyBase does).
   */
  #authorize(pathId: Id, join: (access: ClientAccess) => void): void {
    const waiting = {frames: [] as RawData[], bytes: 0};
    this.#waiting = waiting;
    void this.#host.authorize(this.request, pathId).then((access) => {
      if (this.#closed || this.#waiting !== waiting) {
        return;
      }
      this.#waiting = undefined;
      if (access === undefined) {
        this.fail(refusedError(pathId), CLOSE_POLICY);
        return;
      }
      join(access);
      this.#replay(waiting);
    });
  }

  /** Handles held frames in order, until another authorize call starts holding them again. */
  #replay(held: {frames: RawData[]; bytes: number}): void {
    while (held.frames.length > 0 && !this.#closed) {
      const next = this.#heldBy();
      if (next !== undefined) {
        next.frames.unshift(...held.frames);
        next.bytes += held.bytes;
        return;
      }
      const frame = held.frames.shift()!;
      held.bytes -= byteLengthOf(frame);
      this.#handleFrame(frame);
    }
  }

  #heldBy(): {frames: RawData[]; bytes: number} | undefined {
    return this.#waiting;
  }

  #onFrame(data: RawData): void {
    this.alive = true;
    const bytes = byteLengthOf(data);
    this.#host.counters.messagesIn++;
    this.#host.counters.bytesIn += bytes;
    if (this.#closed) {
      return;
    }
    // Counted on arrival, held or not: a flood is cut off even while authorize is pending.
    const limited = this.#rates.admit(bytes);
    if (limited !== undefined) {
      this.fail(limited);
      return;
    }
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      if (
        waiting.frames.length + 1 > MAX_WEBSOCKET_QUEUE_SIZE ||
        waiting.bytes + bytes > MAX_WEBSOCKET_BUFFER_SIZE
      ) {
        this.fail(overflowError('server', 'too much traffic while authorize was pending'));
        return;
      }
      waiting.frames.push(data);
      waiting.bytes += bytes;
      return;
    }
    this.#handleFrame(data);
  }

  #handleFrame(data: RawData): void {
    if (this.#closed) {
      return;
    }
    const bytes = byteLengthOf(data);
    const payload = textOf(data);
    try {
      if (this.multiplexed) {
        this.#onMultiplexedPayload(payload, bytes);
      } else {
        this.#onChannelPayload(null, payload, bytes);
      }
    } catch (error) {
      // A fault of the server's own (never of the traffic, which is checked before use) must not
      // escape into the socket's event emitter and crash the process.
      this.#host.onIgnoredError(toError(error));
    }
  }

  /** A legacy payload, on the legacy room (channel null) or inside a channel frame. */
  #onChannelPayload(channelId: string | null, payload: string, bytes: number): void {
    const member = this.#members.get(channelId);
    if (member === undefined) {
      this.fail(invalidMessageError());
      return;
    }
    if (this.speaksExtensions && isExtensionPayload(payload)) {
      this.#onExtensionPayload(member, payload);
      return;
    }
    const result = this.#decoder.decode(payload, bytes, channelId ?? '');
    if (result.status === 'error') {
      this.fail(result.error);
    } else if (result.status === 'message') {
      const tooBig = checkContent(result.body, this.#host.limits);
      if (tooBig !== undefined) {
        this.fail(tooBig);
        return;
      }
      this.#host.deliver(member, result);
    }
  }

  /** An extension frame: the handshake, or a frame of a negotiated feature (§8.1). */
  #onExtensionPayload(member: RoomMember, payload: string): void {
    const frame = decodeExtensionFrame(payload);
    if (frame === undefined) {
      this.fail(invalidMessageError());
      return;
    }
    if (frame.feature === HANDSHAKE_FEATURE) {
      const hello = frame.type === 'hello' ? parseHelloBody(frame.body) : undefined;
      if (hello === undefined) {
        this.fail(invalidMessageError());
        return;
      }
      this.#features = negotiateFeatures(hello.features, this.#host.features);
      const {nodeId} = this.#host;
      this.#sendExtension(HANDSHAKE_FEATURE, 'hello', {
        features: [...this.#features],
        ...(nodeId === undefined ? {} : {nodeId}),
      });
      return;
    }
    if (this.#features?.has(frame.feature) !== true) {
      // A client may only use what it negotiated.
      this.fail(invalidMessageError());
      return;
    }
    this.#host.deliverExtension(member, frame);
  }

  #sendExtension(feature: string, type: string, body: unknown): void {
    const frame = encodeExtensionFrame(feature, type, body);
    this.sendFrame(frame, utf8ByteLength(frame));
  }

  #onMultiplexedPayload(payload: string, bytes: number): void {
    if (isChannelPayload(payload)) {
      const channelFrame = this.#helloReceived ? parseChannelFrame(payload) : undefined;
      if (channelFrame === undefined) {
        this.fail(invalidMessageError());
        return;
      }
      const [channelId, inner] = channelFrame;
      this.#onChannelPayload(channelId, inner, bytes - channelFrameOverhead(channelId));
      return;
    }
    const control = parseControl(payload);
    if (control === undefined) {
      this.fail(invalidMessageError());
      return;
    }
    if (control.control === Control.Hello) {
      this.#helloReceived = true;
      this.sendFrame(payload, bytes);
    } else if (!this.#helloReceived) {
      // Subscriptions before the handshake are ignored, as TinyBase's server does.
    } else if (control.control === Control.Subscribe) {
      this.#subscribe(control.arg, payload, bytes);
    } else {
      this.#unsubscribe(control.arg);
    }
  }

  #subscribe(channelId: string, echo: string, echoBytes: number): void {
    const check = checkChannelId(channelId);
    if (check !== 'valid') {
      this.fail(check === 'oversized' ? overflowError('channels') : invalidMessageError());
      return;
    }
    if (this.#members.has(channelId)) {
      this.sendFrame(echo, echoBytes);
      return;
    }
    if (this.#pendingChannels.has(channelId)) {
      return;
    }
    const channels = this.#members.size + this.#pendingChannels.size;
    if (channels >= MAX_CHANNELS_PER_SOCKET) {
      // TinyBase's own limit, with its error.
      this.fail(overflowError('channels'));
      return;
    }
    if (channels >= this.#host.limits.channelsPerSocket) {
      this.fail(
        new LimitError('channels', `more than ${this.#host.limits.channelsPerSocket} channels`),
      );
      return;
    }
    const pathId = channelPath(this.basePath, channelId);
    this.#pendingChannels.add(channelId);
    this.#authorize(pathId, (access) => {
      this.#pendingChannels.delete(channelId);
      this.#addMember(channelId, pathId, access);
      this.sendFrame(echo, echoBytes);
    });
  }

  #unsubscribe(channelId: string): void {
    const member = this.#members.get(channelId);
    if (member !== undefined) {
      this.#members.delete(channelId);
      this.#host.leave(member);
    }
  }

  #addMember(channelId: string | null, pathId: Id, access: ClientAccess): void {
    const member = this.#createMember(channelId, pathId, access);
    const full = this.#host.join(member);
    if (full !== undefined) {
      this.fail(full);
      return;
    }
    this.#members.set(channelId, member);
  }

  #createMember(channelId: string | null, pathId: Id, access: ClientAccess): RoomMember {
    const frameOverhead = channelId === null ? 0 : channelFrameOverhead(channelId);
    return {
      clientId: this.clientId,
      pathId,
      access,
      buffered: this.#buffered,
      sendRemainder: (sourceId, remainder, remainderBytes) => {
        const payload = `${sourceId}\n${remainder}`;
        this.sendFrame(
          channelId === null ? payload : encodeChannelFrame(channelId, payload),
          frameOverhead + utf8ByteLength(sourceId) + 1 + remainderBytes,
        );
      },
      fail: (error) => this.fail(error),
      extensions: this.speaksExtensions ? this.#memberExtensions() : undefined,
    };
  }

  #memberExtensions(): MemberExtensions {
    return {
      has: (feature) => this.#features?.has(feature) === true,
      send: (feature, type, body) => {
        if (this.#features?.has(feature) === true) {
          this.#sendExtension(feature, type, body);
        }
      },
    };
  }

  #leaveAll(): void {
    const members = [...this.#members.values()];
    this.#members.clear();
    for (const member of members) {
      this.#host.leave(member);
    }
  }

  #onClosed(): void {
    this.#closed = true;
    // Fragments of a message the client never finished: dropped now, with their expiry timer.
    this.#decoder.reset();
    this.#leaveAll();
    this.#host.forget(this);
  }
}

const byteLengthOf = (data: RawData): number =>
  Array.isArray(data) ? data.reduce((sum, chunk) => sum + chunk.length, 0) : data.byteLength;

const textOf = (data: RawData): string => {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
};
