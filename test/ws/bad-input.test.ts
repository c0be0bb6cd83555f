// Hostile and broken traffic against the server: the offending socket is closed with 1007
// (invalid) or 1013 (over a limit), nothing it sent is relayed or stored, the other clients of
// the room keep syncing, and the server never crashes.

import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createSqliteStorage, type SqliteStorage} from '../../src/server/index.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {describeError} from '../../src/synchronizers/errors.js';
import {
  createWsSynchronizer,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import {RawClient, startServer, type TestServer, waitUntil} from './support.js';

const ROOM = 'room';
const HLC = 'Nn1JUF-----7JQY8';
const FUTURE_HLC = 'zzzzzzzzzzzzzzzz';
const FRAGMENT_ID = 'AAAAAAAAAAAAAAAA';
const MAX = 16 * 1024 * 1024;

let server: TestServer;
let storage: SqliteStorage;
let spy: RawClient;
let honestA: MergeableStore;
let honestB: MergeableStore;
const synchronizers: WsSynchronizer[] = [];
const attackerKeys = new Set<string>();
const ignoredErrors: string[] = [];
let honestEdits = 0;

beforeAll(async () => {
  storage = createSqliteStorage(':memory:');
  server = await startServer({
    storage,
    onIgnoredError: (error) => ignoredErrors.push(describeError(error)),
  });
  honestA = createMergeableStore('a').setCell('t', 'a', 'c', 0);
  honestB = createMergeableStore('b');
  for (const store of [honestA, honestB]) {
    const synchronizer = await createWsSynchronizer(store, server.url(ROOM), 0.5);
    synchronizers.push(synchronizer);
    await synchronizer.startSync();
  }
  spy = await RawClient.open(server.url(ROOM));
  await waitUntil(() => honestB.getCell('t', 'a', 'c') === 0, 'honest sync');
});

afterAll(async () => {
  for (const synchronizer of synchronizers) {
    synchronizer.destroy();
  }
  spy.close();
  await server.wsServer.destroy();
});

/** Opens an attacker in the room, sends the frames, and returns how its socket was closed. */
const attack = async (
  frames: (string | Buffer)[],
  protocols?: string,
): Promise<[code: number, reason: string]> => {
  const attacker = await RawClient.open(server.url(ROOM), protocols);
  attackerKeys.add(attacker.key);
  for (const frame of frames) {
    attacker.socket.send(frame);
  }
  const code = await attacker.closed;
  return [code, attacker.closeReason];
};

/** What every attack must leave behind: nothing relayed from attackers, nothing stored, sync fine. */
const expectRoomUnharmed = async () => {
  const marker = `edit${honestEdits++}`;
  honestA.setCell('t', 'a', 'c', marker);
  await waitUntil(() => honestB.getCell('t', 'a', 'c') === marker, 'honest clients still sync');
  await waitUntil(
    () => spy.received.some((frame) => frame.includes(marker)),
    'spy sees honest traffic',
  );
  const fromAttackers = spy.received.filter((frame) =>
    attackerKeys.has(frame.slice(0, frame.indexOf('\n'))),
  );
  expect(fromAttackers).toEqual([]);
  const stored = storage.readRoom(ROOM)!;
  expect(Object.keys(stored[0][0])).toEqual(['t']);
  expect(Object.keys(stored[0][0].t![0])).toEqual(['a']);
  expect(stored[1][0]).toEqual({});
  expect(honestB.getTables()).toEqual({t: {a: {c: marker}}});
};

const diff = (tables: unknown, values: unknown = {}) =>
  JSON.stringify(['tx000000000', 3, [[tables], [values], 1]]);

describe('invalid frames close the socket with 1007', () => {
  const cases: [string, string | Buffer][] = [
    ['no newline', 'just text'],
    ['bad JSON', '\n["tx",3,'],
    ['not an array', '\n{"a":1}'],
    ['extra array elements', '\n["tx",1,"",4]'],
    ['unknown message number', '\n["tx",99,""]'],
    ['non-integer message number', '\n["tx",1.5,""]'],
    ['request id of the wrong type', '\n[{"id":1},1,""]'],
    ['GetContentHashes with a body', '\n["tx",1,"please"]'],
    ['ContentHashes out of range', '\n["tx",2,[-1,4294967296]]'],
    ['ContentDiff with a malformed HLC', `\n${diff({t: [{r: [{c: [1, 'not-an-hlc']}]}]})}`],
    ['ContentDiff with a hashed stamp', `\n${diff({t: [{r: [{c: [1, HLC, 123]}]}]})}`],
    ['ContentDiff with a four-element stamp', `\n${diff({t: [{r: [{c: [{}, HLC, 1, 2]}]}]})}`],
    ['a multiplex control frame on a legacy socket', 'S\n["abcdefghijklmnop",-1,[0,1]]'],
    ['a duplicate fragment index', `\n${FRAGMENT_ID}\n0\n2\n["tx"`],
    ['an out-of-range fragment index', `\n${FRAGMENT_ID}\n2\n2\n["tx"`],
    ['fragments that join into garbage', `\n${FRAGMENT_ID}\n0\n1\n["tx",3,`],
    ['binary frame with invalid UTF-8', Buffer.from([0x0a, 0xff, 0xfe, 0xfd])],
  ];
  for (const [name, frame] of cases) {
    test(name, async () => {
      const frames = name === 'a duplicate fragment index' ? [frame, frame] : [frame];
      const [code] = await attack(frames);
      expect(code).toBe(1007);
      await expectRoomUnharmed();
    });
  }

  test('valid frames before the invalid one are handled, nothing after it', async () => {
    const attacker = await RawClient.open(server.url(ROOM));
    attackerKeys.add(attacker.key);
    attacker.send('nobody\n["tx",1,""]'); // valid, to nobody: dropped
    attacker.send('\nbroken');
    attacker.send(`\n${diff({t: [{injected: [{c: [1, HLC]}]}]})}`);
    expect(await attacker.closed).toBe(1007);
    await expectRoomUnharmed();
  });

  test('multiplexed: garbage, and a channel frame for a channel not subscribed', async () => {
    expect((await attack(['M\nno-newline-after-channel'], 'tinybase'))[0]).toBe(1007);
    expect(
      (
        await attack(
          [
            'S\n["abcdefghijklmnop",-1,[0,1]]',
            `M\n${ROOM}\n\n${diff({t: [{x: [{c: [1, HLC]}]}]})}`,
          ],
          'tinybase',
        )
      )[0],
    ).toBe(1007);
    expect((await attack(['S\n["abcdefghijklmnop",-1,[0,2]]'], 'tinybase'))[0]).toBe(1007);
    expect((await attack(['\n["tx",1,""]'], 'tinybase'))[0]).toBe(1007);
    await expectRoomUnharmed();
  });
});

describe('limits close the socket with 1013', () => {
  test('a frame over 16 MiB', async () => {
    const [code, reason] = await attack([`\n["tx",1,"${'x'.repeat(MAX)}"]`]);
    expect([code, reason]).toEqual([1013, 'tinybase:15:socket']);
    // Even one that is not a payload at all (no newline): its size is the offence, as in TinyBase.
    ignoredErrors.length = 0;
    expect(await attack(['x'.repeat(MAX + 1)])).toEqual([1013, 'tinybase:15:socket']);
    expect(ignoredErrors).toEqual(['tinybase:15:socket']);
    await expectRoomUnharmed();
  });

  test('more than 1000 fragments', async () => {
    expect(await attack([`\n${FRAGMENT_ID}\n0\n1001\n["tx"`])).toEqual([
      1013,
      'tinybase:15:fragments',
    ]);
    await expectRoomUnharmed();
  });

  test('more than 100 partial messages', async () => {
    const frames = Array.from(
      {length: 101},
      (_, index) => `\n${FRAGMENT_ID.slice(0, 12)}${String(index).padStart(4, '0')}\n0\n2\n["tx"`,
    );
    expect(await attack(frames)).toEqual([1013, 'tinybase:15:fragments']);
    await expectRoomUnharmed();
  });

  test('more than 16 MiB of partial fragments', async () => {
    const chunk = 'x'.repeat(6 * 1024 * 1024);
    const frames = [0, 1, 2].map(
      (index) => `\n${FRAGMENT_ID.slice(0, 15)}${index}\n0\n2\n${chunk}`,
    );
    expect(await attack(frames)).toEqual([1013, 'tinybase:15:fragments']);
    await expectRoomUnharmed();
  });
});

describe('hostile ids', () => {
  test('prototype names as ids are ordinary ids: relayed to nobody, stored as data', async () => {
    const attacker = await RawClient.open(server.url(ROOM));
    for (const id of ['__proto__', 'constructor', 'toString', 'S'.repeat(100_000)]) {
      attacker.send(`${id}\n["tx",1,""]`);
    }
    // The server has handled them all (it answers after them) and kept the attacker connected.
    await attacker.roundTrip();
    expect(attacker.closeCode).toBeUndefined();
    attacker.close();
    await expectRoomUnharmed();
  });

  test('a far-future clock is relayed (it is well-formed) but never stored or merged', async () => {
    const attacker = await RawClient.open(server.url(ROOM));
    const future = diff({t: [{future: [{c: ['from the future', FUTURE_HLC]}]}]});
    attacker.send(`\n${future}`);
    await spy.waitForFrame((frame) => frame.includes('from the future'), 'relayed');
    // The room's store has refused it; and honestB has handled it once a later honest edit,
    // relayed behind it, has arrived.
    await waitUntil(
      () => ignoredErrors.some((message) => message.includes('rejected')),
      'the room to report what it rejected',
    );
    await expectRoomUnharmed();
    expect(honestB.hasRow('t', 'future')).toBe(false);
    expect(storage.readRoom(ROOM)![0][0].t![0].future).toBeUndefined();
    expect(ignoredErrors.some((message) => message.includes('rejected'))).toBe(true);
    attacker.close();
  });
});

describe('a flood of 10k random frames', () => {
  // Frames that a server must never relay: garbage, malformed messages, bad fragments, plus valid
  // but inert ones (to a client that does not exist, or fragments that never complete) so that the
  // server handles many frames per connection before the one that closes it.
  const idChars = fc.constantFrom(
    ...'-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz',
  );
  const fragmentId = fc.string({unit: idChars, minLength: 16, maxLength: 16});
  const nobody = fc.string({maxLength: 20}).map((suffix) => `nobody${suffix.replace(/\n/g, '')}`);
  const frame = fc.oneof(
    fc.string({unit: 'binary', maxLength: 200}),
    fc.string({unit: 'binary', maxLength: 50}).map((text) => `\n${text}`),
    fc
      .tuple(nobody, fc.jsonValue(), fc.integer({min: -2, max: 10}), fc.jsonValue())
      .map(
        ([to, requestId, message, body]) => `${to}\n${JSON.stringify([requestId, message, body])}`,
      ),
    fc
      .tuple(fc.constantFrom('', 'S', '__proto__'), fc.jsonValue())
      .map(([to, body]) =>
        `${to}\n${JSON.stringify(['tx', 3, body])}`.replace('"tx",3,', '"tx",3,{"x":'),
      ),
    fc
      .tuple(
        fc.constantFrom('', 'S', 'nobody'),
        fragmentId,
        fc.nat(1200),
        fc.nat(1200),
        fc.string({maxLength: 30}),
      )
      .map(([to, id, index, total, text]) => `${to}\n${id}\n${index}\n${total}\n${text}`),
    fc
      .tuple(fc.constantFrom('', 'S'), fc.constantFrom('ContentDiff', 'ContentHashes'))
      .map(([to, kind]) =>
        kind === 'ContentDiff'
          ? `${to}\n${diff({t: [{r: [{c: [1, 'bad hlc']}]}]})}`
          : `${to}\n["tx",2,[1,"two"]]`,
      ),
  );

  test('every attacker is closed with 1007 or 1013; the room is unharmed', async () => {
    const frames = fc.sample(frame, {seed: 20_261_127, numRuns: 10_000});
    const perConnection = 100;
    const closes: number[] = [];
    for (let start = 0; start < frames.length; start += perConnection * 10) {
      // Ten attackers at a time, each ending with a frame that is certainly invalid.
      const batch = [];
      for (
        let offset = start;
        offset < start + perConnection * 10 && offset < frames.length;
        offset += perConnection
      ) {
        const protocols = (offset / perConnection) % 4 === 3 ? 'tinybase' : undefined;
        batch.push(
          attack([...frames.slice(offset, offset + perConnection), '\n{not json'], protocols),
        );
      }
      for (const [code] of await Promise.all(batch)) {
        closes.push(code);
      }
    }
    expect(closes).toHaveLength(100);
    expect(closes.every((code) => code === 1007 || code === 1013)).toBe(true);
    await expectRoomUnharmed();
    expect(server.wsServer.getClientIds(ROOM)).toHaveLength(3);
  });
});
