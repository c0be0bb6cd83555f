// Durable acknowledgements (docs/protocol.md §8.7): a syncstore client learns which of its changes
// the server has stored, counted in the sync status as unconfirmedChanges. Real servers on
// 127.0.0.1 with SQLite storage (in memory, or behind a storage whose saves the test holds back).
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {describe, expect, test} from 'vitest';
import {createSqliteStorage} from '../../src/server/sqlite-storage.js';
import type {RoomStorage} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {Id, MergeableChanges} from '../../src/store/types.js';
import {LEGACY_OFFER} from '../../src/synchronizers/extensions/wire.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  createCleanups,
  expectConverged,
  FAST_RECONNECT,
  startServer,
  TcpProxy,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 0.3;
const cleanups = createCleanups();
const {syncstoreClient, tinyBaseClient, rawClient, track} = testClients(cleanups, TIMEOUT);

/** A ContentDiff of one cell, to everyone (docs/protocol.md §5.4). */
const A_CHANGE = `\n${JSON.stringify(['tx000000000', 3, [[{t: [{r: [{c: [1, 'Nn1JUF-----7JQY8']}]}]}], [{}], 1]])}`;
const isAckFrame = (frame: string) => frame.startsWith('~\n["ack"');
const isExtensionFrame = (frame: string) => frame.startsWith('~\n');
const extensionFrame = (frame: string) => JSON.parse(frame.slice(2)) as [string, string, unknown];

/**
 * SQLite in memory whose saves (an asynchronous storage's) are held until `release`; from then on
 * they finish at once. The server writes one save at a time, so at most one is held.
 */
const heldStorage = () => {
  const sqlite = createSqliteStorage(':memory:');
  const held: (() => void)[] = [];
  let holding = true;
  const storage: RoomStorage = {
    loadRoom: (pathId) => sqlite.loadRoom(pathId),
    saveChanges: (pathId: Id, changes: MergeableChanges) => {
      if (!holding) {
        sqlite.saveChanges(pathId, changes);
        return;
      }
      return new Promise<void>((resolve) => {
        held.push(() => {
          sqlite.saveChanges(pathId, changes);
          resolve();
        });
      });
    },
    getStoredPathIds: () => sqlite.getStoredPathIds(),
    close: () => sqlite.close(),
  };
  const release = () => {
    holding = false;
    for (const save of held.splice(0)) {
      save();
    }
  };
  return {storage, sqlite, held, release};
};

/** What a synchronous storage holds for a room, as a store. */
const storedStore = (storage: RoomStorage, pathId: Id) => {
  const store = createMergeableStore();
  for (const changes of storage.loadRoom(pathId) as Iterable<MergeableChanges>) {
    store.applyEncodedMergeableChanges(changes);
  }
  return store;
};
const storedCells = (storage: RoomStorage, pathId: Id) => storedStore(storage, pathId).getTables();

/** A server with `storage`, and a syncing client reaching it through a proxy the test can cut. */
const connectThroughProxy = async (storage: RoomStorage) => {
  const server = await startServer({storage}, cleanups);
  const proxy = await TcpProxy.start(server.port);
  cleanups.push(() => proxy.close());
  const store = createMergeableStore('through-proxy');
  const synchronizer = track(
    await createWsSynchronizer(
      store,
      {url: `ws://127.0.0.1:${proxy.port}/room`, ...FAST_RECONNECT},
      TIMEOUT,
    ),
  );
  await synchronizer.startSync();
  await waitUntil(() => synchronizer.getProtocolExtensions().includes('ack'), 'the ack feature');
  return {store, synchronizer, proxy};
};

describe('the server end', () => {
  test('a mark is answered only once the saves queued before it have finished', async () => {
    const {storage, held, release} = heldStorage();
    const server = await startServer({storage}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":["ack"]}]');
    const hello = extensionFrame(await client.waitForFrame(isExtensionFrame, 'the hello answer'));
    expect(hello).toEqual(['syncstore', 'hello', {features: ['ack']}]);

    client.send(A_CHANGE);
    client.send('~\n["ack","mark",{"id":7}]');
    await client.roundTrip();
    expect(held.length).toBe(1);
    expect(client.received.filter(isExtensionFrame)).toHaveLength(1); // the hello only

    release();
    const answer = await client.waitForFrame(isAckFrame, 'the acknowledgement');
    expect(extensionFrame(answer)).toEqual(['ack', 'stored', {id: 7}]);
  });

  test('a save that fails is retried, and the mark answered once it is stored', async () => {
    const sqlite = createSqliteStorage(':memory:');
    let broken = true;
    const storage: RoomStorage = {
      loadRoom: (pathId) => sqlite.loadRoom(pathId),
      saveChanges: (pathId, changes) => {
        if (broken) {
          throw new Error('disk full');
        }
        sqlite.saveChanges(pathId, changes);
      },
      getStoredPathIds: () => sqlite.getStoredPathIds(),
      close: () => sqlite.close(),
    };
    const errors: Error[] = [];
    const server = await startServer({storage, onIgnoredError: (e) => errors.push(e)}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":["ack"]}]');
    await client.waitForFrame(isExtensionFrame, 'the hello answer');
    client.send(A_CHANGE);
    client.send('~\n["ack","mark",{"id":1}]');
    await client.roundTrip();
    await waitUntil(() => errors.some((error) => String(error).includes('disk full')), 'the error');
    expect(client.received.filter(isAckFrame)).toEqual([]);

    broken = false;
    const answer = await client.waitForFrame(isAckFrame, 'the answer');
    expect(extensionFrame(answer)).toEqual(['ack', 'stored', {id: 1}]);
    expect(storedCells(sqlite, 'room')).toEqual({t: {r: {c: 1}}});
  });

  test('an invalid mark closes the socket with 1007', async () => {
    const server = await startServer({storage: ':memory:'}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":["ack"]}]');
    await client.waitForFrame(isExtensionFrame, 'the hello answer');
    client.send('~\n["ack","mark",{"id":-1}]');
    expect(await client.closed).toBe(1007);
  });

  test('a server without storage does not offer the feature', async () => {
    const server = await startServer({}, cleanups);
    const client = await rawClient(server.url('room'), LEGACY_OFFER);
    client.send('~\n["syncstore","hello",{"features":["ack"]}]');
    const hello = extensionFrame(await client.waitForFrame(isExtensionFrame, 'the hello answer'));
    expect(hello).toEqual(['syncstore', 'hello', {features: []}]);
  });
});

describe('the client', () => {
  test('counts its changes until the server confirms them stored', async () => {
    const {storage, held, release} = heldStorage();
    const server = await startServer({storage}, cleanups);
    const store = createMergeableStore('writer');
    const synchronizer = await syncstoreClient(store, server.url('room'));
    await waitUntil(() => synchronizer.getProtocolExtensions().includes('ack'), 'the ack feature');
    expect(synchronizer.getSyncStatus().unconfirmedChanges).toBe(0);

    store.setCell('t', 'r1', 'c', 1);
    await waitUntil(() => held.length === 1, 'the first save');
    store.setCell('t', 'r2', 'c', 2).setCell('t', 'r1', 'c', 3);
    await waitUntil(() => synchronizer.getSyncStatus().unconfirmedChanges === 2, 'the second send');
    expect(held.length).toBe(1); // the second save waits behind the first
    // Two distinct cells, the first one changed twice.
    expect(synchronizer.getSyncStatus().unconfirmedChanges).toBe(2);
    expect(synchronizer.getSyncStatus().pendingChanges).toBe(0);

    release();
    await waitUntil(() => synchronizer.getSyncStatus().unconfirmedChanges === 0, 'confirmation');
    expect(storedCells(storage, 'room')).toEqual({t: {r1: {c: 3}, r2: {c: 2}}});
  });

  test('changes made offline are re-sent to the server store after reconnecting, then confirmed', async () => {
    const sqlite = createSqliteStorage(':memory:');
    const {store, synchronizer, proxy} = await connectThroughProxy(sqlite);

    await proxy.cut();
    await waitUntil(() => synchronizer.getSyncStatus().connection !== 'online', 'offline');
    store.setCell('t', 'r', 'a', 1).setValue('v', 'offline');
    expect(synchronizer.getSyncStatus()).toMatchObject({pendingChanges: 2, unconfirmedChanges: 0});
    const unconfirmedSeen: (number | undefined)[] = [];
    synchronizer.addSyncStatusListener(({unconfirmedChanges}) =>
      unconfirmedSeen.push(unconfirmedChanges),
    );

    await proxy.restore();
    await waitUntil(
      () =>
        synchronizer.getSyncStatus().connection === 'online' &&
        synchronizer.getSyncStatus().pendingChanges === 0 &&
        synchronizer.getSyncStatus().unconfirmedChanges === 0,
      'the offline changes confirmed',
    );
    // Announced, the offline changes count as unconfirmed until the server confirms them.
    expect(unconfirmedSeen).toContain(2);
    expect(storedCells(sqlite, 'room')).toEqual({t: {r: {a: 1}}});
    expect(storedStore(sqlite, 'room').getValues()).toEqual({v: 'offline'});
  });

  test('changes whose socket was lost before their confirmation are confirmed on the next one', async () => {
    const {storage, held, release} = heldStorage();
    const {store, synchronizer, proxy} = await connectThroughProxy(storage);
    store.setCell('t', 'r', 'c', 'sent');
    await waitUntil(() => held.length === 1, 'the save');

    await proxy.cut();
    await waitUntil(() => synchronizer.getSyncStatus().connection !== 'online', 'offline');
    expect(synchronizer.getSyncStatus().unconfirmedChanges).toBe(1);
    await proxy.restore();
    await waitUntil(() => synchronizer.getSyncStatus().connection === 'online', 'back online');
    expect(synchronizer.getSyncStatus().unconfirmedChanges).toBe(1);
    release();
    await waitUntil(() => synchronizer.getSyncStatus().unconfirmedChanges === 0, 'confirmation');
    expect(storedCells(storage, 'room')).toEqual({t: {r: {c: 'sent'}}});
  });

  test('in a gated room the room store confirms, re-sent changes included; refused ones are corrected', async () => {
    const sqlite = createSqliteStorage(':memory:');
    const server = await startServer(
      {storage: sqlite, canWriteCell: (_pathId, tableId) => tableId !== 'locked'},
      cleanups,
    );
    const store = createMergeableStore('gated');
    const synchronizer = track(
      await createWsSynchronizer(store, {url: server.url('room'), ...FAST_RECONNECT}, TIMEOUT),
    );
    await synchronizer.startSync();
    await waitUntil(() => synchronizer.getProtocolExtensions().includes('ack'), 'the ack feature');
    const unconfirmedSeen: (number | undefined)[] = [];
    synchronizer.addSyncStatusListener(({unconfirmedChanges}) =>
      unconfirmedSeen.push(unconfirmedChanges),
    );
    store.setCell('open', 'r', 'c', 1).setCell('locked', 'r', 'c', 2);
    await waitUntil(
      () => unconfirmedSeen.includes(2) && synchronizer.getSyncStatus().unconfirmedChanges === 0,
      'both cells sent, then confirmed',
    );
    expect(storedCells(sqlite, 'room')).toEqual({open: {r: {c: 1}}});
    await waitUntil(() => !store.hasTable('locked'), 'the correction of the refused cell');
  });

  test('on a server without storage the status has no unconfirmedChanges', async () => {
    const server = await startServer({}, cleanups);
    const store = createMergeableStore('relay');
    const synchronizer = await syncstoreClient(store, server.url('room'));
    const peer = createMergeableStore('peer');
    await syncstoreClient(peer, server.url('room'));
    store.setCell('t', 'r', 'c', 1);
    await expectConverged([store, peer]);
    // Presence is negotiated all the same; only the acknowledgements need storage.
    expect(synchronizer.getProtocolExtensions().sort()).toEqual([
      'buckets',
      'compact',
      'delta',
      'presence',
    ]);
    expect(synchronizer.getSyncStatus().unconfirmedChanges).toBeUndefined();
  });

  test('TinyBase peers in the same room converge and never see an acknowledgement frame', async () => {
    const sqlite = createSqliteStorage(':memory:');
    const server = await startServer({storage: sqlite}, cleanups);
    const store = createMergeableStore('syncstore');
    const synchronizer = await syncstoreClient(store, server.url('room'));
    const tinyBase = createTinyBaseStore();
    await tinyBaseClient(tinyBase, server.url('room'));
    const plain = await rawClient(server.url('room'));
    await waitUntil(() => synchronizer.getProtocolExtensions().includes('ack'), 'the ack feature');

    store.setCell('t', 'r', 'from', 'syncstore');
    tinyBase.setCell('t', 'r', 'other', 'tinybase');
    await expectConverged([store, tinyBase]);
    await waitUntil(() => synchronizer.getSyncStatus().unconfirmedChanges === 0, 'confirmation');
    await plain.roundTrip();
    expect(plain.received.length).toBeGreaterThan(0);
    expect(plain.received.filter(isExtensionFrame)).toEqual([]);
    expect(storedCells(sqlite, 'room')).toEqual({t: {r: {from: 'syncstore', other: 'tinybase'}}});
  });
});
