// Delta resync between a syncstore client and the syncstore server (docs/protocol.md §8.8): after a
// disconnect, k changed cells on either side or both cost bytes in proportion to k and one round
// trip, however big the room; also after a server restart with SQLite storage. A history that no
// longer reaches back far enough, and a room without a store, fall back to the hash walk and
// converge; a TinyBase client in the same room converges and never sees an extension frame.
//
// "Bytes" are the frames' UTF-8 payload bytes, both directions, from the moment the link comes
// back until the client is synced (the WebSocket upgrade request is not a frame). The size of
// changed cells is that of their stamps as a mergeable store holds them: value and HLC.
import 'fake-indexeddb/auto';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {describe, expect, test} from 'vitest';
import {WebSocketServer} from 'ws';
import {
  createIndexedDbDeltaState,
  createIndexedDbPersister,
} from '../../src/persisters/persister-indexed-db.js';
import {createWsServer} from '../../src/server/index.js';
import type {WsServer, WsServerOptions} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges, MergeableStore} from '../../src/store/types.js';
import type {DeltaStateStorage} from '../../src/synchronizers/extensions/delta-state.js';
import {
  createWsSynchronizer,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  baseRequests,
  extensionTypes,
  filledStore,
  newValues,
  recordingWebSocket,
  seedRoom,
  sendContentDiff,
  sqliteFile,
  stampBytes,
  trafficSince,
  type Wire,
  writeWith,
} from './delta-support.js';
import {
  createCleanups,
  expectConverged,
  type RawClient,
  startServer,
  TcpProxy,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 2;
const BIG_ROOM = 100_000;
const cleanups = createCleanups();
const {rawClient, tinyBaseClient, track} = testClients(cleanups, TIMEOUT);

/** The room store's content hashes, asked over a raw socket (its answer follows all it handled). */
const serverHashes = async (client: RawClient): Promise<string> => {
  const requestId = `hashes${Math.random().toString(36).slice(2, 10)}.h`;
  client.send(`S\n["${requestId}",1,""]`);
  const answer = await client.waitForFrame(
    (frame) => frame.startsWith(`S\n["${requestId}",0,`),
    'the room store hashes',
  );
  return JSON.stringify((JSON.parse(answer.slice(2)) as [string, number, unknown])[2]);
};

const hashesOf = (store: MergeableStore) => JSON.stringify(store.getMergeableContentHashes());

type Room = {
  file: string;
  server: {wsServer: WsServer; port: number; url: (path?: string) => string};
  proxy: TcpProxy;
  /** A plain socket straight to the server: writes as another peer, and asks for hashes. */
  writer: RawClient;
  store: MergeableStore;
  synchronizer: WsSynchronizer;
  wire: Wire;
};

/**
 * A stored room of `rows` cells, with one syncstore client holding the same content that reaches
 * the server through a proxy (to cut its network) and has synced once (taking a watermark).
 */
const openRoom = async (
  rows: number,
  options: WsServerOptions = {},
  deltaState?: DeltaStateStorage,
): Promise<Room> => {
  const file = sqliteFile(cleanups);
  const seed = filledStore('seed', rows);
  seedRoom(file, 'room', seed);
  const server = await startServer({storage: file, ...options}, cleanups);
  const proxy = await TcpProxy.start(server.port);
  cleanups.push(() => proxy.close());
  const store = createMergeableStore('client');
  store.setMergeableContent(seed.getMergeableContent());
  const wire: Wire = {frames: []};
  const synchronizer = await connectClient(store, proxy, wire, deltaState);
  const writer = await rawClient(server.url('room'));
  return {file, server, proxy, writer, store, synchronizer, wire};
};

/** A syncstore client through the proxy, recording its frames, once it has synced. */
const connectClient = async (
  store: MergeableStore,
  proxy: TcpProxy,
  wire: Wire,
  deltaState?: DeltaStateStorage,
): Promise<WsSynchronizer> => {
  const synchronizer = track(
    await createWsSynchronizer(
      store,
      {
        url: `ws://127.0.0.1:${proxy.port}/room`,
        WebSocket: recordingWebSocket(wire),
        minReconnectDelayMs: 10,
        maxReconnectDelayMs: 40,
        heartbeatSeconds: 0,
        deltaState,
      },
      TIMEOUT,
    ),
  );
  await synchronizer.startSync();
  await waitUntil(() => synchronizer.getSyncStatus().phase === 'synced', 'the first sync');
  return synchronizer;
};

const goOffline = async ({proxy, synchronizer}: Room) => {
  await proxy.cut();
  await waitUntil(() => synchronizer.getSyncStatus().connection === 'offline', 'offline');
};

/** Brings the client back and waits until it and the room store hold the same content. */
const reconnect = async (room: Room) => {
  const from = room.wire.frames.length;
  await room.proxy.restore();
  await waitUntil(() => room.synchronizer.getSyncStatus().phase === 'synced', 'synced again');
  expect(await serverHashes(room.writer)).toBe(hashesOf(room.store));
  const traffic = trafficSince(room.wire, from);
  // Requests are what the client sends once the handshake is done: each waits for its answer.
  const roundTrips =
    extensionTypes(traffic.sent).filter((type) => type === 'delta/sync').length +
    baseRequests(traffic.sent).length;
  return {...traffic, roundTrips};
};

/** k cells changed by the other peer (through the server) while the client is away. */
const changeOnServer = async (room: Room, count: number, offset = 0): Promise<MergeableChanges> => {
  const changes = writeWith(createMergeableStore('other'), newValues(count, 'server', offset));
  sendContentDiff(room.writer, changes);
  await serverHashes(room.writer);
  return changes;
};

/** k cells changed on the client while it is away. */
const changeOnClient = (room: Room, count: number, offset = 0): MergeableChanges =>
  writeWith(room.store, newValues(count, 'client', offset));

describe(`reconnecting to a room of ${BIG_ROOM} cells`, () => {
  test('1 cell changed on the client: under 1 KiB both ways, one round trip, no hash walk', async () => {
    const room = await openRoom(BIG_ROOM);
    await goOffline(room);
    changeOnClient(room, 1);
    expect(room.synchronizer.getSyncStatus().pendingChanges).toBe(1);
    const traffic = await reconnect(room);
    expect(traffic.bytes).toBeLessThanOrEqual(1024);
    expect(traffic.roundTrips).toBe(1);
    expect(baseRequests(traffic.sent)).toEqual([]);
    expect(extensionTypes(traffic.received)).toEqual(['syncstore/hello', 'delta/changes']);
    // The client's own write is not sent back to it.
    const answer = traffic.received.find((frame) => frame.startsWith('~\n["delta","changes"'))!;
    expect(
      (JSON.parse(answer.slice(2)) as [string, string, {changes: unknown}])[2].changes,
    ).toEqual([[{}], [{}], 1]);
    expect(room.synchronizer.getSyncStatus().pendingChanges).toBe(0);
  }, 60_000);

  test('1 cell changed on the server: under 1 KiB both ways, one round trip', async () => {
    const room = await openRoom(BIG_ROOM);
    await goOffline(room);
    await changeOnServer(room, 1, 7);
    const traffic = await reconnect(room);
    expect(room.store.getCell('t', 'r7', 'c')).toBe('server 7');
    expect(traffic.bytes).toBeLessThanOrEqual(1024);
    expect(traffic.roundTrips).toBe(1);
  }, 60_000);

  test('1 cell changed on each side: under 1 KiB both ways, one round trip', async () => {
    const room = await openRoom(BIG_ROOM);
    await goOffline(room);
    await changeOnServer(room, 1, 7);
    changeOnClient(room, 1, 8);
    const traffic = await reconnect(room);
    expect(room.store.getCell('t', 'r7', 'c')).toBe('server 7');
    expect(traffic.bytes).toBeLessThanOrEqual(1024);
    expect(traffic.roundTrips).toBe(1);
  }, 60_000);

  test('1,000 cells changed on each side: at most twice their size plus 1 KiB', async () => {
    const room = await openRoom(BIG_ROOM);
    await goOffline(room);
    const onServer = await changeOnServer(room, 1000, 0);
    const onClient = changeOnClient(room, 1000, 5000);
    const traffic = await reconnect(room);
    expect(room.store.getCell('t', 'r999', 'c')).toBe('server 999');
    const limit = 2 * (stampBytes(onServer) + stampBytes(onClient)) + 1024;
    expect(traffic.bytes).toBeLessThanOrEqual(limit);
    expect(traffic.roundTrips).toBe(1);
  }, 60_000);

  test('the same 1,000 cells changed on both sides: the later writes win everywhere', async () => {
    const room = await openRoom(BIG_ROOM);
    await goOffline(room);
    const onServer = await changeOnServer(room, 1000, 0);
    // Written after the server's, with a later clock: the client's win.
    const onClient = changeOnClient(room, 1000, 0);
    const traffic = await reconnect(room);
    expect(room.store.getCell('t', 'r999', 'c')).toBe('client 999');
    expect(traffic.bytes).toBeLessThanOrEqual(
      2 * (stampBytes(onServer) + stampBytes(onClient)) + 1024,
    );
    expect(traffic.roundTrips).toBe(1);
  }, 60_000);
});

describe('durability and fallback', () => {
  test('a server restart with SQLite storage keeps the watermark good', async () => {
    const room = await openRoom(1000);
    await goOffline(room);
    room.writer.close();
    await room.server.wsServer.destroy();
    const [webSocketServer] = await listenOn(room.server.port);
    const restarted = createWsServer(webSocketServer, {storage: room.file});
    cleanups.push(() => restarted.destroy());
    room.writer = await rawClient(room.server.url('room'));
    changeOnClient(room, 1, 3);
    await changeOnServer(room, 1, 4);
    const traffic = await reconnect(room);
    expect(extensionTypes(traffic.received)).toEqual(['syncstore/hello', 'delta/changes']);
    expect(baseRequests(traffic.sent)).toEqual([]);
    expect(room.store.getCell('t', 'r4', 'c')).toBe('server 4');
  }, 30_000);

  test('a page reload with the IndexedDB persister keeps the watermark and the writes made apart', async () => {
    const deltaState = createIndexedDbDeltaState('reload');
    const room = await openRoom(1000, {}, deltaState);
    const persister = createIndexedDbPersister(room.store, 'reload');
    await persister.startAutoPersisting();
    await goOffline(room);
    changeOnClient(room, 1, 3);
    await persister.save();
    // The page goes away with its offline write, once both are stored.
    await waitUntilAsync(async () => (await deltaState.load())?.unacknowledged !== undefined);
    await room.synchronizer.destroy();
    await persister.destroy();
    await changeOnServer(room, 1, 4);
    await room.proxy.restore();

    // The reloaded page: its store comes back from IndexedDB, then it connects.
    const store = createMergeableStore('client');
    const reloaded = createIndexedDbPersister(store, 'reload');
    await reloaded.load();
    expect(store.getCell('t', 'r3', 'c')).toBe('client 3');
    const wire: Wire = {frames: []};
    await connectClient(store, room.proxy, wire, createIndexedDbDeltaState('reload'));
    expect(await serverHashes(room.writer)).toBe(hashesOf(store));
    const traffic = trafficSince(wire, 0);
    expect(extensionTypes(traffic.received)).toEqual(['syncstore/hello', 'delta/changes']);
    expect(baseRequests(traffic.sent)).toEqual([]);
    expect(traffic.bytes).toBeLessThanOrEqual(1024);
    expect(store.getCell('t', 'r4', 'c')).toBe('server 4');
    await reloaded.destroy();
  }, 30_000);

  test('a history compacted past the watermark falls back to the hash walk and converges', async () => {
    const room = await openRoom(1000, {deltaHistory: 10});
    await goOffline(room);
    await changeOnServer(room, 50, 0);
    changeOnClient(room, 5, 500);
    const traffic = await reconnect(room);
    const types = extensionTypes(traffic.received);
    expect(types.slice(0, 2)).toEqual(['syncstore/hello', 'delta/fallback']);
    // The fallback walks the room store's hashes: by buckets (§8.5), which this server speaks.
    expect(types).toContain('buckets/diff');
    expect(room.store.getCell('t', 'r49', 'c')).toBe('server 49');
    // The watermark taken at the fallback serves the next reconnect.
    await goOffline(room);
    await changeOnServer(room, 2, 100);
    const next = await reconnect(room);
    expect(extensionTypes(next.received)).toEqual(['syncstore/hello', 'delta/changes']);
  }, 30_000);

  test('a room without a store answers unsupported, and the hash walk converges', async () => {
    const server = await startServer({}, cleanups);
    const wire: Wire = {frames: []};
    const a = createMergeableStore('a').setCell('t', 'r', 'a', 1);
    const b = createMergeableStore('b').setCell('t', 'r', 'b', 2);
    const synchronizerA = track(
      await createWsSynchronizer(
        a,
        {url: server.url('relay'), WebSocket: recordingWebSocket(wire), heartbeatSeconds: 0},
        TIMEOUT,
      ),
    );
    await synchronizerA.startSync();
    const synchronizerB = track(await createWsSynchronizer(b, server.url('relay'), TIMEOUT));
    await synchronizerB.startSync();
    await expectConverged([a, b]);
    expect(extensionTypes(trafficSince(wire, 0).received)).toContain('delta/unsupported');
  });
});

describe('a room of mixed peers', () => {
  test('a TinyBase client converges with delta clients and never sees an extension frame', async () => {
    const room = await openRoom(1000);
    const tinyBase = createTinyBaseStore();
    const seen: string[] = [];
    const synchronizer = await tinyBaseClient(tinyBase, room.server.url('room'));
    const socket = (
      synchronizer as unknown as {getWebSocket(): import('ws').WebSocket}
    ).getWebSocket();
    socket.on('message', (data) => seen.push(data.toString()));
    await expectConverged([room.store, tinyBase]);
    await goOffline(room);
    changeOnClient(room, 3, 10);
    tinyBase.setCell('t', 'r20', 'c', 'from TinyBase');
    const traffic = await reconnect(room);
    expect(extensionTypes(traffic.received)).toContain('delta/changes');
    await expectConverged([room.store, tinyBase]);
    expect(tinyBase.getCell('t', 'r10', 'c')).toBe('client 10');
    expect(room.store.getCell('t', 'r20', 'c')).toBe('from TinyBase');
    expect(seen.filter((frame) => frame.startsWith('~'))).toEqual([]);
  }, 30_000);
});

const waitUntilAsync = async (condition: () => Promise<boolean>): Promise<void> => {
  for (let attempt = 0; !(await condition()); attempt++) {
    if (attempt > 1000) {
      throw new Error('timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const listenOn = async (port: number): Promise<[WebSocketServer]> => {
  const webSocketServer = new WebSocketServer({port, host: '127.0.0.1'});
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  return [webSocketServer];
};
