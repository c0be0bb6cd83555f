// createWsSynchronizer: synchronizes a MergeableStore through a WebSocket server, on TinyBase's
// wire format (spec §4), in legacy or multiplexed mode.
//
// Given a WebSocket object it behaves like TinyBase's: the app owns the socket; the promise
// resolves once it is open (or the channel subscribed) and rejects with `tinybase:5` if it fails
// first. Unlike TinyBase's, it keeps working when the same object is reopened (a reconnecting
// wrapper): it then pulls and announces, so edits made on either side meanwhile all arrive.
//
// Given a URL (or `{url, ...options}`), it owns its socket and keeps it connected: jittered
// exponential backoff from 250 ms to 10 s, a heartbeat that replaces silent connections, and an
// immediate retry on the browser's `online` event. After every reconnect the engine pulls and
// announces; local edits made meanwhile are kept in the store, counted in the sync status as
// pendingChanges, and reach peers through that announcement. The promise resolves once the first
// attempt has opened or failed: the app works offline from the start.
import type {Id, MergeableStore} from '../store/types.js';
import {type CustomSynchronizer, createCustomSynchronizer} from './synchronizer.js';
import type {Connection, IgnoredErrorListener, Receive, Send} from './types.js';
import {createLegacyClient} from './ws/legacy-client.js';
import {MAX_CHANNELS_PER_SOCKET} from './ws/limits.js';
import {checkChannelId, MULTIPLEX_SUBPROTOCOL} from './ws/multiplex-protocol.js';
import {type ChannelHandler, Multiplexer} from './ws/multiplexer.js';
import {createReconnectingLink, type ReconnectOptions} from './ws/reconnecting-link.js';
import {adoptWebSocket, type SocketLink} from './ws/socket-link.js';
import {WsTransport} from './ws/transport.js';
import type {WebSocketLike} from './ws/web-socket.js';

export type {ReconnectOptions} from './ws/reconnecting-link.js';
export type {WebSocketConstructor, WebSocketLike} from './ws/web-socket.js';

/** A server to connect to, with how to stay connected. */
export type WsConnectOptions = ReconnectOptions & {url: string | URL};

/** What createWsSynchronizer connects through: the app's socket, or a URL it connects to itself. */
export type WebSocketOrUrl = WebSocketLike | string | URL | WsConnectOptions;

export type WsSynchronizer<WebSocketType = WebSocketLike | undefined> = CustomSynchronizer & {
  /** The socket in use (an owned link's current one; undefined between its attempts). */
  getWebSocket(): WebSocketType;
};

const DEFAULT_REQUEST_TIMEOUT_SECONDS = 1;

/** Legacy mode: this synchronizer alone on the socket. */
export function createWsSynchronizer<WebSocketType extends WebSocketOrUrl>(
  store: MergeableStore,
  webSocketOrUrl: WebSocketType,
  requestTimeoutSeconds?: number,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
  fragmentSize?: number,
): Promise<WsSynchronizer<SocketOf<WebSocketType>>>;
/** Multiplexed mode: one channel of a socket opened with the `tinybase` subprotocol. */
export function createWsSynchronizer<WebSocketType extends WebSocketOrUrl>(
  store: MergeableStore,
  webSocketOrUrl: WebSocketType,
  channelId: Id,
  requestTimeoutSeconds?: number,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
  fragmentSize?: number,
): Promise<WsSynchronizer<SocketOf<WebSocketType>>>;
export function createWsSynchronizer(
  store: MergeableStore,
  webSocketOrUrl: WebSocketOrUrl,
  ...rest: unknown[]
): Promise<WsSynchronizer<unknown>> {
  if (typeof rest[0] === 'string') {
    const [channelId, requestTimeoutSeconds, onSend, onReceive, onIgnoredError, fragmentSize] =
      rest as [Id, number?, Send?, Receive?, IgnoredErrorListener?, number?];
    return createChannelSynchronizer(
      store,
      webSocketOrUrl,
      channelId,
      requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS,
      onSend,
      onReceive,
      onIgnoredError,
      fragmentSize,
    );
  }
  const [requestTimeoutSeconds, onSend, onReceive, onIgnoredError, fragmentSize] = rest as [
    number?,
    Send?,
    Receive?,
    IgnoredErrorListener?,
    number?,
  ];
  return createLegacySynchronizer(
    store,
    webSocketOrUrl,
    requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS,
    onSend,
    onReceive,
    onIgnoredError,
    fragmentSize,
  );
}

/** getWebSocket()'s type: the app's socket type, or a generic one for URLs. */
type SocketOf<Target> = Target extends WebSocketLike ? Target : WebSocketLike | undefined;

// A socket object serves one mode: legacy synchronizers, or one multiplexer.
const socketModes = new WeakMap<WebSocketLike, 'legacy' | Multiplexer>();
// Multiplexed synchronizers given the same URL share one owned socket.
const urlMultiplexers = new Map<string, Multiplexer>();

const isWebSocket = (target: WebSocketOrUrl): target is WebSocketLike =>
  typeof target === 'object' &&
  target !== null &&
  !(target instanceof URL) &&
  typeof (target as Partial<WebSocketLike>).send === 'function';

const connectOptionsOf = (
  target: Exclude<WebSocketOrUrl, WebSocketLike>,
): [url: string, options: ReconnectOptions] => {
  if (typeof target === 'string' || target instanceof URL) {
    return [String(target), {}];
  }
  const {url, ...options} = target;
  return [String(url), options];
};

async function createLegacySynchronizer(
  store: MergeableStore,
  target: WebSocketOrUrl,
  requestTimeoutSeconds: number,
  onSend: Send | undefined,
  onReceive: Receive | undefined,
  onIgnoredError: IgnoredErrorListener | undefined,
  fragmentSize: number | undefined,
): Promise<WsSynchronizer<unknown>> {
  let link: SocketLink;
  const adopted = isWebSocket(target);
  if (adopted) {
    if (socketModes.get(target) instanceof Multiplexer) {
      throw new Error('tinybase:9 this WebSocket is already used in multiplexed mode');
    }
    socketModes.set(target, 'legacy');
    link = adoptWebSocket(target);
  } else {
    link = createReconnectingLink(...connectOptionsOf(target));
  }
  const client = createLegacyClient(link, requestTimeoutSeconds, fragmentSize);
  const synchronizer = createCustomSynchronizer(
    store,
    client.transport.send,
    client.transport.registerReceive,
    client.destroy,
    requestTimeoutSeconds,
    onSend,
    onReceive,
    onIgnoredError,
    {initialConnection: client.transport.getConnection()},
  );
  client.transport.attach(synchronizer);
  await link.whenSettled();
  if (adopted && !link.isOpen()) {
    synchronizer.destroy();
    throw new Error('tinybase:5 the WebSocket failed before it opened');
  }
  return Object.assign(synchronizer, {getWebSocket: () => link.getWebSocket()});
}

async function createChannelSynchronizer(
  store: MergeableStore,
  target: WebSocketOrUrl,
  channelId: Id,
  requestTimeoutSeconds: number,
  onSend: Send | undefined,
  onReceive: Receive | undefined,
  onIgnoredError: IgnoredErrorListener | undefined,
  fragmentSize: number | undefined,
): Promise<WsSynchronizer<unknown>> {
  const check = checkChannelId(channelId);
  if (check !== 'valid') {
    throw new Error(
      check === 'oversized'
        ? 'tinybase:15:channels channel id longer than 1024 bytes'
        : 'tinybase:6 invalid channel id',
    );
  }
  const adopted = isWebSocket(target);
  const multiplexer = adopted
    ? adoptedMultiplexer(target, requestTimeoutSeconds)
    : urlMultiplexer(target, requestTimeoutSeconds);
  if (multiplexer.hasChannel(channelId)) {
    throw new Error(
      `tinybase:7 channel ${JSON.stringify(channelId)} is already in use on this socket`,
    );
  }
  if (multiplexer.getChannelCount() >= MAX_CHANNELS_PER_SOCKET) {
    throw new Error('tinybase:15:channels');
  }
  const link = multiplexer.getLink();

  let settle: (error?: Error) => void = () => {};
  const subscribed = new Promise<void>((resolve, reject) => {
    settle = (error) => {
      settle = () => {};
      if (error !== undefined && adopted) {
        reject(error);
      } else {
        resolve();
      }
    };
  });
  let failureReported = false;
  let resubscribeAttempt = 0;
  let transport: WsTransport;
  const report = (connection: Connection, error?: Error) => {
    const reportNow = error !== undefined && !failureReported;
    if (error !== undefined) {
      failureReported = true;
    }
    transport.setConnection(connection, reportNow ? error : undefined);
  };
  const handler: ChannelHandler = {
    channelId,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    onConnecting: () => transport.setConnection('connecting'),
    onSubscribed: () => {
      failureReported = false;
      resubscribeAttempt = 0;
      transport.setConnection('online');
      settle();
    },
    onLost: (error) => {
      report('offline', error);
      settle(error ?? new Error('tinybase:5 the WebSocket closed'));
    },
    onControlTimeout: (error) => {
      report(link.isOpen() ? 'connecting' : 'offline', error);
      settle(error);
      if (!adopted && link.isOpen()) {
        // Try the subscription again later, without disturbing the socket's other channels.
        const delay = Math.min(10_000, 250 * 2 ** resubscribeAttempt++);
        setTimeout(() => multiplexer.resubscribe(channelId), delay);
      }
    },
    onMessage: (decoded) => transport.deliver(decoded),
  };
  const outlet = multiplexer.add(handler);
  transport = new WsTransport(outlet, fragmentSize, 'connecting');
  const synchronizer = createCustomSynchronizer(
    store,
    transport.send,
    transport.registerReceive,
    () => multiplexer.remove(handler),
    requestTimeoutSeconds,
    onSend,
    onReceive,
    onIgnoredError,
    {initialConnection: 'connecting'},
  );
  transport.attach(synchronizer);
  try {
    await subscribed;
  } catch (error) {
    synchronizer.destroy();
    throw error;
  }
  return Object.assign(synchronizer, {getWebSocket: () => link.getWebSocket()});
}

const adoptedMultiplexer = (
  webSocket: WebSocketLike,
  requestTimeoutSeconds: number,
): Multiplexer => {
  const mode = socketModes.get(webSocket);
  if (mode === 'legacy') {
    throw new Error('tinybase:10 this WebSocket is already used in legacy mode');
  }
  if (mode !== undefined) {
    return mode;
  }
  const multiplexer = new Multiplexer(adoptWebSocket(webSocket), requestTimeoutSeconds, () =>
    socketModes.delete(webSocket),
  );
  socketModes.set(webSocket, multiplexer);
  return multiplexer;
};

const urlMultiplexer = (
  target: Exclude<WebSocketOrUrl, WebSocketLike>,
  requestTimeoutSeconds: number,
): Multiplexer => {
  const [url, options] = connectOptionsOf(target);
  const existing = urlMultiplexers.get(url);
  if (existing !== undefined) {
    return existing;
  }
  const link = createReconnectingLink(url, {...options, protocols: MULTIPLEX_SUBPROTOCOL});
  const multiplexer = new Multiplexer(link, requestTimeoutSeconds, () =>
    urlMultiplexers.delete(url),
  );
  urlMultiplexers.set(url, multiplexer);
  return multiplexer;
};
