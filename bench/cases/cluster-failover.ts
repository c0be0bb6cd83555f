// Cluster failover (issue 11 part 7): 50 clients on node A, each with a row of its own stored
// there; node A is killed with SIGKILL. In the second case every client also writes one more
// cell right then, which only node B can carry to the others.
//
//   syncstore   two syncstore-server processes on one PostgreSQL; clients given both URLs
//               (`url: [nodeA, nodeB]`) move by themselves (test/postgres/failover-drill.ts).
//               Timed from the kill until every client is online on node B (status.node) and
//               every client's content hashes are equal; extra "all online ms": until the first
//               of the two alone. Untimed after each sample: a newcomer
//               on node B must reach the same hashes, so node B's room holds it all too.
//   tinybase    has no failover: two TinyBase server processes, and the app does by hand what
//               syncstore does, a new socket and synchronizer on server B as soon as the socket
//               to A closes. Timed alike, from the kill until all are synced on B and converged
//               ("all online ms": until every new synchronizer has started).
//
// Each sample starts fresh nodes and clients in its untimed prepare (a killed node is gone).

import {WebSocket} from 'ws';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  type Drill,
  killAndFailOver,
  prepareDrill,
  whenClients,
} from '../../test/postgres/failover-drill.js';
import {
  acquirePostgres,
  type BenchNode,
  killOnExit,
  releasePostgres,
  startTinybaseNode,
} from '../cluster-nodes.js';
import {type CaseOptions, defineCase, type Sample, type Side} from '../harness.js';
import {createClient, createStore, type StoreUnderTest, type SynchronizerUnderTest} from './ws.js';

const GROUP = 'cluster';
const REQUEST_TIMEOUT_SECONDS = 5;
/** A sample that has not converged by then fails the case rather than hang the run. */
const CAP_MS = 60_000;
/**
 * TinyBase's clients do not retry a sync that timed out, so under load some may never converge:
 * such a sample counts as this (and says so), like the capped samples of the websocket cases.
 */
const TINYBASE_CAP_MS = 30_000;

let roomCount = 0;
const freshRoom = () => `failover${roomCount++}`;

// --- syncstore: the drill ------------------------------------------------------------------------

/** What one sample prepares: the drill of the side that runs it. */
type Prepared = Drill | TinybaseDrill;

const syncstoreSide = (clientCount: number, writeAtKill: boolean): Side<undefined, Prepared> => ({
  prepare: async (): Promise<Drill> =>
    prepareDrill({
      postgresUrl: (await acquirePostgres()).url,
      room: freshRoom(),
      clientCount,
      requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
      capMs: CAP_MS,
      onSpawn: killOnExit,
    }),
  measure: async (drill) => {
    try {
      const {onlineMs, convergedMs} = await killAndFailOver(drill as Drill, CAP_MS, writeAtKill);
      return {value: convergedMs, extras: {'all online ms': onlineMs}};
    } catch (error) {
      // The harness cleans up only after a sample that ends.
      (drill as Drill).destroy();
      await releasePostgres();
      throw error;
    }
  },
  cleanup: async (prepared) => {
    const drill = prepared as Drill;
    try {
      await expectNodeBHoldsIt(drill);
    } finally {
      drill.destroy();
      await releasePostgres();
    }
  },
});

/** Throws unless a newcomer on node B ends with the clients' content hashes. */
const expectNodeBHoldsIt = async ({urlB, clients}: Drill): Promise<void> => {
  const newcomer = createMergeableStore('newcomer');
  const synchronizer = await createWsSynchronizer(newcomer, urlB, REQUEST_TIMEOUT_SECONDS);
  const expected = clients[0]!.store.getMergeableContentHashes().join(',');
  try {
    await synchronizer.startSync();
    await whenClients(
      [{store: newcomer, synchronizer}],
      () => newcomer.getMergeableContentHashes().join(',') === expected,
      "a newcomer on node B holding the clients' content",
      CAP_MS,
    );
  } finally {
    synchronizer.destroy();
  }
};

// --- tinybase: failover by hand ------------------------------------------------------------------

type TinybaseClient = {
  store: StoreUnderTest;
  synchronizer: SynchronizerUnderTest;
  socket: WebSocket;
};
type TinybaseDrill = {nodes: BenchNode[]; room: string; clients: TinybaseClient[]};

const openSocket = async (url: string): Promise<WebSocket> => {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
};

const connectTinybase = async (store: StoreUnderTest, url: string): Promise<TinybaseClient> => {
  const socket = await openSocket(url);
  const synchronizer = await createClient.tinybase(store, socket, REQUEST_TIMEOUT_SECONDS);
  await synchronizer.startSync();
  return {store, synchronizer, socket};
};

const tinybaseHashes = (store: StoreUnderTest) => JSON.stringify(store.getMergeableContentHashes());

/**
 * A wait for every store to hold the same content and `extra` to hold: checked after each of
 * their transactions and whenever `check` is called. Resolves true then, or false at the cap.
 */
const watchTinybaseConvergence = (stores: StoreUnderTest[], extra: () => boolean) => {
  let check: () => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<boolean>((resolve, reject) => {
    const finish = (error?: Error, converged = true) => {
      clearTimeout(timer);
      for (const [store, listenerId] of listenerIds) {
        store.delListener(listenerId);
      }
      check = () => {};
      fail = () => {};
      error === undefined ? resolve(converged) : reject(error);
    };
    check = () => {
      const expected = tinybaseHashes(stores[0]!);
      if (extra() && stores.every((store) => tinybaseHashes(store) === expected)) {
        finish();
      }
    };
    fail = (error) => finish(error instanceof Error ? error : new Error(String(error)));
    const timer = setTimeout(() => finish(undefined, false), TINYBASE_CAP_MS);
    const listenerIds = stores.map(
      (store) => [store, store.addDidFinishTransactionListener(() => check())] as const,
    );
  });
  return {done, check: () => check(), fail: (error: unknown) => fail(error)};
};

const stopTinybaseDrill = async ({nodes, clients}: TinybaseDrill): Promise<void> => {
  for (const {synchronizer} of clients) {
    await synchronizer.destroy();
  }
  for (const node of nodes) {
    await node.stop();
  }
};

const tinybaseSide = (clientCount: number, writeAtKill: boolean): Side<undefined, Prepared> => ({
  prepare: async (): Promise<TinybaseDrill> => {
    const nodes = [await startTinybaseNode(), await startTinybaseNode()];
    const room = freshRoom();
    const clients: TinybaseClient[] = [];
    for (let index = 0; index < clientCount; index++) {
      const client = await connectTinybase(
        createStore.tinybase(`client${index}`),
        nodes[0]!.url(room),
      );
      // Written once connected, so that it goes to everyone: a TinyBase client joining pulls from
      // one peer only, so content it held before would not reach them all.
      client.store.setCell('clients', `client${index}`, 'before', `written on node a by ${index}`);
      clients.push(client);
    }
    const converged = watchTinybaseConvergence(
      clients.map(({store}) => store),
      () => true,
    );
    converged.check();
    if (!(await converged.done)) {
      // The harness cleans up only after a sample: left running, these would load later cases.
      await stopTinybaseDrill({nodes, room, clients});
      throw new Error(`TinyBase clients on one server not converged after ${TINYBASE_CAP_MS} ms`);
    }
    return {nodes, room, clients};
  },
  measure: async (prepared): Promise<Sample> => {
    const {nodes, room, clients} = prepared as TinybaseDrill;
    let movedCount = 0;
    let onlineMs = 0;
    const converged = watchTinybaseConvergence(
      clients.map(({store}) => store),
      () => movedCount === clients.length,
    );
    const killedAt = performance.now();
    clients.forEach((client, index) => {
      client.socket.once('close', () => {
        void client.synchronizer.destroy();
        void connectTinybase(client.store, nodes[1]!.url(room)).then((moved) => {
          clients[index] = moved;
          movedCount++;
          if (movedCount === clients.length) {
            onlineMs = performance.now() - killedAt;
          }
          // The last one in may be what makes them equal, with no transaction to say so.
          converged.check();
        }, converged.fail);
      });
    });
    nodes[0]!.child.kill('SIGKILL');
    if (writeAtKill) {
      clients.forEach(({store}, index) => {
        store.setCell('clients', `client${index}`, 'during', `written after the kill by ${index}`);
      });
    }
    if (!(await converged.done)) {
      console.warn(
        `failover, TinyBase: not converged after ${TINYBASE_CAP_MS} ms; counted as that`,
      );
      return {value: TINYBASE_CAP_MS, extras: {'all online ms': onlineMs || TINYBASE_CAP_MS}};
    }
    return {value: performance.now() - killedAt, extras: {'all online ms': onlineMs}};
  },
  cleanup: (prepared) => stopTinybaseDrill(prepared as TinybaseDrill),
});

export function cases(options: CaseOptions) {
  const clientCount = options.quick ? 10 : 50;
  return (
    [
      ['content stored before the kill', false],
      ['and each writes a cell at the kill', true],
    ] as const
  ).map(([what, writeAtKill]) =>
    defineCase<undefined, Prepared>({
      group: GROUP,
      name: `failover: ${clientCount} clients, node A SIGKILLed, ${what}; until all are on node B and converged`,
      size: clientCount,
      samples: 5,
      warmup: 1,
      syncstore: syncstoreSide(clientCount, writeAtKill),
      tinybase: tinybaseSide(clientCount, writeAtKill),
    }),
  );
}
