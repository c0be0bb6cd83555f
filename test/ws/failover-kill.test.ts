// Failover after a SIGKILL (issue 11): two syncstore-server processes on one PostgreSQL (started
// by this file), ten clients given both nodes and connected to node A, each with its own confirmed
// content. Node A is killed hard and every client writes at once; every client must move to node
// B, converge there with the others (what it wrote meanwhile included), keep syncing new
// changes, and node B's room must end up holding everything.
import type {ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {startPostgres, type TestPostgres} from '../postgres/embedded-postgres.js';
import {
  clientsConverged,
  type Drill,
  killAndFailOver,
  prepareDrill,
  whenClients,
} from '../postgres/failover-drill.js';

const CLIENTS = 10;
/** Only a cap for a wait that would otherwise hang; nothing is asserted about time. */
const CAP_MS = 30_000;

let postgres: TestPostgres;
const children: ChildProcess[] = [];
let drill: Drill | undefined;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  drill?.destroy();
  for (const child of children) {
    child.kill('SIGKILL');
  }
  await postgres?.destroy();
});

test('every client of a killed node moves to the other, converges there and loses nothing', async () => {
  drill = await prepareDrill({
    postgresUrl: postgres.url,
    room: 'failover',
    clientCount: CLIENTS,
    requestTimeoutSeconds: 1,
    capMs: CAP_MS,
    onSpawn: (child) => children.push(child),
  });
  const {clients, urlB} = drill;
  const confirmedOnA = clients[0]!.store.getTables();
  expect(Object.keys(confirmedOnA.clients ?? {})).toHaveLength(CLIENTS);

  await killAndFailOver(drill, CAP_MS, true);
  expect(await drill.nodeA.exited).toBe(null);
  for (const {synchronizer} of clients) {
    expect(synchronizer.getSyncStatus()).toMatchObject({
      connection: 'online',
      node: {url: urlB, nodeId: 'b'},
    });
  }
  expect(clientsConverged(clients)).toBe(true);
  // What was confirmed on node A, and what each client wrote while it was gone.
  const tables = clients[0]!.store.getTables();
  for (let index = 0; index < CLIENTS; index++) {
    expect(tables.clients?.[`client${index}`]).toEqual({
      ...confirmedOnA.clients?.[`client${index}`],
      during: `written after the kill by ${index}`,
    });
  }

  // Syncing goes on through node B.
  clients.forEach(({store}, index) => {
    store.setCell('clients', `client${index}`, 'after', `written on node b by ${index}`);
  });
  await whenClients(
    clients,
    () =>
      clientsConverged(clients) &&
      clients.every(({synchronizer}) => synchronizer.getSyncStatus().unconfirmedChanges === 0),
    'converged and confirmed after the failover',
    CAP_MS,
  );
  const final = clients[0]!.store.getMergeableContent();
  for (let index = 0; index < CLIENTS; index++) {
    expect(clients[0]!.store.getRow('clients', `client${index}`)).toEqual({
      index,
      before: `written on node a by ${index}`,
      during: `written after the kill by ${index}`,
      after: `written on node b by ${index}`,
    });
  }

  // With every client gone, node B alone still serves all of it.
  for (const {synchronizer} of clients) {
    synchronizer.destroy();
  }
  const newcomer = createMergeableStore('newcomer');
  const newcomerSync = await createWsSynchronizer(newcomer, urlB, 1);
  try {
    await newcomerSync.startSync();
    await whenClients(
      [{store: newcomer, synchronizer: newcomerSync}],
      () => newcomer.getRowCount('clients') === CLIENTS,
      'the newcomer holding every client row',
      CAP_MS,
    );
    expect(newcomer.getMergeableContent()).toEqual(final);
  } finally {
    newcomerSync.destroy();
  }
});
