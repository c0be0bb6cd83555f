// WebSocket cases (issue 4): each library's WebSocket client against its own server, the server
// running in a child process (this file, started with `--ws-bench-server <library>`), both servers
// relaying only (no server store), clients on loopback in this process with `ws` sockets.
//
//   initial sync          an empty store joins a room where a writer holds N cells; timed from
//                         createWsSynchronizer until the joiner's content hashes equal the writer's.
//                         Extras: payload MiB (frames sent and received by both clients), TCP
//                         MiB (bytes on the sockets, framing included) and rows synced (the rows
//                         the joiner holds when the sample ends). Also at 1M cells (not in quick
//                         runs), capped at 60 s: a sample that has not converged by then, or whose
//                         socket closed (a message beyond the 16 MiB WebSocket limit is refused),
//                         counts as 60 s, and rows synced shows how far it got.
//   initial sync, permessage-deflate   the same at 100k cells with compression negotiated on
//                         both sides (ws's permessage-deflate); TCP MiB shows what travels.
//   one cell differs      the joiner holds the same N cells but one; timed until both converge.
//                         (Its store is filled and hashed in the untimed prepare.)
//   incremental latency   a writer changes one cell, a reader in the room sees it: 200 changes one
//                         after the other, each timed alone; p50 and p99 are separate cases.
//   fan-out               1 writer, 20 readers; the writer makes 1,000 one-cell writes (each its
//                         own transaction, in one loop); timed until every reader has them all.
//
// Timeouts: joiners and readers use 5 s so a big diff never times out; writers use 0.1 s so that
// their own first pull, alone in a fresh room, gives up quickly in the untimed setup.

import {type ChildProcess, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createWsSynchronizer as createTinybaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {WebSocket} from 'ws';
import {createMergeableStore as createSyncstoreStore} from '../../src/index.js';
import {createWsSynchronizer as createSyncstoreWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  type BenchCase,
  type CaseOptions,
  defineCase,
  type LibraryName,
  MIN_SAMPLES,
  type Sample,
  sizesFor,
} from '../harness.js';
import {CELLS_PER_ROW, fillCells, type SyncedStore, TABLE_ID} from '../workload.js';

const GROUP = 'websocket';
const JOINER_TIMEOUT_SECONDS = 5;
const WRITER_TIMEOUT_SECONDS = 0.1;
const LATENCY_CHANGES = 200;
const MIB = 1024 * 1024;
/** How long a 1M-cell initial sync may take before its sample counts as this cap. */
const LARGE_SYNC_CAP_MS = 60_000;

/** What the cases need of either library's store. */
export interface StoreUnderTest extends SyncedStore {
  addDidFinishTransactionListener(listener: () => void): string;
  addCellListener(
    tableId: string | null,
    rowId: string | null,
    cellId: string | null,
    listener: () => void,
  ): string;
  delListener(listenerId: string): unknown;
}
export interface SynchronizerUnderTest {
  startSync(): Promise<unknown>;
  destroy(): unknown;
}

export const createStore: Record<LibraryName, (uniqueId: string) => StoreUnderTest> = {
  syncstore: (uniqueId) => createSyncstoreStore(uniqueId) as unknown as StoreUnderTest,
  tinybase: (uniqueId) => createTinybaseStore(uniqueId) as unknown as StoreUnderTest,
};
export const createClient: Record<
  LibraryName,
  (
    store: StoreUnderTest,
    socket: WebSocket,
    timeoutSeconds: number,
  ) => Promise<SynchronizerUnderTest>
> = {
  syncstore: (store, socket, timeout) =>
    createSyncstoreWsSynchronizer(
      store as never,
      socket,
      timeout,
    ) as Promise<SynchronizerUnderTest>,
  tinybase: (store, socket, timeout) =>
    createTinybaseWsSynchronizer(store as never, socket, timeout) as Promise<SynchronizerUnderTest>,
};

// --- servers in child processes -------------------------------------------------------------

const SERVER_FLAG = '--ws-bench-server';
const thisFile = fileURLToPath(import.meta.url);
const servers = new Map<string, Promise<{port: number; child: ChildProcess}>>();

/**
 * A new child process running `library`'s relaying server; resolves with its port once it listens.
 * It is killed when this process exits (or earlier, by the caller, through `child`).
 */
export function startBenchServer(
  library: LibraryName,
  deflate = false,
): Promise<{port: number; child: ChildProcess}> {
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      'tsx',
      thisFile,
      SERVER_FLAG,
      library,
      ...(deflate ? ['--deflate'] : []),
    ];
    const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit']});
    const killChild = () => child.kill('SIGKILL');
    process.once('exit', killChild);
    child.once('exit', (code) => {
      process.off('exit', killChild);
      reject(new Error(`${library} server exited (${code})`));
    });
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      const match = /PORT (\d+)/.exec(text);
      if (match) {
        resolve({port: Number(match[1]), child});
      }
    });
  });
}

/** The port of `library`'s shared server (started on first use, stopped when this process exits). */
function serverPort(library: LibraryName, deflate: boolean): Promise<number> {
  const key = `${library}${deflate ? ' deflate' : ''}`;
  let server = servers.get(key);
  if (server === undefined) {
    server = startBenchServer(library, deflate);
    servers.set(key, server);
  }
  return server.then(({port}) => port);
}

/** Runs in the child process: one library's server on a free loopback port, relaying only. */
async function runServer(library: string, deflate: boolean): Promise<void> {
  const {WebSocketServer} = await import('ws');
  const webSocketServer = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    perMessageDeflate: deflate,
  });
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  if (library === 'syncstore') {
    const {createWsServer} = await import('../../src/server/index.js');
    createWsServer(webSocketServer, {heartbeatSeconds: 0});
  } else {
    const {createWsServer} = await import('tinybase/synchronizers/synchronizer-ws-server');
    createWsServer(webSocketServer);
  }
  process.stdout.write(`PORT ${(webSocketServer.address() as {port: number}).port}\n`);
}

// --- clients ----------------------------------------------------------------------------------

/** A `ws` socket whose payload and TCP bytes can be read. */
type CountedSocket = {socket: WebSocket; payloadBytes: () => number; tcpBytes: () => number};

let roomCount = 0;
const freshRoom = () => `room${roomCount++}`;

async function openSocket(
  library: LibraryName,
  room: string,
  deflate = false,
): Promise<CountedSocket> {
  const port = await serverPort(library, deflate);
  const socket = new WebSocket(`ws://127.0.0.1:${port}/${room}`, {perMessageDeflate: deflate});
  let payload = 0;
  socket.on('message', (data: Buffer) => {
    payload += data.length;
  });
  const send = socket.send.bind(socket) as (data: string, ...rest: unknown[]) => void;
  (socket as unknown as {send: typeof send}).send = (data, ...rest) => {
    payload += Buffer.byteLength(data);
    send(data, ...rest);
  };
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const tcp = (socket as unknown as {_socket: {bytesRead: number; bytesWritten: number}})._socket;
  return {socket, payloadBytes: () => payload, tcpBytes: () => tcp.bytesRead + tcp.bytesWritten};
}

type Peer = {store: StoreUnderTest; synchronizer: SynchronizerUnderTest; counted: CountedSocket};

async function joinRoom(
  library: LibraryName,
  store: StoreUnderTest,
  room: string,
  timeoutSeconds: number,
  deflate = false,
): Promise<Peer> {
  const counted = await openSocket(library, room, deflate);
  const synchronizer = await createClient[library](store, counted.socket, timeoutSeconds);
  return {store, synchronizer, counted};
}

/** A writer of `content` syncing in a fresh room; its lone first pull gives up in 0.1 s. */
async function startWriter(
  library: LibraryName,
  content: unknown,
  deflate = false,
): Promise<Peer & {room: string}> {
  const room = freshRoom();
  const store = createStore[library]('writer');
  if (content !== undefined) {
    store.setMergeableContent(content);
  }
  const writer = await joinRoom(library, store, room, WRITER_TIMEOUT_SECONDS, deflate);
  await writer.synchronizer.startSync();
  return {...writer, room};
}

const hashesOf = (store: StoreUnderTest) => store.getMergeableContentHashes().join(',');

/**
 * Resolves once every store's content hashes equal `target`'s. Aborting `signal` stops watching
 * (the promise then stays pending), so a sample given up on leaves no listener behind.
 */
function converged(
  target: StoreUnderTest,
  stores: StoreUnderTest[],
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const listeners: [StoreUnderTest, string][] = [];
    const stopWatching = () => {
      for (const [store, listenerId] of listeners) {
        store.delListener(listenerId);
      }
      listeners.length = 0;
    };
    const check = () => {
      if (listeners.length === 0) {
        return; // already resolved or aborted; a queued check arrives late
      }
      const expected = hashesOf(target);
      if (stores.every((store) => hashesOf(store) === expected)) {
        stopWatching();
        resolve();
      }
    };
    for (const store of [target, ...stores]) {
      listeners.push([store, store.addDidFinishTransactionListener(() => queueMicrotask(check))]);
    }
    signal?.addEventListener('abort', stopWatching, {once: true});
    check();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with 'capped' after `ms` unless cleared first. */
function deadline(ms: number): {reached: Promise<'capped'>; clear: () => void} {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reached = new Promise<'capped'>((resolve) => {
    timer = setTimeout(() => resolve('capped'), ms);
  });
  return {reached, clear: () => clearTimeout(timer)};
}

/** Watches sockets for the first close; `closed` resolves with its code and reason. */
function watchCloses(): {
  closed: Promise<string>;
  watch: (socket: WebSocket) => void;
  stop: () => void;
} {
  const sockets: WebSocket[] = [];
  let resolveClosed: (close: string) => void = () => {};
  const closed = new Promise<string>((resolve) => {
    resolveClosed = resolve;
  });
  const onClose = (code: number, reason: Buffer) => resolveClosed(`${code} ${reason.toString()}`);
  return {
    closed,
    watch: (socket) => {
      sockets.push(socket);
      socket.once('close', onClose);
      if (socket.readyState !== WebSocket.OPEN) {
        resolveClosed('closed before the sample');
      }
    },
    stop: () => {
      for (const socket of sockets) {
        socket.off('close', onClose);
      }
    },
  };
}

/** The workload's content, written by `library`'s own store. */
function buildContent(library: LibraryName, cells: number): unknown {
  const store = createStore[library]('source');
  fillCells(store, cells);
  return store.getMergeableContent();
}

// --- initial sync and one cell differs ----------------------------------------------------------

type WriterInput = Record<LibraryName, Peer & {room: string; content: unknown}>;

async function setUpWriters(cells: number, deflate = false): Promise<WriterInput> {
  const input = {} as WriterInput;
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    const content = buildContent(library, cells);
    input[library] = {...(await startWriter(library, content, deflate)), content};
  }
  return input;
}

function tearDownWriters(input: WriterInput): void {
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    input[library].synchronizer.destroy();
  }
}

let joinerCount = 0;

/**
 * A joiner's side of initial sync (or one cell differs). An app-owned socket that closes (say a
 * peer's client refused to send a message beyond the 16 MiB limit) never reopens, so its sync can
 * never finish: without `capMs` that fails the case; with `capMs`, such a sample, or one that has
 * not converged by then, counts as `capMs` and rows synced shows how far it got. Either way its
 * joiner is torn down, the writer gets a moment to finish sending into the void, and a writer
 * whose socket closed is replaced (untimed) before the next sample.
 */
function joinSide(
  library: LibraryName,
  cells: number,
  oneCellDiffers: boolean,
  {deflate = false, capMs}: {deflate?: boolean; capMs?: number} = {},
) {
  return {
    prepare: async (input: WriterInput): Promise<StoreUnderTest> => {
      const writer = input[library];
      if (writer.counted.socket.readyState !== WebSocket.OPEN) {
        writer.synchronizer.destroy();
        input[library] = {
          ...(await startWriter(library, writer.content, deflate)),
          content: writer.content,
        };
      }
      const store = createStore[library](`joiner${joinerCount++}`);
      if (oneCellDiffers) {
        store.setMergeableContent(input[library].content);
        store.setCell(TABLE_ID, 'r0', 'c0', `changed${joinerCount}`);
        // A store that was just filled may compute its hashes on first use; that belongs to
        // loading the store, not to syncing it, so it happens here, untimed, for both libraries.
        store.getMergeableContentHashes();
      }
      return store;
    },
    measure: async (store: StoreUnderTest, input: WriterInput): Promise<Sample> => {
      const writer = input[library];
      const payloadBefore = writer.counted.payloadBytes();
      const tcpBefore = writer.counted.tcpBytes();
      const watching = new AbortController();
      const closes = watchCloses();
      closes.watch(writer.counted.socket);
      const cap = capMs === undefined ? undefined : deadline(capMs);
      let joiner: Peer | undefined;
      const start = performance.now();
      const synced = (async () => {
        joiner = await joinRoom(library, store, writer.room, JOINER_TIMEOUT_SECONDS, deflate);
        closes.watch(joiner.counted.socket);
        const done = converged(writer.store, [store], watching.signal);
        await joiner.synchronizer.startSync();
        await done;
      })();
      const outcome = await Promise.race([
        synced.then(() => 'synced' as const),
        closes.closed.then((close) => ({close})),
        ...(cap === undefined ? [] : [cap.reached]),
      ]);
      cap?.clear();
      closes.stop();
      const complete = outcome === 'synced';
      const elapsed = complete ? performance.now() - start : capMs!;
      watching.abort();
      const payload =
        writer.counted.payloadBytes() - payloadBefore + (joiner?.counted.payloadBytes() ?? 0);
      const tcp = writer.counted.tcpBytes() - tcpBefore + (joiner?.counted.tcpBytes() ?? 0);
      // Whatever happened, this sample's joiner goes: one given up on may still be mid-sync.
      if (joiner === undefined) {
        synced.then(
          () => joiner?.synchronizer.destroy(),
          () => {},
        );
      } else {
        joiner.synchronizer.destroy();
        if (!complete) {
          joiner.counted.socket.terminate();
        }
      }
      const rows = store.getRowCount(TABLE_ID);
      if (typeof outcome === 'object' && capMs === undefined) {
        throw new Error(`${library}: a socket closed mid-sync (${outcome.close})`);
      }
      if (complete && rows !== cells / CELLS_PER_ROW) {
        throw new Error(`${library}: the joiner has ${rows} rows`);
      }
      if (!complete) {
        await sleep(1000);
      }
      return {
        value: elapsed,
        extras: {
          'payload MiB': payload / MIB,
          'TCP MiB': tcp / MIB,
          ...(oneCellDiffers ? {} : {'rows synced': rows}),
        },
      };
    },
  };
}

// --- incremental latency -------------------------------------------------------------------------

type PairInput = Record<LibraryName, {writer: Peer; reader: Peer}>;

async function setUpPairs(): Promise<PairInput> {
  const input = {} as PairInput;
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    const writer = await startWriter(library, undefined);
    const reader = await joinRoom(
      library,
      createStore[library]('reader'),
      writer.room,
      JOINER_TIMEOUT_SECONDS,
    );
    await reader.synchronizer.startSync();
    input[library] = {writer, reader};
  }
  return input;
}

function tearDownPairs(input: PairInput): void {
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    input[library].writer.synchronizer.destroy();
    input[library].reader.synchronizer.destroy();
  }
}

let latencyRound = 0;

/** 200 one-cell changes, one after the other, each timed from the write to the reader's listener. */
async function measureLatencies({writer, reader}: {writer: Peer; reader: Peer}): Promise<number[]> {
  const round = latencyRound++;
  const latencies: number[] = [];
  for (let index = 0; index < LATENCY_CHANGES; index++) {
    const value = `${round}.${index}`;
    const arrived = new Promise<void>((resolve) => {
      const listenerId = reader.store.addCellListener(TABLE_ID, 'latency', 'c', () => {
        if (reader.store.getCell(TABLE_ID, 'latency', 'c') === value) {
          reader.store.delListener(listenerId);
          resolve();
        }
      });
    });
    const start = performance.now();
    writer.store.setCell(TABLE_ID, 'latency', 'c', value);
    await arrived;
    latencies.push(performance.now() - start);
  }
  return latencies.sort((a, b) => a - b);
}

export const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;

function latencySide(library: LibraryName, fraction: number) {
  return {
    measure: async (_prepared: undefined, input: PairInput): Promise<Sample> => {
      const sorted = await measureLatencies(input[library]);
      const mean = sorted.reduce((sum, latency) => sum + latency, 0) / sorted.length;
      return {value: percentile(sorted, fraction), extras: {'mean ms': mean}};
    },
  };
}

// --- fan-out -----------------------------------------------------------------------------------

type FanOutInput = Record<LibraryName, {writer: Peer; readers: Peer[]}>;

async function setUpFanOut(readerCount: number): Promise<FanOutInput> {
  const input = {} as FanOutInput;
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    const writer = await startWriter(library, undefined);
    const readers: Peer[] = [];
    for (let index = 0; index < readerCount; index++) {
      const reader = await joinRoom(
        library,
        createStore[library](`reader${index}`),
        writer.room,
        JOINER_TIMEOUT_SECONDS,
      );
      await reader.synchronizer.startSync();
      readers.push(reader);
    }
    input[library] = {writer, readers};
  }
  return input;
}

function tearDownFanOut(input: FanOutInput): void {
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    input[library].writer.synchronizer.destroy();
    for (const reader of input[library].readers) {
      reader.synchronizer.destroy();
    }
  }
}

let fanOutRound = 0;

function fanOutSide(library: LibraryName, writes: number) {
  return {
    measure: async (_prepared: undefined, input: FanOutInput): Promise<Sample> => {
      const {writer, readers} = input[library];
      const round = fanOutRound++;
      const payloadBefore = writer.counted.payloadBytes();
      const start = performance.now();
      for (let index = 0; index < writes; index++) {
        writer.store.setCell(
          TABLE_ID,
          `r${index % 100}`,
          `c${Math.floor(index / 100)}`,
          `${round}.${index}`,
        );
      }
      await converged(
        writer.store,
        readers.map((reader) => reader.store),
      );
      const elapsed = performance.now() - start;
      return {
        value: elapsed,
        extras: {'writer payload KiB': (writer.counted.payloadBytes() - payloadBefore) / 1024},
      };
    },
  };
}

// --- the cases ------------------------------------------------------------------------------------

export function cases(options: CaseOptions): BenchCase[] {
  const list: BenchCase[] = [];
  for (const cells of sizesFor(options)) {
    const warmup = cells >= 100_000 ? 1 : undefined;
    list.push(
      defineCase<WriterInput, StoreUnderTest>({
        group: GROUP,
        name: 'initial sync to an empty store',
        size: cells,
        warmup,
        setup: () => setUpWriters(cells),
        teardown: tearDownWriters,
        syncstore: joinSide('syncstore', cells, false),
        tinybase: joinSide('tinybase', cells, false),
      }),
      defineCase<WriterInput, StoreUnderTest>({
        group: GROUP,
        name: 'one cell differs',
        size: cells,
        warmup,
        setup: () => setUpWriters(cells),
        teardown: tearDownWriters,
        syncstore: joinSide('syncstore', cells, true),
        tinybase: joinSide('tinybase', cells, true),
      }),
    );
  }
  const largest = sizesFor(options).at(-1)!;
  list.push(
    defineCase<WriterInput, StoreUnderTest>({
      group: GROUP,
      name: 'initial sync, permessage-deflate',
      size: largest,
      warmup: 1,
      setup: () => setUpWriters(largest, true),
      teardown: tearDownWriters,
      syncstore: joinSide('syncstore', largest, false, {deflate: true}),
      tinybase: joinSide('tinybase', largest, false, {deflate: true}),
    }),
  );
  if (!options.quick) {
    list.push(
      defineCase<WriterInput, StoreUnderTest>({
        group: GROUP,
        name: 'initial sync to an empty store',
        size: 1_000_000,
        samples: MIN_SAMPLES,
        warmup: 0,
        setup: () => setUpWriters(1_000_000),
        teardown: tearDownWriters,
        syncstore: joinSide('syncstore', 1_000_000, false, {capMs: LARGE_SYNC_CAP_MS}),
        tinybase: joinSide('tinybase', 1_000_000, false, {capMs: LARGE_SYNC_CAP_MS}),
      }),
    );
  }
  for (const [name, fraction] of [
    ['incremental latency p50', 0.5],
    ['incremental latency p99', 0.99],
  ] as const) {
    list.push(
      defineCase<PairInput, undefined>({
        group: GROUP,
        name,
        setup: setUpPairs,
        teardown: tearDownPairs,
        syncstore: latencySide('syncstore', fraction),
        tinybase: latencySide('tinybase', fraction),
      }),
    );
  }
  const readers = options.quick ? 5 : 20;
  const writes = options.quick ? 100 : 1_000;
  list.push(
    defineCase<FanOutInput, undefined>({
      group: GROUP,
      name: `fan-out: 1 writer, ${readers} readers, ${writes} writes`,
      size: readers,
      setup: () => setUpFanOut(readers),
      teardown: tearDownFanOut,
      syncstore: fanOutSide('syncstore', writes),
      tinybase: fanOutSide('tinybase', writes),
    }),
  );
  return list;
}

if (process.argv.includes(SERVER_FLAG)) {
  const library = process.argv[process.argv.indexOf(SERVER_FLAG) + 1]!;
  void runServer(library, process.argv.includes('--deflate'));
}
