// Authorization as TinyBase 10.1 defines it (docs/protocol.md §6.8): authorize(pathId, request)
// admits with a ClientAccess or refuses (1008); canWriteCell and canWriteValue filter each leaf a
// client writes; read-only clients change nothing; refused newer writes are corrected so that the
// writer converges back. Real servers on 127.0.0.1, syncstore and TinyBase clients.
import type {IncomingMessage} from 'node:http';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {describe, expect, test} from 'vitest';
import type {ClientAccess, WsServerOptions} from '../../src/server/index.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {describeError} from '../../src/synchronizers/errors.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import {
  createCleanups,
  expectConverged,
  openSocket,
  startServer,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 0.3;
const cleanups = createCleanups();
const {tinyBaseClient, syncstoreClient, rawClient, track} = testClients(cleanups, TIMEOUT);

const query = (request: IncomingMessage, name: string) =>
  new URL(request.url ?? '/', 'http://x').searchParams.get(name);

/** Roles by token: staff write anything, customers only the orders table, readers nothing. */
const shopOptions = (extra: WsServerOptions = {}): WsServerOptions => ({
  authorize: (_pathId, request): ClientAccess | undefined => {
    const token = query(request, 'token');
    return token === 'staff' || token === 'customer'
      ? {context: {role: token}}
      : token === 'reader'
        ? {readOnly: true}
        : undefined;
  },
  canWriteCell: (_pathId, tableId, _rowId, _cellId, _cell, context) =>
    context?.role === 'staff' || tableId === 'orders',
  canWriteValue: (_pathId, valueId, _value, context) =>
    context?.role === 'staff' || valueId !== 'open',
  onIgnoredError: () => {},
  ...extra,
});

/** A fresh client's view of the room: what the room store holds. */
const probe = async (url: string) => {
  const store = createMergeableStore('probe');
  await syncstoreClient(store, url);
  return store;
};

describe('authorize', () => {
  test('admits with a ClientAccess, refuses with undefined (1008), asked with (pathId, request)', async () => {
    const asked: [string, string | undefined][] = [];
    const server = await startServer(
      {
        authorize: (pathId, request) => {
          asked.push([pathId, request.url]);
          return query(request, 'token') === 'good' ? {} : undefined;
        },
      },
      cleanups,
    );
    const refused = await rawClient(server.url('room?token=bad'));
    expect(await refused.closed).toBe(1008);
    expect(refused.closeReason).toContain('refused by authorize');

    const a = createMergeableStore('a').setCell('t', 'r', 'c', 1);
    const b = createMergeableStore('b');
    await syncstoreClient(a, server.url('room?token=good'));
    await tinyBaseClient(createTinyBaseStore(), server.url('room?token=good'));
    await syncstoreClient(b, server.url('room?token=good'));
    await waitUntil(() => b.getCell('t', 'r', 'c') === 1, 'b to get a’s cell');
    expect(asked[0]).toEqual(['room', '/room?token=bad']);
    expect(asked.slice(1).map(([pathId]) => pathId)).toEqual(['room', 'room', 'room']);
    expect(server.wsServer.getClientIds('room')).toHaveLength(3);
  });

  test('asynchronous: a promise of access admits, of undefined or a rejection refuses', async () => {
    const errors: string[] = [];
    const server = await startServer(
      {
        authorize: async (pathId) => {
          await Promise.resolve();
          if (pathId === 'boom') {
            throw new Error('auth backend down');
          }
          return pathId === 'open' ? {} : undefined;
        },
        onIgnoredError: (error) => errors.push(error.message),
      },
      cleanups,
    );
    const closed = await rawClient(server.url('closed'));
    const boom = await rawClient(server.url('boom'));
    expect(await closed.closed).toBe(1008);
    expect(await boom.closed).toBe(1008);
    expect(errors).toContain('auth backend down');
    const store = createTinyBaseStore().setCell('t', 'r', 'c', 'x');
    await tinyBaseClient(store, server.url('open'));
    const seen = await probe(server.url('open'));
    expect(seen.getCell('t', 'r', 'c')).toBe('x');
    expect(server.wsServer.getPathIds()).toEqual(['open']);
  });

  test('messages wait for a slow authorize, in order, and none is lost', async () => {
    let admit: (access: ClientAccess) => void = () => {};
    const decided = new Promise<ClientAccess>((resolve) => {
      admit = resolve;
    });
    const server = await startServer({authorize: () => decided}, cleanups);
    // What a client would send: a change, then a question whose answer shows the change arrived.
    const local = createMergeableStore('l');
    let changes: unknown;
    local.addDidFinishTransactionListener(() => {
      changes = (
        local as unknown as {getEncodedTransactionChanges(): unknown}
      ).getEncodedTransactionChanges();
    });
    local.transaction(() => local.setCell('t', 'r', 'c', 'early').setValue('v', 1));
    const client = await rawClient(server.url('slow'));
    client.send(`\n${encodeRemainder('tx000000001', 3, changes)}`);
    client.send(`S\n${encodeRemainder('tx00000002.aaaa', 1, '')}`);
    await waitUntil(() => server.wsServer.getTrafficStats().messagesIn >= 2, 'both frames in');
    expect(server.wsServer.getClientIds('slow')).toEqual([]);
    expect(client.received).toEqual([]);

    admit({});
    const answer = await client.waitForFrame((frame) => frame.includes('tx00000002.aaaa'));
    expect(answer).toBe(
      `S\n${encodeRemainder('tx00000002.aaaa', 0, local.getMergeableContentHashes())}`,
    );
    expect(server.wsServer.getClientIds('slow')).toEqual([client.key]);
  });
});

describe('read-only clients', () => {
  test('receive everything and change nothing; their own edits are corrected away', async () => {
    const server = await startServer(shopOptions(), cleanups);
    const url = (token: string) => server.url(`shop?token=${token}`);
    const staff = createMergeableStore('staff').setCell('pets', 'fido', 'price', 5);
    await syncstoreClient(staff, url('staff'));
    const reader = createMergeableStore('reader');
    const tinyReader = createTinyBaseStore();
    await syncstoreClient(reader, url('reader'));
    await tinyBaseClient(tinyReader, url('reader'));
    await waitUntil(
      () =>
        reader.getCell('pets', 'fido', 'price') === 5 &&
        tinyReader.getCell('pets', 'fido', 'price') === 5,
      'readers to get the staff’s cell',
    );

    staff.setCell('pets', 'fido', 'price', 6);
    await waitUntil(() => tinyReader.getCell('pets', 'fido', 'price') === 6, 'live change');

    // Edits by readers: a newer version of an existing cell, a new cell, a value.
    reader.setCell('pets', 'fido', 'price', 0).setCell('pets', 'rex', 'price', 1);
    tinyReader.setValue('open', false).setCell('orders', 'o1', 'qty', 3);
    await expectConverged([staff, reader, tinyReader], 'readers corrected back');
    expect(reader.getTables()).toEqual({pets: {fido: {price: 6}}});
    expect(tinyReader.getTables()).toEqual({pets: {fido: {price: 6}}});
    expect(tinyReader.getValues()).toEqual({});
    const seen = await probe(url('staff'));
    await expectConverged([staff, seen], 'room store');
    expect(seen.getTables()).toEqual({pets: {fido: {price: 6}}});
  });
});

describe('refused writes of new ids (refusedNewLeavesPerClient)', () => {
  /** The room store's tombstones in table `junk` (the leaves its refused writes left there). */
  const junkLeaves = (store: ReturnType<typeof createMergeableStore>) =>
    Object.values(store.getMergeableContent()[0][0].junk?.[0] ?? {}).reduce(
      (count, [cells]) => count + Object.keys(cells).length,
      0,
    );

  test('a reader that keeps writing new ids is closed with 1008; the room stops growing', async () => {
    const errors: string[] = [];
    const server = await startServer(
      shopOptions({
        limits: {refusedNewLeavesPerClient: 20},
        onIgnoredError: (error) => errors.push(error.message),
      }),
      cleanups,
    );
    const url = (token: string) => server.url(`shop?token=${token}`);
    const staff = createMergeableStore('staff').setCell('pets', 'fido', 'price', 5);
    await syncstoreClient(staff, url('staff'));
    const reader = createMergeableStore('reader');
    const readerSync = await syncstoreClient(reader, url('reader'));
    const writeJunk = (from: number, to: number) =>
      reader.transaction(() => {
        for (let row = from; row < to; row++) {
          reader.setCell('junk', `r${row}`, 'c', row);
        }
      });

    // Within the allowance: corrected away, still connected.
    writeJunk(0, 15);
    await expectConverged([staff, reader], 'the first writes corrected');
    expect(reader.getTable('junk')).toEqual({});
    expect(readerSync.getSyncStatus().connection).toBe('online');
    expect(junkLeaves(await probe(url('staff')))).toBe(15);

    // Beyond it: closed, its writes neither stored nor corrected.
    writeJunk(15, 30);
    await waitUntil(() => readerSync.getSyncStatus().connection === 'offline', 'the reader closed');
    expect(describeError(readerSync.getSyncStatus().error!)).toContain(
      '1008: syncstore:limit:refused',
    );
    expect(errors).toContainEqual(
      'syncstore:limit:refused more than 20 refused writes of ids room "shop" never had',
    );
    expect(reader.getRowCount('junk')).toBe(15);

    // Everyone else keeps syncing, and the room holds only the first 15 tombstones.
    const other = createMergeableStore('other');
    await syncstoreClient(other, url('reader'));
    staff.setCell('pets', 'fido', 'price', 7);
    await waitUntil(
      () => other.getCell('pets', 'fido', 'price') === 7,
      'the change to reach others',
    );
    const room = await probe(url('staff'));
    await expectConverged([staff, other, room], 'the room after the close');
    expect(junkLeaves(room)).toBe(15);
  });
});

describe('canWriteCell and canWriteValue', () => {
  test.each([
    ['in memory', undefined],
    ['in SQLite', ':memory:'],
  ])(
    'one refused cell of a multi-cell change: the others are stored and relayed (room %s)',
    async (_, storage) => {
      const refusals: string[] = [];
      const server = await startServer(
        shopOptions({storage, onIgnoredError: (error) => refusals.push(error.message)}),
        cleanups,
      );
      const url = (token: string) => server.url(`shop?token=${token}`);
      const staff = createTinyBaseStore().setCell('pets', 'fido', 'price', 5);
      await tinyBaseClient(staff, url('staff'));
      const customer = createMergeableStore('customer');
      const tinyCustomer = createTinyBaseStore();
      await syncstoreClient(customer, url('customer'));
      await tinyBaseClient(tinyCustomer, url('customer'));
      await expectConverged([staff, customer, tinyCustomer], 'start');

      // One transaction: an order (allowed) and a price cut (refused, newer than the room's).
      customer.transaction(() => {
        customer.setCell('orders', 'o1', 'pet', 'fido');
        customer.setCell('pets', 'fido', 'price', 1);
        customer.setCell('orders', 'o1', 'qty', 2);
      });
      tinyCustomer.transaction(() => {
        tinyCustomer.setCell('orders', 'o2', 'pet', 'rex').setCell('pets', 'rex', 'price', 0);
        tinyCustomer.setValue('open', false).setValue('note', 'hi');
      });
      await expectConverged([staff, customer, tinyCustomer], 'writers corrected back');
      expect(staff.getTables()).toEqual({
        pets: {fido: {price: 5}},
        orders: {o1: {pet: 'fido', qty: 2}, o2: {pet: 'rex'}},
      });
      expect(staff.getValues()).toEqual({note: 'hi'});
      const seen = await probe(url('staff'));
      await expectConverged([staff, seen], 'room store');
      expect(seen.getTables()).toEqual(staff.getTables());
      expect(refusals.some((message) => message.includes('refused'))).toBe(true);

      // Staff may still write what customers may not.
      staff.setCell('pets', 'fido', 'price', 7).setValue('open', true);
      await waitUntil(() => customer.getValue('open') === true, 'staff write');
      await expectConverged([staff, customer, tinyCustomer, seen], 'after staff write');
      expect(tinyCustomer.getCell('pets', 'fido', 'price')).toBe(7);
    },
  );

  test('content a client made while away is filtered when the room pulls it', async () => {
    const server = await startServer(shopOptions(), cleanups);
    const url = (token: string) => server.url(`shop?token=${token}`);
    const staff = createMergeableStore('staff').setCell('pets', 'fido', 'price', 5);
    await syncstoreClient(staff, url('staff'));
    // Edited before connecting: the room learns of it through its pull, not a ContentDiff.
    const offline = createMergeableStore('offline');
    offline.setCell('orders', 'o9', 'pet', 'fido').setCell('secret', 's', 'x', 1);
    offline.setValue('open', false);
    const tinyOffline = createTinyBaseStore().setCell('orders', 'o8', 'pet', 'rex');
    tinyOffline.setCell('pets', 'fido', 'price', 0);
    await syncstoreClient(offline, url('customer'));
    await tinyBaseClient(tinyOffline, url('customer'));
    await expectConverged([staff, offline, tinyOffline], 'pulled content filtered');
    expect(staff.getTables()).toEqual({
      pets: {fido: {price: 5}},
      orders: {o9: {pet: 'fido'}, o8: {pet: 'rex'}},
    });
    expect(offline.getValues()).toEqual({});
  });

  test('canWriteCell gets the decoded cell, undefined for a deletion, and the context', async () => {
    const calls: unknown[][] = [];
    const server = await startServer(
      {
        authorize: () => ({context: {user: 'u1'}}),
        canWriteCell: (pathId, tableId, rowId, cellId, cell, context) => {
          calls.push([pathId, tableId, rowId, cellId, cell, context]);
          return cell !== undefined;
        },
        onIgnoredError: () => {},
      },
      cleanups,
    );
    const a = createMergeableStore('a');
    const b = createMergeableStore('b');
    await syncstoreClient(a, server.url('r'));
    await syncstoreClient(b, server.url('r'));
    a.setCell('t', 'r', 'c', {deep: [1]});
    await waitUntil(() => b.hasCell('t', 'r', 'c'), 'object cell');
    a.delCell('t', 'r', 'c');
    await expectConverged([a, b], 'deletion corrected');
    expect(a.getCell('t', 'r', 'c')).toEqual({deep: [1]});
    expect(calls).toContainEqual(['r', 't', 'r', 'c', {deep: [1]}, {user: 'u1'}]);
    expect(calls).toContainEqual(['r', 't', 'r', 'c', undefined, {user: 'u1'}]);
  });
});

describe('multiplexed sockets', () => {
  test('authorize runs per channel path; each channel has its own access; a refusal closes the socket', async () => {
    const asked: string[] = [];
    const server = await startServer(
      {
        authorize: (pathId, request) => {
          asked.push(pathId);
          if (pathId === 'forbidden') {
            return undefined;
          }
          return {readOnly: pathId === 'news' && query(request, 'token') !== 'editor'};
        },
        onIgnoredError: () => {},
      },
      cleanups,
    );
    const editorSocket = await openSocket(server.url('?token=editor'), 'tinybase');
    const readerSocket = await openSocket(server.url('?token=reader'), 'tinybase');
    const editorNews = createMergeableStore('en').setCell('news', 'n1', 'title', 'hello');
    const editorChat = createMergeableStore('ec');
    const readerNews = createMergeableStore('rn');
    const readerChat = createMergeableStore('rc');
    for (const [store, socket, channel] of [
      [editorNews, editorSocket, 'news'],
      [editorChat, editorSocket, 'chat'],
      [readerNews, readerSocket, 'news'],
      [readerChat, readerSocket, 'chat'],
    ] as const) {
      const synchronizer = track(await createWsSynchronizer(store, socket, channel, TIMEOUT));
      await synchronizer.startSync();
    }
    // A TinyBase client multiplexing the same channels, read-only on news too.
    const tinySocket = await openSocket(server.url('?token=reader'), 'tinybase');
    const tinyNews = createTinyBaseStore();
    const tinyChat = createTinyBaseStore();
    for (const [store, channel] of [
      [tinyNews, 'news'],
      [tinyChat, 'chat'],
    ] as const) {
      const synchronizer = track(
        await (
          createTinyBaseWsSynchronizer as unknown as (
            ...args: unknown[]
          ) => Promise<{startSync(): Promise<unknown>; destroy(): unknown}>
        )(store, tinySocket, channel, TIMEOUT),
      );
      await synchronizer.startSync();
    }
    await waitUntil(
      () =>
        readerNews.getCell('news', 'n1', 'title') === 'hello' &&
        tinyNews.getCell('news', 'n1', 'title') === 'hello',
      'news',
    );
    tinyNews.setCell('news', 'n1', 'title', 'scribbled');
    tinyChat.setCell('chat', 'm0', 'text', 'from tinybase');
    await waitUntil(
      () => editorChat.getCell('chat', 'm0', 'text') === 'from tinybase',
      'tiny chat',
    );
    readerNews.setCell('news', 'n1', 'title', 'defaced');
    readerChat.setCell('chat', 'm1', 'text', 'hi');
    await waitUntil(() => editorChat.getCell('chat', 'm1', 'text') === 'hi', 'reader may chat');
    await expectConverged([editorNews, readerNews, tinyNews], 'news corrected');
    await expectConverged([editorChat, readerChat, tinyChat], 'chat');
    expect(readerNews.getCell('news', 'n1', 'title')).toBe('hello');
    expect(tinyNews.getCell('news', 'n1', 'title')).toBe('hello');
    expect(asked.filter((pathId) => pathId === 'news')).toHaveLength(3);

    const refused = await rawClient(server.url(''), 'tinybase');
    refused.send('S\n["abcdefghijklmnop",-1,[0,1]]');
    refused.send('S\n["qrstuvwxyzABCDEF",-1,[1,"chat"]]');
    await refused.waitForFrame((frame) => frame.includes('"chat"'), 'chat echo');
    refused.send('S\n["qrstuvwxyzABCDEG",-1,[1,"forbidden"]]');
    expect(await refused.closed).toBe(1008);
    // The other sockets keep syncing.
    editorChat.setCell('chat', 'm2', 'text', 'still here');
    await waitUntil(() => readerChat.getCell('chat', 'm2', 'text') === 'still here', 'others sync');
  });
});
