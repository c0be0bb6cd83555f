// Cluster cases (issue 11 part 7): what a second server node costs. Two syncstore nodes
// (syncstore-server --postgres, each its own process) share one embedded PostgreSQL, which
// carries each node's changes to the other (LISTEN/NOTIFY, docs/protocol.md §7.8). A writer on
// node A makes 1,000 one-cell writes (each its own transaction, in one loop); 20 readers on node B
// must receive them all. The same runs with writer and readers on one node, and, as the
// reference, with TinyBase's single WsServer (relaying only, no storage).
//
//   value       ms from the first write until every reader holds every write
//   p50 / p99   of each write's latency to each reader (20,000 pairs): from the write to the
//               reader's cell listener. The writes are made in one burst, so this is latency
//               under that load, not the latency of a lone write.
//
// Every server is a child process (bench/cluster-nodes.ts), as real nodes are: the syncstore
// nodes are the syncstore-server CLI, TinyBase's server runs as in the websocket cases; the
// clients are in this process. The test PostgreSQL runs without fsync
// (test/postgres/embedded-postgres.ts): these cases measure the sync path, not the disk.

import {WebSocket} from 'ws';
import {
  acquirePostgres,
  type BenchNode,
  releasePostgres,
  startSyncstoreNode,
  startTinybaseNode,
} from '../cluster-nodes.js';
import {
  type BenchCase,
  type CaseOptions,
  defineCase,
  type LibraryName,
  type Sample,
} from '../harness.js';
import {TABLE_ID} from '../workload.js';
import {
  createClient,
  createStore,
  percentile,
  type StoreUnderTest,
  type SynchronizerUnderTest,
} from './ws.js';

const GROUP = 'cluster';
const READER_TIMEOUT_SECONDS = 5;
/** A sample that has not converged by then fails the case rather than hang the run. */
const CONVERGE_CAP_MS = 60_000;

// --- clients -----------------------------------------------------------------------------------

type Peer = {store: StoreUnderTest; synchronizer: SynchronizerUnderTest};

const joinRoom = async (library: LibraryName, url: string, storeId: string): Promise<Peer> => {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const store = createStore[library](storeId);
  const synchronizer = await createClient[library](store, socket, READER_TIMEOUT_SECONDS);
  await synchronizer.startSync();
  return {store, synchronizer};
};

// --- one layout: where the writer and the readers connect -------------------------------------

type Layout = 'two nodes' | 'one node';
type Setup = {nodes: BenchNode[]; writer: Peer; readers: Peer[]; usesPostgres: boolean};
type ClusterInput = Record<LibraryName, Setup>;

let roomCount = 0;

const setUpSide = async (
  library: LibraryName,
  layout: Layout,
  readerCount: number,
): Promise<Setup> => {
  const room = `cluster${roomCount++}`;
  let nodes: BenchNode[];
  if (library === 'tinybase') {
    nodes = [await startTinybaseNode()];
  } else {
    const {url} = await acquirePostgres();
    nodes = [await startSyncstoreNode(url, 'a')];
    if (layout === 'two nodes') {
      nodes.push(await startSyncstoreNode(url, 'b'));
    }
  }
  const writerNode = nodes[0]!;
  const readerNode = nodes.at(-1)!;
  const writer = await joinRoom(library, writerNode.url(room), 'writer');
  const readers: Peer[] = [];
  for (let index = 0; index < readerCount; index++) {
    readers.push(await joinRoom(library, readerNode.url(room), `reader${index}`));
  }
  return {nodes, writer, readers, usesPostgres: library === 'syncstore'};
};

const setUp = async (layout: Layout, readerCount: number): Promise<ClusterInput> => ({
  syncstore: await setUpSide('syncstore', layout, readerCount),
  tinybase: await setUpSide('tinybase', layout, readerCount),
});

const tearDown = async (input: ClusterInput): Promise<void> => {
  for (const {nodes, writer, readers, usesPostgres} of Object.values(input)) {
    for (const peer of [writer, ...readers]) {
      await peer.synchronizer.destroy();
    }
    for (const node of nodes) {
      await node.stop();
    }
    if (usesPostgres) {
      await releasePostgres();
    }
  }
};

// --- the measurement ---------------------------------------------------------------------------

let round = 0;

/** Waits for `arrivals` cell arrivals across the readers, or throws after the cap. */
const burst = async ({writer, readers}: Setup, writes: number): Promise<Sample> => {
  const thisRound = `${round++}.`;
  const writtenAt: number[] = [];
  const latencies: number[] = [];
  const expected = writes * readers.length;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let listenerIds: [StoreUnderTest, string][] = [];
  const everyArrival = new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${latencies.length} of ${expected} arrivals after the cap`)),
      CONVERGE_CAP_MS,
    );
    listenerIds = readers.map(({store}) => [
      store,
      store.addCellListener(TABLE_ID, null, null, (...args: unknown[]) => {
        const cell = args[4];
        if (typeof cell === 'string' && cell.startsWith(thisRound)) {
          latencies.push(performance.now() - writtenAt[Number(cell.slice(thisRound.length))]!);
          if (latencies.length === expected) {
            resolve();
          }
        }
      }),
    ]);
  });
  const start = performance.now();
  try {
    for (let index = 0; index < writes; index++) {
      writtenAt[index] = performance.now();
      writer.store.setCell(
        TABLE_ID,
        `r${index % 100}`,
        `c${Math.floor(index / 100)}`,
        `${thisRound}${index}`,
      );
    }
    await everyArrival;
  } finally {
    clearTimeout(timer);
    for (const [store, listenerId] of listenerIds) {
      store.delListener(listenerId);
    }
  }
  const elapsed = performance.now() - start;
  const expectedHashes = writer.store.getMergeableContentHashes().join(',');
  for (const {store} of readers) {
    if (store.getMergeableContentHashes().join(',') !== expectedHashes) {
      throw new Error('a reader holds every write but differs from the writer');
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    value: elapsed,
    extras: {'p50 ms': percentile(latencies, 0.5), 'p99 ms': percentile(latencies, 0.99)},
  };
};

const side = (library: LibraryName, writes: number) => ({
  measure: (_prepared: undefined, input: ClusterInput) => burst(input[library], writes),
});

export function cases(options: CaseOptions): BenchCase[] {
  const readers = options.quick ? 5 : 20;
  const writes = options.quick ? 100 : 1_000;
  return (
    [
      ['writer on node A, readers on node B', 'two nodes'],
      ['writer and readers on one node', 'one node'],
    ] as const
  ).map(([where, layout]) =>
    defineCase<ClusterInput, undefined>({
      group: GROUP,
      name: `${where}: ${readers} readers, ${writes} writes, until all converge`,
      size: readers,
      setup: () => setUp(layout, readers),
      teardown: tearDown,
      syncstore: side('syncstore', writes),
      tinybase: side('tinybase', writes),
    }),
  );
}
