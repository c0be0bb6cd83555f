// Plain changes on both kinds of store, side by side with TinyBase: getTransactionChanges and
// getTransactionLog during and after transactions, and applyChanges with any changes.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {Changes, Store} from '../../src/store/types.js';
import {cell, objectFrom, operation, simpleOperation} from './support/arbitraries.js';
import {expectSame} from './support/compare.js';
import {applyToBoth, expectSameCallsAndStores, kinds, twoClocks} from './support/kinds.js';
import {recordAllListeners} from './support/listeners.js';
import {applyOperation} from './support/operations.js';
import {plainState} from './support/stores.js';

const EMPTY_LOG = [false, false, {}, {}, {}, {}, {}, {}, {}, {}];

/**
 * The transaction log with its invalid cells and values left out: TinyBase records there what its
 * validation refused even without a schema (setTables({}) logs a cell "undefined"), which
 * syncstore does not track; it always reports them empty. Checked apart below.
 */
const withoutInvalid = (store: Store): unknown[] => {
  const log: unknown[] = store.getTransactionLog();
  return [...log.slice(0, 3), log[4], ...log.slice(6)];
};

/** Changes of every shape: undefined tables, rows, cells and values, and invalid cells. */
const ids = (pool: string[]) => fc.constantFrom(...pool);
const maybe = <Thing>(thing: fc.Arbitrary<Thing>) =>
  fc.oneof({arbitrary: thing, weight: 3}, {arbitrary: fc.constant(undefined), weight: 1});
const entries = <Thing>(key: fc.Arbitrary<string>, thing: fc.Arbitrary<Thing>) =>
  fc.array(fc.tuple(key, thing), {maxLength: 3}).map((pairs) => objectFrom(pairs));
const changes: fc.Arbitrary<Changes> = fc.tuple(
  entries(
    ids(['t1', 't2', '__proto__']),
    maybe(entries(ids(['r1', 'r2', '0']), maybe(entries(ids(['c1', 'c2']), maybe(cell))))),
  ),
  entries(ids(['v1', 'v2', 'toString']), maybe(cell)),
  fc.constant(1 as const),
) as fc.Arbitrary<Changes>;

describe.each(kinds)('$name changes', ({make}) => {
  test('outside a transaction, the changes and the log are empty', () => {
    for (const store of make(twoClocks())) {
      store.setCell('t', 'r', 'c', 1);
      expect(store.getTransactionChanges()).toEqual([{}, {}, 1]);
      expect(store.getTransactionLog()).toEqual(EMPTY_LOG);
    }
  });

  test('a known transaction, as the documentation describes it', () => {
    const [store] = make(twoClocks());
    store.setTables({pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}});
    store.setValues({open: true, employees: 3});
    let changesSeen: Changes | undefined;
    store.addDidFinishTransactionListener(() => {
      changesSeen = store.getTransactionChanges();
    });
    store.transaction(() => {
      store.setCell('pets', 'fido', 'color', 'brown');
      store.delRow('pets', 'felix');
      store.setValue('open', false);
      store.delValue('employees');
    });
    expectSame(changesSeen, [
      {pets: {fido: {color: 'brown'}, felix: undefined}},
      {open: false, employees: undefined},
      1,
    ]);
  });

  test('invalid cells and values are always reported empty', () => {
    const [store] = make(twoClocks());
    store.transaction(() => {
      store.setRow('t', 'r', {c: undefined as never});
      store.setValue('v', Number.NaN);
      store.setCell('t', 'r', 'd', 1);
      const log = store.getTransactionLog();
      expect(log[3]).toEqual({});
      expect(log[5]).toEqual({});
      expect(log[2]).toEqual({t: {r: {d: [undefined, 1]}}});
    });
  });

  test('during random transactions, changes and log are as TinyBase reports them', () => {
    fc.assert(
      fc.property(
        fc.array(operation, {maxLength: 10}),
        fc.array(simpleOperation, {minLength: 1, maxLength: 8}),
        (before, during) => {
          const clocks = twoClocks();
          const stores = make(clocks);
          const reports = stores.map((store, index) => {
            for (const step of before) {
              applyOperation(store, clocks[index], step);
            }
            const seen: unknown[] = [];
            const report = (when: string) =>
              seen.push([when, store.getTransactionChanges(), withoutInvalid(store)]);
            store.addWillFinishTransactionListener(() => report('will finish'));
            store.addDidFinishTransactionListener(() => report('did finish'));
            store.transaction(() => {
              for (const step of during) {
                applyOperation(store, clocks[index], step);
                report(step.kind);
              }
            });
            report('after');
            return seen;
          });
          expectSame(reports[0], reports[1]);
        },
      ),
      {seed: 1234, numRuns: 200},
    );
  });

  test('applyChanges of random changes does what it does in TinyBase', () => {
    fc.assert(
      fc.property(
        fc.array(operation, {maxLength: 10}),
        fc.array(changes, {minLength: 1, maxLength: 3}),
        (before, applied) => {
          const clocks = twoClocks();
          const [ours, theirs] = make(clocks);
          applyToBoth([ours, theirs], clocks, before);
          const ourLogs = recordAllListeners(ours).logs;
          const theirLogs = recordAllListeners(theirs).logs;
          for (const change of applied) {
            expect(ours.applyChanges(change)).toBe(ours);
            theirs.applyChanges(change);
            expectSame(plainState(ours), plainState(theirs), 'state');
          }
          expectSameCallsAndStores([ours, theirs], ourLogs, theirLogs);
        },
      ),
      {seed: 4321, numRuns: 200},
    );
  });

  test("a transaction's changes, applied to a copy of the store before it, give the same content", () => {
    fc.assert(
      fc.property(
        fc.array(operation, {maxLength: 10}),
        fc.array(simpleOperation, {minLength: 1, maxLength: 8}),
        (before, during) => {
          const clocks = twoClocks();
          const [store, ignored] = make(clocks);
          ignored.delTables();
          const [copy] = make(twoClocks());
          for (const step of before) {
            applyOperation(store, clocks[0], step);
          }
          copy.setContent(store.getContent());
          let changesMade: Changes = [{}, {}, 1];
          store.addDidFinishTransactionListener(() => {
            changesMade = store.getTransactionChanges();
          });
          store.transaction(() => {
            for (const step of during) {
              applyOperation(store, clocks[0], step);
            }
          });
          copy.applyChanges(changesMade);
          // Order is not compared: a row written again comes last in one and not the other.
          expect(copy.getTables()).toEqual(store.getTables());
          expect(copy.getValues()).toEqual(store.getValues());
        },
      ),
      {seed: 99, numRuns: 150},
    );
  });
});
