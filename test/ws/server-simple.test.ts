// createWsServerSimple side by side with TinyBase's: the same two methods, the same relay (legacy
// and multiplexed, between syncstore and TinyBase clients), the same refusal of invalid traffic,
// and the same destroy. Real servers and clients on 127.0.0.1.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {createWsServerSimple as createTinyBaseWsServerSimple} from 'tinybase/synchronizers/synchronizer-ws-server-simple';
import {describe, expect, test} from 'vitest';
import {WebSocket, type WebSocketServer} from 'ws';
import {createWsServerSimple} from '../../src/server/index.js';
import type {WsServerSimple} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, listen, RawClient, waitUntil} from './support.js';

const cleanups = createCleanups();

const IMPLEMENTATIONS: {name: string; create: (wss: WebSocketServer) => WsServerSimple}[] = [
  {name: 'TinyBase', create: (wss) => createTinyBaseWsServerSimple(wss) as WsServerSimple},
  {name: 'syncstore', create: createWsServerSimple},
];

const serve = async (create: (wss: WebSocketServer) => WsServerSimple) => {
  const [webSocketServer, port] = await listen();
  const server = create(webSocketServer);
  cleanups.push(() => server.destroy());
  const url = (path = '') => `ws://127.0.0.1:${port}/${path}`;
  const openSocket = async (path: string, protocols?: string) => {
    const socket = new WebSocket(url(path), protocols);
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('open', resolve));
    cleanups.push(() => socket.close());
    return socket;
  };
  const openRaw = async (path: string, protocols?: string) => {
    const client = await RawClient.open(url(path), protocols);
    cleanups.push(() => client.close());
    return client;
  };
  return {webSocketServer, server, url, openSocket, openRaw};
};

describe('createWsServerSimple, as TinyBase has it', () => {
  test.each(IMPLEMENTATIONS)(
    'has getWebSocketServer and destroy only ($name)',
    async ({create}) => {
      const {webSocketServer, server} = await serve(create);
      expect(Object.keys(server).sort()).toEqual(['destroy', 'getWebSocketServer']);
      expect(server.getWebSocketServer()).toBe(webSocketServer);
    },
  );

  test.each(IMPLEMENTATIONS)(
    'relays between syncstore and TinyBase clients, legacy and multiplexed ($name)',
    async ({create}) => {
      const {openSocket} = await serve(create);
      const ours = createMergeableStore('ours').setCell('pets', 'fido', 'species', 'dog');
      const theirs = createTinyBaseStore().setCell('pets', 'felix', 'species', 'cat');
      const oursSync = await createWsSynchronizer(ours, await openSocket('shop'), 0.5);
      const theirsSync = await createTinyBaseWsSynchronizer(theirs, await openSocket('shop'), 0.5);
      cleanups.push(
        () => oursSync.destroy(),
        () => theirsSync.destroy(),
      );
      await oursSync.startSync();
      await theirsSync.startSync();
      // A multiplexed channel "shop" on base path "" shares the room of legacy clients at /shop.
      const channel = createMergeableStore('channel');
      const channelSync = await createWsSynchronizer(
        channel,
        await openSocket('', 'tinybase'),
        'shop',
        0.5,
      );
      cleanups.push(() => channelSync.destroy());
      await channelSync.startSync();
      channel.setCell('pets', 'polly', 'species', 'parrot');
      const expected = {
        pets: {fido: {species: 'dog'}, felix: {species: 'cat'}, polly: {species: 'parrot'}},
      };
      await waitUntil(
        () => [ours, theirs, channel].every((store) => store.getRowCount('pets') === 3),
        'all three stores to have every row',
      );
      expect(theirs.getTables()).toEqual(expected);
      expect(ours.getTables()).toEqual(expected);
      expect(channel.getTables()).toEqual(expected);
    },
  );

  test.each(IMPLEMENTATIONS)(
    'closes a socket sending invalid traffic (1007), others keep working ($name)',
    async ({create}) => {
      const {openRaw} = await serve(create);
      const [bad, a, b] = [await openRaw('room'), await openRaw('room'), await openRaw('room')];
      bad.send('no newline here');
      expect(await bad.closed).toBe(1007);
      expect(bad.closeReason).toBe('tinybase:14');
      a.send('\n["x",1,""]');
      expect(await b.waitForFrame()).toBe(`${a.key}\n["x",1,""]`);
    },
  );

  test.each(IMPLEMENTATIONS)(
    'destroy closes clients, stops listening and can be called again ($name)',
    async ({create}) => {
      const {server, webSocketServer, openRaw, url} = await serve(create);
      const client = await openRaw('room');
      await waitUntil(() => webSocketServer.clients.size === 1, 'the client in');
      const destroying = server.destroy();
      expect(destroying).toBeInstanceOf(Promise);
      expect(await destroying).toBeUndefined();
      // TinyBase closes without a code (1005); syncstore says it is going away (1001).
      expect([1001, 1005]).toContain(await client.closed);
      expect(webSocketServer.clients.size).toBe(0);
      await expect(RawClient.open(url('room'))).rejects.toThrow();
      expect(await server.destroy()).toBeUndefined();
    },
  );
});
