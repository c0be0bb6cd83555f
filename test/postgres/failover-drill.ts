// A failover drill on real processes, shared by the failover test and the cluster bench: two
// syncstore-server nodes (the CLI, each its own child process) on one PostgreSQL, clients given
// both nodes' URLs and connected to node A, each with content of its own, confirmed stored. Then
// node A is killed with SIGKILL (every client may write once more right then), and the drill
// waits, on events rather than polling, until every client is online on node B and all content
// hashes are equal.
import type {ChildProcess} from 'node:child_process';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {
  createWsSynchronizer,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import type {Receive} from '../../src/synchronizers/types.js';
import {type CliProcess, spawnCli} from '../ws/cli-process.js';

export type DrillClient = {store: MergeableStore; synchronizer: WsSynchronizer};

export type Drill = {
  nodeA: CliProcess;
  nodeB: CliProcess;
  room: string;
  /** The URL of the room on node B. */
  urlB: string;
  clients: DrillClient[];
  /** Kills both nodes (if still running) and destroys the clients. */
  destroy(): void;
};

export type DrillOptions = {
  postgresUrl: string;
  room: string;
  clientCount: number;
  /** Each client's request timeout, seconds. */
  requestTimeoutSeconds: number;
  /** Gives up on a wait after this long, with what it was waiting for. */
  capMs: number;
  /** Sees every message each client receives (createWsSynchronizer's onReceive). */
  onReceive?: Receive;
  /** Sees each child process as it starts, e.g. to kill it when the caller exits. */
  onSpawn?: (child: ChildProcess) => void;
};

const startNode = (postgresUrl: string, nodeId: string, onSpawn?: (child: ChildProcess) => void) =>
  spawnCli(['--port', '0', '--postgres', postgresUrl, '--node-id', nodeId, '--quiet'], onSpawn);

const contentHashes = (store: MergeableStore) => store.getMergeableContentHashes().join(',');

/** Whether every client holds the same content. */
export const clientsConverged = (clients: readonly DrillClient[]): boolean => {
  const expected = contentHashes(clients[0]!.store);
  return clients.every(({store}) => contentHashes(store) === expected);
};

const isOnline = ({synchronizer}: DrillClient, nodeId: string): boolean => {
  const {connection, node} = synchronizer.getSyncStatus();
  return connection === 'online' && node?.nodeId === nodeId;
};

const allConfirmed = (clients: readonly DrillClient[]): boolean =>
  clients.every(({synchronizer}) => synchronizer.getSyncStatus().unconfirmedChanges === 0);

/**
 * Resolves once `condition` holds, checked after every status change and every transaction of
 * the clients; rejects with `what` after `capMs`. Its timer and listeners are gone either way.
 */
export const whenClients = (
  clients: readonly DrillClient[],
  condition: () => boolean,
  what: string,
  capMs: number,
): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const stops: (() => void)[] = [];
    const finish = (error?: Error) => {
      clearTimeout(timer);
      for (const stop of stops) {
        stop();
      }
      error === undefined ? resolve() : reject(error);
    };
    const check = () => {
      if (condition()) {
        finish();
      }
    };
    const timer = setTimeout(() => finish(new Error(`not ${what} after ${capMs} ms`)), capMs);
    for (const {store, synchronizer} of clients) {
      const statusListener = synchronizer.addSyncStatusListener(check);
      const storeListener = store.addDidFinishTransactionListener(check);
      stops.push(
        () => synchronizer.delListener(statusListener),
        () => store.delListener(storeListener),
      );
    }
    check();
  });

/** Starts both nodes and the clients; resolves once every client's content is stored on A. */
export const prepareDrill = async (options: DrillOptions): Promise<Drill> => {
  const {postgresUrl, room, clientCount, requestTimeoutSeconds, capMs, onReceive, onSpawn} =
    options;
  const nodes: CliProcess[] = [];
  const clients: DrillClient[] = [];
  const destroy = () => {
    for (const {synchronizer} of clients) {
      synchronizer.destroy();
    }
    for (const {child} of nodes) {
      child.kill('SIGKILL');
    }
  };
  try {
    nodes.push(
      await startNode(postgresUrl, 'a', onSpawn),
      await startNode(postgresUrl, 'b', onSpawn),
    );
    const [nodeA, nodeB] = nodes as [CliProcess, CliProcess];
    const urlA = `ws://127.0.0.1:${nodeA.port}/${room}`;
    const urlB = `ws://127.0.0.1:${nodeB.port}/${room}`;
    for (let index = 0; index < clientCount; index++) {
      const store = createMergeableStore(`client${index}`);
      store.setRow('clients', `client${index}`, {index, before: `written on node a by ${index}`});
      const synchronizer = await createWsSynchronizer(
        store,
        {url: [urlA, urlB]},
        requestTimeoutSeconds,
        undefined,
        onReceive,
      );
      clients.push({store, synchronizer});
      await synchronizer.startSync();
    }
    await whenClients(
      clients,
      () =>
        clients.every((client) => isOnline(client, 'a')) &&
        allConfirmed(clients) &&
        clientsConverged(clients),
      'all on node a, confirmed and converged',
      capMs,
    );
    return {nodeA, nodeB, room, urlB, clients, destroy};
  } catch (error) {
    destroy();
    throw error;
  }
};

/** How long a failover took, in ms since the kill. */
export type FailoverTimes = {
  /** Until every client was online on node B (with node B's id in its status). */
  onlineMs: number;
  /** Until, besides, every client held the same content. */
  convergedMs: number;
};

/**
 * Kills node A with SIGKILL (and, with `writeAtKill`, has every client write one cell at once: the
 * cell `during` of its row), then waits until every client is online on node B and all hold the
 * same content.
 */
export const killAndFailOver = async (
  {nodeA, clients}: Drill,
  capMs: number,
  writeAtKill: boolean,
): Promise<FailoverTimes> => {
  const killedAt = performance.now();
  nodeA.child.kill('SIGKILL');
  if (writeAtKill) {
    // Written while their node is gone: only node B can carry these to the others.
    clients.forEach(({store}, index) => {
      store.setCell('clients', `client${index}`, 'during', `written after the kill by ${index}`);
    });
  }
  const allOnB = () => clients.every((client) => isOnline(client, 'b'));
  const [onlineMs, convergedMs] = await Promise.all([
    whenClients(clients, allOnB, 'all online on node b', capMs).then(
      () => performance.now() - killedAt,
    ),
    whenClients(
      clients,
      () => allOnB() && clientsConverged(clients),
      'all online on node b and converged',
      capMs,
    ).then(() => performance.now() - killedAt),
  ]);
  return {onlineMs, convergedMs};
};
