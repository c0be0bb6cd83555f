// Initial sync between syncstore peers with protocol extensions (docs/protocol.md §8.5, §8.6),
// beside TinyBase's protocol and Yjs. Every server runs in this process on loopback, so each
// timing includes the server's work too; bytes are TCP bytes of the joining client's socket (both
// directions, WebSocket framing and the HTTP upgrade included).
//
//   initial-sync  an empty client joins a room holding the workload's 100k cells (10k rows of 10),
//                 timed until its content hashes equal the room's.
//                 syncstore: compact snapshot from the syncstore server's room store; extras show
//                 the same server and room joined on TinyBase's protocol (`syncstore.0`), and Yjs
//                 (a Y.Map of 10k Y.Maps, state vector up, update down, from its own ws server).
//                 tinybase: TinyBase's client pulling from a TinyBase writer through its relay.
//   big-table     a room store holding one table of 2M rows: an empty client joins (compact
//                 snapshot), then leaves; one row changes in the room; the client reconnects and
//                 finds that row by hash buckets. Peak RSS is this process's (server and client).
//                 TinyBase has no value here: 2M rows are far beyond its ~400k-row row question.

import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createWsSynchronizer as createTinybaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {createWsServer as createTinybaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {WebSocket, WebSocketServer} from 'ws';
import * as Y from 'yjs';
import {createWsServer} from '../../src/server/index.js';
import {createMergeableStore, type FullMergeableStore} from '../../src/store/mergeable-store.js';
import {PLAIN_SUBPROTOCOL} from '../../src/synchronizers/extensions/wire.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {type BenchCase, type CaseOptions, defineCase, type Sample} from '../harness.js';
import {type Hashed, reached} from '../hashes-reached.js';
import {CELLS_PER_ROW, fillCells, TABLE_ID} from '../workload.js';

const TIMEOUT_SECONDS = 30;
const MIB = 1024 * 1024;

type Listening = {port: number; close: () => void};

const listen = async (): Promise<[WebSocketServer, number]> => {
  const webSocketServer = new WebSocketServer({port: 0, host: '127.0.0.1'});
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  return [webSocketServer, (webSocketServer.address() as {port: number}).port];
};

/** A syncstore server whose rooms' stores are the given ones (a persister that keeps them). */
const syncstoreServer = async (stores: Map<string, FullMergeableStore>): Promise<Listening> => {
  const [webSocketServer, port] = await listen();
  const server = createWsServer(webSocketServer, {
    heartbeatSeconds: 0,
    createPersisterForPath: (pathId) => ({
      getStore: () => stores.get(pathId)!,
      startAutoLoad: () => {},
      startAutoSave: () => {},
      destroy: () => {},
    }),
  });
  // A silent client keeps each room, and so its started store, alive between samples.
  const keepers = await Promise.all([...stores.keys()].map((room) => openSocket(port, room)));
  return {
    port,
    close: () => {
      for (const keeper of keepers) {
        keeper.close();
      }
      void server.destroy();
    },
  };
};

const openSocket = async (port: number, room: string): Promise<WebSocket> => {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/${room}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
};

const tcpBytes = (socket: unknown): number => {
  const tcp = (socket as {_socket: {bytesRead: number; bytesWritten: number}})._socket;
  return tcp.bytesRead + tcp.bytesWritten;
};

/** A syncstore client joining with `store` until it holds `target`: ms and TCP bytes. */
const syncstoreJoin = async (
  store: FullMergeableStore,
  url: string,
  target: string,
  plain = false,
): Promise<{ms: number; bytes: number; destroy: () => void}> => {
  const start = performance.now();
  const synchronizer = await createWsSynchronizer(
    store,
    plain ? {url, protocols: [PLAIN_SUBPROTOCOL]} : url,
    TIMEOUT_SECONDS,
  );
  await synchronizer.startSync();
  await reached(store, target);
  const ms = performance.now() - start;
  return {ms, bytes: tcpBytes(synchronizer.getWebSocket()), destroy: () => synchronizer.destroy()};
};

// --- Yjs ----------------------------------------------------------------------------------------

/** The workload as Yjs holds it: a map of rows, each a map of cells, in one transaction. */
const yjsDocument = (cells: number): Y.Doc => {
  const document = new Y.Doc();
  const rows = document.getMap<Y.Map<unknown>>(TABLE_ID);
  document.transact(() => {
    for (let index = 0; index < cells; index += CELLS_PER_ROW) {
      const row = new Y.Map<unknown>();
      for (let cell = 0; cell < CELLS_PER_ROW; cell++) {
        row.set(`c${cell}`, cell % 2 ? index + cell : `v${index + cell}`);
      }
      rows.set(`r${index / CELLS_PER_ROW}`, row);
    }
  });
  return document;
};

/** Yjs's sync, steps 1 and 2: the joiner sends its state vector, the server the missing update. */
const yjsServer = async (document: Y.Doc): Promise<Listening> => {
  const [webSocketServer, port] = await listen();
  webSocketServer.on('connection', (socket) =>
    socket.on('message', (stateVector: Buffer) =>
      socket.send(Y.encodeStateAsUpdate(document, new Uint8Array(stateVector))),
    ),
  );
  return {port, close: () => webSocketServer.close()};
};

const yjsJoin = async (port: number, cells: number): Promise<{ms: number; bytes: number}> => {
  const start = performance.now();
  const document = new Y.Doc();
  const socket = await openSocket(port, 'room');
  await new Promise<void>((resolve) => {
    socket.once('message', (update: Buffer) => {
      Y.applyUpdate(document, new Uint8Array(update));
      resolve();
    });
    socket.send(Y.encodeStateVector(document));
  });
  const ms = performance.now() - start;
  const bytes = tcpBytes(socket);
  socket.close();
  if (document.getMap(TABLE_ID).size * CELLS_PER_ROW !== cells) {
    throw new Error('Yjs joiner did not get every row');
  }
  return {ms, bytes};
};

// --- initial-sync -------------------------------------------------------------------------------

type InitialSyncInput = {
  cells: number;
  roomHashes: string;
  syncstore: Listening;
  yjs: Listening;
  tinybase: Listening & {writer: {destroy(): unknown}; writerHashes: string};
};

const initialSyncCase = (cells: number) =>
  defineCase<InitialSyncInput>({
    group: 'initial-sync',
    name: 'empty client joins (syncstore: compact snapshot)',
    size: cells,
    setup: async () => {
      const roomStore = createMergeableStore('writer');
      fillCells(roomStore, cells);
      const [tinybaseWebSocketServer, tinybasePort] = await listen();
      const tinybaseServer = createTinybaseWsServer(tinybaseWebSocketServer);
      const writerStore = createTinybaseStore('writer');
      fillCells(writerStore as never, cells);
      const writer = await createTinybaseWsSynchronizer(
        writerStore,
        await openSocket(tinybasePort, 'room'),
        0.1,
      );
      await writer.startSync();
      return {
        cells,
        roomHashes: roomStore.getMergeableContentHashes().join(','),
        syncstore: await syncstoreServer(new Map([['room', roomStore]])),
        yjs: await yjsServer(yjsDocument(cells)),
        tinybase: {
          port: tinybasePort,
          close: () => void tinybaseServer.destroy(),
          writer,
          writerHashes: writerStore.getMergeableContentHashes().join(','),
        },
      };
    },
    teardown: (input) => {
      input.tinybase.writer.destroy();
      input.tinybase.close();
      input.syncstore.close();
      input.yjs.close();
    },
    syncstore: {
      measure: async (_prepared, input): Promise<Sample> => {
        const url = `ws://127.0.0.1:${input.syncstore.port}/room`;
        const compact = await syncstoreJoin(createMergeableStore(), url, input.roomHashes);
        compact.destroy();
        const plain = await syncstoreJoin(createMergeableStore(), url, input.roomHashes, true);
        plain.destroy();
        const yjs = await yjsJoin(input.yjs.port, input.cells);
        return {
          value: compact.ms,
          extras: {
            MiB: compact.bytes / MIB,
            'TinyBase-protocol ms': plain.ms,
            'TinyBase-protocol MiB': plain.bytes / MIB,
            'Yjs ms': yjs.ms,
            'Yjs MiB': yjs.bytes / MIB,
          },
        };
      },
    },
    tinybase: {
      measure: async (_prepared, input): Promise<Sample> => {
        const store = createTinybaseStore();
        const socket = await openSocket(input.tinybase.port, 'room');
        const start = performance.now();
        const synchronizer = await createTinybaseWsSynchronizer(store, socket, TIMEOUT_SECONDS);
        await synchronizer.startSync();
        await reached(store as unknown as Hashed, input.tinybase.writerHashes);
        const ms = performance.now() - start;
        const bytes = tcpBytes(socket);
        synchronizer.destroy();
        return {value: ms, extras: {MiB: bytes / MIB}};
      },
    },
  });

// --- big-table ----------------------------------------------------------------------------------

type BigTableInput = {roomStore: FullMergeableStore; server: Listening; changes: number};

const bigTableCase = (rows: number) =>
  defineCase<BigTableInput>({
    group: 'big-table',
    name: 'one table: initial sync, then one row different (TinyBase not run)',
    size: rows,
    samples: 5,
    warmup: 0,
    setup: async () => {
      const roomStore = createMergeableStore('room');
      roomStore.transaction(() => {
        for (let row = 0; row < rows; row++) {
          roomStore.setCell(TABLE_ID, `r${row}`, 'c', row);
        }
      });
      roomStore.getMergeableContentHashes();
      return {roomStore, server: await syncstoreServer(new Map([['room', roomStore]])), changes: 0};
    },
    teardown: (input) => input.server.close(),
    syncstore: {
      measure: async (_prepared, input): Promise<Sample> => {
        const url = `ws://127.0.0.1:${input.server.port}/room`;
        const {roomStore} = input;
        const client = createMergeableStore();
        const initial = await syncstoreJoin(
          client,
          url,
          roomStore.getMergeableContentHashes().join(','),
        );
        initial.destroy();
        roomStore.setCell(TABLE_ID, `r${(input.changes++ * 7919) % rows}`, 'c', 'changed');
        const reconnect = await syncstoreJoin(
          client,
          url,
          roomStore.getMergeableContentHashes().join(','),
        );
        reconnect.destroy();
        return {
          value: initial.ms,
          extras: {
            MiB: initial.bytes / MIB,
            'reconnect ms': reconnect.ms,
            'reconnect KiB': reconnect.bytes / 1024,
            'peak RSS MiB': process.resourceUsage().maxRSS / 1024,
          },
        };
      },
    },
    // Not run: the harness wants a number, and 0 stands for "nothing measured".
    tinybase: {measure: () => 0},
  });

export const cases = (options: CaseOptions): BenchCase[] => [
  initialSyncCase(options.quick ? 1_000 : 100_000) as BenchCase,
  bigTableCase(options.quick ? 20_000 : 2_000_000) as BenchCase,
];
