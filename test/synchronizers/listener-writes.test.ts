// Writes that listeners make while a peer's changes are merged (a mutator listener keeping an
// upper-cased copy of a cell, say) are this peer's own changes: they must reach every peer, on
// every transport, while what was merged is not sent back. TinyBase sends them within one sync
// round; these tests hold syncstore to that, waiting for convergence by condition.
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableChanges, MergeableStore} from '../../src/store/types.js';
import {createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {createBroadcastChannelSynchronizer} from '../../src/synchronizers/synchronizer-broadcast-channel.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {Message, type Send, type Synchronizer} from '../../src/synchronizers/types.js';
import {startServer} from '../ws/support.js';
import {TestBus, waitUntil} from './helpers.js';

/** Creates a synchronizer for a store, each call a new peer of the same room. */
type Connect = (store: MergeableStore, onSend: Send) => Promise<Synchronizer>;

const teardowns: (() => unknown)[] = [];
afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) {
    await teardown();
  }
});

let room = 0;

/** One room per test on each transport: its peers hear each other and no other test's. */
const transports: Record<string, () => Promise<Connect>> = {
  local: async () => {
    // Local synchronizers all share one room: a test's peers are destroyed after it.
    return async (store, onSend) => createLocalSynchronizer(store, onSend);
  },
  BroadcastChannel: async () => {
    const channel = `listener-writes-${room++}`;
    return async (store, onSend) => createBroadcastChannelSynchronizer(store, channel, onSend);
  },
  custom: async () => {
    const bus = new TestBus();
    let peer = 0;
    return async (store, onSend) => {
      const {send, registerReceive, destroy} = bus.join(`peer${peer++}`);
      return createCustomSynchronizer(store, send, registerReceive, destroy, 1, onSend);
    };
  },
  ws: async () => {
    const server = await startServer({storage: ':memory:'});
    teardowns.push(() => server.wsServer.destroy());
    const path = `room${room++}`;
    return (store, onSend) =>
      createWsSynchronizer(store, server.url(path), 1, onSend) as Promise<Synchronizer>;
  },
};

type Stamps = {[id: string]: [unknown, string?]};

/** What a peer sent in ContentDiffs: each diff, and every cell and value path it carried. */
class SentDiffs {
  readonly diffs: MergeableChanges[] = [];
  readonly onSend: Send = (_to, _requestId, message, body) => {
    if (message === Message.ContentDiff) {
      this.diffs.push(body as MergeableChanges);
    }
  };

  /** `table/row/cell` and `value` paths, in the order sent. */
  paths(): string[] {
    const paths: string[] = [];
    for (const [[tables], [values]] of this.diffs) {
      for (const [tableId, [rows]] of Object.entries(tables)) {
        for (const [rowId, [cells]] of Object.entries(rows)) {
          paths.push(
            ...Object.keys(cells as Stamps).map((cellId) => `${tableId}/${rowId}/${cellId}`),
          );
        }
      }
      paths.push(...Object.keys(values as Stamps));
    }
    return paths;
  }
}

/** Keeps an upper-cased copy of every `name` cell of the table in `upper`, as a mutator listener. */
const addUpperCaser = (store: MergeableStore, tableId = 'people') =>
  store.addCellListener(
    tableId,
    null,
    'name',
    (_store, tableId, rowId, _cellId, name) => {
      if (typeof name === 'string') {
        store.setCell(tableId, rowId, 'upper', name.toUpperCase());
      }
    },
    true,
  );

const sameContent = (stores: MergeableStore[]) =>
  stores.every(
    (store) =>
      JSON.stringify(store.getMergeableContentHashes()) ===
      JSON.stringify(stores[0].getMergeableContentHashes()),
  );

describe.each(Object.keys(transports))('listener writes during a merge, %s', (transportName) => {
  /** `count` stores, each synced over the transport; returns them with what each sent. */
  const startPeers = async (
    count: number,
    prepare: (store: MergeableStore, index: number) => void = () => {},
  ) => {
    const connect = await transports[transportName]();
    const peers: {store: MergeableStore; sent: SentDiffs; synchronizer: Synchronizer}[] = [];
    for (let index = 0; index < count; index++) {
      const store = createMergeableStore(`s${index}`);
      prepare(store, index);
      const sent = new SentDiffs();
      const synchronizer = await connect(store, sent.onSend);
      teardowns.push(() => synchronizer.destroy());
      await synchronizer.startSync();
      peers.push({store, sent, synchronizer});
    }
    // A barrier: once every peer has the last peer's write and counts itself synced (its pulls
    // ended equal, or what it announced was pulled), start-up traffic is over, and nothing from
    // it can carry a listener's write to a peer by chance.
    peers[count - 1].store.setValue('ready', true);
    await waitUntil(() =>
      peers.every(
        ({store, synchronizer}) =>
          store.hasValue('ready') &&
          synchronizer.getStatus() === 0 &&
          synchronizer.getSyncStatus().phase === 'synced',
      ),
    );
    for (const {sent} of peers) {
      sent.diffs.length = 0;
    }
    return peers;
  };

  test('a mutator listener’s write reaches the writer, in both directions', async () => {
    // B upper-cases people's names, A pets' names: each writer gets its copy from the other.
    const [a, b] = await startPeers(2, (store, index) =>
      addUpperCaser(store, index === 0 ? 'pets' : 'people'),
    );
    a.store.setCell('people', 'p1', 'name', 'ada');
    await waitUntil(() => a.store.getCell('people', 'p1', 'upper') === 'ADA');
    b.store.setCell('pets', 'p2', 'name', 'rex');
    await waitUntil(() => b.store.getCell('pets', 'p2', 'upper') === 'REX');
    await waitUntil(() => sameContent([a.store, b.store]));
    expect(a.store.getTables()).toEqual(b.store.getTables());
    expect(a.store.getTables()).toEqual({
      people: {p1: {name: 'ada', upper: 'ADA'}},
      pets: {p2: {name: 'rex', upper: 'REX'}},
    });
    // Each copy went out at once, as the writer's own change; nothing merged was sent back.
    expect(b.sent.paths()).toEqual(['people/p1/upper', 'pets/p2/name']);
    expect(a.sent.paths()).toEqual(['people/p1/name', 'pets/p2/upper']);
  });

  test('with three peers, every one gets the listener’s write; nothing merged is echoed', async () => {
    const [a, b, c] = await startPeers(3, (store, index) => {
      if (index === 1) {
        addUpperCaser(store);
      }
    });
    a.store.setCell('people', 'p1', 'name', 'ada');
    await waitUntil(
      () =>
        a.store.getCell('people', 'p1', 'upper') === 'ADA' &&
        c.store.getCell('people', 'p1', 'upper') === 'ADA',
    );
    await waitUntil(() => sameContent([a.store, b.store, c.store]));
    // B sent its own write alone: the name it merged from A did not go back out.
    expect(b.sent.paths()).toEqual(['people/p1/upper']);
    expect(c.sent.paths()).toEqual([]);
  });

  test('row, value and will-finish listeners’ writes during a merge reach the peers', async () => {
    const [a, b] = await startPeers(2, (store, index) => {
      if (index !== 1) {
        return;
      }
      store.addRowListener(
        'people',
        null,
        (_store, tableId, rowId) => {
          if (!store.hasCell(tableId, rowId, 'seen')) {
            store.setCell(tableId, rowId, 'seen', true);
          }
        },
        true,
      );
      store.addValueListener(
        'count',
        (_store, _valueId, count) => {
          store.setValue('double', Number(count) * 2);
        },
        true,
      );
      store.addWillFinishTransactionListener(() => {
        if (!store.hasValue('touched')) {
          store.setValue('touched', 1);
        }
      });
    });
    a.store.transaction(() => {
      a.store.setCell('people', 'p1', 'name', 'ada');
      a.store.setValue('count', 3);
    });
    await waitUntil(
      () =>
        a.store.getCell('people', 'p1', 'seen') === true &&
        a.store.getValue('double') === 6 &&
        a.store.getValue('touched') === 1,
    );
    await waitUntil(() => sameContent([a.store, b.store]));
    expect(a.store.getContent()).toEqual(b.store.getContent());
    expect(b.sent.paths().sort()).toEqual(['double', 'people/p1/seen']);
  });

  test('a listener’s write during a pull (after an announcement) reaches the announcer', async () => {
    const [a, b] = await startPeers(2, (store, index) => {
      if (index === 1) {
        addUpperCaser(store);
      }
    });
    // A's edit travels only as an announcement (ContentHashes), which B answers with a pull.
    await a.synchronizer.stopAutoSave();
    a.store.setCell('people', 'p1', 'name', 'ada');
    await a.synchronizer.save();
    await waitUntil(() => a.store.getCell('people', 'p1', 'upper') === 'ADA');
    await waitUntil(() => sameContent([a.store, b.store]));
    expect(b.store.getTables()).toEqual({people: {p1: {name: 'ada', upper: 'ADA'}}});
    // B sent its write at once rather than leaving A to find it by pulling again later.
    expect(b.sent.paths()).toEqual(['people/p1/upper']);
  });
});

describe('the cost of looking for listener writes', () => {
  test('a merge during which nothing was written locally does not read the merged changes', async () => {
    const bus = new TestBus();
    const stores = [createMergeableStore('s0'), createMergeableStore('s1')];
    for (const [index, store] of stores.entries()) {
      const {send, registerReceive, destroy} = bus.join(`peer${index}`);
      const synchronizer = createCustomSynchronizer(store, send, registerReceive, destroy, 0.05);
      teardowns.push(() => synchronizer.destroy());
      await synchronizer.startSync();
    }
    const [writer, reader] = stores as (MergeableStore & {
      getEncodedTransactionChanges(): unknown;
    })[];
    const reads = vi.spyOn(reader, 'getEncodedTransactionChanges');
    writer.transaction(() => {
      for (let row = 0; row < 100; row++) {
        writer.setCell('t1', `r${row}`, 'c1', row);
      }
    });
    await waitUntil(() => reader.getRowCount('t1') === 100);
    expect(reads).not.toHaveBeenCalled();

    // With a listener that writes, the merge is looked at, and the write goes out.
    addUpperCaser(reader);
    writer.setCell('people', 'p1', 'name', 'ada');
    await waitUntil(() => writer.getCell('people', 'p1', 'upper') === 'ADA');
    expect(reads).toHaveBeenCalled();
  });
});
