// createWsSynchronizer: synchronizes a MergeableStore through a WebSocket server, on TinyBase's
// wire format (docs/protocol.md §6), in legacy or multiplexed mode.
//
// Given a WebSocket object it behaves like TinyBase's: the app owns the socket; the promise
// resolves once it is open (or the channel subscribed) and rejects with `tinybase:5` if it fails
// first. Unlike TinyBase's, it keeps working when the same object is reopened (a reconnecting
// wrapper): it then pulls and announces, so edits made on either side meanwhile all arrive.
//
// Given a URL (or `{url, ...options}`, where `url` may list several nodes to fail over between,
// docs/protocol.md §7.4), it owns its socket and keeps it connected: jittered
// exponential backoff from 250 ms to 10 s, a heartbeat that replaces silent connections, and an
// immediate retry on the browser's `online` event. After every reconnect the engine pulls and
// announces; local edits made meanwhile are kept in the store, counted in the sync status as
// pendingChanges, and reach peers through that announcement. The promise resolves once the first
// attempt has opened or failed: the app works offline from the start.
import type {MergeableStoreLike} from '../store/schema-types.js';
import type {Id, MergeableStore} from '../store/types.js';
import {Backoff} from './backoff.js';
import {Acknowledgements} from './extensions/acknowledgements.js';
import {DeltaResync} from './extensions/delta-client.js';
import type {DeltaStateStorage} from './extensions/delta-state.js';
import {createExtensionPull} from './extensions/extension-pull.js';
import {LEGACY_OFFER} from './extensions/wire.js';
import {createWsPresenceChannel} from './presence/ws-channel.js';
import {
  type CustomSynchronizer,
  type CustomSynchronizerOptions,
  createCustomSynchronizer,
} from './synchronizer.js';
import {type IgnoredErrorListener, Message, type Receive, type Send} from './types.js';
import {
  duplicateChannelError,
  invalidChannelError,
  legacySocketError,
  multiplexedSocketError,
  overflowError,
  transportError,
} from './ws/errors.js';
import {createLegacyClient, type LegacyClient, SERVER_STORE_ID} from './ws/legacy-client.js';
import {MAX_CHANNELS_PER_SOCKET} from './ws/limits.js';
import {checkMaxMessageBytes} from './ws/message-size.js';
import {checkChannelId, MULTIPLEX_SUBPROTOCOL} from './ws/multiplex-protocol.js';
import {type ChannelHandler, Multiplexer} from './ws/multiplexer.js';
import {createReconnectingLink, type ReconnectOptions} from './ws/reconnecting-link.js';
import {SOCKET_INBOUND} from './ws/socket-inbound.js';
import {adoptWebSocket, type SocketLink} from './ws/socket-link.js';
import {WsTransport} from './ws/transport.js';
import {OPEN, type WebSocketLike} from './ws/web-socket.js';

export type {ReconnectOptions} from './ws/reconnecting-link.js';
export type {WebSocketConstructor, WebSocketLike} from './ws/web-socket.js';

/**
 * A server to connect to, with how to stay connected: reconnection delays (default 250 ms
 * doubling up to 10 s, jittered), heartbeat seconds (default 10; 0 turns it off), subprotocols,
 * and the WebSocket class to use. Given several URLs (nodes serving the same rooms), a failed
 * attempt or a lost connection moves to the next one; the delay applies after a whole round of
 * failures (docs/protocol.md §7.4). The sync status names the node in use. `maxMessageBytes`
 * lowers the 8 MiB limit on each message this client sends (legacy mode only); larger change sets
 * then go in smaller parts, and a question that cannot be split fails as an oversized one would
 * (docs/protocol.md §6.7, §9).
 */
export type WsConnectOptions = ReconnectOptions & {
  url: string | URL | readonly (string | URL)[];
  maxMessageBytes?: number;
  /**
   * Where delta resync keeps its watermark and the writes made while apart (docs/protocol.md
   * §8.8), so that a reconnect after a page reload costs only what changed: say
   * createIndexedDbDeltaState next to an IndexedDB persister. Default: memory, for the life of
   * the synchronizer.
   */
  deltaState?: DeltaStateStorage;
};

/** What createWsSynchronizer connects through: the app's socket, or a URL it connects to itself. */
export type WebSocketOrUrl = WebSocketLike | string | URL | WsConnectOptions;

/** A synchronizer over a WebSocket, which also gives access to its socket. */
export type WsSynchronizer<WebSocketType = WebSocketLike | undefined> = CustomSynchronizer & {
  /** The socket in use (an owned link's current one; undefined between its attempts). */
  getWebSocket(): WebSocketType;
  /**
   * The syncstore protocol extensions in use on the current connection (docs/protocol.md §8):
   * empty on a TinyBase server, while connecting, and on multiplexed sockets.
   */
  getProtocolExtensions(): string[];
};

const DEFAULT_REQUEST_TIMEOUT_SECONDS = 1;
const RESUBSCRIBE_MIN_DELAY_MS = 250;
const RESUBSCRIBE_MAX_DELAY_MS = 10_000;

/**
 * Creates a synchronizer that syncs `store` through a WebSocket server, in legacy mode: this
 * synchronizer alone on the socket, the room chosen by the URL path.
 *
 * Given a URL (or `{url, ...options}`) it owns its socket and keeps it connected: it reconnects
 * with jittered exponential backoff (250 ms doubling to 10 s, at once on the browser's `online`
 * event), probes after 10 s of silence and replaces a socket that stays silent 10 s more, and
 * after every reconnect pulls and announces, so edits made on either side meanwhile all arrive.
 * The promise resolves once the first attempt has opened or failed, so the app works offline
 * from the start.
 *
 * Given a WebSocket object the app owns it, as with TinyBase: the promise resolves once it is
 * open and rejects (`tinybase:5`) if it fails first; reopening that same object later resyncs.
 *
 * `requestTimeoutSeconds` (default 1) bounds each request (timed-out pulls are retried);
 * `fragmentSize` splits large messages into fragments of about that many bytes. Call startSync
 * to begin; destroy() closes an owned socket.
 *
 * @example
 * const synchronizer = await createWsSynchronizer(store, 'wss://example.com/my-room');
 * await synchronizer.startSync();
 * synchronizer.getSyncStatus().connection; // 'online', or 'offline' if the server is down
 *
 * @example
 * // Two nodes: the client moves to the other when one fails; the status names the node.
 * const synchronizer = await createWsSynchronizer(store, {url: ['wss://a.example.com/room', 'wss://b.example.com/room']});
 * synchronizer.getSyncStatus().node; // {url: 'wss://a.example.com/room', nodeId: 'a'}
 */
export function createWsSynchronizer<WebSocketType extends WebSocketOrUrl>(
  store: MergeableStoreLike,
  webSocketOrUrl: WebSocketType,
  requestTimeoutSeconds?: number,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
  fragmentSize?: number,
): Promise<WsSynchronizer<SocketOf<WebSocketType>>>;
/**
 * Creates a synchronizer in multiplexed mode: one channel, `channelId`, of a socket opened with
 * the `tinybase` subprotocol, each channel its own room. Synchronizers given the same URL share
 * one owned socket (kept connected as in legacy mode); with an app's WebSocket the promise
 * rejects if the channel cannot be subscribed. A channel id can be used once per socket.
 *
 * @example
 * const todos = await createWsSynchronizer(todoStore, 'wss://example.com', 'todos');
 * const notes = await createWsSynchronizer(noteStore, 'wss://example.com', 'notes'); // same socket
 */
export function createWsSynchronizer<WebSocketType extends WebSocketOrUrl>(
  store: MergeableStoreLike,
  webSocketOrUrl: WebSocketType,
  channelId: Id,
  requestTimeoutSeconds?: number,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
  fragmentSize?: number,
): Promise<WsSynchronizer<SocketOf<WebSocketType>>>;
export function createWsSynchronizer(
  store: MergeableStoreLike,
  webSocketOrUrl: WebSocketOrUrl,
  ...rest: unknown[]
): Promise<WsSynchronizer<unknown>> {
  // The overloads differ only by the channel id in third place.
  const channelId = typeof rest[0] === 'string' ? (rest[0] as Id) : undefined;
  const [requestTimeoutSeconds, onSend, onReceive, onIgnoredError, fragmentSize] = (
    channelId === undefined ? rest : rest.slice(1)
  ) as [number?, Send?, Receive?, IgnoredErrorListener?, number?];
  const settings: ClientSettings = {
    requestTimeoutSeconds: requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS,
    onSend,
    onReceive,
    onIgnoredError,
    fragmentSize,
  };
  return channelId === undefined
    ? createLegacySynchronizer(store as MergeableStore, webSocketOrUrl, settings)
    : createChannelSynchronizer(store as MergeableStore, webSocketOrUrl, channelId, settings);
}

/** createWsSynchronizer's arguments after the socket (and channel id). */
type ClientSettings = {
  requestTimeoutSeconds: number;
  onSend: Send | undefined;
  onReceive: Receive | undefined;
  onIgnoredError: IgnoredErrorListener | undefined;
  fragmentSize: number | undefined;
};

/** The engine over a WebSocket transport, reporting the transport's link state. */
const createEngine = (
  store: MergeableStore,
  transport: WsTransport,
  destroyTransport: () => void,
  settings: ClientSettings,
  engineOptions: Pick<
    CustomSynchronizerOptions,
    'presence' | 'onLocalChangesOut' | 'pull' | 'resync'
  > = {},
): CustomSynchronizer => {
  const synchronizer = createCustomSynchronizer(
    store,
    transport.send,
    transport.registerReceive,
    destroyTransport,
    settings.requestTimeoutSeconds,
    settings.onSend,
    settings.onReceive,
    settings.onIgnoredError,
    // The transport's decoder validates every message (closing the socket with 1007 if not).
    {
      initialConnection: transport.getConnection(),
      validatedByTransport: true,
      outbound: transport.outbound,
      inbound: SOCKET_INBOUND,
      ...engineOptions,
    },
  );
  transport.attach(synchronizer);
  return synchronizer;
};

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
): [
  urls: string[],
  options: ReconnectOptions,
  maxMessageBytes: number | undefined,
  deltaState: DeltaStateStorage | undefined,
] => {
  if (typeof target === 'string' || target instanceof URL) {
    return [[String(target)], {}, undefined, undefined];
  }
  const {url, maxMessageBytes, deltaState, ...options} = target;
  return [
    Array.isArray(url) ? url.map(String) : [String(url)],
    options,
    maxMessageBytes === undefined ? undefined : checkMaxMessageBytes(maxMessageBytes),
    deltaState,
  ];
};

async function createLegacySynchronizer(
  store: MergeableStore,
  target: WebSocketOrUrl,
  settings: ClientSettings,
): Promise<WsSynchronizer<unknown>> {
  let link: SocketLink;
  let maxMessageBytes: number | undefined;
  let deltaState: DeltaStateStorage | undefined;
  const adopted = isWebSocket(target);
  if (adopted) {
    if (socketModes.get(target) instanceof Multiplexer) {
      throw multiplexedSocketError();
    }
    socketModes.set(target, 'legacy');
    link = adoptWebSocket(target);
  } else {
    const [urls, options, maxBytes, state] = connectOptionsOf(target);
    maxMessageBytes = maxBytes;
    deltaState = state;
    // Offering the extension second lets a syncstore server choose it while any other server
    // chooses the plain first offer (docs/protocol.md §8.1); the app's own protocols win.
    link = createReconnectingLink(urls, {protocols: LEGACY_OFFER, ...options});
  }
  const onExtensionError = (error: Error) => settings.onIgnoredError?.(error);
  const client = createLegacyClient(
    link,
    settings.requestTimeoutSeconds,
    settings.fragmentSize,
    onExtensionError,
    maxMessageBytes,
  );
  // Presence travels as an extension feature, so only to a syncstore server (§8.2).
  const presence = createWsPresenceChannel(client.extensions, onExtensionError);
  const acknowledgements = acknowledge(store, client, link, onExtensionError);
  // Pulls from the room store by hash buckets and compact snapshots when the server speaks them.
  const extensionPull = createExtensionPull(client.extensions);
  // After a reconnect, delta resync replaces the hash walk where the server speaks it (§8.8).
  const delta = new DeltaResync(client.extensions, deltaState, onExtensionError);
  const synchronizer = createEngine(
    store,
    client.transport,
    () => {
      delta.destroy();
      extensionPull.destroy();
      client.destroy();
    },
    settings,
    {
      presence,
      onLocalChangesOut: acknowledgements.onLocalChangesOut,
      pull: extensionPull.pull,
      resync: delta,
    },
  );
  await link.whenSettled();
  if (adopted && !link.isOpen()) {
    synchronizer.destroy();
    throw transportError('the WebSocket failed before it opened');
  }
  return Object.assign(synchronizer, {
    getWebSocket: () => link.getWebSocket(),
    getProtocolExtensions: () => client.extensions.getFeatures(),
  });
}

/** Durable acknowledgements on a legacy client (docs/protocol.md §8.7). */
const acknowledge = (
  store: MergeableStore,
  client: LegacyClient,
  link: SocketLink,
  onError: (error: Error) => void,
): Acknowledgements => {
  const acknowledgements = new Acknowledgements({
    extensions: client.extensions,
    getContent: () => store.getMergeableContent(),
    sendToServer: (changes) =>
      client.transport.send(SERVER_STORE_ID, null, Message.ContentDiff, changes),
    report: (unconfirmedChanges) => client.transport.setLinkDetails({unconfirmedChanges}),
    onError,
  });
  client.extensions.register(acknowledgements);
  // Also a socket that closed before its handshake ended: what went out on it is unconfirmed.
  link.addListener({
    onOpen: () => {},
    onClose: () => acknowledgements.connectionLost(),
    onMessage: () => {},
  });
  return acknowledgements;
};

async function createChannelSynchronizer(
  store: MergeableStore,
  target: WebSocketOrUrl,
  channelId: Id,
  settings: ClientSettings,
): Promise<WsSynchronizer<unknown>> {
  const {requestTimeoutSeconds} = settings;
  // TinyBase's client refuses an oversized id as invalid too (the server closes with overflow).
  if (checkChannelId(channelId) !== 'valid') {
    throw invalidChannelError(channelId);
  }
  const adopted = isWebSocket(target);
  // A closing or closed socket will not open again by itself, and a closed one fires no more
  // events: without this the promise would never settle (TinyBase rejects here too).
  if (adopted && target.readyState > OPEN) {
    throw transportError('the WebSocket is closed');
  }
  const multiplexer = adopted
    ? adoptedMultiplexer(target, requestTimeoutSeconds)
    : urlMultiplexer(target, requestTimeoutSeconds);
  if (multiplexer.hasChannel(channelId)) {
    throw duplicateChannelError(channelId);
  }
  if (multiplexer.getChannelCount() >= MAX_CHANNELS_PER_SOCKET) {
    throw overflowError('channels');
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
  // Subscribing again after an unanswered Subscribe backs off as reconnecting does.
  const resubscribeBackoff = new Backoff({
    minMs: RESUBSCRIBE_MIN_DELAY_MS,
    maxMs: RESUBSCRIBE_MAX_DELAY_MS,
  });
  let resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  let transport: WsTransport;
  const handler: ChannelHandler = {
    channelId,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    onConnecting: () => transport.setConnection('connecting'),
    onSubscribed: () => {
      resubscribeBackoff.reset();
      transport.setConnection('online');
      settle();
    },
    onLost: (error) => {
      transport.setConnection('offline', error);
      settle(error ?? transportError('the WebSocket closed'));
    },
    onControlTimeout: (error) => {
      transport.setConnection(link.isOpen() ? 'connecting' : 'offline', error);
      settle(error);
      if (!adopted && link.isOpen()) {
        // Try the subscription again later, without disturbing the socket's other channels.
        const delay = resubscribeBackoff.nextDelay();
        clearTimeout(resubscribeTimer);
        resubscribeTimer = setTimeout(() => {
          resubscribeTimer = undefined;
          multiplexer.resubscribe(channelId);
        }, delay);
      }
    },
    onMessage: (decoded) => transport.deliver(decoded),
    onProgress: (peerId) => transport.noteProgress(peerId),
  };
  const outlet = multiplexer.add(handler);
  transport = new WsTransport(outlet, settings.fragmentSize, 'connecting');
  const destroyChannel = () => {
    // A pending retry must neither outlive the channel nor keep a Node process running.
    clearTimeout(resubscribeTimer);
    multiplexer.remove(handler);
  };
  const synchronizer = createEngine(store, transport, destroyChannel, settings);
  try {
    await subscribed;
  } catch (error) {
    synchronizer.destroy();
    throw error;
  }
  return Object.assign(synchronizer, {
    getWebSocket: () => link.getWebSocket(),
    getProtocolExtensions: (): string[] => [],
  });
}

const adoptedMultiplexer = (
  webSocket: WebSocketLike,
  requestTimeoutSeconds: number,
): Multiplexer => {
  const mode = socketModes.get(webSocket);
  if (mode === 'legacy') {
    throw legacySocketError();
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
  const [urls, options, maxMessageBytes] = connectOptionsOf(target);
  if (maxMessageBytes !== undefined) {
    // The channels of one socket share its frames: one channel's lower limit would not hold.
    throw new TypeError('maxMessageBytes is for legacy mode only, not for a multiplexed channel');
  }
  const url = urls.join(' ');
  const existing = urlMultiplexers.get(url);
  if (existing !== undefined) {
    return existing;
  }
  const link = createReconnectingLink(urls, {...options, protocols: MULTIPLEX_SUBPROTOCOL});
  const multiplexer = new Multiplexer(link, requestTimeoutSeconds, () =>
    urlMultiplexers.delete(url),
  );
  urlMultiplexers.set(url, multiplexer);
  return multiplexer;
};
