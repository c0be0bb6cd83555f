// Client failover across nodes (docs/protocol.md §7.4): a client given several URLs moves to the
// next node when its node goes away or cannot be reached, converges there, and its sync status
// names the node it is on. Two real servers on 127.0.0.1; a TCP proxy in front of one takes it away.
import {describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  createCleanups,
  expectConverged,
  FAST_RECONNECT,
  listen,
  startServer,
  TcpProxy,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 0.3;
const cleanups = createCleanups();
const {syncstoreClient, track} = testClients(cleanups, TIMEOUT);

/** A port nothing listens on: a node that is down. */
const deadPort = async (): Promise<number> => {
  const [webSocketServer, port] = await listen();
  await new Promise((resolve) => webSocketServer.close(resolve));
  return port;
};

describe('failover', () => {
  test('a lost node is replaced by the next one; the client converges there and the status says so', async () => {
    const nodeA = await startServer({nodeId: 'node-a'}, cleanups);
    const nodeB = await startServer({nodeId: 'node-b'}, cleanups);
    const proxyA = await TcpProxy.start(nodeA.port);
    cleanups.push(() => proxyA.close());
    const urlA = `ws://127.0.0.1:${proxyA.port}/room`;

    const store = createMergeableStore('moving').setCell('t', 'r', 'before', 1);
    const synchronizer = track(
      await createWsSynchronizer(
        store,
        {url: [urlA, nodeB.url('room')], ...FAST_RECONNECT},
        TIMEOUT,
      ),
    );
    await synchronizer.startSync();
    await waitUntil(
      () => synchronizer.getSyncStatus().node?.nodeId === 'node-a',
      'the node id of node a in the status',
    );
    expect(synchronizer.getSyncStatus().node).toEqual({url: urlA, nodeId: 'node-a'});

    // A peer that only knows node b.
    const peer = createMergeableStore('peer').setValue('v', 'from b');
    await syncstoreClient(peer, nodeB.url('room'));

    await proxyA.cut();
    await waitUntil(
      () =>
        synchronizer.getSyncStatus().node?.nodeId === 'node-b' &&
        synchronizer.getSyncStatus().connection === 'online',
      'the client online on node b',
    );
    expect(synchronizer.getSyncStatus().node).toEqual({url: nodeB.url('room'), nodeId: 'node-b'});
    store.setCell('t', 'r', 'after', 2);
    await expectConverged([store, peer]);
    expect(peer.getTables()).toEqual({t: {r: {before: 1, after: 2}}});
    expect(store.getValues()).toEqual({v: 'from b'});
  });

  test('a node that is down from the start is skipped', async () => {
    const urlDown = `ws://127.0.0.1:${await deadPort()}/room`;
    const node = await startServer({nodeId: 'up'}, cleanups);
    const store = createMergeableStore('client').setCell('t', 'r', 'c', 1);
    const synchronizer = track(
      await createWsSynchronizer(
        store,
        {url: [urlDown, node.url('room')], ...FAST_RECONNECT},
        TIMEOUT,
      ),
    );
    await synchronizer.startSync();
    const peer = createMergeableStore('peer');
    await syncstoreClient(peer, node.url('room'));
    await waitUntil(
      () => synchronizer.getSyncStatus().node?.nodeId === 'up',
      'the client on the node that is up',
    );
    await expectConverged([store, peer]);
  });

  test('the next node is tried at once: only a round in which every node failed waits', async () => {
    const urlDown = `ws://127.0.0.1:${await deadPort()}/room`;
    const node = await startServer({nodeId: 'up'}, cleanups);
    // A backoff far beyond the test's timeout: reaching the node that is up must not wait for it.
    const neverWithinTheTest = {minReconnectDelayMs: 600_000, maxReconnectDelayMs: 600_000};
    const synchronizer = track(
      await createWsSynchronizer(
        createMergeableStore('client'),
        {url: [urlDown, node.url('room')], ...neverWithinTheTest},
        TIMEOUT,
      ),
    );
    await waitUntil(
      () =>
        synchronizer.getSyncStatus().node?.nodeId === 'up' &&
        synchronizer.getSyncStatus().connection === 'online',
      'the client online on the second node without a backoff wait',
    );
  });

  test('a single URL is a node without a node id when the server has none', async () => {
    const server = await startServer({}, cleanups);
    const synchronizer = await syncstoreClient(createMergeableStore(), server.url('room'));
    expect(synchronizer.getSyncStatus().node).toEqual({url: server.url('room')});
  });

  test('an empty URL list is refused at once', async () => {
    await expect(createWsSynchronizer(createMergeableStore(), {url: []}, TIMEOUT)).rejects.toThrow(
      'needs at least one URL',
    );
  });
});
