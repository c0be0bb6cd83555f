// Relay rules, multiplexing, stats, listeners and shutdown of syncstore's server,
// observed with raw sockets on 127.0.0.1 (docs/protocol.md §6.4-§4.5, §5).

import {afterEach, describe, expect, test} from 'vitest';
import {fragmentRemainder} from '../../src/synchronizers/ws/fragments.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import {RawClient, startServer, type TestServer, waitUntil} from './support.js';

const GET_HASHES = '["tx00000000.aaaa",1,""]';
const HELLO = 'S\n["abcdefghijklmnop",-1,[0,1]]';
const subscribe = (channelId: string, id = 'qrstuvwxyzABCDEF') =>
  `S\n["${id}",-1,[1,${JSON.stringify(channelId)}]]`;

let server: TestServer;
const clients: RawClient[] = [];
const open = async (path: string, protocols?: string) => {
  const client = await RawClient.open(server.url(path), protocols);
  clients.push(client);
  return client;
};

afterEach(async () => {
  for (const client of clients.splice(0)) {
    client.close();
  }
  await server?.wsServer.destroy();
});

describe('relay', () => {
  test('a broadcast reaches every other client of the path, prefixed with the sender id', async () => {
    server = await startServer();
    const [a, b, c, other] = [
      await open('room'),
      await open('room'),
      await open('room'),
      await open('other'),
    ];
    a.send(`\n${GET_HASHES}`);
    expect(await b.waitForFrame()).toBe(`${a.key}\n${GET_HASHES}`);
    expect(await c.waitForFrame()).toBe(`${a.key}\n${GET_HASHES}`);
    // The server has relayed the broadcast; anything it sent to a or other came before these.
    await a.roundTrip();
    await other.roundTrip();
    expect(a.received).toEqual([]);
    expect(other.received).toEqual([]);
  });

  test('a message to a client id reaches that client only; an unknown id goes nowhere', async () => {
    server = await startServer();
    const [a, b, c] = [await open('room'), await open('room'), await open('room')];
    a.send(`${b.key}\n${GET_HASHES}`);
    a.send(`nobody\n${GET_HASHES}`);
    expect(await b.waitForFrame()).toBe(`${a.key}\n${GET_HASHES}`);
    // a's frames are handled (in order); anything relayed to b or c came before their answers.
    await a.roundTrip();
    await b.roundTrip();
    await c.roundTrip();
    expect(b.received).toHaveLength(1);
    expect(c.received).toEqual([]);
  });

  test('the relayed remainder is the sender text, not re-serialized', async () => {
    server = await startServer();
    const [a, b] = [await open(''), await open('')];
    const spaced = '[ "tx00000000.aaaa" , 1 , "" ]';
    a.send(`\n${spaced}`);
    expect(await b.waitForFrame()).toBe(`${a.key}\n${spaced}`);
  });

  test('rooms are URL paths: query strings are ignored, sub-paths are distinct', async () => {
    server = await startServer();
    const [a, b, c] = [await open('a/b?token=1'), await open('a/b'), await open('a')];
    a.send(`\n${GET_HASHES}`);
    await b.waitForFrame();
    await c.roundTrip();
    expect(c.received).toEqual([]);
    expect(server.wsServer.getPathIds().sort()).toEqual(['a', 'a/b']);
  });

  test('fragments are checked, then relayed as the original fragment frames', async () => {
    server = await startServer();
    const [a, b] = [await open('room'), await open('room')];
    const remainder = encodeRemainder('tx000000000', 3, [
      [{t1: [{r1: [{c1: ['x'.repeat(200), 'Nn1JUF-----7JQY8']}]}]}],
      [{}],
      1,
    ]);
    const parts = fragmentRemainder(remainder, 40);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts.slice(0, -1)) {
      a.send(`\n${part}`);
    }
    // The server has handled those fragments, and relayed nothing of them yet.
    await a.roundTrip();
    await b.roundTrip();
    expect(b.received).toEqual([]);
    a.send(`\n${parts.at(-1)}`);
    await waitUntil(() => b.received.length === parts.length, 'all fragments');
    expect(b.received).toEqual(parts.map((part) => `${a.key}\n${part}`));
  });

  test('a room without a store answers a GetContentHashes to "S" as an empty store (heartbeat)', async () => {
    server = await startServer();
    const a = await open('room');
    a.send(`S\n${GET_HASHES}`);
    expect(await a.waitForFrame()).toBe('S\n["tx00000000.aaaa",0,[0,0]]');
    a.send('S\n["tx000000000",2,[1,2]]');
    await a.roundTrip();
    expect(a.received).toHaveLength(1);
  });
});

describe('multiplexed sockets', () => {
  test('Hello and Subscribe are echoed; channel traffic shares the path of legacy clients', async () => {
    server = await startServer();
    const multiplexed = await open('', 'tinybase');
    const legacy = await open('pets');
    multiplexed.send(HELLO);
    expect(await multiplexed.waitForFrame()).toBe(HELLO);
    multiplexed.send(subscribe('pets'));
    await multiplexed.waitForFrame((frame) => frame === subscribe('pets'));
    expect(server.wsServer.getClientIds('pets').sort()).toEqual(
      [legacy.key, multiplexed.key].sort(),
    );

    multiplexed.send(`M\npets\n\n${GET_HASHES}`);
    expect(await legacy.waitForFrame()).toBe(`${multiplexed.key}\n${GET_HASHES}`);
    legacy.send(`${multiplexed.key}\n${GET_HASHES}`);
    expect(await multiplexed.waitForFrame((frame) => frame.startsWith('M\n'))).toBe(
      `M\npets\n${legacy.key}\n${GET_HASHES}`,
    );
  });

  test('channels are paths below the socket base path', async () => {
    server = await startServer();
    const multiplexed = await open('base', 'tinybase');
    const legacy = await open('base/a/b');
    multiplexed.send(HELLO);
    multiplexed.send(subscribe('a/b'));
    await multiplexed.waitForFrame((frame) => frame === subscribe('a/b'));
    legacy.send(`\n${GET_HASHES}`);
    expect(await multiplexed.waitForFrame((frame) => frame.startsWith('M\n'))).toBe(
      `M\na/b\n${legacy.key}\n${GET_HASHES}`,
    );
  });

  test('Subscribe before Hello is ignored; Unsubscribe leaves the room', async () => {
    server = await startServer();
    const multiplexed = await open('', 'tinybase');
    multiplexed.send(subscribe('early', 'EEEEEEEEEEEEEEEE'));
    multiplexed.send(HELLO);
    multiplexed.send(subscribe('room'));
    // Handled in order: had the early Subscribe been taken, its echo and room would come first.
    await multiplexed.waitForFrame((frame) => frame === subscribe('room'));
    expect(multiplexed.received).toEqual([HELLO, subscribe('room')]);
    expect(server.wsServer.getPathIds()).toEqual(['room']);
    multiplexed.send('S\n[null,-1,[2,"room"]]');
    await waitUntil(() => server.wsServer.getPathIds().length === 0, 'room closed');
    expect(multiplexed.closeCode).toBeUndefined();
  });

  test('traffic before Hello, or on a channel not subscribed, closes the socket with 1007', async () => {
    server = await startServer();
    const early = await open('', 'tinybase');
    early.send(`M\nroom\n\n${GET_HASHES}`);
    expect(await early.closed).toBe(1007);
    const unsubscribed = await open('', 'tinybase');
    unsubscribed.send(HELLO);
    unsubscribed.send(`M\nroom\n\n${GET_HASHES}`);
    expect(await unsubscribed.closed).toBe(1007);
  });

  test('a 101st channel or an oversized channel id closes the socket with 1013', async () => {
    server = await startServer();
    const many = await open('', 'tinybase');
    many.send(HELLO);
    for (let index = 0; index < 100; index++) {
      many.send(subscribe(`c${index}`, `qrstuvwxyzAB${String(index).padStart(4, '0')}`));
    }
    await waitUntil(() => many.received.length === 101, '100 subscriptions');
    many.send(subscribe('one-too-many'));
    expect(await many.closed).toBe(1013);
    expect(many.closeReason).toBe('tinybase:15:channels');

    const long = await open('', 'tinybase');
    long.send(HELLO);
    long.send(subscribe('x'.repeat(1025)));
    expect(await long.closed).toBe(1013);
  });

  test('an invalid channel id closes the socket with 1007', async () => {
    server = await startServer();
    const client = await open('', 'tinybase');
    client.send(HELLO);
    client.send(subscribe('../escape'));
    expect(await client.closed).toBe(1007);
  });
});

// authorize, canWriteCell and canWriteValue: authorization.test.ts.

describe('stats, listeners and shutdown', () => {
  test('listeners see rooms and clients come and go; stats count traffic', async () => {
    server = await startServer();
    const events: string[] = [];
    server.wsServer.addPathIdsListener((_, pathId, change) =>
      events.push(`path ${pathId} ${change}`),
    );
    const listenerId = server.wsServer.addClientIdsListener(
      'room',
      (_, pathId, _clientId, change) => events.push(`client ${pathId} ${change}`),
    );
    const a = await open('room');
    const b = await open('room');
    await waitUntil(() => server.wsServer.getStats().clients === 2, 'two clients');
    expect(server.wsServer.getClientIds('room').sort()).toEqual([a.key, b.key].sort());
    a.send(`\n${GET_HASHES}`);
    await b.waitForFrame();
    expect(server.wsServer.getStats()).toEqual({paths: 1, clients: 2});
    expect(server.wsServer.getTrafficStats()).toEqual({
      messagesIn: 1,
      bytesIn: GET_HASHES.length + 1,
      messagesOut: 1,
      bytesOut: a.key.length + 1 + GET_HASHES.length,
    });
    a.close();
    b.close();
    await waitUntil(() => server.wsServer.getPathIds().length === 0, 'room closed');
    expect(events).toEqual([
      'path room 1',
      'client room 1',
      'client room 1',
      'client room -1',
      'client room -1',
      'path room -1',
    ]);
    server.wsServer.delListener(listenerId);
  });

  test('destroy closes client sockets with 1001 and stops listening', async () => {
    server = await startServer();
    const a = await open('room');
    await server.wsServer.destroy();
    expect(await a.closed).toBe(1001);
    await expect(RawClient.open(server.url('room'))).rejects.toThrow();
  });
});
