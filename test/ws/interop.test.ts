// Wire compatibility with TinyBase 10 over real sockets: TinyBase clients through syncstore's
// server, syncstore clients through TinyBase's server, mixed rooms, and multiplexed sockets.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {createWsServer as createTinyBaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {describe, expect, test} from 'vitest';
import {createSqliteStorage} from '../../src/server/index.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  createCleanups,
  expectConverged,
  listen,
  openSocket,
  startServer,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 0.3;
const cleanups = createCleanups();
const {tinyBaseClient, syncstoreClient, track} = testClients(cleanups, TIMEOUT);

const tinyBaseServer = async () => {
  const [webSocketServer, port] = await listen();
  const server = createTinyBaseWsServer(webSocketServer);
  cleanups.push(() => server.destroy());
  return (path: string) => `ws://127.0.0.1:${port}/${path}`;
};

const syncstoreServer = (storage?: string) =>
  startServer(storage === undefined ? {} : {storage}, cleanups);

describe('TinyBase clients through the syncstore server', () => {
  test('sync both ways, with deletions, null and object cells', async () => {
    const server = await syncstoreServer();
    const a = createTinyBaseStore().setCell('t', 'r1', 'c', 1).setValue('v', 'x');
    const b = createTinyBaseStore().setCell('t', 'r2', 'c', {nested: [1, 2]});
    await tinyBaseClient(a, server.url('room'));
    await tinyBaseClient(b, server.url('room'));
    await expectConverged([a, b]);
    a.delCell('t', 'r2', 'c');
    b.setCell('t', 'r1', 'n', null as never);
    await waitUntil(() => !b.hasRow('t', 'r2'), 'deletion');
    await expectConverged([a, b]);
    expect(a.getTables()).toEqual({t: {r1: {c: 1, n: null}}});
  });

  test('with storage, a TinyBase client alone in the room gets the stored data from "S"', async () => {
    const storage = createSqliteStorage(':memory:');
    const server = await startServer({storage}, cleanups);
    const writer = createTinyBaseStore().setCell('t', 'r', 'c', 'kept');
    const writerSynchronizer = await tinyBaseClient(writer, server.url('room'));
    await waitUntil(
      () => storage.readRoom('room') !== undefined,
      'the server store pulled and stored',
    );
    writerSynchronizer.destroy();
    await waitUntil(() => server.wsServer.getPathIds().length === 0, 'room closed');

    // The room is loaded before the client is served, so its first pull already brings the data.
    const reader = createTinyBaseStore();
    await tinyBaseClient(reader, server.url('room'));
    expect(reader.getCell('t', 'r', 'c')).toBe('kept');
  });
});

describe('syncstore clients through the TinyBase server', () => {
  test('sync both ways', async () => {
    const url = await tinyBaseServer();
    const a = createMergeableStore('a').setCell('t', 'r1', 'c', 1);
    const b = createMergeableStore('b').setValue('v', true);
    await syncstoreClient(a, url('room'));
    await syncstoreClient(b, url('room'));
    await expectConverged([a, b]);
    b.delValue('v');
    a.setCell('t', 'r1', 'o', {deep: {x: [null]}});
    await waitUntil(() => b.hasCell('t', 'r1', 'o') && !a.hasValue('v'), 'live changes');
    await expectConverged([a, b]);
  });

  test('multiplexed syncstore clients share one socket', async () => {
    const url = await tinyBaseServer();
    const socket = await openSocket(url(''), 'tinybase');
    const pets = createMergeableStore('pets').setCell('pets', 'fido', 'legs', 4);
    const todos = createMergeableStore('todos').setCell('todos', 'one', 'done', false);
    track(await createWsSynchronizer(pets, socket, 'pets', TIMEOUT)).startSync();
    track(await createWsSynchronizer(todos, socket, 'todos', TIMEOUT)).startSync();
    const petsReader = createMergeableStore();
    await syncstoreClient(petsReader, url('pets'));
    await expectConverged([pets, petsReader]);
    expect(petsReader.getTables()).toEqual({pets: {fido: {legs: 4}}});
    expect(todos.getTables()).toEqual({todos: {one: {done: false}}});
  });
});

describe('mixed rooms', () => {
  for (const serverKind of ['syncstore server with storage', 'TinyBase server'] as const) {
    test(`syncstore and TinyBase clients converge through the ${serverKind}`, async () => {
      const url =
        serverKind === 'TinyBase server'
          ? await tinyBaseServer()
          : (await syncstoreServer(':memory:')).url;
      const native = createMergeableStore('n').setCell('t', 'native', 'c', 1);
      const adopted = createMergeableStore('a').setCell('t', 'adopted', 'c', 2);
      const tiny = createTinyBaseStore().setCell('t', 'tiny', 'c', 3);
      await syncstoreClient(native, url('mixed'));
      track(
        await createWsSynchronizer(adopted, await openSocket(url('mixed')), TIMEOUT),
      ).startSync();
      await tinyBaseClient(tiny, url('mixed'));
      await expectConverged([native, adopted, tiny]);
      // Concurrent edits of one cell: every peer settles on the same winner.
      native.setCell('t', 'shared', 'c', 'native');
      tiny.setCell('t', 'shared', 'c', 'tiny');
      adopted.setCell('t', 'tiny', 'c', 33);
      await waitUntil(() => tiny.getCell('t', 'tiny', 'c') === 33, 'live edit');
      await expectConverged([native, adopted, tiny]);
      expect(Object.keys(native.getTable('t')).sort()).toEqual([
        'adopted',
        'native',
        'shared',
        'tiny',
      ]);
    });
  }
});

describe('multiplexed TinyBase clients through the syncstore server', () => {
  test('channels of one socket, another socket and a legacy client on the channel path', async () => {
    const server = await syncstoreServer(':memory:');
    const socket = await openSocket(server.url(''), 'tinybase');
    const petsA = createTinyBaseStore().setCell('pets', 'fido', 'legs', 4);
    const todosA = createTinyBaseStore().setCell('todos', 'one', 'done', false);
    const pets = track(await createTinyBaseWsSynchronizer(petsA, socket, 'pets', TIMEOUT));
    const todos = track(await createTinyBaseWsSynchronizer(todosA, socket, 'todos', TIMEOUT));
    await Promise.all([pets.startSync(), todos.startSync()]);

    const otherSocket = await openSocket(server.url(''), 'tinybase');
    const petsB = createTinyBaseStore().setCell('pets', 'rex', 'legs', 3);
    await track(
      await createTinyBaseWsSynchronizer(petsB, otherSocket, 'pets', TIMEOUT),
    ).startSync();
    const petsC = createMergeableStore('c');
    await syncstoreClient(petsC, server.url('pets'));

    await expectConverged([petsA, petsB, petsC]);
    expect(petsC.getTables()).toEqual({pets: {fido: {legs: 4}, rex: {legs: 3}}});
    expect(todosA.getTables()).toEqual({todos: {one: {done: false}}});
    expect(server.wsServer.getPathIds().sort()).toEqual(['pets', 'todos']);
    petsC.setCell('pets', 'rex', 'legs', 4);
    await waitUntil(() => petsA.getCell('pets', 'rex', 'legs') === 4, 'live edit over a channel');
  });
});
