// Durable rooms: SQLite storage survives a server restart, is loaded before a room's first client
// is served, and is written as changes arrive. Also TinyBase-style persisters per path.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {createSqliteStorage} from '../../src/server/index.js';
import type {PathPersister, WsServerOptions} from '../../src/server/types.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {
  createWsSynchronizer,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  createCleanups,
  pause,
  RawClient,
  startServer,
  type TestServer,
  waitUntil,
} from './support.js';

const directory = mkdtempSync(join(tmpdir(), 'syncstore-storage-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));
let fileNumber = 0;
const freshFile = () => join(directory, `rooms-${fileNumber++}.db`);

const cleanups = createCleanups();

const serve = (options: WsServerOptions): Promise<TestServer> => startServer(options, cleanups);

const connect = async (store: MergeableStore, url: string): Promise<WsSynchronizer> => {
  const synchronizer = await createWsSynchronizer(store, url, 0.3);
  cleanups.push(() => synchronizer.destroy());
  await synchronizer.startSync();
  return synchronizer;
};

describe('SQLite storage', () => {
  test('rooms survive a server restart on the same file', async () => {
    const file = freshFile();
    const first = await serve({storage: file});
    const writer = createMergeableStore('w');
    const writerSync = await connect(writer, first.url('notes'));
    writer.setCell('notes', 'n1', 'text', 'hello').setValue('title', 'kept');
    writer.setCell('notes', 'n2', 'text', 'to delete');
    writer.delCell('notes', 'n2', 'text');
    const observer = createSqliteStorage(file);
    await waitUntil(() => observer.readRoom('notes')?.[1][0].title !== undefined, 'written');
    observer.close();
    writerSync.destroy();
    await first.wsServer.destroy();

    const second = await serve({storage: file});
    const reader = createMergeableStore('r');
    await connect(reader, second.url('notes'));
    // Loaded before this client was served: its first pull already has everything.
    expect(reader.getTables()).toEqual({notes: {n1: {text: 'hello'}}});
    expect(reader.getValues()).toEqual({title: 'kept'});
    expect(reader.getMergeableContentHashes()).toEqual(writer.getMergeableContentHashes());
  });

  test('a change set sent as [tables, values] (no trailing 1) is stored like any other', async () => {
    const file = freshFile();
    const server = await serve({storage: file});
    const author = createMergeableStore('a').setCell('t', 'r', 'c', 'two-element').setValue('v', 1);
    const [[tables], [values]] = author.getMergeableContent();
    const leafOf = (stamp: unknown[]) => [stamp[0], stamp[1]];
    const body = [[{t: [{r: [{c: leafOf(tables.t[0].r[0].c)}]}]}], [{v: leafOf(values.v)}]];
    const sender = await RawClient.open(server.url('pairs'));
    cleanups.push(() => sender.close());
    sender.send(`\n${JSON.stringify(['', 3, body])}`);
    const observer = createSqliteStorage(file);
    cleanups.push(() => observer.close());
    await waitUntil(() => observer.readRoom('pairs')?.[1][0].v !== undefined, 'stored');
    const stored = createMergeableStore('o');
    stored.applyMergeableChanges(observer.readRoom('pairs') as never);
    expect(stored.getTables()).toEqual({t: {r: {c: 'two-element'}}});
    expect(stored.getValues()).toEqual({v: 1});
    expect(stored.getMergeableContentHashes()).toEqual(author.getMergeableContentHashes());
  });

  test('changes are on disk as they arrive, readable by another connection to the file', async () => {
    const file = freshFile();
    const server = await serve({storage: file});
    const store = createMergeableStore('s');
    await connect(store, server.url('live'));
    const observer = createSqliteStorage(file);
    cleanups.push(() => observer.close());
    for (let index = 0; index < 5; index++) {
      store.setCell('t', `r${index}`, 'c', index);
      await waitUntil(() => {
        const stored = observer.readRoom('live');
        return stored !== undefined && Object.keys(stored[0][0].t?.[0] ?? {}).length === index + 1;
      }, `change ${index} on disk`);
    }
    expect(observer.getStoredPathIds()).toEqual(['live']);
  });

  test('a deletion is stored as a tombstone, so a stale client cannot bring the cell back', async () => {
    const file = freshFile();
    const server = await serve({storage: file});
    const stale = createMergeableStore('stale').setCell('t', 'r', 'c', 'old');
    const staleCopy = createMergeableStore('stale2');
    staleCopy.applyMergeableChanges(stale.getMergeableContent());
    const deleter = createMergeableStore('d');
    await connect(stale, server.url('room'));
    const deleterSync = await connect(deleter, server.url('room'));
    await waitUntil(() => deleter.hasCell('t', 'r', 'c'), 'initial sync');
    deleter.delCell('t', 'r', 'c');
    await waitUntil(() => !stale.hasCell('t', 'r', 'c'), 'deletion relayed');
    deleterSync.destroy();
    await server.wsServer.destroy();

    const restarted = await serve({storage: file});
    await connect(staleCopy, restarted.url('room'));
    await waitUntil(() => !staleCopy.hasCell('t', 'r', 'c'), 'tombstone wins after restart');
    const stored = createSqliteStorage(file);
    cleanups.push(() => stored.close());
    expect(stored.readRoom('room')![0][0].t![0].r![0].c).toEqual([undefined, expect.any(String)]);
  });

  test('rooms are stored apart, hostile ids included', async () => {
    const file = freshFile();
    const server = await serve({storage: file});
    const a = createMergeableStore('a').setCell('__proto__', 'constructor', 'toString', 1);
    const b = createMergeableStore('b').setCell('t', 'r', 'c', 2);
    await connect(a, server.url('__proto__'));
    await connect(b, server.url('other'));
    const observer = createSqliteStorage(file);
    cleanups.push(() => observer.close());
    await waitUntil(() => observer.getStoredPathIds().length === 2, 'two rooms stored');
    const reader = createMergeableStore('r');
    await connect(reader, server.url('__proto__'));
    expect(reader.getTables()).toEqual(
      JSON.parse('{"__proto__": {"constructor": {"toString": 1}}}'),
    );
  });
});

describe('TinyBase-style persisters per path', () => {
  /** A persister keeping content in a map, that takes a while to start. */
  const createSlowPersister = (
    saved: Map<string, string>,
    pathId: string,
    delayMs: number,
  ): PathPersister => {
    const store = createMergeableStore();
    let listenerId: string | undefined;
    return {
      getStore: () => store,
      startAutoLoad: async () => {
        await pause(delayMs);
        const content = saved.get(pathId);
        if (content !== undefined) {
          store.setMergeableContent(JSON.parse(content));
        }
      },
      startAutoSave: async () => {
        listenerId = store.addDidFinishTransactionListener(() =>
          saved.set(pathId, JSON.stringify(store.getMergeableContent())),
        );
      },
      destroy: () => {
        if (listenerId !== undefined) {
          store.delListener(listenerId);
        }
      },
    };
  };

  test('messages wait until the room store has started, and its content is persisted', async () => {
    const saved = new Map<string, string>();
    const thenCalls: string[] = [];
    const server = await serve({
      createPersisterForPath: async (pathId) =>
        pathId === 'relay-only'
          ? undefined
          : [createSlowPersister(saved, pathId, 200), () => void thenCalls.push(pathId)],
    });
    const writer = createMergeableStore('w').setCell('t', 'r', 'c', 'persisted');
    await connect(writer, server.url('room'));
    await waitUntil(() => saved.get('room')?.includes('persisted') === true, 'persisted');
    expect(thenCalls).toEqual(['room']);

    const relayA = createMergeableStore('a').setCell('t', 'r', 'c', 1);
    const relayB = createMergeableStore('b');
    await connect(relayA, server.url('relay-only'));
    await connect(relayB, server.url('relay-only'));
    await waitUntil(() => relayB.getCell('t', 'r', 'c') === 1, 'relay without a store');
    expect(saved.has('relay-only')).toBe(false);
  });

  test('the positional TinyBase signature still works', async () => {
    const {createWsServer} = await import('../../src/server/index.js');
    const {listen} = await import('./support.js');
    const [webSocketServer, port] = await listen();
    const saved = new Map<string, string>();
    const server = createWsServer(
      webSocketServer,
      (pathId) => createSlowPersister(saved, pathId, 0),
      undefined,
      0.3,
    );
    cleanups.push(() => server.destroy());
    const store = createMergeableStore('s').setValue('v', 1);
    await connect(store, `ws://127.0.0.1:${port}/p`);
    await waitUntil(() => saved.get('p')?.includes('"v"') === true, 'persisted');
  });
});
