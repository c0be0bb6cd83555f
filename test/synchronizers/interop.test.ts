// syncstore and TinyBase synchronizers on one network: they converge in every mix (tombstones,
// object cells, values), and for the same scenario both engines send the same message types.
import fc from 'fast-check';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {
  createCustomSynchronizer as createTinyBaseSynchronizer,
  type Synchronizer as TinyBaseSynchronizer,
} from 'tinybase/synchronizers';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {canonicalJson, TestBus, type TestTransport} from './helpers.js';
import {
  applyEdit,
  type Command,
  commandArbitrary,
  type EditableStore,
  type EditCommand,
  splitByMask,
} from './scenario.js';
import {SimNetwork} from './sim-network.js';

type Kind = 'syncstore' | 'tinybase';
type AnyStore = EditableStore & {
  getContent(): unknown;
  getMergeableContent(): unknown;
  getMergeableContentHashes(): [number, number];
};
type Peer = {
  kind: Kind;
  id: string;
  store: AnyStore;
  startSync(): Promise<unknown>;
  /** A fresh pull and announcement, each engine its own way. */
  resync(): Promise<unknown>;
  destroy(): unknown;
};

function createPeer(
  kind: Kind,
  id: string,
  transport: TestTransport,
  timeoutSeconds: number,
): Peer {
  if (kind === 'syncstore') {
    const store = createMergeableStore(id);
    const synchronizer = createCustomSynchronizer(
      store,
      transport.send,
      transport.registerReceive,
      transport.destroy,
      timeoutSeconds,
    );
    return {
      kind,
      id,
      store: store as unknown as AnyStore,
      startSync: () => synchronizer.startSync(),
      resync: async () => {
        synchronizer.setConnection('offline');
        synchronizer.setConnection('online');
      },
      destroy: () => synchronizer.destroy(),
    };
  }
  const store = createTinyBaseStore(id);
  const synchronizer: TinyBaseSynchronizer = createTinyBaseSynchronizer(
    store,
    transport.send as never,
    transport.registerReceive as never,
    transport.destroy,
    timeoutSeconds,
  );
  return {
    kind,
    id,
    store: store as unknown as AnyStore,
    startSync: () => synchronizer.startSync(),
    resync: async () => {
      await synchronizer.stopSync();
      await synchronizer.startSync();
    },
    destroy: () => synchronizer.destroy(),
  };
}

function expectConverged(peers: Peer[]): void {
  const [first, ...others] = peers;
  for (const other of others) {
    expect(other.store.getMergeableContentHashes()).toEqual(
      first.store.getMergeableContentHashes(),
    );
    expect(canonicalJson(other.store.getContent())).toBe(canonicalJson(first.store.getContent()));
    expect(canonicalJson(other.store.getMergeableContent())).toBe(
      canonicalJson(first.store.getMergeableContent()),
    );
  }
}

beforeEach(() => {
  vi.useFakeTimers({now: Date.UTC(2024, 0, 1)});
});
afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
});

describe('the same scenario, the same message types', () => {
  const run = async (action: () => unknown) => {
    const promise = Promise.resolve(action());
    await vi.runAllTimersAsync();
    await promise;
  };

  async function scenario(kindA: Kind, kindB: Kind) {
    const bus = new TestBus();
    const a = createPeer(kindA, 's1', bus.join('A'), 1);
    const b = createPeer(kindB, 's2', bus.join('B'), 1);
    a.store.setRow('t1', 'r1', {c1: 1, c2: {deep: [1, 2]}});
    a.store.setValue('v1', 'a');
    b.store.setRow('t1', 'r2', {c1: 2});
    b.store.setValue('v2', true);
    await run(() => a.startSync());
    await run(() => b.startSync());
    await run(() => a.store.setCell('t1', 'r1', 'c1', 5));
    await run(() => b.store.delRow('t1', 'r1'));
    await run(() => a.store.setValue('v1', null));
    await run(() => b.store.delValue('v2'));
    await run(() => a.store.setCell('t2', 'r1', 'c1', [1, {x: 'y'}]));
    await run(() => b.store.setCell('t1', 'r2', 'c3', 'new'));
    a.destroy();
    b.destroy();
    return {trace: bus.describe(), a, b};
  }

  test.each([
    ['syncstore', 'syncstore'],
    ['tinybase', 'syncstore'],
    ['syncstore', 'tinybase'],
  ] as [Kind, Kind][])('%s A and %s B send what two TinyBase peers send', async (kindA, kindB) => {
    const reference = await scenario('tinybase', 'tinybase');
    const {trace, a, b} = await scenario(kindA, kindB);
    expect(trace).toEqual(reference.trace);
    expect(trace.length).toBeGreaterThan(15);
    expectConverged([a, b]);
    expectConverged([reference.a, reference.b]);
    expect(canonicalJson(a.store.getContent())).toBe(canonicalJson(reference.a.store.getContent()));
    expect(b.store.getContent()).toEqual([
      {t1: {r2: {c1: 2, c3: 'new'}}, t2: {r1: {c1: [1, {x: 'y'}]}}},
      {v1: null},
    ]);
  });
});

describe('mixed networks converge', () => {
  async function runMixed(kinds: Kind[], seed: number, commands: Command[]): Promise<Peer[]> {
    const conditions = {minDelayMs: 0, maxDelayMs: 30, duplicateRate: 0.1, dropRate: 0.1};
    const network = new SimNetwork(seed, conditions);
    const peers = kinds.map((kind, index) =>
      createPeer(kind, `p${index}`, network.join(`p${index}`), 0.2),
    );
    try {
      for (const peer of peers) {
        void peer.startSync();
      }
      for (const command of commands) {
        switch (command.kind) {
          case 'edit':
            applyEdit(peers[command.peer % peers.length].store, command as EditCommand);
            break;
          case 'wait':
            await vi.advanceTimersByTimeAsync(command.ms);
            break;
          case 'partition': {
            network.partition(
              splitByMask(
                peers.map(({id}) => id),
                command.mask,
              ),
            );
            break;
          }
          case 'heal':
            network.heal(conditions);
            break;
          case 'link':
            // TinyBase has no link notion; a partition of one peer plays that role here.
            network.setLinkDown(peers[command.peer % peers.length].id, !command.up);
            break;
        }
      }
      network.heal();
      await vi.advanceTimersByTimeAsync(100);
      for (const peer of peers) {
        void peer.resync();
      }
      await vi.runAllTimersAsync();
      return peers;
    } finally {
      for (const peer of peers) {
        peer.destroy();
      }
      await vi.runAllTimersAsync();
    }
  }

  test('syncstore and TinyBase peers in every mix end with identical content and hashes', async () => {
    const kindsArbitrary = fc
      .array(fc.constantFrom<Kind>('syncstore', 'tinybase'), {minLength: 2, maxLength: 4})
      .filter((kinds) => kinds.includes('syncstore') && kinds.includes('tinybase'));
    await fc.assert(
      fc.asyncProperty(
        kindsArbitrary,
        fc.integer(),
        fc.array(commandArbitrary, {minLength: 5, maxLength: 30, size: 'max'}),
        async (kinds, seed, commands) => {
          expectConverged(await runMixed(kinds, seed, commands));
        },
      ),
      {seed: 424242, numRuns: 200},
    );
  });
});
