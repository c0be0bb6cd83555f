// The client that owns its socket (URL mode) keeps syncing across outages: it reconnects by
// itself, pulls and announces after every reconnect, keeps offline edits, replaces dead
// connections (heartbeat) and reconnects at once on the browser's `online` event. An app-owned
// socket that is reopened keeps syncing too.

import {describe, expect, test} from 'vitest';
import {WebSocket, WebSocketServer} from 'ws';
import {createSqliteStorage, createWsServer} from '../../src/server/index.js';
import type {RoomStorage, WsServerOptions} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {
  createWsSynchronizer,
  type WsConnectOptions,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import type {Connection} from '../../src/synchronizers/types.js';
import {
  createCleanups,
  FAST_RECONNECT,
  startServer,
  TcpProxy,
  type TestServer,
  waitUntil,
} from './support.js';

const cleanups = createCleanups();

const connect = async (
  store: MergeableStore,
  target: string | WsConnectOptions,
  channelId?: string,
): Promise<WsSynchronizer> => {
  const synchronizer =
    channelId === undefined
      ? await createWsSynchronizer(store, target, 0.5)
      : await createWsSynchronizer(store, target, channelId, 0.5);
  cleanups.push(() => synchronizer.destroy());
  await synchronizer.startSync();
  return synchronizer;
};

const serve = (options: WsServerOptions = {}): Promise<TestServer> =>
  startServer(options, cleanups);

/** A second server on the port of one that was destroyed (its rooms in memory, or `storage`). */
const serveOnPort = async (port: number, storage: string | RoomStorage = ':memory:') => {
  const webSocketServer = new WebSocketServer({port, host: '127.0.0.1'});
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  const wsServer = createWsServer(webSocketServer, {storage});
  cleanups.push(() => wsServer.destroy());
  return wsServer;
};

const hashesEqual = (...stores: MergeableStore[]) =>
  stores.every(
    (store) =>
      JSON.stringify(store.getMergeableContentHashes()) ===
      JSON.stringify(stores[0]!.getMergeableContentHashes()),
  );

const connectionsOf = (synchronizer: WsSynchronizer): Connection[] => {
  const seen: Connection[] = [synchronizer.getSyncStatus().connection];
  synchronizer.addSyncStatusListener((status) => {
    if (status.connection !== seen.at(-1)) {
      seen.push(status.connection);
    }
  });
  return seen;
};

describe('URL mode', () => {
  test('reconnects after a server restart; edits made on both sides meanwhile all arrive', async () => {
    const first = await serve({storage: ':memory:'});
    const a = createMergeableStore('a').setCell('t', 'r', 'start', 1);
    const b = createMergeableStore('b');
    const syncA = await connect(a, {url: first.url('room'), ...FAST_RECONNECT});
    await connect(b, {url: first.url('room'), ...FAST_RECONNECT});
    await waitUntil(() => hashesEqual(a, b), 'initial sync');
    const connections = connectionsOf(syncA);

    await first.wsServer.destroy();
    await waitUntil(() => syncA.getSyncStatus().connection !== 'online', 'offline');
    a.setCell('t', 'r', 'fromA', 'while down');
    b.setCell('t', 'r', 'fromB', 'while down');
    expect(syncA.getSyncStatus().pendingChanges).toBe(1);

    // A fresh, empty server on the same port: everything must come from the clients.
    const second = await serveOnPort(first.port);
    await waitUntil(() => second.getClientIds('room').length === 2, 'both clients back');
    await waitUntil(() => hashesEqual(a, b), 'convergence');
    expect(a.getRow('t', 'r')).toEqual({start: 1, fromA: 'while down', fromB: 'while down'});
    expect(syncA.getSyncStatus()).toMatchObject({connection: 'online', pendingChanges: 0});
    expect(connections[0]).toBe('online');
    expect(connections).toContain('offline');
    expect(connections.at(-1)).toBe('online');
  });

  test('starts while the server is down and syncs once it is up; nothing typed offline is lost', async () => {
    const probe = await serve();
    const port = probe.port;
    await probe.wsServer.destroy();
    const store = createMergeableStore('s');
    const synchronizer = await connect(store, {
      url: `ws://127.0.0.1:${port}/room`,
      ...FAST_RECONNECT,
    });
    expect(synchronizer.getSyncStatus().connection).not.toBe('online');
    store.setCell('t', 'r', 'c', 'typed offline');
    const server = await serveOnPort(port);
    const reader = createMergeableStore('r');
    await connect(reader, {url: `ws://127.0.0.1:${port}/room`, ...FAST_RECONNECT});
    await waitUntil(
      () => reader.getCell('t', 'r', 'c') === 'typed offline',
      'offline edit delivered',
    );
    expect(server.getPathIds()).toEqual(['room']);
  });

  test('a client offline for a while converges both ways when it is back', async () => {
    const server = await serve({storage: ':memory:'});
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const traveller = createMergeableStore('t');
    const home = createMergeableStore('h');
    const travellerSync = await connect(traveller, {
      url: `ws://127.0.0.1:${proxy.port}/room`,
      ...FAST_RECONNECT,
    });
    await connect(home, server.url('room'));
    traveller.setCell('t', 'shared', 'c', 0);
    await waitUntil(() => hashesEqual(traveller, home), 'initial sync');

    await proxy.cut();
    await waitUntil(() => travellerSync.getSyncStatus().connection !== 'online', 'offline');
    for (let index = 0; index < 20; index++) {
      traveller.setCell('t', `away${index}`, 'c', index);
      home.setCell('t', `home${index}`, 'c', index);
    }
    traveller.delCell('t', 'shared', 'c');
    home.setValue('note', 'edited at home');
    await waitUntil(() => travellerSync.getSyncStatus().pendingChanges === 21, 'pending count');
    await proxy.restore();
    await waitUntil(() => hashesEqual(traveller, home), 'convergence after the outage');
    expect(traveller.getRowIds('t')).toHaveLength(40);
    expect(home.hasRow('t', 'shared')).toBe(false);
    expect(traveller.getValue('note')).toBe('edited at home');
  });

  test('the heartbeat replaces a connection that went silent', async () => {
    const server = await serve({storage: ':memory:'});
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const silent = createMergeableStore('s');
    const other = createMergeableStore('o');
    const silentSync = await connect(silent, {
      url: `ws://127.0.0.1:${proxy.port}/room`,
      heartbeatSeconds: 0.2,
      ...FAST_RECONNECT,
    });
    await connect(other, server.url('room'));
    const connections = connectionsOf(silentSync);
    proxy.freeze(); // the socket still looks open, but nothing gets through
    other.setCell('t', 'r', 'c', 'sent into the void');
    await waitUntil(
      () => silent.getCell('t', 'r', 'c') === 'sent into the void',
      'resync on a new connection',
    );
    expect(connections).toContain('offline');
    expect(silentSync.getSyncStatus().connection).toBe('online');
  });

  test('a socket without pings (as in browsers) is checked with a probe the server answers', async () => {
    const server = await serve();
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const store = createMergeableStore('s');
    const other = createMergeableStore('o');
    const synchronizer = await connect(store, {
      url: `ws://127.0.0.1:${proxy.port}/room`,
      WebSocket: BrowserLikeWebSocket,
      heartbeatSeconds: 0.2,
      ...FAST_RECONNECT,
    });
    expect(synchronizer.getWebSocket()).toBeInstanceOf(BrowserLikeWebSocket);
    await connect(other, server.url('room'));
    // Idle, the client probes and the server answers: probes count once one has been answered.
    const framesBefore = server.wsServer.getTrafficStats().messagesIn;
    await waitUntil(
      () => server.wsServer.getTrafficStats().messagesIn >= framesBefore + 2,
      'probes',
    );
    const connections = connectionsOf(synchronizer);
    proxy.freeze();
    other.setCell('t', 'r', 'c', 'after the freeze');
    await waitUntil(
      () => store.getCell('t', 'r', 'c') === 'after the freeze',
      'resync on a new connection',
    );
    expect(connections).toContain('offline');
  });

  test("reconnects at once on the browser's online event", async () => {
    const events = new EventTarget();
    const globals = globalThis as Record<string, unknown>;
    Object.assign(globals, {
      window: globalThis,
      addEventListener: events.addEventListener.bind(events),
      removeEventListener: events.removeEventListener.bind(events),
    });
    cleanups.push(() => {
      delete globals.window;
      delete globals.addEventListener;
      delete globals.removeEventListener;
    });
    const first = await serve();
    const port = first.port;
    const store = createMergeableStore('s');
    // A backoff far longer than the test: only the online event can bring it back in time.
    const synchronizer = await connect(store, {
      url: `ws://127.0.0.1:${port}/room`,
      minReconnectDelayMs: 60_000,
      maxReconnectDelayMs: 60_000,
    });
    await first.wsServer.destroy();
    await waitUntil(() => synchronizer.getSyncStatus().connection === 'offline', 'offline');
    await serveOnPort(port);
    events.dispatchEvent(new Event('online'));
    await waitUntil(() => synchronizer.getSyncStatus().connection === 'online', 'online again');
  });

  test('multiplexed channels over one owned socket both resync after a restart', async () => {
    const first = await serve({storage: ':memory:'});
    const options = {url: first.url(''), ...FAST_RECONNECT};
    const pets = createMergeableStore('p');
    const todos = createMergeableStore('t');
    const petsSync = await connect(pets, options, 'pets');
    const todosSync = await connect(todos, options, 'todos');
    expect(petsSync.getWebSocket()).toBe(todosSync.getWebSocket());
    pets.setCell('pets', 'fido', 'legs', 4);
    await first.wsServer.destroy();
    await waitUntil(() => petsSync.getSyncStatus().connection !== 'online', 'offline');
    todos.setCell('todos', 'one', 'done', true);
    // The new server starts empty: its rooms get these only if each channel resyncs by itself (a
    // reader joining later could pull them from the clients directly, so it would not tell).
    const storage = createSqliteStorage(':memory:');
    const second = await serveOnPort(first.port, storage);
    await waitUntil(() => second.getPathIds().length === 2, 'both channels back');
    const stored = (pathId: string) => JSON.stringify(storage.readRoom(pathId) ?? null);
    await waitUntil(
      () => stored('pets').includes('"fido"') && stored('todos').includes('"one"'),
      "each channel's content in the restarted server's rooms",
    );
    const petsReader = createMergeableStore('pr');
    const todosReader = createMergeableStore('tr');
    await connect(petsReader, `ws://127.0.0.1:${first.port}/pets`);
    await connect(todosReader, `ws://127.0.0.1:${first.port}/todos`);
    await waitUntil(
      () => hashesEqual(pets, petsReader) && hashesEqual(todos, todosReader),
      'both channels synced',
    );
    expect(todosReader.getTables()).toEqual({todos: {one: {done: true}}});
  });
});

/** A WebSocket with only the browser's API (no ping, no pong), over a `ws` socket. */
class BrowserLikeWebSocket extends EventTarget {
  protected socket: WebSocket;
  binaryType = 'arraybuffer';

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    super();
    this.socket = this.open();
  }

  get readyState() {
    return this.socket.readyState;
  }
  get protocol() {
    return this.socket.protocol;
  }
  get bufferedAmount() {
    return this.socket.bufferedAmount;
  }
  send(data: string) {
    this.socket.send(data);
  }
  close(code?: number, reason?: string) {
    this.socket.close(code, reason);
  }

  protected open(): WebSocket {
    const socket = new WebSocket(this.url, this.protocols);
    socket.on('open', () => this.dispatchEvent(new Event('open')));
    socket.on('close', () => this.dispatchEvent(new Event('close')));
    socket.on('error', () => this.dispatchEvent(new Event('error')));
    socket.on('message', (data) => {
      const event = new Event('message') as Event & {data: string};
      event.data = data.toString();
      this.dispatchEvent(event);
    });
    return socket;
  }
}

/** A stand-in for reconnecting-websocket: one object, reopened on a new `ws` socket. */
class ReopenableSocket extends BrowserLikeWebSocket {
  reopen() {
    this.socket = this.open();
  }
}

describe('app-owned socket', () => {
  test('keeps syncing both ways when the same socket object is reopened', async () => {
    const server = await serve({storage: ':memory:'});
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const socket = new ReopenableSocket(`ws://127.0.0.1:${proxy.port}/room`);
    const wrapped = createMergeableStore('w');
    const other = createMergeableStore('o');
    const wrappedSync = await connect(wrapped, socket as never);
    await connect(other, server.url('room'));
    wrapped.setCell('t', 'r', 'c', 1);
    await waitUntil(() => hashesEqual(wrapped, other), 'initial sync');
    await proxy.cut();
    await waitUntil(() => wrappedSync.getSyncStatus().connection === 'offline', 'offline');
    wrapped.setCell('t', 'r', 'wrapped', 'offline edit');
    other.setCell('t', 'r', 'other', 'edit meanwhile');
    await proxy.restore();
    socket.reopen();
    await waitUntil(() => hashesEqual(wrapped, other), 'resync after reopen');
    expect(wrapped.getRow('t', 'r')).toEqual({
      c: 1,
      wrapped: 'offline edit',
      other: 'edit meanwhile',
    });
    expect(wrappedSync.getWebSocket()).toBe(socket);
  });

  test('like TinyBase, creation rejects if the socket fails before opening', async () => {
    const probe = await serve();
    await probe.wsServer.destroy();
    const socket = new WebSocket(`ws://127.0.0.1:${probe.port}/room`);
    socket.on('error', () => {});
    await expect(createWsSynchronizer(createMergeableStore(), socket)).rejects.toThrow(
      'tinybase:5',
    );
  });
});
