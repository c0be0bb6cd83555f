// Randomized side-by-side checks: the same operations on a syncstore store and a TinyBase store
// (same uniqueId, same hand-moved clock) must leave the same stamps, hashes and plain content, and
// stores of both kinds must answer each other's hash and diff requests alike.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {
  CellHashes,
  Content,
  MergeableChanges,
  MergeableContent,
  MergeableStore,
  RowHashes,
  TableHashes,
  TablesStamp,
} from '../../src/store/types.js';
import {type Operation, operation, tables, values} from './support/arbitraries.js';
import {expectSame} from './support/compare.js';
import {applyOperation, expectSameStores} from './support/operations.js';
import {
  applyToTinyBase,
  createStore,
  createTinyBaseStore,
  type GetNow,
  mergeTinyBase,
  setContentOfTinyBase,
} from './support/stores.js';
import {ManualClock} from './support/wire.js';

type CreateStore = (uniqueId?: string, getNow?: GetNow) => MergeableStore;

/** One store with its own clock and a log of what each finished transaction reported. */
const createSide = (create: CreateStore, uniqueId: string) => {
  const clock = new ManualClock();
  const store = create(uniqueId, clock.getNow);
  const transactionLog: unknown[] = [];
  store.addDidFinishTransactionListener(() => {
    transactionLog.push(store.getTransactionMergeableChanges());
    transactionLog.push(store.getTransactionMergeableChanges(true));
  });
  return {clock, store, transactionLog};
};

const defaultContent: fc.Arbitrary<Content> = fc.tuple(tables, values);

describe('one store per side', () => {
  test('random operation sequences leave identical stores', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('s1', 's2', 'client'),
        fc.option(defaultContent, {freq: 4}),
        fc.array(operation, {maxLength: 25}),
        (uniqueId, defaults, operations) => {
          const ours = createSide(createStore, uniqueId);
          const theirs = createSide(createTinyBaseStore, uniqueId);
          if (defaults !== null) {
            ours.store.setDefaultContent(defaults);
            theirs.store.setDefaultContent(defaults);
          }
          operations.forEach((next, index) => {
            expectSame(
              applyOperation(ours.store, ours.clock, next),
              applyOperation(theirs.store, theirs.clock, next),
              `result of operation ${index}`,
            );
          });
          expectSameStores(ours.store, theirs.store);
          expectSame(ours.transactionLog, theirs.transactionLog, 'transaction changes');
        },
      ),
      {seed: 1001, numRuns: 300},
    );
  });

  test('content of each kind loads into the other with identical hashes', () => {
    fc.assert(
      fc.property(fc.array(operation, {maxLength: 20}), (operations) => {
        const ours = createSide(createStore, 's1');
        const theirs = createSide(createTinyBaseStore, 's1');
        for (const next of operations) {
          applyOperation(ours.store, ours.clock, next);
          applyOperation(theirs.store, theirs.clock, next);
        }
        for (const source of [ours.store, theirs.store]) {
          const content = source.getMergeableContent();
          // setMergeableContent keeps the stamps (and trusts the hashes) as they are.
          const loadedOurs = createStore('s2', ours.clock.getNow).setMergeableContent(content);
          const loadedTheirs = createTinyBaseStore('s2', theirs.clock.getNow).setMergeableContent(
            content,
          );
          expectSameStores(loadedOurs, loadedTheirs);
          expect(loadedOurs.getMergeableContentHashes()).toEqual(
            source.getMergeableContentHashes(),
          );
          // applyMergeableChanges recomputes hashes: into an empty store, those of the source.
          const appliedOurs = createStore('s3', ours.clock.getNow);
          appliedOurs.applyMergeableChanges(content);
          expectSame(appliedOurs.getMergeableContent(), content);
          // Deviation (a): TinyBase's public path would hash object cells' raw JSON; its wire
          // path keeps the source's hashes, as syncstore does.
          const appliedTheirs = createTinyBaseStore('s3', theirs.clock.getNow);
          applyToTinyBase(appliedTheirs, content);
          expectSameStores(appliedOurs, appliedTheirs);
        }
      }),
      {seed: 1002, numRuns: 200},
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Several stores per side, with merges between them.

/** Clock offsets of the stores of a side: one slightly ahead, one a minute behind, one too far ahead. */
const CLOCK_OFFSETS = [0, 7, -60_000, 310_000];
const STORE_COUNT = CLOCK_OFFSETS.length;

type Action =
  | {kind: 'local'; store: number; operation: Operation}
  | {kind: 'deliver'; from: number; to: number}
  | {kind: 'applyContent'; from: number; to: number}
  | {kind: 'setContent'; from: number; to: number}
  | {kind: 'merge'; from: number; to: number}
  | {kind: 'pull'; from: number; to: number; decode: boolean};

const storeIndex = fc.integer({min: 0, max: STORE_COUNT - 1});
const pair = fc
  .tuple(storeIndex, storeIndex)
  .filter(([from, to]) => from !== to)
  .map(([from, to]) => ({from, to}));

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({kind: fc.constant('local' as const), store: storeIndex, operation}),
    weight: 8,
  },
  {arbitrary: pair.map((p) => ({kind: 'deliver' as const, ...p})), weight: 3},
  {arbitrary: pair.map((p) => ({kind: 'applyContent' as const, ...p})), weight: 2},
  {arbitrary: pair.map((p) => ({kind: 'setContent' as const, ...p})), weight: 1},
  {arbitrary: pair.map((p) => ({kind: 'merge' as const, ...p})), weight: 2},
  {
    arbitrary: fc
      .tuple(pair, fc.boolean())
      .map(([p, decode]) => ({kind: 'pull' as const, ...p, decode})),
    weight: 3,
  },
);

/** How a side merges: syncstore through its public API, TinyBase as syncstore does. */
type Merging = {
  apply: (store: MergeableStore, changes: MergeableChanges | MergeableContent) => void;
  setContent: (store: MergeableStore, content: MergeableContent) => void;
  merge: (store: MergeableStore, other: MergeableStore) => MergeableStore;
};
const publicMerging: Merging = {
  apply: (store, changes) => store.applyMergeableChanges(changes),
  setContent: (store, content) => store.setMergeableContent(content),
  merge: (store, other) => store.merge(other),
};
// Deviation (a): syncstore keeps object cells' encoded hashes in public merges; TinyBase does so
// on its wire path, which is therefore the reference.
const tinyBaseMerging: Merging = {
  apply: applyToTinyBase,
  setContent: setContentOfTinyBase,
  merge: mergeTinyBase,
};

type Network = {
  clock: ManualClock;
  stores: MergeableStore[];
  /** The changes each store reported for its last finished transaction. */
  lastChanges: MergeableChanges[];
  merging: Merging;
};

const createNetwork = (create: CreateStore, merging: Merging): Network => {
  const clock = new ManualClock();
  const lastChanges: MergeableChanges[] = [];
  const stores = CLOCK_OFFSETS.map((offset, index) => {
    const store = create(`s${index + 1}`, () => clock.now + offset);
    lastChanges.push([[{}], [{}], 1]);
    store.addDidFinishTransactionListener(() => {
      lastChanges[index] = store.getTransactionMergeableChanges() as MergeableChanges;
    });
    return store;
  });
  return {clock, stores, lastChanges, merging};
};

/** Copies `source` stamps into `target` (both TablesStamps), as a synchronizer's pull does. */
const mergeTablesStamps = (target: TablesStamp, source: TablesStamp): void => {
  for (const [tableId, [rows]] of Object.entries(source[0])) {
    if (!Object.hasOwn(target[0], tableId)) {
      Object.defineProperty(target[0], tableId, {value: [{}], enumerable: true, writable: true});
    }
    const targetRows = target[0][tableId][0];
    for (const [rowId, [cells]] of Object.entries(rows)) {
      if (!Object.hasOwn(targetRows, rowId)) {
        Object.defineProperty(targetRows, rowId, {value: [{}], enumerable: true, writable: true});
      }
      const targetCells = targetRows[rowId][0];
      for (const [cellId, stamp] of Object.entries(cells)) {
        Object.defineProperty(targetCells, cellId, {
          value: stamp,
          enumerable: true,
          writable: true,
        });
      }
    }
  }
};

/** Turns encoded object cells ("\uFFFD" + JSON) back into objects, as a public-API user would. */
const decodeEncodedStrings = <Thing>(thing: Thing): Thing => {
  // A walk rather than a JSON round trip, which would turn tombstones (undefined) into null.
  const decode = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('\uFFFD')) {
      return JSON.parse(value.slice(1));
    }
    if (Array.isArray(value)) {
      return value.map(decode);
    }
    if (value !== null && typeof value === 'object') {
      const decoded: {[key: string]: unknown} = {};
      for (const key of Object.keys(value)) {
        Object.defineProperty(decoded, key, {
          value: decode((value as {[key: string]: unknown})[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return decoded;
    }
    return value;
  };
  return decode(thing) as Thing;
};

/**
 * `to` pulls from `from` through the diff getters (table, row, cell, value), as a synchronizer
 * does; returns every answer so that the two sides' answers can be compared.
 */
const pull = (
  from: MergeableStore,
  to: MergeableStore,
  decode: boolean,
  merging: Merging,
): unknown[] => {
  const tableHashes: TableHashes = to.getMergeableTableHashes();
  const [newTables, differingTables] = from.getMergeableTableDiff(tableHashes);
  const rowHashes: RowHashes = to.getMergeableRowHashes(differingTables);
  const [newRows, differingRows] = from.getMergeableRowDiff(rowHashes);
  const cellHashes: CellHashes = to.getMergeableCellHashes(differingRows);
  const cells = from.getMergeableCellDiff(cellHashes);
  const valueDiff = from.getMergeableValueDiff(to.getMergeableValueHashes());
  const answers = [
    tableHashes,
    newTables,
    differingTables,
    rowHashes,
    newRows,
    differingRows,
    cellHashes,
    cells,
    valueDiff,
  ];
  const changes: TablesStamp = [{}];
  mergeTablesStamps(changes, newTables);
  mergeTablesStamps(changes, newRows);
  mergeTablesStamps(changes, cells);
  const pulled: MergeableChanges = [changes, valueDiff, 1];
  merging.apply(to, decode ? decodeEncodedStrings(pulled) : pulled);
  return answers;
};

/** Runs one action on one side; returns anything that must match the other side. */
const runAction = (network: Network, next: Action): unknown => {
  const {stores, clock, merging} = network;
  switch (next.kind) {
    case 'local':
      return applyOperation(stores[next.store], clock, next.operation);
    case 'deliver':
      merging.apply(stores[next.to], network.lastChanges[next.from]);
      return undefined;
    case 'applyContent':
      merging.apply(stores[next.to], stores[next.from].getMergeableContent());
      return undefined;
    case 'setContent':
      merging.setContent(stores[next.to], stores[next.from].getMergeableContent());
      return undefined;
    case 'merge':
      return merging.merge(stores[next.to], stores[next.from]) === stores[next.to];
    case 'pull':
      return pull(stores[next.from], stores[next.to], next.decode, merging);
  }
};

/** Every hash and diff getter of `answering`, asked with `asking`'s hashes. */
const diffAnswers = (answering: MergeableStore, asking: MergeableStore): unknown[] => {
  const tableHashes = asking.getMergeableTableHashes();
  const allRowHashes = asking.getMergeableRowHashes(
    Object.fromEntries(Object.keys(tableHashes).map((tableId) => [tableId, -1])),
  );
  const allCellHashes = asking.getMergeableCellHashes(
    Object.fromEntries(
      Object.entries(allRowHashes).map(([tableId, rows]) => [
        tableId,
        Object.fromEntries(Object.keys(rows).map((rowId) => [rowId, -1])),
      ]),
    ),
  );
  return [
    answering.getMergeableTableDiff(tableHashes),
    answering.getMergeableRowHashes(tableHashes),
    answering.getMergeableRowDiff(allRowHashes),
    answering.getMergeableCellHashes(allRowHashes),
    answering.getMergeableCellDiff(allCellHashes),
    answering.getMergeableValueDiff(asking.getMergeableValueHashes()),
  ];
};

describe('several stores per side', () => {
  test('random edits and merges leave every pair of stores identical', () => {
    fc.assert(
      fc.property(fc.array(action, {maxLength: 30}), (actions) => {
        const ours = createNetwork(createStore, publicMerging);
        const theirs = createNetwork(createTinyBaseStore, tinyBaseMerging);
        actions.forEach((next, index) => {
          expectSame(runAction(ours, next), runAction(theirs, next), `action ${index}`);
        });
        ours.stores.forEach((store, index) => {
          expectSameStores(store, theirs.stores[index]);
        });
        // Each kind answers the other kind's hashes exactly as TinyBase answers its own.
        for (let answering = 0; answering < STORE_COUNT; answering++) {
          for (let asking = 0; asking < STORE_COUNT; asking++) {
            const expected = diffAnswers(theirs.stores[answering], theirs.stores[asking]);
            expectSame(diffAnswers(ours.stores[answering], theirs.stores[asking]), expected);
            expectSame(diffAnswers(theirs.stores[answering], ours.stores[asking]), expected);
          }
        }
      }),
      {seed: 2002, numRuns: 200},
    );
  });

  test('stores that merge everything converge to the same content', () => {
    fc.assert(
      fc.property(fc.array(action, {maxLength: 20}), (actions) => {
        const ours = createNetwork(createStore, publicMerging);
        const theirs = createNetwork(createTinyBaseStore, tinyBaseMerging);
        for (const next of actions) {
          runAction(ours, next);
          runAction(theirs, next);
        }
        // Full pairwise merges, in both directions, twice (a far-future store's edits are refused).
        for (const network of [ours, theirs]) {
          for (let round = 0; round < 2; round++) {
            for (const from of network.stores) {
              for (const to of network.stores) {
                if (from !== to) {
                  network.merging.merge(to, from);
                }
              }
            }
          }
        }
        ours.stores.forEach((store, index) => {
          expectSameStores(store, theirs.stores[index]);
        });
        const [first, ...rest] = ours.stores.slice(0, 3);
        for (const store of rest) {
          expect(store.getTables()).toEqual(first.getTables());
          expect(store.getValues()).toEqual(first.getValues());
        }
      }),
      {seed: 2003, numRuns: 200},
    );
  });
});
