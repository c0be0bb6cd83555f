// Presence through the syncstore server (docs/protocol.md §8.2): two syncstore clients see each
// other's state, a leaving one is gone for the others, a reconnecting one is rebuilt from the
// server's snapshot, a TinyBase client in the room never sees a presence frame and keeps syncing,
// and bad presence traffic closes the offending socket.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsServer as createTinyBaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {describe, expect, test} from 'vitest';
import {WebSocket} from 'ws';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {LEGACY_OFFER} from '../../src/synchronizers/extensions/wire.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';
import {
  createCleanups,
  expectConverged,
  listen,
  type RawClient,
  startServer,
  TcpProxy,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 0.3;
const FAST_RECONNECT = {minReconnectDelayMs: 20, maxReconnectDelayMs: 200};
const cleanups = createCleanups();
const {syncstoreClient, rawClient, recordedTinyBaseClient, track} = testClients(cleanups, TIMEOUT);

const isExtensionFrame = (frame: string) => frame.startsWith('~\n');
const presenceFrames = (client: RawClient) =>
  client.received.filter(isExtensionFrame).map((frame) => JSON.parse(frame.slice(2)));

/** A raw client that negotiated `features` and whose hello was answered. */
const negotiated = async (url: string, features: string[]): Promise<RawClient> => {
  const client = await rawClient(url, LEGACY_OFFER);
  client.send(`~\n${JSON.stringify(['syncstore', 'hello', {features}])}`);
  await client.waitForFrame(isExtensionFrame, 'the hello answer');
  return client;
};

const peerStates = (synchronizer: Synchronizer) => Object.values(synchronizer.getPeersPresence());

describe('presence between syncstore clients', () => {
  test('each sees the other, under the client id the server gave it', async () => {
    const server = await startServer({}, cleanups);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    const b = await syncstoreClient(createMergeableStore(), server.url('room'));
    // Presence is negotiated beside the features of the bucketed pull and delta resync (§8.5, §8.6, §8.8).
    expect(a.getProtocolExtensions().sort()).toEqual(['buckets', 'compact', 'delta', 'presence']);
    a.setPresence({name: 'Ada', cursor: [1, 2]});
    b.setPresence({name: 'Bob'});
    await waitUntil(() => peerStates(a).length === 1 && peerStates(b).length === 1, 'peers');
    expect(peerStates(a)).toEqual([{name: 'Bob'}]);
    expect(peerStates(b)).toEqual([{name: 'Ada', cursor: [1, 2]}]);
    const clientIds = server.wsServer.getClientIds('room');
    expect(clientIds).toHaveLength(2);
    const [idOfB] = Object.keys(a.getPeersPresence());
    const [idOfA] = Object.keys(b.getPeersPresence());
    expect(new Set([idOfA, idOfB])).toEqual(new Set(clientIds));
    expect(a.getPresence()).toEqual({name: 'Ada', cursor: [1, 2]});
  });

  test('a state set while the socket is closing is dropped, not thrown, and goes out on the next socket', async () => {
    const server = await startServer({}, cleanups);
    const a = track(
      await createWsSynchronizer(
        createMergeableStore(),
        {url: server.url('room'), ...FAST_RECONNECT},
        TIMEOUT,
      ),
    );
    await a.startSync();
    const b = await syncstoreClient(createMergeableStore(), server.url('room'));
    a.setPresence({n: 1});
    await waitUntil(() => peerStates(b)[0]?.n === 1, 'the first state');
    // Past the throttle's interval, so the next state is written at once, on a closing socket.
    await new Promise((resolve) => setTimeout(resolve, 60));
    a.getWebSocket()?.close();
    expect(() => a.setPresence({n: 2})).not.toThrow();
    await waitUntil(() => peerStates(b)[0]?.n === 2, 'the state after the reconnect');
    expect(a.getPresence()).toEqual({n: 2});
  });

  test('a late joiner gets a snapshot of those already there', async () => {
    const server = await startServer({}, cleanups);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    a.setPresence({name: 'Ada'});
    const watcher = await negotiated(server.url('room'), ['presence']);
    watcher.send('~\n["presence","set",null]');
    const snapshot = await watcher.waitForFrame(
      (frame) => frame.includes('"snapshot"'),
      'the snapshot',
    );
    const [, , body] = JSON.parse(snapshot.slice(2));
    expect(Object.values(body.peers)).toEqual([{name: 'Ada'}]);
    const b = await syncstoreClient(createMergeableStore(), server.url('room'));
    await waitUntil(() => peerStates(b).length === 1, 'the snapshot in b');
    expect(peerStates(b)).toEqual([{name: 'Ada'}]);
  });

  test('a client that leaves is gone for the others, and its listener hears it', async () => {
    const server = await startServer({}, cleanups);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    const b = await createWsSynchronizer(createMergeableStore(), server.url('room'), TIMEOUT);
    await b.startSync();
    b.setPresence({name: 'Bob'});
    await waitUntil(() => peerStates(a).length === 1, 'b seen');
    const heard: unknown[] = [];
    a.addPresenceListener((_, peerId, state) => heard.push([peerId, state]));
    const [idOfB] = Object.keys(a.getPeersPresence());
    await b.destroy();
    await waitUntil(() => peerStates(a).length === 0, 'b gone');
    expect(heard).toEqual([[idOfB, null]]);
  });

  test('after a reconnect the peers are rebuilt from the snapshot', async () => {
    const server = await startServer({}, cleanups);
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const traveller = track(
      await createWsSynchronizer(
        createMergeableStore(),
        {url: `ws://127.0.0.1:${proxy.port}/room`, ...FAST_RECONNECT},
        TIMEOUT,
      ),
    );
    const home = await syncstoreClient(createMergeableStore(), server.url('room'));
    traveller.setPresence({name: 'traveller'});
    home.setPresence({name: 'home', at: 1});
    await waitUntil(() => peerStates(traveller).length === 1, 'home seen');
    await waitUntil(() => peerStates(home).length === 1, 'traveller seen');

    await proxy.cut();
    // Cut off, the traveller knows no peer, and the server has told home it is gone.
    await waitUntil(() => peerStates(traveller).length === 0, 'peers cleared');
    await waitUntil(() => peerStates(home).length === 0, 'traveller gone');
    home.setPresence({name: 'home', at: 2});
    await proxy.restore();
    await waitUntil(() => peerStates(traveller)[0]?.at === 2, 'the snapshot after reconnecting');
    // The traveller announced its state again on the new socket.
    await waitUntil(() => peerStates(home).length === 1, 'traveller back');
    expect(peerStates(home)).toEqual([{name: 'traveller'}]);
  });

  test('a client that stops answering is cut by the server’s heartbeat, and gone', async () => {
    const server = await startServer({heartbeatSeconds: 0.1}, cleanups);
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const silent = track(
      await createWsSynchronizer(
        createMergeableStore(),
        {url: `ws://127.0.0.1:${proxy.port}/room`, heartbeatSeconds: 0},
        TIMEOUT,
      ),
    );
    const home = await syncstoreClient(createMergeableStore(), server.url('room'));
    silent.setPresence({name: 'silent'});
    await waitUntil(() => peerStates(home).length === 1, 'silent seen');
    proxy.freeze();
    await waitUntil(() => peerStates(home).length === 0, 'silent gone');
    expect(server.wsServer.getClientIds('room')).toHaveLength(1);
  });

  test('clearing one’s presence removes it for the others', async () => {
    const server = await startServer({}, cleanups);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    const b = await syncstoreClient(createMergeableStore(), server.url('room'));
    a.setPresence({name: 'Ada'});
    await waitUntil(() => peerStates(b).length === 1, 'a seen');
    a.setPresence(null);
    await waitUntil(() => peerStates(b).length === 0, 'a cleared');
    expect(a.getPresence()).toBe(null);
  });
});

describe('presence never reaches anyone who did not ask for it', () => {
  test('a TinyBase client in the room sees no extension frame and keeps syncing', async () => {
    const server = await startServer({storage: ':memory:'}, cleanups);
    const tinyBase = createTinyBaseStore().setCell('t', 'tb', 'c', 1);
    const {socket, received: seen} = await recordedTinyBaseClient(tinyBase, server.url('room'));
    const storeA = createMergeableStore().setCell('t', 'a', 'c', 2);
    const a = await syncstoreClient(storeA, server.url('room'));
    const b = await syncstoreClient(createMergeableStore(), server.url('room'));
    for (let step = 0; step < 5; step++) {
      a.setPresence({cursor: step});
      b.setPresence({cursor: -step});
    }
    await waitUntil(() => peerStates(b)[0]?.cursor === 4, 'a’s last cursor in b');
    storeA.setCell('t', 'a', 'c', 3);
    await expectConverged([tinyBase, storeA, b.getStore()]);
    expect(seen.filter(isExtensionFrame)).toEqual([]);
    // Never merged into any store either.
    expect(tinyBase.getTables()).toEqual({t: {tb: {c: 1}, a: {c: 3}}});
    expect(tinyBase.getValues()).toEqual({});
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  test('a member that negotiated other features hears no presence', async () => {
    const server = await startServer({storage: ':memory:'}, cleanups);
    const bystander = await negotiated(server.url('room'), []);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    a.setPresence({name: 'Ada'});
    const watcher = await negotiated(server.url('room'), ['presence']);
    watcher.send('~\n["presence","set",{"name":"w"}]');
    await waitUntil(() => peerStates(a).length === 1, 'the watcher seen');
    await bystander.roundTrip();
    expect(presenceFrames(bystander)).toEqual([['syncstore', 'hello', {features: []}]]);
  });
});

describe('where presence is not spoken', () => {
  test('on TinyBase’s server presence stays local, and syncing goes on', async () => {
    const [webSocketServer, port] = await listen();
    const server = createTinyBaseWsServer(webSocketServer);
    cleanups.push(() => server.destroy());
    const storeA = createMergeableStore().setCell('t', 'a', 'c', 1);
    const storeB = createMergeableStore();
    const a = await syncstoreClient(storeA, `ws://127.0.0.1:${port}/room`);
    const b = await syncstoreClient(storeB, `ws://127.0.0.1:${port}/room`);
    a.setPresence({name: 'Ada'});
    b.setPresence({name: 'Bob'});
    await expectConverged([storeA, storeB]);
    expect(a.getProtocolExtensions()).toEqual([]);
    expect(a.getPresence()).toEqual({name: 'Ada'});
    expect(a.getPeersPresence()).toEqual({});
    expect(b.getPeersPresence()).toEqual({});
    expect(a.getSyncStatus().error).toBe(null);
  });

  test('on a multiplexed socket presence stays local', async () => {
    const server = await startServer({}, cleanups);
    const storeA = createMergeableStore().setCell('t', 'a', 'c', 1);
    const storeB = createMergeableStore();
    // Two URLs, so two sockets, each with channel "room" (a channel is once per socket).
    const a = track(await createWsSynchronizer(storeA, server.url(), 'room', TIMEOUT));
    const b = track(await createWsSynchronizer(storeB, `${server.url()}?b`, 'room', TIMEOUT));
    a.setPresence({name: 'Ada'});
    await a.startSync();
    await b.startSync();
    await expectConverged([storeA, storeB]);
    expect(a.getPresence()).toEqual({name: 'Ada'});
    expect(b.getPeersPresence()).toEqual({});
  });
});

describe('bad presence traffic', () => {
  test.each([
    ['an array state', '["presence","set",[1]]'],
    ['a string state', '["presence","set","here"]'],
    ['a frame type clients may not send', '["presence","peer",{"clientId":"x","state":null}]'],
  ])('%s closes the socket with 1007, and the others keep their presence', async (_, frame) => {
    const server = await startServer({}, cleanups);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    const b = await syncstoreClient(createMergeableStore(), server.url('room'));
    a.setPresence({name: 'Ada'});
    const offender = await negotiated(server.url('room'), ['presence']);
    offender.send(`~\n${frame}`);
    expect(await offender.closed).toBe(1007);
    await waitUntil(() => peerStates(b).length === 1, 'a seen by b');
    expect(peerStates(b)).toEqual([{name: 'Ada'}]);
  });

  test('a state over the value limit closes the socket with 1009', async () => {
    const errors: string[] = [];
    const server = await startServer(
      {limits: {maxValueBytes: 64}, onIgnoredError: (error) => errors.push(error.message)},
      cleanups,
    );
    const offender = await negotiated(server.url('room'), ['presence']);
    offender.send(`~\n${JSON.stringify(['presence', 'set', {name: 'x'.repeat(64)}])}`);
    expect(await offender.closed).toBe(1009);
    expect(errors).toContain('syncstore:limit:value a presence state of over 64 bytes');
  });

  test('setPresence refuses what is not a plain JSON object or null', async () => {
    const server = await startServer({}, cleanups);
    const a = await syncstoreClient(createMergeableStore(), server.url('room'));
    expect(() => a.setPresence([1] as never)).toThrow(
      'a presence state must be a plain object or null',
    );
    expect(() => a.setPresence({n: 1n} as never)).toThrow(/a presence state must be JSON/);
    expect(a.getPresence()).toBe(null);
  });
});
