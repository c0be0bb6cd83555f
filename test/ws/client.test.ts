// The WebSocket client's own rules: what it refuses to create, what it does with invalid traffic
// from a server, fragments in both directions, what destroy does to the socket, and backpressure.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {describe, expect, test} from 'vitest';
import {WebSocket, type WebSocketServer} from 'ws';
import type {WsServerOptions} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, listen, startServer, type TestServer, waitUntil} from './support.js';

const cleanups = createCleanups();

const serve = (options: WsServerOptions = {}): Promise<TestServer> =>
  startServer(options, cleanups);

const openSocket = async (url: string, protocols?: string) => {
  const socket = new WebSocket(url, protocols);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('open', resolve));
  cleanups.push(() => socket.close());
  return socket;
};

/** A server that answers every connection with the given frames. */
const rogueServer = async (frames: string[]): Promise<[WebSocketServer, string]> => {
  const [webSocketServer, port] = await listen();
  webSocketServer.on('connection', (socket) => {
    for (const frame of frames) {
      socket.send(frame);
    }
  });
  cleanups.push(() => new Promise((resolve) => webSocketServer.close(resolve)));
  return [webSocketServer, `ws://127.0.0.1:${port}/`];
};

/** What a promise rejects with (fails the test if it resolves). */
const rejectionOf = async (promise: Promise<unknown>): Promise<Error> => {
  const outcome = await promise.then(
    (value) => ({value}),
    (error: Error) => ({error}),
  );
  if (!('error' in outcome)) {
    throw new Error('expected a rejection');
  }
  return outcome.error;
};

describe('creation', () => {
  test("refuses invalid, duplicate and mixed-mode uses of a socket with TinyBase's exact codes", async () => {
    const server = await serve();
    const multiplexed = await openSocket(server.url(''), 'tinybase');
    const tinyMultiplexed = await openSocket(server.url(''), 'tinybase');
    const legacy = await openSocket(server.url('room'));
    const tinyLegacy = await openSocket(server.url('room'));
    const syncstore = {
      multiplexed,
      legacy,
      create: createWsSynchronizer,
      newStore: createMergeableStore,
    };
    const tinybase = {
      multiplexed: tinyMultiplexed,
      legacy: tinyLegacy,
      create: createTinyBaseWsSynchronizer as unknown as typeof createWsSynchronizer,
      newStore: createTinyBaseStore as unknown as typeof createMergeableStore,
    };
    const longId = 'x'.repeat(1025);
    for (const side of [syncstore, tinybase]) {
      const first = await side.create(side.newStore(), side.multiplexed, 'pets', 0.5);
      cleanups.push(() => first.destroy());
      const legacySync = await side.create(side.newStore(), side.legacy, 0.5);
      cleanups.push(() => legacySync.destroy());
    }
    const attempts = (side: typeof syncstore) => [
      side.create(side.newStore(), side.multiplexed, '../x'),
      side.create(side.newStore(), side.multiplexed, longId),
      side.create(side.newStore(), side.multiplexed, 'pets'),
      side.create(side.newStore(), side.multiplexed),
      side.create(side.newStore(), side.legacy, 'pets'),
    ];
    const expected = [
      'tinybase:6:../x',
      `tinybase:6:${longId}`,
      'tinybase:7:pets',
      'tinybase:10',
      'tinybase:9',
    ];
    for (const side of [tinybase, syncstore]) {
      const errors = await Promise.all(attempts(side).map(rejectionOf));
      expect(errors.map(({message}) => message)).toEqual(expected);
    }
    // syncstore says why in a separate field.
    const [invalid] = await Promise.all([
      rejectionOf(createWsSynchronizer(createMergeableStore(), multiplexed, '')),
    ]);
    expect(invalid.message).toBe('tinybase:6:');
    expect((invalid as Error & {detail?: string}).detail).toMatch(/relative path/);
  });

  test('rejects with tinybase:5, as TinyBase does, on a closed or failed multiplexed socket', async () => {
    const server = await serve();
    const closedSocket = async () => {
      const socket = await openSocket(server.url(''), 'tinybase');
      socket.close();
      await new Promise((resolve) => socket.once('close', resolve));
      return socket;
    };
    // A port nothing listens on: the connection fails.
    const [refusing, refusingPort] = await listen();
    await new Promise((resolve) => refusing.close(resolve));
    const failingSocket = () => {
      const socket = new WebSocket(`ws://127.0.0.1:${refusingPort}/`, 'tinybase');
      socket.on('error', () => {});
      return socket;
    };
    const failedSocket = async () => {
      const socket = failingSocket();
      await new Promise((resolve) => socket.once('close', resolve));
      return socket;
    };
    for (const [create, newStore] of [
      [createWsSynchronizer, createMergeableStore],
      [
        createTinyBaseWsSynchronizer as unknown as typeof createWsSynchronizer,
        createTinyBaseStore as unknown as typeof createMergeableStore,
      ],
    ] as const) {
      const errors = await Promise.all(
        [await closedSocket(), failingSocket(), await failedSocket()].map((socket) =>
          rejectionOf(create(newStore(), socket, 'pets', 0.5)),
        ),
      );
      expect(errors.map(({message}) => message)).toEqual([
        'tinybase:5',
        'tinybase:5',
        'tinybase:5',
      ]);
    }
    // A closed socket holding other channels refuses a new one too, and the old ones still work.
    const shared = await openSocket(server.url(''), 'tinybase');
    const pets = await createWsSynchronizer(createMergeableStore(), shared, 'pets', 0.5);
    shared.close();
    await waitUntil(() => shared.readyState === WebSocket.CLOSED, 'shared socket closed');
    expect(
      (await rejectionOf(createWsSynchronizer(createMergeableStore(), shared, 'toys', 0.5)))
        .message,
    ).toBe('tinybase:5');
    expect(pets.getSyncStatus().connection).toBe('offline');
    pets.destroy();
  });

  test('a Hello or Subscribe with no reply rejects with tinybase:4:0 or tinybase:4:1, as TinyBase', async () => {
    // One server never answers; the other echoes the Hello only.
    const [, silentUrl] = await rogueServer([]);
    const [helloOnly, helloOnlyUrl] = await rogueServer([]);
    helloOnly.on('connection', (socket) =>
      socket.on('message', (data) => {
        if (data.toString().endsWith(',-1,[0,1]]')) {
          socket.send(data.toString());
        }
      }),
    );
    const sides = [
      [createWsSynchronizer, createMergeableStore],
      [
        createTinyBaseWsSynchronizer as unknown as typeof createWsSynchronizer,
        createTinyBaseStore as unknown as typeof createMergeableStore,
      ],
    ] as const;
    for (const [create, newStore] of sides) {
      const errors = await Promise.all(
        [silentUrl, helloOnlyUrl].map(async (url) =>
          rejectionOf(create(newStore(), await openSocket(url, 'tinybase'), 'pets', 0.2)),
        ),
      );
      expect(errors.map(({message}) => message)).toEqual(['tinybase:4:0', 'tinybase:4:1']);
    }
  });

  test('getWebSocket and destroy: an app socket is closed when its last synchronizer goes', async () => {
    const server = await serve();
    const legacy = await openSocket(server.url('room'));
    const legacySync = await createWsSynchronizer(createMergeableStore(), legacy, 0.5);
    expect(legacySync.getWebSocket()).toBe(legacy);
    legacySync.destroy();
    await waitUntil(() => legacy.readyState === WebSocket.CLOSED, 'legacy socket closed');

    const multiplexed = await openSocket(server.url(''), 'tinybase');
    const a = await createWsSynchronizer(createMergeableStore(), multiplexed, 'a', 0.5);
    const b = await createWsSynchronizer(createMergeableStore(), multiplexed, 'b', 0.5);
    await waitUntil(() => server.wsServer.getPathIds().length === 2, 'two channels');
    a.destroy();
    await waitUntil(() => server.wsServer.getPathIds().join() === 'b', 'channel a unsubscribed');
    expect(multiplexed.readyState).toBe(WebSocket.OPEN);
    b.destroy();
    await waitUntil(
      () => multiplexed.readyState === WebSocket.CLOSED,
      'socket closed with the last channel',
    );
  });

  test('a multiplexed channel in URL mode is online once subscribed', async () => {
    const server = await serve();
    const store = createMergeableStore();
    const synchronizer = await createWsSynchronizer(store, server.url(''), 'pets', 0.5);
    cleanups.push(() => synchronizer.destroy());
    expect(synchronizer.getSyncStatus().connection).toBe('online');
  });
});

describe('invalid traffic from a server', () => {
  test('closes the socket with 1007 and reports it', async () => {
    const [webSocketServer, url] = await rogueServer([]);
    const serverSide = new Promise<WebSocket>((resolve) =>
      webSocketServer.once('connection', resolve),
    );
    const errors: string[] = [];
    const socket = await openSocket(url);
    const synchronizer = await createWsSynchronizer(
      createMergeableStore(),
      socket,
      0.5,
      undefined,
      undefined,
      (error) => errors.push(error.message),
    );
    cleanups.push(() => synchronizer.destroy());
    const rogue = await serverSide;
    const closed = new Promise<number>((resolve) => rogue.once('close', (code) => resolve(code)));
    rogue.send('no newline here');
    expect(await closed).toBe(1007);
    expect(errors[0]).toMatch(/^tinybase:14/);
    expect(synchronizer.getSyncStatus().connection).toBe('offline');
    expect(synchronizer.getSyncStatus().error?.message).toMatch(/^tinybase:14/);
  });

  test('on a multiplexed socket, every channel hears the exact code, as with TinyBase', async () => {
    const [webSocketServer, url] = await rogueServer([]);
    // Echo Hello and Subscribe; the test then sends one bad frame on the newest connection.
    const serverSides: WebSocket[] = [];
    webSocketServer.on('connection', (socket) => {
      serverSides.push(socket);
      socket.on('message', (data) => {
        if (data.toString().startsWith('S\n')) {
          socket.send(data.toString());
        }
      });
    });
    const badFrames = [
      'no newline here',
      'M\nfiles\nS\n["x",99,1]',
      'M\nfiles\nS\nAAAAAAAAAAAAAAAA\n0\n1001\nx',
    ];
    const sides = [
      [createWsSynchronizer, createMergeableStore],
      [
        createTinyBaseWsSynchronizer as unknown as typeof createWsSynchronizer,
        createTinyBaseStore as unknown as typeof createMergeableStore,
      ],
    ] as const;
    const outcomes: string[][] = [];
    for (const [create, newStore] of sides) {
      for (const frame of badFrames) {
        const errors: string[] = [];
        const socket = await openSocket(url, 'tinybase');
        const closed = new Promise<string>((resolve) =>
          socket.once('close', (code, reason) => resolve(`closed ${code} ${reason}`)),
        );
        for (const channelId of ['files', 'other']) {
          const synchronizer = await create(
            newStore(),
            socket,
            channelId,
            0.5,
            undefined,
            undefined,
            (error) => errors.push(`${channelId} ${error.message}`),
          );
          cleanups.push(() => synchronizer.destroy());
        }
        serverSides.at(-1)!.send(frame);
        errors.push(await closed);
        outcomes.push(errors);
      }
    }
    const expected = [
      ['files tinybase:14', 'other tinybase:14', 'closed 1007 tinybase:14'],
      ['files tinybase:14', 'other tinybase:14', 'closed 1007 tinybase:14'],
      [
        'files tinybase:15:fragments',
        'other tinybase:15:fragments',
        'closed 1013 tinybase:15:fragments',
      ],
    ];
    expect(outcomes).toEqual([...expected, ...expected]);
  });

  test('an owned link reconnects after closing a server that sent garbage', async () => {
    let connections = 0;
    const [webSocketServer, url] = await rogueServer([]);
    webSocketServer.on('connection', (socket) => {
      connections++;
      socket.send(connections === 1 ? '\n["x",42,""]' : 'S\n["y",2,[0,0]]');
    });
    const synchronizer = await createWsSynchronizer(createMergeableStore(), {
      url,
      minReconnectDelayMs: 10,
      maxReconnectDelayMs: 50,
    });
    cleanups.push(() => synchronizer.destroy());
    await waitUntil(() => connections >= 2, 'reconnected');
    await waitUntil(() => synchronizer.getSyncStatus().connection === 'online', 'online');
  });
});

describe('fragments', () => {
  test('a syncstore client with a fragment size and a TinyBase client exchange large content', async () => {
    const server = await serve();
    const big = createMergeableStore('big');
    big.transaction(() => {
      for (let row = 0; row < 200; row++) {
        big.setCell('t', `r${row}`, 'text', `ünïcødé 😀 ${'x'.repeat(50)} ${row}`);
      }
    });
    const fragmentsSent: number[] = [];
    const bigSocket = await openSocket(server.url('room'));
    const send = bigSocket.send.bind(bigSocket);
    (bigSocket as unknown as {send: (data: string) => void}).send = (data: string) => {
      fragmentsSent.push(data.length);
      send(data);
    };
    const bigSync = await createWsSynchronizer(
      big,
      bigSocket,
      0.5,
      undefined,
      undefined,
      undefined,
      1000,
    );
    cleanups.push(() => bigSync.destroy());
    void bigSync.startSync();
    const tiny = createTinyBaseStore().setCell('t', 'tiny', 'text', 'é'.repeat(5000));
    const tinySync = await createTinyBaseWsSynchronizer(
      tiny,
      await openSocket(server.url('room')),
      0.5,
      undefined,
      undefined,
      undefined,
      700,
    );
    cleanups.push(() => tinySync.destroy());
    await tinySync.startSync();
    await waitUntil(
      () => tiny.getRowCount('t') === 201 && big.getRowCount('t') === 201,
      'both ways',
    );
    expect(tiny.getCell('t', 'r7', 'text')).toBe(big.getCell('t', 'r7', 'text'));
    expect(Math.max(...fragmentsSent)).toBeLessThan(1200);
  });
});

describe('fewer messages', () => {
  test('transactions made in one tick go out as one ContentDiff', async () => {
    const server = await serve();
    const {RawClient} = await import('./support.js');
    const store = createMergeableStore('s');
    const synchronizer = await createWsSynchronizer(store, server.url('room'), 0.3);
    cleanups.push(() => synchronizer.destroy());
    await synchronizer.startSync();
    const spy = await RawClient.open(server.url('room'));
    cleanups.push(() => spy.close());
    store.setCell('t', 'r', 'a', 1);
    store.setCell('t', 'r', 'b', 2);
    store.delCell('t', 'r', 'a');
    const isContentDiff = (text: string) => /^[^\n]*\n\["[^"]*",3,/.test(text);
    const frame = await spy.waitForFrame(isContentDiff, 'a ContentDiff');
    // A change in a later tick, as a marker: frames arrive in order, so any other ContentDiff of
    // the first tick would arrive before the marker's (no fixed wait needed to rule it out).
    store.setCell('t', 'r', 'marker', true);
    const marker = await spy.waitForFrame(
      (text) => isContentDiff(text) && text.includes('"marker"'),
      "the marker's ContentDiff",
    );
    expect(spy.received.filter(isContentDiff)).toEqual([frame, marker]);
    expect(frame).toContain('"b":[2,');
    expect(frame).toContain('"a":["\uFFFC",');
  });
});

describe('backpressure', () => {
  /** About 25 MB of changes: more than the socket may buffer, less than that plus the queue. */
  const ROWS = 60_000;

  test('a multiplexed client queues frames while its socket is full, and sends them once it drains', async () => {
    const server = await serve();
    // The server stops reading the writer's connection (its first), so the writer's frames pile up
    // in its socket: past the 16 MiB the wire allows to be buffered.
    const serverSockets: WebSocket[] = [];
    server.wsServer.getWebSocketServer().on('connection', (socket) => serverSockets.push(socket));
    const writerErrors: Error[] = [];
    const writer = createMergeableStore('writer');
    const writerSynchronizer = await createWsSynchronizer(
      writer,
      server.url(''),
      'big',
      1,
      undefined,
      undefined,
      (error) => writerErrors.push(error),
    );
    cleanups.push(() => writerSynchronizer.destroy());
    await writerSynchronizer.startSync();
    const reader = createMergeableStore('reader');
    // Its own socket (one URL shares one socket between channels).
    const readerSocket = await openSocket(server.url(''), 'tinybase');
    const readerSynchronizer = await createWsSynchronizer(reader, readerSocket, 'big', 5);
    cleanups.push(() => readerSynchronizer.destroy());
    await readerSynchronizer.startSync();
    writerErrors.length = 0;
    const connections = new Set<string>();
    writerSynchronizer.addSyncStatusListener(({connection}) => connections.add(connection));

    // Every frame the writer hands to its socket, with what the socket held just before: the
    // evidence that it held frames back instead of piling them onto a full socket.
    const socket = writerSynchronizer.getWebSocket() as unknown as WebSocket;
    const sends: {buffered: number; bytes: number; afterResume: boolean}[] = [];
    let resumed = false;
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    // (The rest is the callback by which the link hears that a frame was written out.)
    socket.send = ((data: string, ...rest: unknown[]) => {
      sends.push({
        buffered: socket.bufferedAmount,
        bytes: Buffer.byteLength(data),
        afterResume: resumed,
      });
      send(data, ...rest);
    }) as typeof socket.send;

    const tcp = (serverSockets[0] as unknown as {_socket: {pause(): void; resume(): void}})._socket;
    tcp.pause();
    writer.transaction(() => {
      for (let row = 0; row < ROWS; row++) {
        for (let cell = 0; cell < 10; cell++) {
          writer.setCell('t', `r${row}`, `c${cell}`, `value ${row}.${cell}`);
        }
      }
    });
    // The condition under test must happen: the socket fills while the server reads nothing. If it
    // does not (a kernel that absorbs all 25 MB), this fails loudly rather than testing nothing.
    await waitUntil(
      () => socket.bufferedAmount > 8 * 1024 * 1024,
      "the writer's socket to hold over 8 MiB while the server does not read",
      30_000,
    );
    resumed = true;
    tcp.resume();
    await waitUntil(() => reader.getRowCount('t') === ROWS, 'the reader to get every row', 60_000);

    // The socket never held more than the cap, and some frames waited for it to drain: they were
    // handed over only after the server read again (queued while full, sent once it drained).
    expect(sends.filter(({buffered, bytes}) => buffered + bytes > 16 * 1024 * 1024)).toEqual([]);
    const bytesSent = (afterResume: boolean) =>
      sends
        .filter((send) => send.afterResume === afterResume)
        .reduce((total, {bytes}) => total + bytes, 0);
    expect(bytesSent(false)).toBeGreaterThan(8 * 1024 * 1024);
    // More than protocol chatter: megabytes of the change itself were held back.
    expect(bytesSent(true)).toBeGreaterThan(1024 * 1024);
    expect(reader.getMergeableContentHashes()).toEqual(writer.getMergeableContentHashes());
    // Queued, not given up: the writer stayed online and reported no overflow. The one error it
    // may report is a request to the reader that timed out while the reader, in this same Node
    // process, merged 25 MB and held the event loop (docs/protocol.md §7.3): named, retried, and
    // harmless, since the content above is equal. Overflow, a broadcast nobody answered, or
    // anything else fails.
    for (const {message} of writerErrors) {
      expect(message, 'only a timeout of a request to the reader').toMatch(/^tinybase:3:[^.]+\./);
    }
    expect([...connections].filter((connection) => connection !== 'online')).toEqual([]);
    expect(writerSynchronizer.getSyncStatus().connection).toBe('online');
  });
});
