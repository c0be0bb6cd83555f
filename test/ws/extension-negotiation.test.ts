// Negotiating syncstore's protocol extensions on a WebSocket (docs/protocol.md §8.1): a syncstore
// client and the syncstore server choose the extension subprotocol and shake hands; a syncstore
// client on TinyBase's server, and TinyBase's client on the syncstore server, speak the plain
// protocol and never see an extension frame; all of them still sync in one room.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsServer as createTinyBaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {describe, expect, test} from 'vitest';
import {WebSocket} from 'ws';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {
  EXTENSION_SUBPROTOCOL,
  LEGACY_OFFER,
  PLAIN_SUBPROTOCOL,
} from '../../src/synchronizers/extensions/wire.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, expectConverged, listen, startServer, testClients} from './support.js';

const TIMEOUT = 0.3;
const cleanups = createCleanups();
const {tinyBaseClient, syncstoreClient, rawClient, recordedTinyBaseClient, track} = testClients(
  cleanups,
  TIMEOUT,
);

const isExtensionFrame = (frame: string) => frame.startsWith('~\n');

describe('the subprotocol choice', () => {
  test('the syncstore server chooses the extension when a client offers it second', async () => {
    const server = await startServer({}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    expect(client.socket.protocol).toBe(EXTENSION_SUBPROTOCOL);
  });

  test("TinyBase's server chooses the plain first offer, so a syncstore client speaks TinyBase's protocol", async () => {
    const [webSocketServer, port] = await listen();
    const server = createTinyBaseWsServer(webSocketServer);
    cleanups.push(() => server.destroy());
    const store = createMergeableStore().setCell('t', 'r', 'c', 1);
    const peer = createTinyBaseStore().setValue('v', 2);
    const synchronizer = await syncstoreClient(store, `ws://127.0.0.1:${port}/room`);
    await tinyBaseClient(peer, `ws://127.0.0.1:${port}/room`);
    expect(synchronizer.getWebSocket()?.protocol).toBe(PLAIN_SUBPROTOCOL);
    expect(synchronizer.getProtocolExtensions()).toEqual([]);
    await expectConverged([store, peer]);
  });

  test('an app that gives its own subprotocols keeps them', async () => {
    const server = await startServer({}, cleanups);
    const synchronizer = track(
      await createWsSynchronizer(
        createMergeableStore(),
        {url: server.url('room'), protocols: ['mine']},
        TIMEOUT,
      ),
    );
    expect(synchronizer.getWebSocket()?.protocol).toBe('mine');
  });
});

describe('the handshake', () => {
  test('the server answers a hello with the features both speak, and its node id', async () => {
    const server = await startServer({nodeId: 'node-a'}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":["no-such-feature"]}]');
    const answer = await client.waitForFrame(isExtensionFrame, 'the hello answer');
    expect(JSON.parse(answer.slice(2))).toEqual([
      'syncstore',
      'hello',
      {features: [], nodeId: 'node-a'},
    ]);
  });

  test('a frame of a feature the client did not negotiate closes its socket with 1007', async () => {
    const server = await startServer({}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":[]}]');
    await client.waitForFrame(isExtensionFrame, 'the hello answer');
    client.send('~\n["presence","set",{}]');
    expect(await client.closed).toBe(1007);
  });

  test('an invalid hello closes the socket with 1007', async () => {
    const server = await startServer({}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":"all"}]');
    expect(await client.closed).toBe(1007);
  });

  test('on a plain socket, an extension frame is invalid traffic (1007), as for TinyBase', async () => {
    const server = await startServer({}, cleanups);
    const client = await rawClient(server.url('room'));
    expect(client.socket.protocol).toBe('');
    client.send('~\n["syncstore","hello",{"features":[]}]');
    expect(await client.closed).toBe(1007);
  });
});

describe('mixed rooms on the syncstore server', () => {
  test('a TinyBase client receives no extension frame while syncstore clients negotiate', async () => {
    const server = await startServer({storage: ':memory:'}, cleanups);
    const tinyBase = createTinyBaseStore().setCell('t', 'tb', 'c', 1);
    const {socket, received: seen} = await recordedTinyBaseClient(tinyBase, server.url('room'));
    const a = createMergeableStore().setCell('t', 'a', 'c', 2);
    const b = createMergeableStore().setValue('v', 3);
    const syncA = await syncstoreClient(a, server.url('room'));
    const syncB = await syncstoreClient(b, server.url('room'));
    expect(syncA.getWebSocket()?.protocol).toBe(EXTENSION_SUBPROTOCOL);
    expect(syncB.getWebSocket()?.protocol).toBe(EXTENSION_SUBPROTOCOL);
    await expectConverged([tinyBase, a, b]);
    a.setCell('t', 'a', 'c', 4);
    await expectConverged([tinyBase, a, b]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter(isExtensionFrame)).toEqual([]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});
