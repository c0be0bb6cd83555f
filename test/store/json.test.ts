// JSON and forEach methods of both kinds of store, side by side with TinyBase: what the getters
// write, what the setters accept (invalid JSON is ignored), and the exact callback arguments.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {Store} from '../../src/store/types.js';
import {operation, tables, values} from './support/arbitraries.js';
import {expectSame} from './support/compare.js';
import {applyToBoth, expectSameCallsAndStores, kinds, twoClocks} from './support/kinds.js';
import {recordAllListeners} from './support/listeners.js';
import {applyOperation} from './support/operations.js';
import {plainState} from './support/stores.js';

/** Object and array cells in the encoded form getJson writes them in. */
const encodeObjects = (thing: unknown, depth: number): unknown => {
  if (depth === 0) {
    return typeof thing === 'object' && thing !== null ? `\uFFFD${JSON.stringify(thing)}` : thing;
  }
  return Object.fromEntries(
    Object.entries(thing as object).map(([id, child]) => [id, encodeObjects(child, depth - 1)]),
  );
};

/** JSON strings of every sort a setter may be given: valid, encoded, odd and broken. */
const json = fc.oneof(
  tables.map((input) => JSON.stringify(input)),
  tables.map((input) => JSON.stringify(encodeObjects(input, 3))),
  values.map((input) => JSON.stringify(encodeObjects(input, 1))),
  fc.tuple(tables, values).map((content) => JSON.stringify(content)),
  fc.tuple(tables, values).map(([t, v]) => JSON.stringify([encodeObjects(t, 3), v])),
  fc.tuple(tables).map((content) => JSON.stringify(content)),
  fc.constantFrom(
    '',
    'not json',
    '{',
    'null',
    '5',
    '"text"',
    '[]',
    '[1,2]',
    '{}',
    '[{},{}]',
    '[{}]',
    '[null,{"v":1}]',
    '{"t":{}}',
    '{"t":{"r":{}}}',
    '{"t":{"r":{"c":"\\uFFFC"}}}',
    '{"t":{"r":{"c":"\\uFFFDnot json","d":1}}}',
    '{"__proto__":{"r":{"c":1}}}',
  ),
);
const setter = fc.constantFrom('setJson', 'setTablesJson', 'setValuesJson') satisfies fc.Arbitrary<
  keyof Store
>;

describe.each(kinds)('$name JSON', ({make}) => {
  test('an empty store', () => {
    for (const store of make(twoClocks())) {
      expect(store.getJson()).toBe('[{},{}]');
      expect(store.getTablesJson()).toBe('{}');
      expect(store.getValuesJson()).toBe('{}');
    }
  });

  test('getters write what TinyBase writes, object cells included', () => {
    const [ours, theirs] = make(twoClocks());
    for (const store of [ours, theirs]) {
      store.setTables({t: {r: {n: 1, s: 'x"y', o: {a: [1]}, l: [], z: -0}}}).setValues({v: [2]});
    }
    expect(ours.getJson()).toBe(theirs.getJson());
    expect(ours.getTablesJson()).toBe(theirs.getTablesJson());
    expect(ours.getValuesJson()).toBe(theirs.getValuesJson());
    expect(JSON.parse(ours.getValuesJson())).toEqual({v: '\uFFFD[2]'});
  });

  test('random operations, then random JSON given to the setters, as TinyBase', () => {
    fc.assert(
      fc.property(
        fc.array(operation, {maxLength: 10}),
        fc.array(fc.tuple(setter, json), {minLength: 1, maxLength: 4}),
        (operations, calls) => {
          const clocks = twoClocks();
          const [ours, theirs] = make(clocks);
          const ourLogs = recordAllListeners(ours).logs;
          const theirLogs = recordAllListeners(theirs).logs;
          applyToBoth([ours, theirs], clocks, operations);
          for (const [name, input] of calls) {
            expect(ours[name](input)).toBe(ours);
            theirs[name](input);
            expectSame(plainState(ours), plainState(theirs), `${name}(${input})`);
          }
          expectSameCallsAndStores([ours, theirs], ourLogs, theirLogs);
        },
      ),
      {seed: 9090, numRuns: 150},
    );
  });

  test('what getJson writes, setJson reads back into an empty store', () => {
    fc.assert(
      fc.property(fc.array(operation, {maxLength: 10}), (operations) => {
        const clocks = twoClocks();
        const [source] = make(clocks);
        for (const step of operations) {
          applyOperation(source, clocks[0], step);
        }
        const [copy] = make(twoClocks());
        copy.setJson(source.getJson());
        // JSON has no -0, so the copy may hold 0 where the source holds -0
        expect(copy.getJson()).toBe(source.getJson());
        expectSame(copy.getContent(), JSON.parse(JSON.stringify(source.getContent())));
      }),
      {seed: 31, numRuns: 100},
    );
  });
});

describe.each(kinds)('$name forEach', ({make}) => {
  /** Every callback call with all its arguments; functions are called through and named. */
  const walk = (store: Store): unknown[] => {
    const calls: unknown[] = [];
    const record = (name: string, args: unknown[]) =>
      calls.push([
        name,
        args.length,
        ...args.map((arg) => (typeof arg === 'function' ? 'fn' : arg)),
      ]);
    store.forEachTable((...args) => {
      record('table', args);
      args[1]((...rowArgs) => {
        record('row', rowArgs);
        rowArgs[1]((...cellArgs) => record('cell', cellArgs));
      });
    });
    for (const tableId of [...store.getTableIds(), 'missing']) {
      store.forEachTableCell(tableId, (...args) => record('tableCell', args));
      store.forEachRow(tableId, (...args) => record('tableRow', args));
      for (const rowId of [...store.getRowIds(tableId), 'missing']) {
        store.forEachCell(tableId, rowId, (...args) => record('rowCell', args));
      }
    }
    store.forEachValue((...args) => record('value', args));
    return calls;
  };

  test('callbacks get the same arguments, in the same order, as in TinyBase', () => {
    fc.assert(
      fc.property(fc.array(operation, {maxLength: 20}), (operations) => {
        const clocks = twoClocks();
        const [ours, theirs] = make(clocks);
        applyToBoth([ours, theirs], clocks, operations);
        expectSame(walk(ours), walk(theirs));
      }),
      {seed: 5150, numRuns: 150},
    );
  });

  test('a known store, call by call', () => {
    const [store] = make(twoClocks());
    store.setTables({t: {r1: {a: 1, b: {x: 1}}, r2: {a: 2}}}).setValues({v: true});
    expect(walk(store)).toEqual([
      ['table', 2, 't', 'fn'],
      ['row', 2, 'r1', 'fn'],
      ['cell', 2, 'a', 1],
      ['cell', 2, 'b', {x: 1}],
      ['row', 2, 'r2', 'fn'],
      ['cell', 2, 'a', 2],
      ['tableCell', 2, 'a', 2],
      ['tableCell', 2, 'b', 1],
      ['tableRow', 2, 'r1', 'fn'],
      ['tableRow', 2, 'r2', 'fn'],
      ['rowCell', 2, 'a', 1],
      ['rowCell', 2, 'b', {x: 1}],
      ['rowCell', 2, 'a', 2],
      ['value', 2, 'v', true],
    ]);
  });
});
