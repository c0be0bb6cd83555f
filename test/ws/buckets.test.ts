// Hash buckets and compact snapshots between a syncstore client and the syncstore server's room
// store (docs/protocol.md §8.5, §8.6), on a real server on 127.0.0.1 with a real SQLite file:
// tables too big for the base protocol's row question (its message limit lowered, or 600 000
// rows) diff and sync, every random difference is found in both directions, and an empty
// client's compact snapshot merges to exactly what the base protocol gives. TinyBase clients in
// the same rooms see no extension frame.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {afterAll, describe, expect, test} from 'vitest';
import {WebSocket} from 'ws';
import {createSqliteStorage} from '../../src/server/sqlite-storage.js';
import type {RoomStorage} from '../../src/server/types.js';
import {createMergeableStore, type FullMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges} from '../../src/store/types.js';
import {MessageTooLarge} from '../../src/synchronizers/errors.js';
import {PLAIN_SUBPROTOCOL} from '../../src/synchronizers/extensions/wire.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {Message} from '../../src/synchronizers/types.js';
import {
  createCleanups,
  RawClient,
  startServer,
  type TestServer,
  testClients,
  waitUntil,
} from './support.js';

const TIMEOUT = 1;
const cleanups = createCleanups();
const {track} = testClients(cleanups, TIMEOUT);
const directory = mkdtempSync(join(tmpdir(), 'syncstore-buckets-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));
let files = 0;

/** A server whose rooms live in a fresh SQLite file; `rooms` are stored before it starts. */
const serverWithRooms = async (rooms: Record<string, FullMergeableStore>) => {
  const storage: RoomStorage = createSqliteStorage(join(directory, `rooms-${files++}.db`));
  for (const [room, store] of Object.entries(rooms)) {
    const [tables, values] = store.getEncodedMergeableContent();
    storage.saveChanges(room, [tables, values, 1] as MergeableChanges);
  }
  return startServer({storage}, cleanups);
};

/** A syncstore client that records the base-protocol messages it sends, started and synced. */
const syncedClient = async (store: FullMergeableStore, url: string | object) => {
  const sent: number[] = [];
  const errors: string[] = [];
  const synchronizer = track(
    await createWsSynchronizer(
      store,
      url as string,
      TIMEOUT,
      (_to, _requestId, message) => sent.push(message),
      undefined,
      (error) => errors.push(error.message),
    ),
  );
  await synchronizer.startSync();
  return {synchronizer, sent, errors};
};

const hashes = (store: {getMergeableContentHashes(): [number, number]}) =>
  JSON.stringify(store.getMergeableContentHashes());

/** Waits until `store` has `expected`'s hashes, then compares their whole mergeable content. */
const expectSameContent = async (store: FullMergeableStore, expected: FullMergeableStore) => {
  await waitUntil(() => hashes(store) === hashes(expected), 'equal hashes', 60_000);
  expect(store.getMergeableContent()).toEqual(expected.getMergeableContent());
};

const fillRows = (store: FullMergeableStore, rows: number) =>
  store.transaction(() => {
    for (let row = 0; row < rows; row++) {
      store.setCell('big', `r${row}`, 'c', row);
    }
  });

/** `rows` rows stamped by the same writer at the same time: equal in every store made so. */
const T = Date.UTC(2024, 0, 1);
const bigTable = (rows: number) => {
  const store = createMergeableStore('base', () => T);
  fillRows(store, rows);
  return store;
};

/** The room store's content hashes, asked for as any client may (GetContentHashes to "S"). */
const roomStoreHashes = async (server: TestServer, room: string) => {
  const raw = await RawClient.open(server.url(room));
  cleanups.push(() => raw.close());
  raw.send('S\n["hashes",1,""]');
  const answer = await raw.waitForFrame((frame) => frame.startsWith('S\n["hashes",0,'));
  return JSON.stringify(JSON.parse(answer.slice(2))[2]);
};

const copyOf = (store: FullMergeableStore, uniqueId: string) => {
  const copy = createMergeableStore(uniqueId);
  copy.setMergeableContent(store.getMergeableContent());
  return copy;
};

describe('compact snapshot', () => {
  test('an empty client gets exactly the mergeable content the base protocol gives', async () => {
    const now = Date.now();
    const writer = createMergeableStore('writer', () => now - 60_000);
    writer.transaction(() => {
      for (let row = 0; row < 300; row++) {
        writer.setCell('t', `r${row}`, 'n', row).setCell('t', `r${row}`, 's', `v${row}`);
      }
    });
    writer.setCell('t', 'r1', 'o', {deep: [1, 'x']}).delCell('t', 'r2', 'n');
    writer
      .setCell('u', 'only', 'b', false)
      .setValue('v', 'é😀')
      .setValue('gone', 1)
      .delValue('gone');
    const other = createMergeableStore('other', () => now).setCell('t', 'r3', 'n', 'later');
    writer.merge(other);
    // Rows that objects list first ("2" before "10"), written the other way round.
    writer.setCell('t', '10', 'n', 10).setCell('t', '2', 'n', 2);
    const server = await serverWithRooms({room: writer});
    const compact = createMergeableStore();
    const plain = createMergeableStore();
    const viaCompact = await syncedClient(compact, server.url('room'));
    const viaPlain = await syncedClient(plain, {
      url: server.url('room'),
      protocols: [PLAIN_SUBPROTOCOL],
    });
    expect(viaCompact.synchronizer.getProtocolExtensions().sort()).toEqual([
      'ack',
      'buckets',
      'compact',
      'delta',
      'presence',
    ]);
    expect(viaPlain.synchronizer.getProtocolExtensions()).toEqual([]);
    await expectSameContent(compact, writer);
    await expectSameContent(plain, writer);
    expect(compact.getMergeableContent()).toEqual(plain.getMergeableContent());
    // The snapshot replaced the whole descent of the base pull.
    expect(viaCompact.sent).not.toContain(Message.GetTableDiff);
    expect(viaPlain.sent).toContain(Message.GetTableDiff);
    expect(viaCompact.errors).toEqual([]);
  });

  test('what a listener writes while the snapshot merges reaches the room', async () => {
    const writer = bigTable(50);
    const server = await serverWithRooms({room: writer});
    const joiner = createMergeableStore();
    // A mutator listener writes into the merge's transaction; the join runs during startSync's
    // load, so that write is held back and announced after it, like any write made meanwhile.
    joiner.addCellListener(
      'big',
      'r7',
      'c',
      (store, _t, _r, _c, cell) => {
        store.setValue('seen', cell as number);
      },
      true,
    );
    const joined = await syncedClient(joiner, server.url('room'));
    await waitUntil(() => joiner.getValue('seen') === 7, 'the listener wrote', 10_000);
    const later = createMergeableStore();
    await syncedClient(later, server.url('room'));
    await expectSameContent(later, joiner);
    expect(later.getValue('seen')).toBe(7);
    expect(joined.sent).not.toContain(Message.GetTableDiff);
    expect(joined.errors).toEqual([]);
  });

  test('an empty client in an empty room asks for no snapshot: the hashes already say equal', async () => {
    const server = await serverWithRooms({});
    const frames: string[] = [];
    /** `ws`'s WebSocket, recording every frame the client sends. */
    class RecordingWebSocket extends WebSocket {
      override send(data: string) {
        frames.push(data);
        super.send(data);
      }
    }
    const store = createMergeableStore();
    const client = await syncedClient(store, {
      url: server.url('room'),
      WebSocket: RecordingWebSocket,
    });
    expect(client.synchronizer.getProtocolExtensions()).toContain('compact');
    expect(client.synchronizer.getSyncStatus().phase).toBe('synced');
    // It asked for the room store's hashes, and nothing after them.
    expect(frames.some((frame) => frame.startsWith('~\n["buckets","hashes"'))).toBe(true);
    expect(frames.filter((frame) => frame.includes('"snapshot"'))).toEqual([]);
    expect(client.sent).not.toContain(Message.GetTableDiff);
    // The store is still pulled from, once it has something.
    const writer = await syncedClient(
      createMergeableStore().setCell('t', 'r', 'c', 1),
      server.url('room'),
    );
    await waitUntil(() => store.getCell('t', 'r', 'c') === 1, 'the change to arrive');
    expect(client.errors).toEqual([]);
    expect(writer.errors).toEqual([]);
  });

  test('a TinyBase client in the room converges and never sees an extension frame', async () => {
    const writer = createMergeableStore('writer');
    fillRows(writer, 50);
    const server = await serverWithRooms({room: writer});
    const seen: string[] = [];
    const socket = new WebSocket(server.url('room'));
    socket.on('message', (data) => seen.push(data.toString()));
    await new Promise((resolve) => socket.once('open', resolve));
    const tinyBase = createTinyBaseStore();
    await track(await createTinyBaseWsSynchronizer(tinyBase, socket, TIMEOUT)).startSync();
    const joiner = createMergeableStore();
    await syncedClient(joiner, server.url('room'));
    await expectSameContent(joiner, writer);
    joiner.setCell('big', 'r1', 'c', 'changed');
    await waitUntil(() => tinyBase.getCell('big', 'r1', 'c') === 'changed', 'the change');
    expect(JSON.stringify(tinyBase.getMergeableContentHashes())).toBe(hashes(joiner));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((frame) => frame.startsWith('~\n'))).toEqual([]);
  });
});

describe('hash buckets', () => {
  // The table is over what the base protocol's row question can carry, so only buckets sync it.
  // By default the client's message limit is lowered to 256 KiB and the table holds 20 000 rows
  // (a row question of about 400 KB); SYNCSTORE_BIG_TABLE=1 runs the real case instead: 600 000
  // rows under the normal 8 MiB limit (about 12 MB of row hashes; ~100 s on a loaded machine).
  const big = process.env.SYNCSTORE_BIG_TABLE === '1';
  const ROWS = big ? 600_000 : 20_000;
  const MAX_MESSAGE_BYTES = big ? undefined : 256 * 1024;

  test(`a ${ROWS}-row table, too big for the row question, diffs both ways and every difference is found`, async () => {
    // Both sides hold the same rows (same writer id, same clock: the same stamps), then each
    // gets its own changed, deleted and new rows, written by small stores merged in.
    const seed = bigTable(ROWS);
    const client = bigTable(ROWS);
    const plainClient = bigTable(ROWS);
    const serverEdits = createMergeableStore('server-edits', () => T + 1000);
    serverEdits.setCell('big', 'r10', 'c', 'server').setCell('big', 'sNew', 'c', 1);
    serverEdits.setCell('big', 'r20', 'c', 0).delCell('big', 'r20', 'c');
    const clientEdits = createMergeableStore('client-edits', () => T + 2000);
    clientEdits.setCell('big', 'r30', 'c', 'client').setCell('big', 'cNew', 'c', 2);
    clientEdits.setCell('big', 'r40', 'c', 0).delCell('big', 'r40', 'c');
    seed.applyMergeableChanges(serverEdits.getMergeableContent());
    client.applyMergeableChanges(clientEdits.getMergeableContent());
    plainClient.applyMergeableChanges(clientEdits.getMergeableContent());
    const server = await serverWithRooms({room: seed, plainRoom: copyOf(seed, 'plain-seed')});
    seed.applyMergeableChanges(clientEdits.getMergeableContent()); // what both should end with

    // Without buckets (a plain socket, same limit) the table cannot be diffed: the row question
    // listing every row hash is over the limit, and the pull fails however often it is retried.
    const plain = await syncedClient(plainClient, {
      url: server.url('plainRoom'),
      protocols: [PLAIN_SUBPROTOCOL],
      maxMessageBytes: MAX_MESSAGE_BYTES,
    });
    const pullError = () => plain.synchronizer.getSyncStatus().error;
    await waitUntil(
      () => pullError() instanceof MessageTooLarge,
      'the oversized row question',
      60_000,
    );
    expect(pullError()).toMatchObject({
      detail: expect.stringMatching(/^GetRowDiff of \d+ bytes exceeds/),
      limit: MAX_MESSAGE_BYTES ?? 8 * 1024 * 1024,
    });
    expect(hashes(plainClient)).not.toBe(hashes(seed));
    plain.synchronizer.destroy();

    const {sent, errors} = await syncedClient(client, {
      url: server.url('room'),
      maxMessageBytes: MAX_MESSAGE_BYTES,
    });
    await waitUntil(() => hashes(client) === hashes(seed), 'equal hashes', 120_000);
    expect(client.getRow('big', 'r10')).toEqual({c: 'server'});
    expect(client.getRow('big', 'sNew')).toEqual({c: 1});
    expect(client.hasRow('big', 'r20')).toBe(false);
    // No question listed every row: the base protocol's row question could not have been sent.
    expect(sent).not.toContain(Message.GetRowDiff);
    // The room store took the client's rows (pushed: it could not have pulled them).
    expect(await roomStoreHashes(server, 'room')).toBe(hashes(seed));
    expect(errors).toEqual([]);
  }, 300_000);

  test('a message limit outside 1 … 8 MiB, or on a multiplexed channel, is refused', async () => {
    // Refused before any socket is opened: nothing listens at this address.
    const url = 'ws://127.0.0.1:9/room';
    for (const maxMessageBytes of [0, 1.5, 8 * 1024 * 1024 + 1, Number.NaN]) {
      await expect(
        createWsSynchronizer(createMergeableStore(), {url, maxMessageBytes}),
      ).rejects.toThrow(
        new RangeError(
          `maxMessageBytes must be a whole number of bytes from 1 to 8388608, not ${maxMessageBytes}`,
        ),
      );
    }
    await expect(
      createWsSynchronizer(createMergeableStore(), {url, maxMessageBytes: 1000}, 'channel'),
    ).rejects.toThrow(/maxMessageBytes is for legacy mode only/);
  });

  test('random differences in bucketed tables are all found, on both sides', async () => {
    type Edit = [side: 'server' | 'client', row: number, change: 'set' | 'delete' | 'add'];
    const edit = fc.tuple(
      fc.constantFrom<'server' | 'client'>('server', 'client'),
      fc.integer({min: 0, max: 2999}),
      fc.constantFrom<'set' | 'delete' | 'add'>('set', 'delete', 'add'),
    );
    const base = createMergeableStore('base');
    fillRows(base, 3000);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, {minLength: 1, maxLength: 40}), async (edits: Edit[]) => {
        const room = `room${run++}`;
        const serverSide = copyOf(base, 'server-side');
        const clientSide = copyOf(base, 'client-side');
        edits.forEach(([side, row, change], index) => {
          const store = side === 'server' ? serverSide : clientSide;
          if (change === 'set') {
            store.setCell('big', `r${row}`, 'c', `${side}${index}`);
          } else if (change === 'delete') {
            store.delRow('big', `r${row}`);
          } else {
            store.setCell('big', `${side}-new${row}`, 'x', index);
          }
        });
        const server = await serverWithRooms({[room]: serverSide});
        serverSide.applyMergeableChanges(clientSide.getMergeableContent());
        const {sent, errors} = await syncedClient(clientSide, server.url(room));
        await expectSameContent(clientSide, serverSide);
        const joiner = createMergeableStore();
        await syncedClient(joiner, server.url(room));
        await expectSameContent(joiner, serverSide);
        expect(sent).not.toContain(Message.GetRowDiff);
        expect(errors).toEqual([]);
        for (const cleanup of cleanups.splice(0).reverse()) {
          await cleanup();
        }
      }),
      {seed: 7, numRuns: 12},
    );
  }, 120_000);

  test('a room without a store falls back to the base protocol', async () => {
    const server: TestServer = await startServer({}, cleanups);
    const a = createMergeableStore().setCell('t', 'a', 'c', 1);
    const b = createMergeableStore().setCell('t', 'b', 'c', 2);
    const viaA = await syncedClient(a, server.url('room'));
    const viaB = await syncedClient(b, server.url('room'));
    expect(viaB.synchronizer.getProtocolExtensions().sort()).toEqual([
      'buckets',
      'compact',
      'delta',
      'presence',
    ]);
    await waitUntil(() => hashes(a) === hashes(b), 'convergence');
    expect(a.getTables()).toEqual(b.getTables());
    // (A, alone at first, reports that no peer answered its first pull: the usual lone start.)
    expect(viaA.errors.every((error) => error.startsWith('tinybase:3'))).toBe(true);
    expect(viaB.errors).toEqual([]);
  });

  describe('questions the server cannot answer get an error naming what is wrong', () => {
    const ask = async (server: TestServer, question: unknown[]) => {
      const raw = await RawClient.open(server.url('room'), ['syncstore.0', 'syncstore.1']);
      cleanups.push(() => raw.close());
      raw.send('~\n["syncstore","hello",{"features":["buckets","compact"]}]');
      await raw.waitForFrame((frame) => frame.startsWith('~\n["syncstore"'));
      raw.send(`~\n${JSON.stringify(question)}`);
      const answer = await raw.waitForFrame((frame) => frame.startsWith(`~\n["${question[0]}"`));
      return JSON.parse(answer.slice(2))[2];
    };

    test.each([
      [
        ['buckets', 'diff', {id: 'q', tables: {t: {bits: 17, hashes: []}}}],
        'table "t": not {bits, hashes}',
      ],
      [
        ['buckets', 'diff', {id: 'q', tables: {t: {bits: 1, hashes: [1]}}}],
        'table "t": not 2^bits bucket hashes',
      ],
      [
        ['buckets', 'rows', {id: 'q', tables: {t: {bits: 1, buckets: [2]}}}],
        'table "t": not a list of buckets',
      ],
      [['buckets', 'push', {id: 'q', changes: [{}, {}]}], 'changes are not [tables, values, 1]'],
      [['buckets', 'nonsense', {id: 'q'}], 'unknown question "nonsense"'],
      [['compact', 'snapshot', {id: 'q', cursor: [3, 0]}], 'no snapshot under way at that cursor'],
    ])('%j', async (frame, error) => {
      const server = await startServer({storage: ':memory:'}, cleanups);
      expect(await ask(server, frame)).toEqual({id: 'q', error});
    });

    test('a gated room takes no push: its writes must pass the write gate', async () => {
      const server = await startServer({canWriteCell: () => true}, cleanups);
      const changes = [[{t: [{r: [{c: [1, 'Nn1JUF-----7JQY8']}]}]}], [{}], 1];
      expect(await ask(server, ['buckets', 'push', {id: 'q', changes}])).toEqual({
        id: 'q',
        merged: false,
        reason: 'writes in this room pass the write gate',
      });
    });
  });
});
