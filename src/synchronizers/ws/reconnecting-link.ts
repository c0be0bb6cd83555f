// A link that owns its WebSocket: it connects to a URL (or to one of several nodes, moving to the
// next when one fails: url-rotation.ts), reconnects after every close with jittered
// exponential backoff, reconnects at once when the browser says it is back online, and closes a
// connection that has gone silent (heartbeat) so that a dead network path does not look open.
//
// Heartbeat: when nothing has arrived for `heartbeatSeconds`, the link probes. A `ws` socket (Node)
// sends a WebSocket ping, which every server answers. A browser cannot send pings, so the transport
// supplies a probe on the sync wire format (a request the server answers: a GetContentHashes to the
// server store, or a multiplex Hello). If the probe brings nothing back within another
// `heartbeatSeconds`, the socket is dropped and a new one is opened. A browser probe counts only
// once the server has answered one on that connection, because a server without a store of its
// own (e.g. TinyBase's plain relay) never answers it.
//
// A close with 1008 (policy: the server's authorize refused this client, docs/protocol.md §6.8)
// ends the link: asking again with the same URL would be refused again, so it stays offline with
// an error saying so, and the app decides what to do (a new synchronizer with a new token, say).
import {Backoff} from '../backoff.js';
import {toError} from '../errors.js';
import {DrainWatch} from './drain-watch.js';
import {asTransportError, transportError} from './errors.js';
import {closeWithCode, type LinkListener, LinkListeners, type SocketLink} from './socket-link.js';
import {UrlRotation} from './url-rotation.js';
import {
  CONNECTING,
  closeQuietly,
  getWebSocketConstructor,
  isPingable,
  listenToSocket,
  OPEN,
  textOfMessageData,
  type WebSocketConstructor,
  type WebSocketLike,
} from './web-socket.js';

export type ReconnectOptions = {
  /** Subprotocols for each new socket. */
  protocols?: string | string[];
  /** The WebSocket class to use (default: the global one, or `ws` in Node). */
  WebSocket?: WebSocketConstructor;
  /** First reconnection delay; it doubles per failed attempt. Default 250 ms. */
  minReconnectDelayMs?: number;
  /** Longest reconnection delay. Default 10 s. */
  maxReconnectDelayMs?: number;
  /** Silence after which the link probes, and then waits as long for an answer. Default 10; 0 = off. */
  heartbeatSeconds?: number;
};

const DEFAULT_MIN_DELAY_MS = 250;
const DEFAULT_MAX_DELAY_MS = 10_000;
const DEFAULT_HEARTBEAT_SECONDS = 10;
/** A connection that stayed open this long resets the backoff. */
const STABLE_CONNECTION_MS = 5_000;
const NORMAL_CLOSURE = 1000;
/** The server refused this client (authorization): reconnecting would be refused too. */
const CLOSE_POLICY = 1008;

/** The error a link reports when the server refused it, with the server's reason. */
const refusalError = (url: string, reason: string | undefined): Error =>
  transportError(
    `refused by ${url} (1008${reason ? `: ${reason}` : ''}); not reconnecting, since the same request would be refused again`,
  );

export const createReconnectingLink = (
  urls: string | readonly string[],
  options: ReconnectOptions = {},
): SocketLink => {
  const rotation = new UrlRotation(typeof urls === 'string' ? [urls] : urls);
  const minDelayMs = options.minReconnectDelayMs ?? DEFAULT_MIN_DELAY_MS;
  const maxDelayMs = Math.max(minDelayMs, options.maxReconnectDelayMs ?? DEFAULT_MAX_DELAY_MS);
  const heartbeatMs = (options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000;
  const listeners = new LinkListeners();

  let socket: WebSocketLike | undefined;
  /** The current socket's writes (see drain-watch.ts); undefined while there is none. */
  let drain: DrainWatch | undefined;
  let detachSocket: () => void = () => {};
  let destroyed = false;
  /** Set by a 1008 close: the link stays down for good, as if destroyed, but reports why. */
  let refused = false;
  const backoff = new Backoff({minMs: minDelayMs, maxMs: maxDelayMs});
  let openedAt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let lastInboundAt = 0;
  let probeSentAt = 0;
  let probeAnsweredOnce = false;
  let probe: (() => void) | undefined;

  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });

  const noteInbound = (): void => {
    lastInboundAt = Date.now();
    if (probeSentAt !== 0) {
      probeSentAt = 0;
      probeAnsweredOnce = true;
    }
  };

  const connect = async (): Promise<void> => {
    reconnectTimer = undefined;
    if (destroyed || (socket !== undefined && socket.readyState <= OPEN)) {
      return;
    }
    const url = rotation.current;
    listeners.connecting();
    let WebSocketClass: WebSocketConstructor;
    let webSocket: WebSocketLike;
    try {
      WebSocketClass = options.WebSocket ?? (await getWebSocketConstructor());
      if (destroyed) {
        return;
      }
      webSocket = new WebSocketClass(url, options.protocols);
    } catch (error) {
      settle();
      listeners.close(toError(error));
      scheduleReconnect();
      return;
    }
    webSocket.binaryType = 'arraybuffer';
    socket = webSocket;
    drain = new DrainWatch(webSocket);
    let lastError: Error | undefined;

    const stopListening = listenToSocket(webSocket, {
      open: () => {
        rotation.connected();
        openedAt = Date.now();
        lastInboundAt = openedAt;
        probeSentAt = 0;
        probeAnsweredOnce = false;
        startHeartbeat();
        settle();
        listeners.open();
      },
      message: (event) => {
        noteInbound();
        listeners.message(textOfMessageData(event.data) ?? '');
      },
      error: (event) => {
        lastError =
          event.error instanceof Error
            ? event.error
            : new Error(event.message ?? `cannot connect to ${url}`);
      },
      close: (event) => {
        if (socket !== webSocket) {
          return;
        }
        if (event.code === CLOSE_POLICY) {
          refused = true;
          lostSocket(refusalError(url, event.reason));
          return;
        }
        lostSocket(
          lastError ??
            new Error(
              `connection to ${url} closed (${event.code ?? 'no code'}${event.reason ? `: ${event.reason}` : ''})`,
            ),
        );
      },
    });
    const pingable = isPingable(webSocket) ? webSocket : undefined;
    pingable?.on('pong', noteInbound);
    detachSocket = () => {
      stopListening();
      pingable?.off('pong', noteInbound);
    };
  };

  /** The current socket is gone (closed, failed or abandoned): tell listeners, then retry. */
  const lostSocket = (error: Error): void => {
    detachSocket();
    detachSocket = () => {};
    socket = undefined;
    drain?.close();
    drain = undefined;
    stopHeartbeat();
    settle();
    // Whatever went wrong, listeners hear TinyBase's code; the socket's own words go in `detail`.
    listeners.close(asTransportError(error));
    scheduleReconnect();
  };

  const scheduleReconnect = (): void => {
    if (destroyed || refused || reconnectTimer !== undefined) {
      return;
    }
    if (openedAt !== 0 && Date.now() - openedAt >= STABLE_CONNECTION_MS) {
      backoff.reset();
    }
    openedAt = 0;
    // Another node may well be up: try it at once. Only a round in which every node failed waits.
    if (!rotation.advance()) {
      reconnectTimer = setTimeout(() => void connect(), 0);
      return;
    }
    reconnectTimer = setTimeout(() => void connect(), backoff.nextDelay());
  };

  const reconnectNow = (): void => {
    if (destroyed || refused || (socket !== undefined && socket.readyState <= OPEN)) {
      return;
    }
    clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    backoff.reset();
    void connect();
  };

  const startHeartbeat = (): void => {
    stopHeartbeat();
    if (heartbeatMs <= 0) {
      return;
    }
    heartbeatTimer = setInterval(checkHeartbeat, heartbeatMs / 2);
    (heartbeatTimer as {unref?: () => void}).unref?.();
  };

  const stopHeartbeat = (): void => {
    clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
  };

  const checkHeartbeat = (): void => {
    const current = socket;
    if (current === undefined || current.readyState !== OPEN) {
      return;
    }
    const now = Date.now();
    const pingable = isPingable(current) ? current : undefined;
    if (probeSentAt !== 0 && now - probeSentAt >= heartbeatMs) {
      if (pingable !== undefined || probeAnsweredOnce) {
        // Silent since the probe: the connection is dead even if the socket does not know yet.
        abandon(current, pingable);
        return;
      }
      probeSentAt = 0;
    }
    if (probeSentAt === 0 && now - lastInboundAt >= heartbeatMs) {
      probeSentAt = now;
      try {
        if (pingable !== undefined) {
          pingable.ping();
        } else {
          probe?.();
        }
      } catch {
        // A failing send shows up as a close event.
      }
    }
  };

  const abandon = (current: WebSocketLike, pingable: {terminate(): void} | undefined): void => {
    lostSocket(new Error(`no answer from ${rotation.current} within ${heartbeatMs / 1000} s`));
    if (pingable !== undefined) {
      pingable.terminate();
    } else {
      current.close(NORMAL_CLOSURE, 'heartbeat timeout');
    }
  };

  const globalEvents = globalThis as {
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
    window?: unknown;
  };
  const watchesOnline =
    globalEvents.window !== undefined && typeof globalEvents.addEventListener === 'function';
  if (watchesOnline) {
    globalEvents.addEventListener!('online', reconnectNow);
  }

  void connect();

  /** Waits on the current socket's watch; with no socket there is nothing to wait for. */
  const withDrainWatch = (
    callback: () => void,
    wait: (watch: DrainWatch) => () => void,
  ): (() => void) => {
    if (drain === undefined) {
      callback();
      return () => {};
    }
    return wait(drain);
  };

  return {
    getWebSocket: () => socket,
    getUrl: () => rotation.current,
    isOpen: () => !destroyed && socket?.readyState === OPEN,
    send: (frame) => {
      if (socket === undefined || socket.readyState !== OPEN) {
        throw transportError('the connection is not open');
      }
      (drain as DrainWatch).send(frame);
    },
    getBufferedAmount: () => socket?.bufferedAmount ?? 0,
    whenDrained: (callback) => withDrainWatch(callback, (watch) => watch.whenDrained(callback)),
    afterWritten: (callback) => withDrainWatch(callback, (watch) => watch.afterWritten(callback)),
    closeSocket: (code, reason) => {
      if (socket !== undefined && socket.readyState <= OPEN) {
        if (socket.readyState === CONNECTING) {
          const current = socket;
          lostSocket(new Error(reason));
          closeQuietly(current);
        } else {
          const current = socket;
          closeWithCode((...args) => current.close(...args), code, reason);
        }
      }
    },
    setProbe: (newProbe) => {
      probe = newProbe;
    },
    addListener: (listener: LinkListener) => listeners.add(listener),
    whenSettled: () => settled,
    destroy: () => {
      if (destroyed) {
        return;
      }
      destroyed = true;
      clearTimeout(reconnectTimer);
      stopHeartbeat();
      if (watchesOnline) {
        globalEvents.removeEventListener?.('online', reconnectNow);
      }
      const current = socket;
      detachSocket();
      socket = undefined;
      drain?.close();
      drain = undefined;
      if (current !== undefined && current.readyState <= OPEN) {
        closeQuietly(current, NORMAL_CLOSURE);
      }
    },
  };
};
