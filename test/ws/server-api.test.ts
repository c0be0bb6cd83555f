// The WsServer object itself, side by side with TinyBase's: the same methods, the same return
// values (listener ids included), the same listener calls in the same order, the same stats, and
// the same destroy. Each scenario runs against both servers with real sockets on 127.0.0.1.
import {createWsServer as createTinyBaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {describe, expect, test} from 'vitest';
import type {WebSocketServer} from 'ws';
import {createWsServer} from '../../src/server/index.js';
import type {WsServer} from '../../src/server/types.js';
import {createCleanups, listen, RawClient, waitUntil} from './support.js';

const cleanups = createCleanups();

const HELLO = 'S\n["abcdefghijklmnop",-1,[0,1]]';
const subscribe = (channelId: string, id: string) =>
  `S\n["${id}",-1,[1,${JSON.stringify(channelId)}]]`;

type Implementation = {name: string; create: (webSocketServer: WebSocketServer) => WsServer};

const IMPLEMENTATIONS: Implementation[] = [
  {name: 'TinyBase', create: (wss) => createTinyBaseWsServer(wss) as unknown as WsServer},
  {name: 'syncstore', create: (wss) => createWsServer(wss)},
];

const serve = async (implementation: Implementation) => {
  const [webSocketServer, port] = await listen();
  const wsServer = implementation.create(webSocketServer);
  cleanups.push(() => wsServer.destroy());
  const open = async (path: string, protocols?: string) => {
    const client = await RawClient.open(`ws://127.0.0.1:${port}/${path}`, protocols);
    cleanups.push(() => client.close());
    return client;
  };
  return {webSocketServer, wsServer, open};
};

describe('the WsServer object, as TinyBase has it', () => {
  test("syncstore's server has every method of TinyBase's", async () => {
    const tinybase = await serve(IMPLEMENTATIONS[0]!);
    const syncstore = await serve(IMPLEMENTATIONS[1]!);
    const tinyKeys = Object.keys(tinybase.wsServer);
    expect(tinyKeys.sort()).toEqual(
      [
        'addClientIdsListener',
        'addPathIdsListener',
        'delListener',
        'destroy',
        'getClientIds',
        'getPathIds',
        'getStats',
        'getWebSocketServer',
      ].sort(),
    );
    // syncstore adds getTrafficStats only.
    expect(Object.keys(syncstore.wsServer).sort()).toEqual([...tinyKeys, 'getTrafficStats'].sort());
    for (const key of Object.keys(syncstore.wsServer)) {
      expect(typeof (syncstore.wsServer as unknown as Record<string, unknown>)[key]).toBe(
        'function',
      );
    }
    expect(syncstore.wsServer.getWebSocketServer()).toBe(syncstore.webSocketServer);
  });

  test.each(IMPLEMENTATIONS)(
    'listener ids are handed out and reused alike ($name)',
    async (implementation) => {
      const {wsServer} = await serve(implementation);
      const ids = [0, 1, 2, 3, 4].map(() => wsServer.addPathIdsListener(() => {}));
      expect(ids).toEqual(['0', '1', '2', '3', '4']);
      // Removing returns the server, whether or not the id is in use; ids removed are reused,
      // oldest removal first, and an id removed twice is reused once.
      expect([
        wsServer.delListener('1'),
        wsServer.delListener('3'),
        wsServer.delListener('1'),
        wsServer.delListener('unknown'),
      ]).toEqual([wsServer, wsServer, wsServer, wsServer]);
      expect([
        wsServer.addPathIdsListener(() => {}),
        wsServer.addClientIdsListener(null, () => {}),
        wsServer.addClientIdsListener('a', () => {}),
      ]).toEqual(['1', '3', '5']);
      wsServer.delListener('2');
      wsServer.delListener('0');
      expect([
        wsServer.addClientIdsListener(null, () => {}),
        wsServer.addPathIdsListener(() => {}),
        wsServer.addPathIdsListener(() => {}),
      ]).toEqual(['2', '0', '6']);
    },
  );

  test.each(IMPLEMENTATIONS)(
    'listeners, ids and stats follow legacy and multiplexed clients ($name)',
    async (implementation) => {
      const {wsServer, open} = await serve(implementation);
      expect([wsServer.getStats(), wsServer.getPathIds(), wsServer.getClientIds('a')]).toEqual([
        {paths: 0, clients: 0},
        [],
        [],
      ]);
      const events: string[] = [];
      const record =
        (name: string) =>
        (server: WsServer, pathId: string, ...rest: unknown[]) =>
          events.push(
            `${name}${server === wsServer ? '' : ' (another server!)'} ${pathId} ${rest.join(' ')}`,
          );
      wsServer.addClientIdsListener(null, record('any1'));
      wsServer.addClientIdsListener('a', record('a1'));
      wsServer.addClientIdsListener(null, record('any2'));
      wsServer.addClientIdsListener('a', record('a2'));
      wsServer.addClientIdsListener('b', record('b1'));
      wsServer.addPathIdsListener(record('path'));

      const client = await open('a');
      await waitUntil(() => events.length === 5, 'listeners called for the first client');
      // Listeners of the path itself come before those of every path.
      expect(events.splice(0)).toEqual([
        'path a 1',
        `a1 a ${client.key} 1`,
        `a2 a ${client.key} 1`,
        `any1 a ${client.key} 1`,
        `any2 a ${client.key} 1`,
      ]);
      expect([wsServer.getStats(), wsServer.getPathIds(), wsServer.getClientIds('a')]).toEqual([
        {paths: 1, clients: 1},
        ['a'],
        [client.key],
      ]);

      // A multiplexed socket on base path "m" is a client of each subscribed channel's path.
      const multiplexed = await open('m', 'tinybase');
      multiplexed.send(HELLO);
      await multiplexed.waitForFrame((frame) => frame === HELLO, 'the Hello echo');
      multiplexed.send(subscribe('x', 'qrstuvwxyzABCDEF'));
      multiplexed.send(subscribe('y/z', 'QRSTUVWXYZabcdef'));
      await waitUntil(() => wsServer.getStats().paths === 3, 'two channel paths');
      expect(events.splice(0)).toEqual([
        'path m/x 1',
        `any1 m/x ${multiplexed.key} 1`,
        `any2 m/x ${multiplexed.key} 1`,
        'path m/y/z 1',
        `any1 m/y/z ${multiplexed.key} 1`,
        `any2 m/y/z ${multiplexed.key} 1`,
      ]);
      expect([
        wsServer.getStats(),
        wsServer.getPathIds(),
        wsServer.getClientIds('m'),
        wsServer.getClientIds('m/y/z'),
      ]).toEqual([{paths: 3, clients: 3}, ['a', 'm/x', 'm/y/z'], [], [multiplexed.key]]);

      multiplexed.send('S\n[null,-1,[2,"x"]]');
      await waitUntil(() => wsServer.getStats().paths === 2, 'channel x unsubscribed');
      client.close();
      await waitUntil(() => wsServer.getStats().paths === 1, 'room a closed');
      expect(events.splice(0)).toEqual([
        `any1 m/x ${multiplexed.key} -1`,
        `any2 m/x ${multiplexed.key} -1`,
        'path m/x -1',
        `a1 a ${client.key} -1`,
        `a2 a ${client.key} -1`,
        `any1 a ${client.key} -1`,
        `any2 a ${client.key} -1`,
        'path a -1',
      ]);
      expect([wsServer.getStats(), wsServer.getPathIds()]).toEqual([
        {paths: 1, clients: 1},
        ['m/y/z'],
      ]);
    },
  );

  test.each(IMPLEMENTATIONS)(
    'destroy closes clients, empties the server and can be called again ($name)',
    async (implementation) => {
      const {wsServer, webSocketServer, open} = await serve(implementation);
      const client = await open('a');
      await waitUntil(() => wsServer.getStats().clients === 1, 'one client');
      const destroying = wsServer.destroy();
      expect(destroying).toBeInstanceOf(Promise);
      expect(await destroying).toBeUndefined();
      await client.closed;
      expect([wsServer.getStats(), wsServer.getPathIds(), wsServer.getClientIds('a')]).toEqual([
        {paths: 0, clients: 0},
        [],
        [],
      ]);
      expect(webSocketServer.clients.size).toBe(0);
      expect(await wsServer.destroy()).toBeUndefined();
      expect(wsServer.getWebSocketServer()).toBe(webSocketServer);
    },
  );
});
