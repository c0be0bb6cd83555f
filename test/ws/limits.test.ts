// Limits per client (docs/protocol.md §6.9): an abusive client is closed with the limit's code
// and reason (1013 rates, channels, full rooms; 1009 ids, values, nesting), reported to
// onIgnoredError, while honest clients in the same room stay connected and lose no change.
import {
  createMergeableStore as createTinyBaseStore,
  type MergeableStore as TinyBaseStore,
} from 'tinybase';
import {describe, expect, test} from 'vitest';
import {jsonDepth, resolveLimits, TokenBucket} from '../../src/server/client-limits.js';
import {DEFAULT_LIMITS} from '../../src/server/index.js';
import type {WsServerOptions} from '../../src/server/types.js';
import {createWsServer} from '../../src/server/ws-server.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import {createCleanups, listen, startServer, testClients, waitUntil} from './support.js';

const TIMEOUT = 0.5;
const cleanups = createCleanups();

const {tinyBaseClient, syncstoreClient, rawClient} = testClients(cleanups, TIMEOUT);

/** A server whose errors are collected. */
const limitedServer = async (options: WsServerOptions) => {
  const errors: string[] = [];
  const server = await startServer(
    {...options, onIgnoredError: (error) => errors.push(error.message)},
    cleanups,
  );
  return {server, errors};
};

const contentDiff = (tables: unknown, values: unknown = {}) =>
  `\n${encodeRemainder('tx000000001', 3, [[tables], [values], 1])}`;
const cell = (thing: unknown) => [thing, 'P7oyw95----m22wq'];

describe('the pieces', () => {
  test('a token bucket holds 2 seconds of its rate and refills with time', () => {
    let now = 0;
    const bucket = new TokenBucket(10, () => now);
    for (let index = 0; index < 20; index++) {
      expect(bucket.take(1)).toBe(true);
    }
    expect(bucket.take(1)).toBe(false);
    now = 100; // a tenth of a second: one token back
    expect(bucket.take(1)).toBe(true);
    expect(bucket.take(1)).toBe(false);
    now = 100_000; // refilled, but never beyond the 2-second capacity
    expect(bucket.take(20)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });

  test('defaults, overrides, and 0 or Infinity for no limit', () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    const limits = resolveLimits({maxDepth: 3, messagesPerSecond: 0, clientsPerRoom: Infinity});
    expect(limits.maxDepth).toBe(3);
    expect(limits.messagesPerSecond).toBe(Infinity);
    expect(limits.clientsPerRoom).toBe(Infinity);
    expect(limits.maxIdBytes).toBe(DEFAULT_LIMITS.maxIdBytes);
    expect(() => resolveLimits({maxIdBytes: -1})).toThrow('limits.maxIdBytes');
    expect(new TokenBucket(Infinity).take(1e12)).toBe(true);
  });

  test('JSON depth ignores brackets inside strings', () => {
    expect(jsonDepth('\uFFFD{"a":[1,{"b":"[[[["}]}', 1)).toBe(3);
    expect(jsonDepth('[]')).toBe(1);
    expect(jsonDepth('"x"')).toBe(0);
    expect(jsonDepth('["\\"[["]')).toBe(1);
  });
});

describe('each limit closes the offender with its code and reason', () => {
  test.each([
    ['id', {maxIdBytes: 8}, contentDiff({t: [{['r'.repeat(9)]: [{c: cell(1)}]}]}), 1009],
    ['value', {maxValueBytes: 16}, contentDiff({t: [{r: [{c: cell('x'.repeat(17))}]}]}), 1009],
    [
      'depth',
      {maxDepth: 3},
      contentDiff({}, {v: cell(`\uFFFD${JSON.stringify([[[[1]]]])}`)}),
      1009,
    ],
  ] as const)('%s', async (name, limits, frame, code) => {
    const {server, errors} = await limitedServer({limits});
    const honest = await rawClient(server.url('room'));
    const offender = await rawClient(server.url('room'));
    // Just within the limit: relayed.
    offender.send(contentDiff({t: [{r: [{c: cell('ok')}]}]}));
    await honest.waitForFrame((received) => received.includes('"ok"'), 'the allowed change');
    offender.send(frame);
    expect(await offender.closed).toBe(code);
    expect(offender.closeReason).toMatch(new RegExp(`^syncstore:limit:${name} `));
    expect(errors).toEqual([offender.closeReason]);
    expect(honest.closeCode).toBeUndefined();
    expect(server.wsServer.getClientIds('room')).toEqual([honest.key]);
  });

  test('messages per second: 1013, and frames held for authorize count too', async () => {
    const {server, errors} = await limitedServer({
      limits: {messagesPerSecond: 10},
      authorize: () => new Promise(() => {}),
    });
    const flooder = await rawClient(server.url('room'));
    for (let index = 0; index < 1000; index++) {
      flooder.send(`S\n${encodeRemainder(`tx0000000${index}.aaaa`, 1, '')}`);
    }
    expect(await flooder.closed).toBe(1013);
    expect(flooder.closeReason).toBe('syncstore:limit:messages more than 10 messages a second');
    expect(errors).toEqual([flooder.closeReason]);
  });

  test('bytes per second: 1013', async () => {
    const {server, errors} = await limitedServer({limits: {bytesPerSecond: 1000}});
    const flooder = await rawClient(server.url('room'));
    for (let index = 0; index < 10; index++) {
      flooder.send(contentDiff({t: [{r: [{c: cell('x'.repeat(500))}]}]}));
    }
    expect(await flooder.closed).toBe(1013);
    expect(flooder.closeReason).toBe('syncstore:limit:bytes more than 1000 bytes a second');
    expect(errors).toEqual([flooder.closeReason]);
  });

  test('clients per room: the next client is closed with 1013; other rooms are open', async () => {
    const {server, errors} = await limitedServer({limits: {clientsPerRoom: 2}});
    const first = await rawClient(server.url('room'));
    await rawClient(server.url('room'));
    const third = await rawClient(server.url('room'));
    expect(await third.closed).toBe(1013);
    expect(third.closeReason).toBe('syncstore:limit:clients room "room" has 2 clients');
    expect(errors).toEqual([third.closeReason]);
    await rawClient(server.url('other'));
    await waitUntil(() => server.wsServer.getClientIds('other').length === 1, 'other room');
    expect(server.wsServer.getClientIds('room')).toHaveLength(2);
    expect(first.closeCode).toBeUndefined();
  });

  test('channels per socket: the next Subscribe closes the socket with 1013', async () => {
    const {server, errors} = await limitedServer({limits: {channelsPerSocket: 2}});
    const client = await rawClient(server.url(''), 'tinybase');
    client.send('S\n["abcdefghijklmnop",-1,[0,1]]');
    client.send('S\n["AAAAAAAAAAAAAAAA",-1,[1,"a"]]');
    client.send('S\n["BBBBBBBBBBBBBBBB",-1,[1,"b"]]');
    await client.waitForFrame((frame) => frame.includes('"b"'), 'second channel');
    client.send('S\n["CCCCCCCCCCCCCCCC",-1,[1,"c"]]');
    expect(await client.closed).toBe(1013);
    expect(client.closeReason).toBe('syncstore:limit:channels more than 2 channels');
    expect(errors).toEqual([client.closeReason]);
  });
});

describe('abuse', () => {
  test('honest clients keep syncing, connected and with no lost change, while abusers flood', async () => {
    const [webSocketServer, port] = await listen();
    const errors: Error[] = [];
    const wsServer = createWsServer(webSocketServer, {
      storage: ':memory:',
      // Low enough for a test flood to cross, and far above what an honest client here sends.
      limits: {messagesPerSecond: 200, maxIdBytes: 64},
      onIgnoredError: (error) => errors.push(error),
    });
    cleanups.push(() => wsServer.destroy());
    const url = `ws://127.0.0.1:${port}/room`;

    const honest: (MergeableStore | TinyBaseStore)[] = [];
    for (let index = 0; index < 3; index++) {
      const store = createMergeableStore(`h${index}`);
      await syncstoreClient(store, url);
      honest.push(store);
    }
    for (let index = 0; index < 2; index++) {
      const store = createTinyBaseStore();
      await tinyBaseClient(store, url);
      honest.push(store);
    }

    // Abusers: a message flood, then one with an oversized id, each while honest clients write.
    const flooder = await rawClient(url);
    const bigIds = await rawClient(url);
    const writes = 20;
    for (let round = 0; round < writes; round++) {
      if (round === 5) {
        for (let index = 0; index < 2000; index++) {
          flooder.send(contentDiff({flood: [{[`r${index}`]: [{c: cell(index)}]}]}));
        }
      }
      if (round === 10) {
        bigIds.send(contentDiff({['t'.repeat(65)]: [{r: [{c: cell(1)}]}]}));
      }
      honest.forEach((store, index) => {
        store.setCell('honest', `r${index}-${round}`, 'n', round);
      });
    }
    expect(await flooder.closed).toBe(1013);
    expect(await bigIds.closed).toBe(1009);

    const hashes = (store: {getMergeableContentHashes(): unknown}) =>
      JSON.stringify(store.getMergeableContentHashes());
    const rowCount = () => Math.min(...honest.map((store) => store.getRowIds('honest').length));
    await waitUntil(
      () =>
        rowCount() === writes * honest.length &&
        honest.every((store) => hashes(store) === hashes(honest[0]!)),
      'every honest change everywhere',
    );
    for (const store of honest) {
      for (let index = 0; index < honest.length; index++) {
        for (let round = 0; round < writes; round++) {
          expect(store.getCell('honest', `r${index}-${round}`, 'n')).toBe(round);
        }
      }
      expect(store.hasTable('t'.repeat(65))).toBe(false);
    }
    // Every honest client is still in the room; only the two abusers were closed.
    expect(wsServer.getClientIds('room')).toHaveLength(honest.length);
    expect(errors.map((error) => error.message.split(' ')[0])).toEqual([
      'syncstore:limit:messages',
      'syncstore:limit:id',
    ]);
  });
});
