// The in-process transports: LocalSynchronizer and BroadcastChannelSynchronizer (Node's global
// BroadcastChannel), including large content.
import {afterEach, describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {
  type CustomSynchronizer,
  describeError,
  NoPeerAnswered,
} from '../../src/synchronizers/index.js';
import {createBroadcastChannelSynchronizer} from '../../src/synchronizers/synchronizer-broadcast-channel.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {settle, waitUntil} from './helpers.js';

const created: CustomSynchronizer[] = [];
const track = <S extends CustomSynchronizer>(synchronizer: S): S => {
  created.push(synchronizer);
  return synchronizer;
};
afterEach(() => {
  for (const synchronizer of created.splice(0)) {
    synchronizer.destroy();
  }
});

/** A table of `rows` rows of 10 cells each. */
function bigTable(rows: number) {
  const table: {[rowId: string]: {[cellId: string]: number | string}} = {};
  for (let row = 0; row < rows; row++) {
    const cells: {[cellId: string]: number | string} = {};
    for (let cell = 0; cell < 10; cell++) {
      cells[`c${cell}`] = cell % 2 ? row * 10 + cell : `v${row}.${cell}`;
    }
    table[`r${row}`] = cells;
  }
  return table;
}

describe('LocalSynchronizer', () => {
  test('three stores converge, including deletions and values', async () => {
    const stores = [1, 2, 3].map((index) => createMergeableStore(`s${index}`));
    const synchronizers = stores.map((store) => track(createLocalSynchronizer(store)));
    for (const synchronizer of synchronizers) {
      await synchronizer.startSync();
    }
    stores[0].setTables({pets: {fido: {species: 'dog', legs: 4}}});
    stores[1].setValue('open', true);
    await waitUntil(() =>
      stores.every((store) => store.hasRow('pets', 'fido') && store.hasValue('open')),
    );
    stores[2].delCell('pets', 'fido', 'legs');
    await waitUntil(() => stores.every((store) => !store.hasCell('pets', 'fido', 'legs')));
    for (const store of stores) {
      expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {open: true}]);
      expect(store.getMergeableContentHashes()).toEqual(stores[0].getMergeableContentHashes());
    }
  });

  test('destroy cancels scheduled deliveries', async () => {
    const store1 = createMergeableStore('s1');
    const store2 = createMergeableStore('s2');
    const synchronizer1 = createLocalSynchronizer(store1);
    const synchronizer2 = track(createLocalSynchronizer(store2));
    await synchronizer1.startSync();
    await synchronizer2.startSync();
    store1.setCell('t1', 'r1', 'c1', 1);
    await Promise.resolve(); // the ContentDiff is sent, its delivery scheduled
    synchronizer1.destroy();
    await settle();
    expect(store2.getTables()).toEqual({});
  });

  test('a joining store receives 100,000 cells in one initial sync', async () => {
    const source = createMergeableStore('s1');
    source.setTable('t1', bigTable(10_000));
    const sourceErrors: Error[] = [];
    await track(
      createLocalSynchronizer(source, undefined, undefined, (error) => sourceErrors.push(error)),
    ).startSync();
    const joiner = createMergeableStore('s2');
    const joinerErrors: Error[] = [];
    const synchronizer = track(
      createLocalSynchronizer(joiner, undefined, undefined, (error) => joinerErrors.push(error)),
    );
    await synchronizer.startSync();
    expect(joiner.getRowCount('t1')).toBe(10_000);
    expect(joiner.getMergeableContentHashes()).toEqual(source.getMergeableContentHashes());
    expect(joinerErrors.filter(({message}) => !message.startsWith('tinybase:3:.'))).toEqual([]);
    expect(synchronizer.getSyncStatus()).toMatchObject({phase: 'synced', error: null});
  });

  test('a peer that blocks the shared event loop far longer than the timeout still answers in time', async () => {
    const source = createMergeableStore('s1');
    source.setTable('t1', bigTable(100));
    await track(createLocalSynchronizer(source)).startSync();
    const getDiff = source.getMergeableTableDiff.bind(source);
    source.getMergeableTableDiff = (hashes) => {
      // Six of the local 50 ms timeouts, as a diff of millions of cells takes: the joiner's
      // timer is overdue when it fires, and the answer is queued for it by then.
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // busy
      }
      return getDiff(hashes);
    };
    const joiner = createMergeableStore('s2');
    const joinerErrors: Error[] = [];
    await track(
      createLocalSynchronizer(joiner, undefined, undefined, (error) => joinerErrors.push(error)),
    ).startSync();
    expect(joiner.getRowCount('t1')).toBe(100);
    expect(joinerErrors).toEqual([]);
  });
});

describe('BroadcastChannelSynchronizer', () => {
  test('stores on one channel sync; getChannelName returns the channel', async () => {
    const store1 = createMergeableStore('s1');
    const store2 = createMergeableStore('s2');
    const synchronizer1 = track(createBroadcastChannelSynchronizer(store1, 'pets'));
    const synchronizer2 = track(createBroadcastChannelSynchronizer(store2, 'pets'));
    expect(synchronizer1.getChannelName()).toBe('pets');
    await synchronizer1.startSync();
    await synchronizer2.startSync();
    store1.setTables({pets: {fido: {species: 'dog', tags: ['good', {very: true}]}}});
    await waitUntil(() => store2.hasRow('pets', 'fido'));
    expect(store2.getTables()).toEqual({
      pets: {fido: {species: 'dog', tags: ['good', {very: true}]}},
    });
    store2.delRow('pets', 'fido');
    await waitUntil(() => !store1.hasRow('pets', 'fido'));
    expect(store1.getMergeableContentHashes()).toEqual(store2.getMergeableContentHashes());
  });

  test('other channels are not heard; malformed posts are reported, not applied', async () => {
    const errors: Error[] = [];
    const store1 = createMergeableStore('s1');
    const store2 = createMergeableStore('s2');
    const synchronizer1 = track(
      createBroadcastChannelSynchronizer(store1, 'room-a', undefined, undefined, (error) =>
        errors.push(error),
      ),
    );
    track(createBroadcastChannelSynchronizer(store2, 'room-b'));
    await synchronizer1.startSync();
    errors.length = 0; // the lone peer's unanswered GetContentHashes
    store2.setCell('t1', 'r1', 'c1', 1);
    const intruder = new BroadcastChannel('room-a');
    intruder.postMessage('not an array');
    intruder.postMessage(['X', null, 'tx', 3, [[{t1: [{r1: [{c1: [1, 'bad-hlc']}]}]}], [{}], 1]]);
    intruder.postMessage(['X', 'someone-else', 'tx', 99, null]);
    await waitUntil(() => errors.length >= 2);
    await settle();
    intruder.close();
    expect(errors.map(describeError)).toEqual([
      'tinybase:14 invalid BroadcastChannel message on "room-a": expected [fromClientId, toClientId, requestId, message, body]',
      expect.stringMatching(/^tinybase:14 invalid ContentDiff body: .*HLC "bad-hlc"/),
    ]);
    expect(describeError(synchronizer1.getSyncStatus().error as Error)).toMatch(/bad-hlc/);
    expect(store1.getTables()).toEqual({});
  });

  test('a joining store receives 100,000 cells over the channel (structured clone)', async () => {
    const source = createMergeableStore('s1');
    source.setTable('t1', bigTable(10_000));
    await track(createBroadcastChannelSynchronizer(source, 'big')).startSync();
    const joiner = createMergeableStore('s2');
    const synchronizer = track(createBroadcastChannelSynchronizer(joiner, 'big'));
    await synchronizer.startSync();
    await waitUntil(() => joiner.getRowCount('t1') === 10_000, 30_000);
    expect(joiner.getMergeableContentHashes()).toEqual(source.getMergeableContentHashes());
  });
});

describe('a peer alone', () => {
  test('reports the unanswered first pull as NoPeerAnswered, keeps its status clean and idle', async () => {
    const errors: Error[] = [];
    const alone = track(
      createLocalSynchronizer(createMergeableStore('alone'), undefined, undefined, (error) =>
        errors.push(error),
      ),
    );
    await alone.startSync();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NoPeerAnswered);
    // Still TinyBase's timeout code, so code matching on it keeps working.
    expect(errors[0].message).toMatch(/^tinybase:3:\./);
    expect(alone.getSyncStatus()).toMatchObject({phase: 'idle', error: null});
  });
});

describe('hostile ids', () => {
  test('tables, rows, cells and values named __proto__ or constructor sync both ways', async () => {
    const [store1, store2] = ['p1', 'p2'].map((id) => createMergeableStore(id));
    const synchronizers = [store1, store2].map((store) => track(createLocalSynchronizer(store)));
    for (const synchronizer of synchronizers) {
      await synchronizer.startSync();
    }
    store1.setCell('__proto__', '__proto__', '__proto__', 1);
    store1.setValue('__proto__', 'v');
    store2.transaction(() => store2.setCell('constructor', 'toString', '__proto__', 2));
    store2.transaction(() => store2.setCell('__proto__', 'r2', 'constructor', 3));
    await waitUntil(
      () =>
        JSON.stringify(store1.getMergeableContentHashes()) ===
          JSON.stringify(store2.getMergeableContentHashes()) &&
        store1.getCell('__proto__', 'r2', 'constructor') === 3,
    );
    for (const store of [store1, store2]) {
      expect(store.getCell('__proto__', '__proto__', '__proto__')).toBe(1);
      expect(store.getCell('constructor', 'toString', '__proto__')).toBe(2);
      expect(store.getCell('__proto__', 'r2', 'constructor')).toBe(3);
      expect(store.getValue('__proto__')).toBe('v');
    }
    // A fresh peer joining later pulls all of it.
    const store3 = createMergeableStore('p3');
    await track(createLocalSynchronizer(store3)).startSync();
    await waitUntil(() => store3.getCell('__proto__', 'r2', 'constructor') === 3);
    expect(store3.getTables()).toEqual(store1.getTables());
    expect(store3.getMergeableContentHashes()).toEqual(store1.getMergeableContentHashes());
  });
});
