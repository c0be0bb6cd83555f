// Failures that must never take a process down: 'error' events on the WebSocketServer and on
// sockets, destroying a synchronizer whose socket is still connecting, and destroy() calls whose
// sockets refuse to close. TinyBase's server is run alongside where it has the same behaviour.
import net from 'node:net';
import {createWsServer as createTinyBaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {WebSocket, WebSocketServer} from 'ws';
import {createWsServer} from '../../src/server/index.js';
import type {WsServer} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, listen, RawClient, startServer, waitUntil} from './support.js';

const cleanups = createCleanups();

/** Errors that reached no handler while a test ran: each one would have ended a real process. */
const uncaught: Error[] = [];
const onUncaught = (error: Error) => uncaught.push(error);
beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', onUncaught);
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
});

type CreateServer = (
  webSocketServer: WebSocketServer,
  onIgnoredError: (error: Error) => void,
) => WsServer;

const SERVERS: {name: string; create: CreateServer}[] = [
  {
    name: 'TinyBase',
    create: (wss, onIgnoredError) =>
      createTinyBaseWsServer(wss, undefined, onIgnoredError) as unknown as WsServer,
  },
  {name: 'syncstore', create: (wss, onIgnoredError) => createWsServer(wss, {onIgnoredError})},
];

describe("'error' events on the server", () => {
  test.each(SERVERS)(
    'a WebSocketServer that cannot listen reports it to onIgnoredError ($name)',
    async ({create}) => {
      const [taken, port] = await listen();
      cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
      const errors: Error[] = [];
      // The same port again: the 'error' event (EADDRINUSE) comes once the listen fails.
      const clashing = new WebSocketServer({port, host: '127.0.0.1'});
      const wsServer = create(clashing, (error) => errors.push(error));
      cleanups.push(() => wsServer.destroy());
      await waitUntil(() => errors.length > 0, 'the listen error');
      expect(errors.map((error) => (error as Error & {code?: string}).code)).toEqual([
        'EADDRINUSE',
      ]);
      expect(uncaught).toEqual([]);
    },
  );

  test.each(SERVERS)(
    'an error on the WebSocketServer or a client socket is reported; relaying goes on ($name)',
    async ({create}) => {
      const [webSocketServer, port] = await listen();
      const errors: string[] = [];
      const wsServer = create(webSocketServer, (error) => errors.push(error.message));
      cleanups.push(() => wsServer.destroy());
      const url = `ws://127.0.0.1:${port}/room`;
      const [a, b] = [await RawClient.open(url), await RawClient.open(url)];
      cleanups.push(
        () => a.close(),
        () => b.close(),
      );
      webSocketServer.emit('error', new Error('server trouble'));
      await waitUntil(() => wsServer.getClientIds('room').length === 2, 'both clients in');
      const [serverSide] = [...webSocketServer.clients];
      serverSide!.emit('error', new Error('socket trouble'));
      expect(errors).toEqual(['server trouble', 'socket trouble']);
      a.send('\n["x",1,""]');
      expect(await b.waitForFrame()).toBe(`${a.key}\n["x",1,""]`);
      expect(uncaught).toEqual([]);
    },
  );
});

describe('destroy never throws and leaves nothing unhandled', () => {
  test('a URL synchronizer destroyed while reconnecting (socket still connecting)', async () => {
    const server = await startServer();
    const synchronizer = await createWsSynchronizer(createMergeableStore(), {
      url: server.url('room'),
      WebSocket,
      minReconnectDelayMs: 10,
      maxReconnectDelayMs: 20,
    });
    expect(synchronizer.getSyncStatus().connection).toBe('online');
    // The server goes; in its place something accepts TCP connections and never answers the
    // upgrade, so the next attempt stays connecting.
    await server.wsServer.destroy();
    const accepted: net.Socket[] = [];
    const blackHole = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(server.port, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const socket of accepted) {
        socket.destroy();
      }
      return new Promise((resolve) => blackHole.close(resolve));
    });
    await waitUntil(
      () => synchronizer.getWebSocket()?.readyState === WebSocket.CONNECTING,
      'a connecting attempt',
    );
    const connecting = synchronizer.getWebSocket() as WebSocket;
    const closed = new Promise((resolve) => connecting.once('close', resolve));
    expect(() => synchronizer.destroy()).not.toThrow();
    // `ws` emits 'error' and then 'close' for a socket closed while connecting.
    await closed;
    expect(uncaught).toEqual([]);
    expect(synchronizer.getSyncStatus().connection).toBe('offline');
  });

  test('a synchronizer whose app socket refuses to close (legacy and multiplexed)', async () => {
    const server = await startServer({}, cleanups);
    for (const protocols of [undefined, 'tinybase']) {
      const socket = new WebSocket(server.url(''), protocols);
      await new Promise((resolve) => socket.once('open', resolve));
      cleanups.push(() => socket.terminate());
      const synchronizer =
        protocols === undefined
          ? await createWsSynchronizer(createMergeableStore(), socket, 0.5)
          : await createWsSynchronizer(createMergeableStore(), socket, 'pets', 0.5);
      socket.close = () => {
        throw new Error('cannot close');
      };
      expect(() => synchronizer.destroy()).not.toThrow();
      expect(synchronizer.getSyncStatus().connection).toBe('offline');
    }
  });

  test('a server whose client socket refuses to close still shuts down', async () => {
    const errors: Error[] = [];
    const server = await startServer({onIgnoredError: (error) => errors.push(error)});
    const client = await RawClient.open(server.url('room'));
    await waitUntil(() => server.wsServer.getStats().clients === 1, 'the client in');
    const [serverSide] = [...server.wsServer.getWebSocketServer().clients];
    serverSide!.close = () => {
      throw new Error('cannot close');
    };
    await expect(server.wsServer.destroy()).resolves.toBeUndefined();
    // Cut off instead: the client sees the connection drop.
    expect(await client.closed).toBe(1006);
    expect(server.wsServer.getStats()).toEqual({paths: 0, clients: 0});
    await expect(RawClient.open(server.url('room'))).rejects.toThrow();
    expect(uncaught).toEqual([]);
  });
});
