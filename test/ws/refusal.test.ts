// A URL-given client that the server refuses (authorize closes it with 1008, docs/protocol.md
// §6.8) stops reconnecting: asking again would be refused again. It stays offline and its status
// error says it was refused, while a client whose connections fail for another reason keeps trying.
import {describe, expect, test} from 'vitest';
import {WebSocket} from 'ws';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {describeError} from '../../src/synchronizers/errors.js';
import {
  createWsSynchronizer,
  type WebSocketConstructor,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, FAST_RECONNECT, listen, startServer, waitUntil} from './support.js';

const cleanups = createCleanups();

/** A WebSocket class that counts the sockets a link opens. */
const countingWebSocket = () => {
  const counter = {sockets: 0, WebSocket: undefined as unknown as WebSocketConstructor};
  counter.WebSocket = class extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      counter.sockets++;
    }
  } as unknown as WebSocketConstructor;
  return counter;
};

/** A free port with nothing listening: every attempt there fails (close 1006). */
const closedPort = async () => {
  const [webSocketServer, port] = await listen();
  await new Promise((resolve) => webSocketServer.close(resolve));
  return port;
};

/**
 * Waits until a client with the same backoff, failing on a closed port, has made its third
 * attempt. Its retries come 10-20, 20-40 and 40-80 ms apart, at least 70 ms in all; a refused
 * client that retried would have done so within 20 ms of its close, so by then it would have.
 */
const waitLongerThanAFirstRetry = async () => {
  const control = countingWebSocket();
  const synchronizer = await createWsSynchronizer(
    createMergeableStore('control'),
    {
      url: `ws://127.0.0.1:${await closedPort()}/room`,
      ...FAST_RECONNECT,
      WebSocket: control.WebSocket,
    },
    0.5,
  );
  cleanups.push(() => synchronizer.destroy());
  await waitUntil(() => control.sockets >= 4, 'the control client to retry three times');
};

const expectRefused = (synchronizer: WsSynchronizer) => {
  const {connection, error} = synchronizer.getSyncStatus();
  expect(connection).toBe('offline');
  expect(error?.message).toBe('tinybase:5');
  expect(describeError(error!)).toMatch(
    /refused by ws:\/\/127\.0\.0\.1:\d+\/?.* \(1008: refused by authorize: room ".*"\); not reconnecting/,
  );
};

describe('a client refused by authorize (1008)', () => {
  test.each([
    ['legacy', undefined],
    ['multiplexed', 'room'],
  ])(
    '%s: stays offline with the refusal in its status and never asks again',
    async (_, channelId) => {
      const asked: string[] = [];
      const server = await startServer(
        {
          authorize: (pathId) => {
            asked.push(pathId);
            return undefined;
          },
        },
        cleanups,
      );
      const refusedSockets = countingWebSocket();
      const errors: Error[] = [];
      const target = {
        url: server.url(channelId === undefined ? 'room' : ''),
        ...FAST_RECONNECT,
        WebSocket: refusedSockets.WebSocket,
      };
      const store = createMergeableStore('refused');
      const synchronizer =
        channelId === undefined
          ? await createWsSynchronizer(store, target, 0.5, undefined, undefined, (error) =>
              errors.push(error),
            )
          : await createWsSynchronizer(
              store,
              target,
              channelId,
              0.5,
              undefined,
              undefined,
              (error) => errors.push(error),
            );
      cleanups.push(() => synchronizer.destroy());
      await synchronizer.startSync();
      await waitUntil(() => synchronizer.getSyncStatus().connection === 'offline', 'the refusal');
      expectRefused(synchronizer);

      await waitLongerThanAFirstRetry();
      expect(refusedSockets.sockets).toBe(1);
      expect(asked).toEqual(['room']);
      expectRefused(synchronizer);
      // Local edits stay in the store, counted as pending, as in any other outage.
      store.setCell('t', 'r', 'c', 1);
      expect(synchronizer.getSyncStatus().pendingChanges).toBe(1);
      expect(errors.some((error) => describeError(error).includes('not reconnecting'))).toBe(true);
    },
  );

  test('a client closed for another reason keeps reconnecting (the control)', async () => {
    const server = await startServer({}, cleanups);
    const sockets = countingWebSocket();
    const synchronizer = await createWsSynchronizer(
      createMergeableStore('kicked'),
      {url: server.url('room'), ...FAST_RECONNECT, WebSocket: sockets.WebSocket},
      0.5,
    );
    cleanups.push(() => synchronizer.destroy());
    await synchronizer.startSync();
    await waitUntil(() => server.wsServer.getClientIds('room').length === 1, 'the client to join');
    const [clientId] = server.wsServer.getClientIds('room');
    // The server's shutdown code (1001) for this one socket: an ordinary outage.
    for (const client of server.wsServer.getWebSocketServer().clients as Set<WebSocket>) {
      client.close(1001, 'going away');
    }
    await waitUntil(() => sockets.sockets >= 2, 'a reconnection');
    await waitUntil(
      () => server.wsServer.getClientIds('room').some((id) => id !== clientId),
      'the client back in the room',
    );
    // The server counts the socket in the room before the client has seen it open.
    await waitUntil(
      () => synchronizer.getSyncStatus().connection === 'online',
      'the client to see its new socket open',
    );
    expect(sockets.sockets).toBe(2);
  });
});
