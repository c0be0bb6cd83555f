// createStore, TinyBase's plain Store, side by side with TinyBase's: the same operations must give
// the same content, answers and listener calls, and the store must offer the Store API and none
// of the mergeable one.
import fc from 'fast-check';
import * as tinybase from 'tinybase';
import {describe, expect, test} from 'vitest';
import {createMergeableStore, createStore} from '../../src/index.js';
import {createStoreOver} from '../../src/store/store.js';
import {StoreState} from '../../src/store/store-state.js';
import type {MergeableStore, Store} from '../../src/store/types.js';
import {operation} from './support/arbitraries.js';
import {expectSame} from './support/compare.js';
import {recordAllListeners, sortedLogs} from './support/listeners.js';
import {applyOperation} from './support/operations.js';
import {createPlainStore, createTinyBasePlainStore, plainState} from './support/stores.js';
import {ManualClock} from './support/wire.js';

/** TinyBase Store methods that belong to schemas (both kinds of store have them). */
const SCHEMA_METHODS = [
  'getTablesSchemaJson',
  'getValuesSchemaJson',
  'getSchemaJson',
  'hasTablesSchema',
  'hasValuesSchema',
  'setTablesSchema',
  'setValuesSchema',
  'setSchema',
  'delTablesSchema',
  'delValuesSchema',
  'delSchema',
  'addInvalidCellListener',
  'addInvalidValueListener',
];
/** TinyBase's internals, not API. */
const INTERNALS = ['_', '__'];

/** Whether the operations ever write an object or array cell or value (run on a spare store). */
const writesObjectCell = (operations: Parameters<typeof applyOperation>[2][]): boolean => {
  const store = createStore();
  let found = false;
  const isObject = (thing: unknown) => typeof thing === 'object' && thing !== null;
  store.addCellListener(null, null, null, (_, _t, _r, _c, newCell) => {
    found ||= isObject(newCell);
  });
  store.addValueListener(null, (_, _v, newValue) => {
    found ||= isObject(newValue);
  });
  for (const step of operations) {
    applyOperation(store, new ManualClock(), step);
  }
  return found;
};

const methodNames = (store: object) =>
  Object.keys(store)
    .filter((name) => !INTERNALS.includes(name))
    .sort();

describe('createStore', () => {
  test('has every method of a TinyBase Store, schemas included, and no mergeable method', () => {
    const expected = methodNames(tinybase.createStore());
    for (const name of SCHEMA_METHODS) {
      expect(expected, name).toContain(name);
    }
    expect(methodNames(createStore())).toEqual(expected);
    for (const name of methodNames(createStore())) {
      expect(typeof (createStore() as unknown as Record<string, unknown>)[name], name).toBe(
        'function',
      );
    }
  });

  test('a MergeableStore has every Store method too, and the mergeable ones', () => {
    const mergeableNames = methodNames(createMergeableStore());
    for (const name of methodNames(createStore())) {
      expect(mergeableNames, name).toContain(name);
    }
    const tinyBaseMergeable = methodNames(tinybase.createMergeableStore());
    for (const name of tinyBaseMergeable) {
      expect(mergeableNames, name).toContain(name);
    }
  });

  test('isMergeable tells the two kinds apart, as in TinyBase', () => {
    expect(createStore().isMergeable()).toBe(false);
    expect(tinybase.createStore().isMergeable()).toBe(false);
    expect(createMergeableStore().isMergeable()).toBe(true);
  });

  test('setters are fluent and listeners get the store itself', () => {
    const store = createStore();
    const seen: Store[] = [];
    store.addCellListener(null, null, null, (given) => seen.push(given));
    expect(store.setCell('t', 'r', 'c', 1).setValue('v', 2).delValue('v')).toBe(store);
    expect(seen).toEqual([store]);
    expect(seen[0]).toBe(store);
    expect(store.transaction(() => 'returned')).toBe('returned');
    // Setters of a MergeableStore return a MergeableStore (TinyBase's `this` types), and its
    // listeners are given one: both are checked by the type checker as well.
    const mergeable: MergeableStore = createMergeableStore();
    const chained: MergeableStore = mergeable.setCell('t', 'r', 'c', 1).delValue('v');
    expect(chained).toBe(mergeable);
    mergeable.addCellListener(null, null, null, (given: MergeableStore) =>
      seen.push(given.getMergeableContent() && given),
    );
    mergeable.setCell('t', 'r', 'c', 2);
    expect(seen[1]).toBe(mergeable);
  });

  test('deleted cells, rows, tables and values leave nothing behind once a transaction ends', () => {
    const state = new StoreState(undefined, Date.now, false);
    const store = createStoreOver(state);
    const leafCount = () => {
      let count = state.values.size;
      for (const table of state.tables.children.values()) {
        for (const row of table.children.values()) {
          count += row.size;
        }
      }
      return count;
    };
    store.setTables({t: {r1: {a: 1, b: 2}, r2: {a: 3}}, u: {r: {c: 4}}}).setValues({v: 1, w: 2});
    expect(leafCount()).toBe(6);
    store.transaction(() => {
      store.delCell('t', 'r1', 'b');
      expect(leafCount()).toBe(6); // the tombstone lives until the transaction ends
    });
    expect(leafCount()).toBe(5);
    store.delRow('t', 'r2').delTable('u').delValue('w');
    expect(leafCount()).toBe(2);
    expect([...state.tables.children.keys()]).toEqual(['t']);
    expect([...state.tables.children.get('t')!.children.keys()]).toEqual(['r1']);
    for (let round = 0; round < 100; round++) {
      store.setCell('churn', `r${round}`, 'c', round).delTable('churn');
    }
    expect(leafCount()).toBe(2);
    expect(store.getContent()).toEqual([{t: {r1: {a: 1}}}, {v: 1}]);
    // a MergeableStore keeps its tombstones: they are how deletions merge
    const mergeable = createMergeableStore();
    mergeable.setCell('t', 'r', 'c', 1).delCell('t', 'r', 'c');
    expect(mergeable.getMergeableContent()[0][0].t[0].r[0].c[0]).toBeUndefined();
    expect(Object.keys(mergeable.getMergeableContent()[0][0].t[0].r[0])).toEqual(['c']);
  });

  test('stores are independent of each other', () => {
    const one = createStore().setCell('t', 'r', 'c', 1);
    const two = createStore();
    expect(two.getTables()).toEqual({});
    expect(one.getTables()).toEqual({t: {r: {c: 1}}});
  });

  test('random operations give the same state and the same listener calls as TinyBase', () => {
    fc.assert(
      fc.property(fc.array(operation, {maxLength: 25}), (operations) => {
        const clock = new ManualClock();
        const ours = createPlainStore();
        const theirs = createTinyBasePlainStore();
        const ourLogs = recordAllListeners(ours, {tableId: 't1', cellIds: ['c1']}).logs;
        const theirLogs = recordAllListeners(theirs, {tableId: 't1', cellIds: ['c1']}).logs;
        for (const step of operations) {
          expectSame(
            applyOperation(ours, clock, step),
            applyOperation(theirs, clock, step),
            step.kind,
          );
        }
        expectSame(plainState(ours), plainState(theirs), 'state');
        expectSame(sortedLogs(ourLogs), sortedLogs(theirLogs), 'listener calls');
      }),
      {seed: 424242, numRuns: 150},
    );
  });

  // TinyBase cannot write an object or array cell back when it rolls back, so only operations
  // without them are compared (test/store/rollback.test.ts checks those against a twin store).
  test('a rolled-back transaction restores the content as TinyBase does', () => {
    fc.assert(
      fc.property(
        fc.array(operation, {maxLength: 10}),
        fc.array(operation, {minLength: 1, maxLength: 6}),
        (before, undone) => {
          fc.pre(!writesObjectCell([...before, ...undone]));
          const clock = new ManualClock();
          const run = (store: Store) => {
            for (const step of before) {
              applyOperation(store, clock, step);
            }
            store.transaction(
              () => {
                for (const step of undone) {
                  applyOperation(store, clock, step);
                }
              },
              () => true,
            );
            return plainState(store);
          };
          expectSame(run(createPlainStore()), run(createTinyBasePlainStore()));
        },
      ),
      {seed: 77, numRuns: 100},
    );
  });
});

describe('schemas on both kinds of store, through every way of writing', () => {
  const tablesSchema = {
    pets: {species: {type: 'string'}, legs: {type: 'number', default: 4}, tags: {type: 'array'}},
  } as const;
  /** The same writes on a store: setters, applyChanges and the JSON setters. */
  const writeAll = (store: Store | tinybase.Store) => {
    store.setTablesSchema(tablesSchema);
    store.setCell('pets', 'fido', 'species', 'dog');
    store.setCell('pets', 'fido', 'legs', 'four' as never); // wrong type: ignored
    store.applyChanges([{pets: {rex: {species: 7 as never, tags: ['a']}, fido: {legs: 3}}}, {}, 1]);
    const beforeJson = store.getTables();
    store.setTablesJson(
      JSON.stringify({pets: {tom: {species: 'cat', tags: '\uFFFD["b"]', legs: true}}}),
    );
    store.delCell('pets', 'tom', 'legs'); // back to the default
    return [beforeJson, store.getTables(), store.getTablesJson(), store.getTablesSchemaJson()];
  };

  test.each([
    ['createStore', () => createStore(), () => tinybase.createStore()],
    [
      'createMergeableStore',
      () => createMergeableStore('a'),
      () => tinybase.createMergeableStore('a'),
    ],
  ])('%s matches TinyBase', (_, ours, theirs) => {
    const result = writeAll(ours());
    expect(result).toEqual(writeAll(theirs()));
    expect(result[0]).toEqual({
      pets: {fido: {species: 'dog', legs: 3}, rex: {legs: 4, tags: ['a']}},
    });
    expect(result[1]).toEqual({pets: {tom: {species: 'cat', tags: ['b'], legs: 4}}});
  });
});
