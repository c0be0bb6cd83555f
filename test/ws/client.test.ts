// The WebSocket client's own rules: what it refuses to create, what it does with invalid traffic
// from a server, fragments in both directions, and what destroy does to the socket.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {describe, expect, test} from 'vitest';
import {WebSocket, type WebSocketServer} from 'ws';
import type {WsServerOptions} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, listen, startServer, type TestServer, waitUntil} from './support.js';

const cleanups = createCleanups();

const serve = (options: WsServerOptions = {}): Promise<TestServer> =>
  startServer(options, cleanups);

const openSocket = async (url: string, protocols?: string) => {
  const socket = new WebSocket(url, protocols);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('open', resolve));
  cleanups.push(() => socket.close());
  return socket;
};

/** A server that answers every connection with the given frames. */
const rogueServer = async (frames: string[]): Promise<[WebSocketServer, string]> => {
  const [webSocketServer, port] = await listen();
  webSocketServer.on('connection', (socket) => {
    for (const frame of frames) {
      socket.send(frame);
    }
  });
  cleanups.push(() => new Promise((resolve) => webSocketServer.close(resolve)));
  return [webSocketServer, `ws://127.0.0.1:${port}/`];
};

describe('creation', () => {
  test('refuses invalid, duplicate and mixed-mode uses of a socket', async () => {
    const server = await serve();
    const store = createMergeableStore();
    const multiplexed = await openSocket(server.url(''), 'tinybase');
    await expect(createWsSynchronizer(store, multiplexed, '../x')).rejects.toThrow('tinybase:6');
    await expect(createWsSynchronizer(store, multiplexed, 'x'.repeat(1025))).rejects.toThrow(
      'tinybase:15:channels',
    );
    const first = await createWsSynchronizer(store, multiplexed, 'pets', 0.5);
    cleanups.push(() => first.destroy());
    await expect(createWsSynchronizer(createMergeableStore(), multiplexed, 'pets')).rejects.toThrow(
      'tinybase:7',
    );
    await expect(createWsSynchronizer(createMergeableStore(), multiplexed)).rejects.toThrow(
      'tinybase:9',
    );
    const legacy = await openSocket(server.url('room'));
    const legacySync = await createWsSynchronizer(createMergeableStore(), legacy, 0.5);
    cleanups.push(() => legacySync.destroy());
    await expect(createWsSynchronizer(createMergeableStore(), legacy, 'pets')).rejects.toThrow(
      'tinybase:10',
    );
  });

  test('getWebSocket and destroy: an app socket is closed when its last synchronizer goes', async () => {
    const server = await serve();
    const legacy = await openSocket(server.url('room'));
    const legacySync = await createWsSynchronizer(createMergeableStore(), legacy, 0.5);
    expect(legacySync.getWebSocket()).toBe(legacy);
    legacySync.destroy();
    await waitUntil(() => legacy.readyState === WebSocket.CLOSED, 'legacy socket closed');

    const multiplexed = await openSocket(server.url(''), 'tinybase');
    const a = await createWsSynchronizer(createMergeableStore(), multiplexed, 'a', 0.5);
    const b = await createWsSynchronizer(createMergeableStore(), multiplexed, 'b', 0.5);
    await waitUntil(() => server.wsServer.getPathIds().length === 2, 'two channels');
    a.destroy();
    await waitUntil(() => server.wsServer.getPathIds().join() === 'b', 'channel a unsubscribed');
    expect(multiplexed.readyState).toBe(WebSocket.OPEN);
    b.destroy();
    await waitUntil(
      () => multiplexed.readyState === WebSocket.CLOSED,
      'socket closed with the last channel',
    );
  });

  test('a multiplexed channel in URL mode is online once subscribed', async () => {
    const server = await serve();
    const store = createMergeableStore();
    const synchronizer = await createWsSynchronizer(store, server.url(''), 'pets', 0.5);
    cleanups.push(() => synchronizer.destroy());
    expect(synchronizer.getSyncStatus().connection).toBe('online');
  });
});

describe('invalid traffic from a server', () => {
  test('closes the socket with 1007 and reports it', async () => {
    const [webSocketServer, url] = await rogueServer([]);
    const serverSide = new Promise<WebSocket>((resolve) =>
      webSocketServer.once('connection', resolve),
    );
    const errors: string[] = [];
    const socket = await openSocket(url);
    const synchronizer = await createWsSynchronizer(
      createMergeableStore(),
      socket,
      0.5,
      undefined,
      undefined,
      (error) => errors.push(error.message),
    );
    cleanups.push(() => synchronizer.destroy());
    const rogue = await serverSide;
    const closed = new Promise<number>((resolve) => rogue.once('close', (code) => resolve(code)));
    rogue.send('no newline here');
    expect(await closed).toBe(1007);
    expect(errors[0]).toMatch(/^tinybase:14/);
    expect(synchronizer.getSyncStatus().connection).toBe('offline');
    expect(synchronizer.getSyncStatus().error?.message).toMatch(/^tinybase:14/);
  });

  test('an owned link reconnects after closing a server that sent garbage', async () => {
    let connections = 0;
    const [webSocketServer, url] = await rogueServer([]);
    webSocketServer.on('connection', (socket) => {
      connections++;
      socket.send(connections === 1 ? '\n["x",42,""]' : 'S\n["y",2,[0,0]]');
    });
    const synchronizer = await createWsSynchronizer(createMergeableStore(), {
      url,
      minReconnectDelayMs: 10,
      maxReconnectDelayMs: 50,
    });
    cleanups.push(() => synchronizer.destroy());
    await waitUntil(() => connections >= 2, 'reconnected');
    await waitUntil(() => synchronizer.getSyncStatus().connection === 'online', 'online');
  });
});

describe('fragments', () => {
  test('a syncstore client with a fragment size and a TinyBase client exchange large content', async () => {
    const server = await serve();
    const big = createMergeableStore('big');
    big.transaction(() => {
      for (let row = 0; row < 200; row++) {
        big.setCell('t', `r${row}`, 'text', `ünïcødé 😀 ${'x'.repeat(50)} ${row}`);
      }
    });
    const fragmentsSent: number[] = [];
    const bigSocket = await openSocket(server.url('room'));
    const send = bigSocket.send.bind(bigSocket);
    (bigSocket as unknown as {send: (data: string) => void}).send = (data: string) => {
      fragmentsSent.push(data.length);
      send(data);
    };
    const bigSync = await createWsSynchronizer(
      big,
      bigSocket,
      0.5,
      undefined,
      undefined,
      undefined,
      1000,
    );
    cleanups.push(() => bigSync.destroy());
    void bigSync.startSync();
    const tiny = createTinyBaseStore().setCell('t', 'tiny', 'text', 'é'.repeat(5000));
    const tinySync = await createTinyBaseWsSynchronizer(
      tiny,
      await openSocket(server.url('room')),
      0.5,
      undefined,
      undefined,
      undefined,
      700,
    );
    cleanups.push(() => tinySync.destroy());
    await tinySync.startSync();
    await waitUntil(
      () => tiny.getRowCount('t') === 201 && big.getRowCount('t') === 201,
      'both ways',
    );
    expect(tiny.getCell('t', 'r7', 'text')).toBe(big.getCell('t', 'r7', 'text'));
    expect(Math.max(...fragmentsSent)).toBeLessThan(1200);
  });
});

describe('fewer messages', () => {
  test('transactions made in one tick go out as one ContentDiff', async () => {
    const server = await serve();
    const {RawClient} = await import('./support.js');
    const store = createMergeableStore('s');
    const synchronizer = await createWsSynchronizer(store, server.url('room'), 0.3);
    cleanups.push(() => synchronizer.destroy());
    await synchronizer.startSync();
    const spy = await RawClient.open(server.url('room'));
    cleanups.push(() => spy.close());
    store.setCell('t', 'r', 'a', 1);
    store.setCell('t', 'r', 'b', 2);
    store.delCell('t', 'r', 'a');
    const isContentDiff = (text: string) => /^[^\n]*\n\["[^"]*",3,/.test(text);
    const frame = await spy.waitForFrame(isContentDiff, 'a ContentDiff');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spy.received.filter(isContentDiff)).toEqual([frame]);
    expect(frame).toContain('"b":[2,');
    expect(frame).toContain('"a":["\uFFFC",');
  });
});
