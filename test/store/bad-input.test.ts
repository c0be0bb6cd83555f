// Bad input: malformed or hostile mergeable changes/content are refused whole and leave the store
// exactly as it was; invalid cells given to setters are refused as TinyBase refuses them; a
// listener that throws leaves the store consistent.
import {describe, expect, test} from 'vitest';
import type {MergeableStore, MergeableStoreInternals} from '../../src/store/types.js';
import {contentOfStamps, expectSame, toPlain} from './support/compare.js';
import {recordAllListeners, sortedLogs} from './support/listeners.js';
import {
  applyToTinyBase,
  createStore,
  createTinyBaseStore,
  encodeObjectCells,
  implementations,
} from './support/stores.js';
import {
  fnv1a32,
  hlcOf,
  leafContainerHash,
  leafHash,
  MAX_FUTURE_OFFSET,
  nodeContainerHash,
  START_TIME,
  withRecomputedHashes,
} from './support/wire.js';

const T = START_TIME;
const fixedAt = (time: number) => () => time;
/** A well-formed HLC from another client, at the receiver's time. */
const GOOD_HLC = hlcOf(T, 0, 's2');
const FAR_HLC = hlcOf(T + MAX_FUTURE_OFFSET + 1, 0, 's2');

/** A store with some content, as the receiver of bad input. */
const createReceiver = (create: typeof createStore): MergeableStore =>
  create('s1', fixedAt(T))
    .setTables({t: {r: {c: 1, o: {a: [1]}}, r2: {c: 2}}})
    .setValues({v: 1, w: 'w'})
    .delCell('t', 'r2', 'c');

/** Everything observable about a store, for before/after comparison. */
const observe = (store: MergeableStore) => ({
  content: toPlain(store.getMergeableContent()),
  hashes: store.getMergeableContentHashes(),
  tableHashes: store.getMergeableTableHashes(),
  valueHashes: store.getMergeableValueHashes(),
  tables: toPlain(store.getTables()),
  values: toPlain(store.getValues()),
  rowIds: store.getRowIds('t'),
});

type Input = unknown;

/** An array with holes where `'hole'` is given (the linter refuses literal holes). */
const sparse = (items: unknown[]): unknown[] => {
  const array: unknown[] = [];
  items.forEach((item, index) => {
    if (item !== 'hole') {
      array[index] = item;
    }
  });
  array.length = items.length;
  return array;
};
/** Each case builds a fresh input: a valid part plus one bad part, so partial merges show. */
const changesWith = (cellStamp: unknown, valueStamp: unknown = [1, GOOD_HLC]): Input => [
  [{good: [{r: [{c: [9, GOOD_HLC]}]}], x: [{y: [{z: cellStamp}]}]}],
  [{good: [2, GOOD_HLC], v: valueStamp}],
  1,
];

const malformedChanges: [string, () => Input][] = [
  ['null', () => null],
  ['undefined', () => undefined],
  ['a number', () => 1],
  ['a string', () => 'x'],
  ['an object', () => ({0: [{}], 1: [{}], 2: 1})],
  ['an empty array', () => []],
  ['only tables', () => [[{good: [{r: [{c: [9, GOOD_HLC]}]}]}]]],
  ['flag 2', () => [[{good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], 2]],
  ['flag "1"', () => [[{good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], '1']],
  ['four elements', () => [[{good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], 1, 1]],
  ['tables stamp not an array', () => [{good: [{r: [{c: [9, GOOD_HLC]}]}]}, [{}], 1]],
  ['tables thing an array', () => [[[]], [{good: [1, GOOD_HLC]}], 1]],
  ['tables thing null', () => [[null], [{good: [1, GOOD_HLC]}], 1]],
  ['table stamp an object', () => [[{x: {}, good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], 1]],
  ['row thing an array', () => [[{x: [{y: [[]]}], good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], 1]],
  ['row stamp null', () => [[{x: [{y: null}], good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], 1]],
  ['cell stamp a number', () => changesWith(1)],
  ['cell stamp an object', () => changesWith({0: 1, 1: GOOD_HLC})],
  ['cell stamp empty', () => changesWith([])],
  ['cell stamp of four', () => changesWith([1, GOOD_HLC, 1, 1])],
  [
    'values stamp not an array',
    () => [[{good: [{r: [{c: [9, GOOD_HLC]}]}]}], {v: [1, GOOD_HLC]}, 1],
  ],
  ['values thing an array', () => [[{good: [{r: [{c: [9, GOOD_HLC]}]}]}], [[]], 1]],
  ['value stamp empty', () => changesWith([1, GOOD_HLC], [])],
  ['hlc a number', () => changesWith([1, 5])],
  ['hlc null', () => changesWith([1, null])],
  ['hlc of 15 chars', () => changesWith([1, GOOD_HLC.slice(1)])],
  ['hlc of 17 chars', () => changesWith([1, `${GOOD_HLC}-`])],
  ['hlc with "!"', () => changesWith([1, `${GOOD_HLC.slice(0, 15)}!`])],
  ['hlc with "é"', () => changesWith([1, `${GOOD_HLC.slice(0, 15)}é`])],
  ['hash a string', () => changesWith([1, GOOD_HLC, 'x'])],
  ['row hlc malformed', () => [[{x: [{y: [{z: [1, GOOD_HLC]}, 'bad']}]}], [{}], 1]],
  ['table hlc malformed', () => [[{x: [{y: [{z: [1, GOOD_HLC]}]}, 'bad']}], [{}], 1]],
  ['tables hlc malformed', () => [[{x: [{y: [{z: [1, GOOD_HLC]}]}]}, 'bad'], [{}], 1]],
  ['values hlc malformed', () => [[{}], [{v: [1, GOOD_HLC]}, 'bad'], 1]],
  ['cell hlc > 5 min ahead', () => changesWith([1, FAR_HLC])],
  ['value hlc > 5 min ahead', () => changesWith([1, GOOD_HLC], [1, FAR_HLC])],
  ['table hlc > 5 min ahead', () => [[{x: [{y: [{z: [1, GOOD_HLC]}]}, FAR_HLC]}], [{}], 1]],
  ['tombstone > 5 min ahead', () => changesWith([undefined, FAR_HLC])],
  ['"\\uFFFC" cell', () => changesWith(['\uFFFC', GOOD_HLC])],
  ['"\\uFFFC" value', () => changesWith([1, GOOD_HLC], ['\uFFFC', GOOD_HLC])],
  ['"\\uFFFD..." cell', () => changesWith(['\uFFFDx', GOOD_HLC])],
  ['"\\uFFFD{json}" cell', () => changesWith(['\uFFFD{"a":1}', GOOD_HLC])],
  ['"\\uFFFD[json]" value', () => changesWith([1, GOOD_HLC], ['\uFFFD[1]', GOOD_HLC])],
  ['NaN cell', () => changesWith([Number.NaN, GOOD_HLC])],
  ['Infinity cell', () => changesWith([Number.POSITIVE_INFINITY, GOOD_HLC])],
  ['-Infinity value', () => changesWith([1, GOOD_HLC], [Number.NEGATIVE_INFINITY, GOOD_HLC])],
  ['function cell', () => changesWith([() => 1, GOOD_HLC])],
  ['symbol cell', () => changesWith([Symbol('s'), GOOD_HLC])],
  ['bigint cell', () => changesWith([1n, GOOD_HLC])],
  ['Date cell', () => changesWith([new Date(0), GOOD_HLC])],
  ['Map value', () => changesWith([1, GOOD_HLC], [new Map(), GOOD_HLC])],
];

/** Hashed content with one leaf stamp replaced, for setMergeableContent. */
const contentWith = (cellStamp: unknown = [1, GOOD_HLC, leafHash(1, GOOD_HLC)]): Input => {
  const goodHash = leafHash(9, GOOD_HLC);
  const goodRow = leafContainerHash({c: goodHash});
  const goodTable = nodeContainerHash({r: goodRow});
  const valueHash = leafHash(2, GOOD_HLC);
  return [
    [
      {
        good: [{r: [{c: [9, GOOD_HLC, goodHash]}, '', goodRow]}, '', goodTable],
        x: [{y: [{z: cellStamp}, '', 1]}, '', 2],
      },
      '',
      3,
    ],
    [{good: [2, GOOD_HLC, valueHash]}, '', leafContainerHash({good: valueHash})],
  ];
};

const malformedContent: [string, () => Input][] = [
  ['changes instead of content', () => [...(contentWith() as unknown[]), 1]],
  ['unhashed leaf', () => contentWith([1, GOOD_HLC])],
  ['leaf without hlc', () => contentWith([1])],
  ['hash a string', () => contentWith([1, GOOD_HLC, '1'])],
  ['hash null', () => contentWith([1, GOOD_HLC, null])],
  [
    'row without hash',
    () => {
      const content = contentWith() as [[{[id: string]: unknown[]}]];
      (content[0][0].x[0] as {[id: string]: unknown[]}).y.pop();
      return content;
    },
  ],
  [
    'tables without hash',
    () => {
      const content = contentWith() as unknown[][];
      content[0].pop();
      return content;
    },
  ],
  ['leaf > 5 min ahead', () => contentWith([1, FAR_HLC, leafHash(1, FAR_HLC)])],
  ['malformed hlc', () => contentWith([1, 'not-an-hlc-at-al', 1])],
  ['"\\uFFFC" cell', () => contentWith(['\uFFFC', GOOD_HLC, 1])],
  ['"\\uFFFD..." cell', () => contentWith(['\uFFFDx', GOOD_HLC, 1])],
  ['NaN cell', () => contentWith([Number.NaN, GOOD_HLC, 1])],
  ['function cell', () => contentWith([() => 1, GOOD_HLC, 1])],
  ['undefined content', () => undefined],
  ['null content', () => null],
  ['a string', () => 'content'],
];

describe.each(implementations)('%s refuses malformed input whole', (_name, create) => {
  const expectRefused = (input: Input, apply: (store: MergeableStore, input: Input) => void) => {
    const store = createReceiver(create);
    const before = observe(store);
    const {logs} = recordAllListeners(store);
    const inputBefore = toPlain(input);
    expect(() => apply(store, input)).not.toThrow();
    expect(observe(store)).toEqual(before);
    expect(logs).toEqual({});
    expect(toPlain(input), 'the input is not modified').toEqual(inputBefore);
    // The store still works afterwards.
    store.setCell('t', 'r', 'after', true);
    expect(store.getCell('t', 'r', 'after')).toBe(true);
  };

  test.each(malformedChanges)('applyMergeableChanges: %s', (_case, build) => {
    expectRefused(build(), (store, input) =>
      store.applyMergeableChanges(input as Parameters<MergeableStore['applyMergeableChanges']>[0]),
    );
  });

  test.each(malformedContent)('setMergeableContent: %s', (_case, build) => {
    expectRefused(build(), (store, input) =>
      store.setMergeableContent(input as Parameters<MergeableStore['setMergeableContent']>[0]),
    );
  });

  test('the valid parts of those inputs alone are accepted (the cases test what they mean to)', () => {
    const store = createReceiver(create);
    store.applyMergeableChanges(changesWith([1, GOOD_HLC]) as never);
    expect(store.getCell('x', 'y', 'z')).toBe(1);
    expect(store.getCell('good', 'r', 'c')).toBe(9);
    const loaded = createReceiver(create);
    loaded.setMergeableContent(contentWith() as never);
    expect(loaded.getTables()).toEqual({good: {r: {c: 9}}, x: {y: {z: 1}}});
    expect(loaded.getValues()).toEqual({good: 2});
  });

  test('an HLC exactly 5 minutes ahead is accepted and moves the clock', () => {
    const store = createReceiver(create);
    const edge = hlcOf(T + MAX_FUTURE_OFFSET, 3, 's2');
    store.applyMergeableChanges([[{x: [{y: [{z: [1, edge]}]}]}], [{}], 1]);
    expect(store.getCell('x', 'y', 'z')).toBe(1);
    store.setValue('next', 1);
    expect(store.getMergeableContent()[1][0].next[1]).toBe(hlcOf(T + MAX_FUTURE_OFFSET, 4, 's1'));
  });

  test('a refused far-future HLC does not move the clock', () => {
    const store = createReceiver(create);
    store.applyMergeableChanges(changesWith([1, FAR_HLC]) as never);
    store.setValue('next', 1);
    expect(store.getMergeableContent()[1][0].next[1]).toBe(hlcOf(T, 6, 's1'));
  });
});

describe('the wire path refuses the same input with its reason', () => {
  // What synchronizers use: the merge returns why it refused the input, and they report it. Two
  // cases are malformed only in decoded form: "\uFFFD" + JSON is how the wire encodes an object
  // or array cell, so there they are valid and accepted.
  const validWhenEncoded = new Set(['"\\uFFFD{json}" cell', '"\\uFFFD[json]" value']);
  const internals = (store: MergeableStore) => store as unknown as MergeableStoreInternals;

  const expectReason = (reason: string | undefined, store: MergeableStore, before: unknown) => {
    expect(reason, 'a reason is given').toMatch(/\w/);
    expect(observe(store), 'nothing of the input was applied').toEqual(before);
  };

  test.each(malformedChanges)('applyEncodedMergeableChanges: %s', (name, build) => {
    const store = createReceiver(createStore);
    const before = observe(store);
    const reason = internals(store).applyEncodedMergeableChanges(build() as never);
    if (validWhenEncoded.has(name)) {
      expect(reason).toBeUndefined();
      expect(store.getCell('good', 'r', 'c')).toBe(9);
    } else {
      expectReason(reason, store, before);
    }
  });

  test.each(malformedContent)('setEncodedMergeableContent: %s', (_name, build) => {
    const store = createReceiver(createStore);
    const before = observe(store);
    expectReason(internals(store).setEncodedMergeableContent(build() as never), store, before);
  });

  test('the reason says what was wrong and where', () => {
    const reasonFor = (input: Input) =>
      internals(createReceiver(createStore)).applyEncodedMergeableChanges(input as never);
    expect(reasonFor(null)).toBe('mergeable content must be an array');
    expect(reasonFor(changesWith([1, 5]))).toBe('tables/x/y/z: malformed HLC 5');
    expect(reasonFor(changesWith([Number.NaN, GOOD_HLC]))).toBe(
      'tables/x/y/z: invalid cell or value NaN',
    );
    expect(reasonFor(changesWith([1, GOOD_HLC], [1, FAR_HLC]))).toBe(
      `values/v: HLC ${FAR_HLC} is more than 5 minutes ahead of this peer's clock`,
    );
    expect(reasonFor([[{good: [{r: [{c: [9, GOOD_HLC]}]}]}], [{}], 2])).toBe(
      'expected [tables, values] or [tables, values, 1]',
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Inputs TinyBase accepts although they look odd: syncstore must treat them the same way.

const oddButAccepted: [string, () => Input][] = [
  ['negative hash (ignored)', () => changesWith([1, GOOD_HLC, -1])],
  ['fractional hash (ignored)', () => changesWith([1, GOOD_HLC, 1.5])],
  ['hash 2^32 (ignored)', () => changesWith([1, GOOD_HLC, 2 ** 32])],
  ['undefined thing = tombstone', () => changesWith([undefined, GOOD_HLC])],
  ['hole as thing', () => changesWith(sparse(['hole', GOOD_HLC]))],
  ['"" hlc', () => changesWith([1, ''])],
  ['leaf of one element', () => changesWith([1])],
  ['empty row object', () => [[{x: [{y: [{}]}]}], [{}], 1]],
  ['empty table object', () => [[{x: [{}]}], [{}], 1]],
  ['content without hashes', () => [[{x: [{y: [{z: [1, GOOD_HLC]}]}]}], [{}]]],
  [
    'content with wrong hashes',
    () => [
      [{x: [{y: [{z: [1, GOOD_HLC, 5]}, '', 6]}, '', 7]}, '', 8],
      [{}, '', 9],
    ],
  ],
  [
    'container hlcs',
    () => [
      [{x: [{y: [{z: [1, GOOD_HLC]}, hlcOf(T, 1, 's2')]}, hlcOf(T, 2, 's2')]}, hlcOf(T, 3, 's2')],
      [{}, hlcOf(T, 4, 's2')],
      1,
    ],
  ],
];

/** Object cells TinyBase accepts in public merges; their JSON is what is stored. */
const oddObjectCells: [string, () => Input][] = [
  ['object cell with undefined inside', () => changesWith([{a: undefined, b: 1}, GOOD_HLC])],
  ['object cell with NaN inside', () => changesWith([{a: Number.NaN}, GOOD_HLC])],
  ['object cell with a function inside', () => changesWith([{a: () => 1}, GOOD_HLC])],
  ['array cell with "\\uFFFC" inside', () => changesWith([['\uFFFC'], GOOD_HLC])],
  [
    'null-prototype object cell',
    () => changesWith([Object.assign(Object.create(null), {a: 1}), GOOD_HLC]),
  ],
  [
    'object cell whose prototype is a root (another realm)',
    () =>
      changesWith([
        Object.create(Object.create(null), {a: {value: 1, enumerable: true}}),
        GOOD_HLC,
      ]),
  ],
];

const oddContent: [string, () => Input][] = [
  ['wrong hashes are trusted', () => contentWith([1, GOOD_HLC, 5])],
  ['negative hash', () => contentWith([1, GOOD_HLC, -1])],
  ['fractional hash', () => contentWith([1, GOOD_HLC, 0.5])],
  ['"" hlc', () => contentWith([1, '', 1])],
  ['tombstone', () => contentWith([undefined, GOOD_HLC, fnv1a32(`null:${GOOD_HLC}`)])],
];

const outcome = (create: typeof createStore, apply: (store: MergeableStore) => void) => {
  const store = createReceiver(create);
  const {logs} = recordAllListeners(store);
  let threw = false;
  try {
    apply(store);
  } catch {
    threw = true;
  }
  return {threw, ...observe(store), logs: sortedLogs(logs)};
};

/** What a store shows of its content alone, leaving its stamps and hashes aside. */
const plainPart = ({content, hashes, tableHashes, valueHashes, ...plain}: Outcome) => plain;
type Outcome = ReturnType<typeof outcome>;

describe('odd input is treated as TinyBase treats it', () => {
  // One input for both stores: TinyBase keeps (and returns) objects of a decoded input as given.
  test.each(oddButAccepted)('applyMergeableChanges: %s', (_case, build) => {
    const input = build();
    const apply = (store: MergeableStore) => store.applyMergeableChanges(input as never);
    expectSame(outcome(createStore, apply), outcome(createTinyBaseStore, apply));
  });

  test.each(oddObjectCells)('applyMergeableChanges: %s', (_case, build) => {
    const input = build();
    const ours = outcome(createStore, (store) => store.applyMergeableChanges(input as never));
    const theirs = outcome(createTinyBaseStore, (store) =>
      store.applyMergeableChanges(input as never),
    );
    expectSame(plainPart(ours), plainPart(theirs));
    // Deviation (a): syncstore stores and hashes the cell's encoded JSON, as the store that wrote
    // it would; TinyBase's public path keeps the raw object and hashes that. Its wire path is the
    // reference for the stamps.
    const wired = outcome(createTinyBaseStore, (store) => applyToTinyBase(store, input));
    expectSame(ours, wired);
  });

  test.each(oddContent)('setMergeableContent: %s', (_case, build) => {
    const input = build();
    const ours = outcome(createStore, (store) => store.setMergeableContent(input as never));
    const theirs = outcome(createTinyBaseStore, (store) =>
      store.setMergeableContent(input as never),
    );
    expectSame(plainPart(ours), plainPart(theirs));
    // Deviation (b): syncstore recomputes the hashes instead of keeping wrong ones; with correct
    // hashes, TinyBase loads the same stamps.
    const recomputed = withRecomputedHashes(input);
    const reference = outcome(createTinyBaseStore, (store) =>
      store.setMergeableContent(recomputed as never),
    );
    expectSame(ours, reference);
  });
});

describe('the wire path takes odd object cells as TinyBase takes them', () => {
  const applyEncoded = (store: MergeableStore, input: Input) =>
    (store as unknown as MergeableStoreInternals).applyEncodedMergeableChanges(input as never);

  // TinyBase's wire path keeps a decoded object as it is and hashes its raw JSON; syncstore
  // encodes it first, as everywhere (deviation a). Encoded, both keep the same stamps.
  test.each(oddObjectCells)('%s, decoded or encoded', (_case, build) => {
    const input = build();
    const reference = outcome(createTinyBaseStore, (store) => applyToTinyBase(store, input));
    expectSame(
      outcome(createStore, (store) => applyEncoded(store, input)),
      reference,
    );
    expectSame(
      outcome(createStore, (store) => applyEncoded(store, encodeObjectCells(input))),
      reference,
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Setters given invalid cells and values.

class Point {
  x = 1;
}
const invalidThings: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['-Infinity', () => Number.NEGATIVE_INFINITY],
  ['a symbol', () => Symbol('s')],
  ['a bigint', () => 1n],
  ['a Date', () => new Date(0)],
  ['a Map', () => new Map([[1, 2]])],
  ['a class instance', () => new Point()],
  ['"\\uFFFC"', () => '\uFFFC'],
  ['"\\uFFFDx"', () => '\uFFFDx'],
  ['"\\uFFFD{json}"', () => '\uFFFD{"a":1}'],
  ['an object with undefined inside', () => ({a: undefined, b: 1})],
  ['an object with NaN inside', () => ({a: Number.NaN})],
  ['an object with a function inside', () => ({f: () => 1})],
  ['a null-prototype object', () => Object.assign(Object.create(null), {a: 1})],
  ['an array with a hole', () => sparse([1, 'hole', 3])],
  ['an array holding "\\uFFFC"', () => ['\uFFFC']],
];

type Setter = [string, (store: MergeableStore, thing: unknown) => unknown];
const setters: Setter[] = [
  ['setCell', (store, thing) => store.setCell('t', 'r', 'c', thing as never)],
  ['setCell (mapper)', (store, thing) => store.setCell('t', 'r', 'c', () => thing as never)],
  ['setValue', (store, thing) => store.setValue('v', thing as never)],
  ['setValue (mapper)', (store, thing) => store.setValue('v', () => thing as never)],
  ['setRow', (store, thing) => store.setRow('t', 'r', {c: thing, ok: 1} as never)],
  ['setPartialRow', (store, thing) => store.setPartialRow('t', 'r', {c: thing, ok: 1} as never)],
  ['addRow', (store, thing) => store.addRow('t', {c: thing, ok: 1} as never)],
  ['setTable', (store, thing) => store.setTable('t', {r: {c: thing, ok: 1}} as never)],
  ['setTables', (store, thing) => store.setTables({t: {r: {c: thing, ok: 1}}} as never)],
  ['setValues', (store, thing) => store.setValues({v: thing, ok: 1} as never)],
  ['setPartialValues', (store, thing) => store.setPartialValues({v: thing, ok: 1} as never)],
  [
    'setContent',
    (store, thing) => store.setContent([{t: {r: {c: thing}}}, {v: thing, ok: 1}] as never),
  ],
  [
    'setDefaultContent',
    (store, thing) => {
      const fresh = store.delTables().delValues();
      return fresh.setDefaultContent([{t: {r: {c: thing, ok: 1}}}, {v: thing}] as never);
    },
  ],
];

const invalidContainers: [string, (store: MergeableStore) => unknown][] = [
  ['setRow with a number', (store) => store.setRow('t', 'r', 5 as never)],
  ['setRow with an array', (store) => store.setRow('t', 'r', [1, 2] as never)],
  ['setRow with null', (store) => store.setRow('t', 'r', null as never)],
  ['setRow with an empty row', (store) => store.setRow('t', 'r', {})],
  ['setPartialRow with an empty row', (store) => store.setPartialRow('t', 'r', {})],
  ['setTable with an array', (store) => store.setTable('t', [{c: 1}] as never)],
  ['setTable with an empty row', (store) => store.setTable('t', {r: {}, s: {c: 1}})],
  ['setTables with a string', (store) => store.setTables('x' as never)],
  ['setTables with an empty table', (store) => store.setTables({t: {}, u: {r: {c: 1}}})],
  ['setValues with an array', (store) => store.setValues([1] as never)],
  ['setContent with one part', (store) => store.setContent([{t: {r: {c: 1}}}] as never)],
  ['setContent with a function', (store) => store.setContent(() => [{t: {r: {c: 2}}}, {v: 2}])],
  ['a number as table id', (store) => store.setCell(1 as never, 'r', 'c', 1)],
  ['a number as value id', (store) => store.setValue(1 as never, 1)],
  ['undefined as cell id', (store) => store.setCell('t', 'r', undefined as never, 1)],
  [
    'addRow with reuseRowIds',
    (store) => [store.delRow('t', 'r'), store.addRow('t', {c: 1}, true)][1],
  ],
  [
    'delCell of the last cell with forceDel',
    (store) => store.delCell('t', 'r', 'c', true).delCell('t', 'r', 'o', true),
  ],
];

describe('setters refuse invalid cells as TinyBase does', () => {
  const run = (create: typeof createStore, act: (store: MergeableStore) => unknown) => {
    const store = create('s1', fixedAt(T))
      .setTables({t: {r: {c: 'old', o: 0}}})
      .setValues({v: 'old'});
    const {logs} = recordAllListeners(store);
    let result: unknown;
    try {
      result = act(store);
      result = result === store ? 'the store' : result;
    } catch (error) {
      result = `threw ${(error as Error).constructor.name}`;
    }
    return {result, ...observe(store), logs: sortedLogs(logs), store};
  };

  const isConsistent = (store: MergeableStore) =>
    JSON.stringify(toPlain([store.getTables(), store.getValues()])) ===
    JSON.stringify(toPlain(contentOfStamps(store.getMergeableContent())));

  /**
   * TinyBase is the reference, except where its plain content contradicts its own stamps (its
   * setDefaultContent does so for some objects): there the stamps are compared, and syncstore
   * must show what its stamps say.
   */
  const compare = (act: (store: MergeableStore) => unknown) => {
    const {store: ourStore, ...ours} = run(createStore, act);
    const {store: theirStore, ...theirs} = run(createTinyBaseStore, act);
    expect(isConsistent(ourStore), 'syncstore plain content matches its stamps').toBe(true);
    if (isConsistent(theirStore)) {
      expectSame(ours, theirs);
    } else {
      expectSame(ours.content, theirs.content);
      expectSame(ours.hashes, theirs.hashes);
      expectSame(ours.result, theirs.result);
    }
  };

  for (const [setterName, setter] of setters) {
    test.each(invalidThings)(`${setterName} with %s`, (_case, build) => {
      compare((store) => setter(store, build()));
    });
  }

  test.each(invalidContainers)('%s', (_case, act) => {
    compare(act);
  });
});

// ------------------------------------------------------------------------------------------------
// Listeners that throw.

type ListenerKind = [string, (store: MergeableStore, listener: () => void) => string];
const throwingKinds: ListenerKind[] = [
  ['cell', (store, listener) => store.addCellListener(null, null, null, listener)],
  ['row', (store, listener) => store.addRowListener(null, null, listener)],
  ['rowIds', (store, listener) => store.addRowIdsListener(null, listener)],
  ['tables', (store, listener) => store.addTablesListener(listener)],
  ['value', (store, listener) => store.addValueListener(null, listener)],
  ['values', (store, listener) => store.addValuesListener(listener)],
  ['didFinishTransaction', (store, listener) => store.addDidFinishTransactionListener(listener)],
  ['willFinishTransaction', (store, listener) => store.addWillFinishTransactionListener(listener)],
  ['startTransaction', (store, listener) => store.addStartTransactionListener(listener)],
];
/** Kinds that TinyBase calls after the data has changed: the change then stands in both. */
const afterChangeKinds = new Set([
  'cell',
  'row',
  'rowIds',
  'tables',
  'value',
  'values',
  'didFinishTransaction',
]);

const expectConsistent = (store: MergeableStore) => {
  expect(toPlain([store.getTables(), store.getValues()])).toEqual(
    toPlain(contentOfStamps(store.getMergeableContent())),
  );
  expectSame(store.getTransactionMergeableChanges(), [[{}], [{}], 1]);
};

describe('a listener that throws', () => {
  const scenario = (create: typeof createStore, kind: ListenerKind) => {
    const store = create('s1', fixedAt(T)).setCell('t', 'r', 'c', 0);
    const calls: string[] = [];
    kind[1](store, () => calls.push('before'));
    const throwingId = kind[1](store, () => {
      throw new Error('listener failure');
    });
    kind[1](store, () => calls.push('after'));
    store.addCellListener(null, null, null, () => calls.push('cell listener'));
    store.addValueListener(null, () => calls.push('value listener'));
    let thrown: string | undefined;
    try {
      store.transaction(() => {
        store.setCell('t', 'r', 'c', 1).setRow('t', 'new', {n: 1}).setValue('v', 1);
      });
    } catch (error) {
      thrown = (error as Error).message;
    }
    const afterFailure = {tables: store.getTables(), values: store.getValues()};
    store.delListener(throwingId);
    calls.push('--');
    store.setCell('t', 'r', 'c', 2).setValue('v', 2);
    return {store, calls, thrown, afterFailure};
  };

  test.each(throwingKinds)('(%s) leaves syncstore consistent and working', (name, add) => {
    const ours = scenario(createStore, [name, add]);
    const theirs = scenario(createTinyBaseStore, [name, add]);
    expectConsistent(ours.store);
    // The listener's error reaches the caller of the transaction, as in TinyBase.
    expect(ours.thrown).toBe('listener failure');
    expect(theirs.thrown).toBe('listener failure');
    // TinyBase keeps the change when the listener runs after it, and rolls it back when the
    // listener runs before it is final; so must syncstore.
    expect(theirs.afterFailure).toEqual(
      afterChangeKinds.has(name)
        ? {tables: {t: {r: {c: 1}, new: {n: 1}}}, values: {v: 1}}
        : {tables: {t: {r: {c: 0}}}, values: {}},
    );
    expect(ours.afterFailure).toEqual(theirs.afterFailure);
    // After the failing listener is removed, everything works as before.
    expect(ours.store.getTables()).toEqual({t: {...ours.afterFailure.tables.t, r: {c: 2}}});
    expect(ours.store.getValues()).toEqual({v: 2});
    expect(ours.calls.slice(ours.calls.indexOf('--'))).toEqual(
      theirs.calls.slice(theirs.calls.indexOf('--')),
    );
    const copy = createStore('s2', fixedAt(T));
    copy.applyMergeableChanges(ours.store.getMergeableContent());
    expect(copy.getTables()).toEqual(ours.store.getTables());
  });

  test.each(throwingKinds)('(%s) does not keep other listeners from being called', (name, add) => {
    const ours = scenario(createStore, [name, add]);
    const failing = ours.calls.slice(0, ours.calls.indexOf('--'));
    // The listeners of the same kind, before and after the failing one, are all called.
    expect(failing).toContain('before');
    expect(failing).toContain('after');
    if (afterChangeKinds.has(name)) {
      expect(failing).toContain('cell listener');
      expect(failing).toContain('value listener');
    } else {
      // The failure rolled the change back before it was final: no data listener heard of it.
      expect(failing).not.toContain('cell listener');
      expect(failing).not.toContain('value listener');
    }
  });
});
