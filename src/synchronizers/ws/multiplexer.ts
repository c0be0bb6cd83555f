// The client side of multiplexed mode (docs/protocol.md §6.5): several synchronizers, each on its own channel,
// share one socket opened with the `tinybase` subprotocol. On every open the multiplexer says Hello,
// then subscribes every channel; each channel is online once its Subscribe is echoed.
//
// Backpressure (docs/protocol.md §6.7): a channel frame that does not fit in the socket's buffer waits in one
// queue for the socket, in order, and the queue waits for the link's drain signal (the socket has
// handed bytes on, or closed; drain-watch.ts); only a queue beyond 1000 frames or 16 MiB gives up
// on the socket (tinybase:15:client). A closed socket drops the queue: the engine pulls and
// announces after reconnecting.
import {createRandomId} from '../ids.js';
import {type DecodedMessage, PayloadDecoder} from './decoder.js';
import {closeCodeFor, controlTimeoutError, invalidMessageError, overflowError} from './errors.js';
import {MAX_WEBSOCKET_BUFFER_SIZE, MAX_WEBSOCKET_QUEUE_SIZE, RANDOM_ID_LENGTH} from './limits.js';
import {
  Control,
  encodeChannelFrame,
  encodeControl,
  isChannelPayload,
  MULTIPLEX_VERSION,
  parseChannelFrame,
  parseControl,
} from './multiplex-protocol.js';
import type {SocketLink} from './socket-link.js';
import {type Outlet, payloadFits} from './transport.js';
import {utf8ByteLength} from './utf8.js';

/** What a channel's owner hears from the multiplexer. */
export interface ChannelHandler {
  readonly channelId: string;
  readonly requestTimeoutMs: number;
  /** An owned link started a connection attempt. */
  onConnecting(): void;
  /** The channel's Subscribe was echoed: traffic can flow. */
  onSubscribed(): void;
  /** The socket closed or failed: the channel is offline until subscribed again. */
  onLost(error?: Error): void;
  /** Hello or Subscribe got no echo in time (`tinybase:4`). */
  onControlTimeout(error: Error): void;
  onMessage(decoded: DecodedMessage): void;
  /** A fragment of a message from `peerId` arrived on the channel. */
  onProgress(peerId: string): void;
}

/** A channel frame waiting for room, with whoever waits for it (and those before it) to go out. */
type QueuedFrame = {frame: string; bytes: number; onSent?: Set<() => void>};

type PendingControl = {timer: ReturnType<typeof setTimeout>; channelId: string | null};

export class Multiplexer {
  readonly #link: SocketLink;
  readonly #onEmpty: () => void;
  readonly #handlers = new Map<string, ChannelHandler>();
  readonly #subscribed = new Set<string>();
  readonly #pendingControls = new Map<string, PendingControl>();
  readonly #decoder: PayloadDecoder;
  readonly #removeListener: () => void;
  /** Channel frames waiting for room in the socket's buffer, oldest first. */
  #queue: QueuedFrame[] = [];
  #queuedBytes = 0;
  /** While frames are queued: the wait for the link's drain signal. */
  #drainWait: {cancel: () => void} | undefined;
  #helloId: string | undefined;
  #negotiated = false;
  #failed = false;
  #destroyed = false;

  constructor(link: SocketLink, requestTimeoutSeconds: number, onEmpty: () => void) {
    this.#link = link;
    this.#onEmpty = onEmpty;
    this.#decoder = new PayloadDecoder(Math.max(1, requestTimeoutSeconds) * 1000);
    this.#removeListener = link.addListener({
      onConnecting: () => {
        for (const handler of [...this.#handlers.values()]) {
          handler.onConnecting();
        }
      },
      onOpen: () => this.#onOpen(),
      onClose: (error) => this.#onClose(error),
      onMessage: (payload) => this.#onMessage(payload),
    });
    // The heartbeat probe of sockets without pings: a Hello, which the server echoes.
    link.setProbe(() =>
      link.send(encodeControl(createRandomId(RANDOM_ID_LENGTH), Control.Hello, MULTIPLEX_VERSION)),
    );
    if (link.isOpen()) {
      this.#onOpen();
    }
  }

  getLink(): SocketLink {
    return this.#link;
  }

  hasChannel(channelId: string): boolean {
    return this.#handlers.has(channelId);
  }

  getChannelCount(): number {
    return this.#handlers.size;
  }

  /** Adds a channel and returns where its transport sends. The caller checks id and limits. */
  add(handler: ChannelHandler): Outlet {
    const {channelId} = handler;
    this.#handlers.set(channelId, handler);
    if (this.#link.isOpen()) {
      if (this.#negotiated) {
        this.#subscribe(channelId);
      } else if (this.#helloId === undefined) {
        this.#sayHello();
      }
    }
    return {
      isReady: () => this.#link.isOpen() && this.#subscribed.has(channelId),
      sendPayload: (payload) => this.#sendOrQueue(encodeChannelFrame(channelId, payload)),
      afterSent: (callback) => this.#afterSent(callback),
    };
  }

  /** Removes a channel (unsubscribing it); the last one out closes the socket. */
  remove(handler: ChannelHandler): void {
    const {channelId} = handler;
    if (this.#handlers.get(channelId) !== handler) {
      return;
    }
    this.#handlers.delete(channelId);
    for (const [id, pending] of this.#pendingControls) {
      if (pending.channelId === channelId) {
        clearTimeout(pending.timer);
        this.#pendingControls.delete(id);
      }
    }
    if (this.#subscribed.delete(channelId) && this.#link.isOpen()) {
      try {
        this.#link.send(encodeControl(null, Control.Unsubscribe, channelId));
      } catch {
        // A socket failing now closes soon, and the server drops the channel with it.
      }
    }
    if (this.#handlers.size === 0) {
      this.#destroy();
    }
  }

  /** Asks again for a channel whose Subscribe went unanswered. */
  resubscribe(channelId: string): void {
    if (this.#negotiated && this.#link.isOpen() && !this.#subscribed.has(channelId)) {
      this.#subscribe(channelId);
    }
  }

  #destroy(): void {
    if (this.#destroyed) {
      return;
    }
    this.#destroyed = true;
    this.#clearControls();
    this.#dropQueue();
    this.#decoder.reset();
    this.#removeListener();
    this.#link.destroy();
    this.#onEmpty();
  }

  #onOpen(): void {
    this.#failed = false;
    this.#negotiated = false;
    this.#subscribed.clear();
    this.#decoder.reset();
    this.#clearControls();
    if (this.#handlers.size > 0) {
      this.#sayHello();
    }
  }

  #onClose(error?: Error): void {
    this.#decoder.reset();
    this.#negotiated = false;
    this.#helloId = undefined;
    this.#subscribed.clear();
    this.#clearControls();
    this.#dropQueue();
    for (const handler of [...this.#handlers.values()]) {
      handler.onLost(error);
    }
  }

  #sayHello(): void {
    const helloId = createRandomId(RANDOM_ID_LENGTH);
    this.#helloId = helloId;
    const timeoutMs = Math.min(
      ...[...this.#handlers.values()].map((handler) => handler.requestTimeoutMs),
    );
    this.#startControl(helloId, null, timeoutMs);
    this.#link.send(encodeControl(helloId, Control.Hello, MULTIPLEX_VERSION));
  }

  #subscribe(channelId: string): void {
    const handler = this.#handlers.get(channelId);
    if (handler === undefined) {
      return;
    }
    const subscribeId = createRandomId(RANDOM_ID_LENGTH);
    this.#startControl(subscribeId, channelId, handler.requestTimeoutMs);
    this.#link.send(encodeControl(subscribeId, Control.Subscribe, channelId));
  }

  #startControl(id: string, channelId: string | null, timeoutMs: number): void {
    const timer = setTimeout(() => {
      this.#pendingControls.delete(id);
      const error = controlTimeoutError(
        channelId === null ? Control.Hello : Control.Subscribe,
        `no ${channelId === null ? 'Hello' : `Subscribe of channel ${JSON.stringify(channelId)}`} reply from the server`,
      );
      const handlers =
        channelId === null ? [...this.#handlers.values()] : [this.#handlers.get(channelId)];
      for (const handler of handlers) {
        handler?.onControlTimeout(error);
      }
    }, timeoutMs);
    this.#pendingControls.set(id, {timer, channelId});
  }

  #clearControls(): void {
    for (const pending of this.#pendingControls.values()) {
      clearTimeout(pending.timer);
    }
    this.#pendingControls.clear();
  }

  #onMessage(payload: string): void {
    if (this.#failed || this.#destroyed) {
      return;
    }
    if (isChannelPayload(payload)) {
      const frame = parseChannelFrame(payload);
      if (frame === undefined) {
        this.#fail(invalidMessageError());
        return;
      }
      const [channelId, inner] = frame;
      const handler = this.#handlers.get(channelId);
      if (handler === undefined || !this.#subscribed.has(channelId)) {
        // Traffic for a channel just removed, or not yet confirmed: not an error of the server.
        return;
      }
      const result = this.#decoder.decode(inner, undefined, channelId);
      if (result.status === 'message') {
        handler.onMessage(result);
      } else if (result.status === 'pending') {
        handler.onProgress(result.prefix);
      } else if (result.status === 'error') {
        this.#fail(result.error);
      }
      return;
    }
    const control = parseControl(payload);
    if (control === undefined) {
      this.#fail(invalidMessageError());
      return;
    }
    const pending =
      control.requestId === null ? undefined : this.#pendingControls.get(control.requestId);
    if (pending === undefined) {
      return; // a stale reply, or the echo of a heartbeat probe
    }
    if (control.control === Control.Hello && pending.channelId === null) {
      this.#settleControl(control.requestId!, pending);
      this.#negotiated = true;
      for (const channelId of this.#handlers.keys()) {
        this.#subscribe(channelId);
      }
    } else if (control.control === Control.Subscribe && control.arg === pending.channelId) {
      this.#settleControl(control.requestId!, pending);
      this.#subscribed.add(control.arg);
      this.#handlers.get(control.arg)?.onSubscribed();
    }
  }

  #settleControl(id: string, pending: PendingControl): void {
    clearTimeout(pending.timer);
    this.#pendingControls.delete(id);
  }

  /**
   * Calls `callback` once every frame queued so far has been handed to the socket and written out
   * (or dropped with the socket). Frames leave the queue in order, so it waits on the last one.
   */
  #afterSent(callback: () => void): () => void {
    const last = this.#queue.at(-1);
    if (last === undefined) {
      return this.#link.afterWritten(callback);
    }
    let cancelled = false;
    let cancelWrite = () => {};
    const onHanded = () => {
      if (!cancelled) {
        cancelWrite = this.#link.afterWritten(callback);
      }
    };
    last.onSent ??= new Set();
    last.onSent.add(onHanded);
    return () => {
      cancelled = true;
      last.onSent?.delete(onHanded);
      cancelWrite();
    };
  }

  /** Sends a channel frame now if it fits and none waits before it; otherwise queues it. */
  #sendOrQueue(frame: string): void {
    if (this.#queue.length === 0 && payloadFits(this.#link.getBufferedAmount(), frame)) {
      this.#link.send(frame);
      return;
    }
    const bytes = utf8ByteLength(frame);
    if (
      this.#queue.length >= MAX_WEBSOCKET_QUEUE_SIZE ||
      this.#queuedBytes + bytes > MAX_WEBSOCKET_BUFFER_SIZE
    ) {
      const error = overflowError('client');
      this.#fail(error);
      throw error;
    }
    this.#queue.push({frame, bytes});
    this.#queuedBytes += bytes;
    this.#waitForDrain();
  }

  #waitForDrain(): void {
    if (this.#drainWait !== undefined) {
      return;
    }
    const wait = {cancel: () => {}};
    this.#drainWait = wait;
    // (It may call back at once, when the socket holds nothing.)
    wait.cancel = this.#link.whenDrained(() => {
      if (this.#drainWait === wait) {
        this.#drainWait = undefined;
        this.#flushQueue();
      }
    });
  }

  #flushQueue(): void {
    if (!this.#link.isOpen()) {
      this.#dropQueue();
      return;
    }
    while (
      this.#queue.length > 0 &&
      this.#link.getBufferedAmount() + this.#queue[0]!.bytes <= MAX_WEBSOCKET_BUFFER_SIZE
    ) {
      const {frame, bytes, onSent} = this.#queue.shift()!;
      this.#queuedBytes -= bytes;
      this.#link.send(frame);
      for (const onHanded of onSent ?? []) {
        onHanded();
      }
    }
    if (this.#queue.length > 0) {
      this.#waitForDrain();
    }
  }

  #dropQueue(): void {
    this.#drainWait?.cancel();
    this.#drainWait = undefined;
    const dropped = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    // Whoever waited for these frames hears now: they will never be sent (the socket is gone).
    for (const {onSent} of dropped) {
      for (const onHanded of onSent ?? []) {
        onHanded();
      }
    }
  }

  /** Invalid traffic or an overflow: close the socket with the matching code. */
  #fail(error: Error): void {
    this.#failed = true;
    for (const handler of [...this.#handlers.values()]) {
      handler.onLost(error);
    }
    this.#link.closeSocket(closeCodeFor(error), error.message);
  }
}
