// Merging a row list (a decoded compact snapshot, docs/protocol.md §8.6) must give exactly what
// merging the change set it stands for gives: content and its order, stamps, hashes, the clock
// afterwards, the reason of a refusal, and every listener call, on an empty store and on one that
// already holds some of the rows. Lists are random (seeded), with the cases the direct load must
// leave to the change set: ids that objects put first ("0", "10"), ids listed twice, far-future
// HLCs, refused things, and "__proto__".
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {type RowList, type RowListTable, rowListToChanges} from '../../src/store/row-list.js';
import type {FullMergeableStore} from '../../src/store/store-state.js';
import {toPlain} from './support/compare.js';
import {recordAllListeners} from './support/listeners.js';
import {hlcWithClientId, MAX_FUTURE_OFFSET, START_TIME} from './support/wire.js';

const T = START_TIME;
const getNow = () => T;

const writers = ['AAAAA', 'BBBBB', 'zzzzz'];
const futureHlc = hlcWithClientId(T + MAX_FUTURE_OFFSET + 1000, 0, 'AAAAA');

/**
 * What makes a random row list odd, one thing at a time: ids that objects put first, ids listed
 * twice, or leaves the merge refuses (far-future HLCs, reserved strings, NaN). Ordinary lists,
 * most of them, are loaded directly.
 */
type Oddity = 'none' | 'ids' | 'repeats' | 'leaves';

const rowListOf = (oddity: Oddity): fc.Arbitrary<RowList> => {
  const id = (ordinary: string[]) =>
    oddity === 'ids'
      ? fc.oneof(
          {weight: 3, arbitrary: fc.constantFrom(...ordinary)},
          {weight: 1, arbitrary: fc.constantFrom('0', '7', '10')},
        )
      : fc.constantFrom(...ordinary, '__proto__', 'constructor', '007');
  const repeats = oddity === 'repeats';
  const tableId = id(['t', 'u']);
  const rowId = id(['r1', 'r2', 'r3', 'r4', 'r5']);
  const cellId = id(['a', 'b', 'c', 'd']);
  const valueId = id(['v', 'w']);
  const hlc = fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(
          fc.integer({min: -3, max: 3}),
          fc.integer({min: 0, max: 3}),
          fc.constantFrom(...writers),
        )
        .map(([dt, counter, writer]) => hlcWithClientId(T + dt, counter, writer)),
    },
    {weight: 1, arbitrary: fc.constant('')},
    ...(oddity === 'leaves' ? [{weight: 1, arbitrary: fc.constant(futureHlc)}] : []),
  );
  const thing = fc.oneof(
    {weight: 6, arbitrary: fc.integer({min: -2, max: 2})},
    {weight: 4, arbitrary: fc.constantFrom('x', 'y', '', 'é😀')},
    {weight: 2, arbitrary: fc.boolean()},
    {weight: 1, arbitrary: fc.constant(undefined)}, // a tombstone
    {weight: 1, arbitrary: fc.constant('\uFFFD{"deep":[1]}')}, // an object, in wire form
    ...(oddity === 'leaves'
      ? [{weight: 1, arbitrary: fc.constantFrom('\uFFFDnot json', Number.NaN)}]
      : []),
  );
  // A table listing: cell ids, then rows of all of them or of some positions.
  const listing: fc.Arbitrary<RowListTable> = fc
    .tuple(
      tableId,
      repeats ? fc.array(cellId, {maxLength: 4}) : fc.uniqueArray(cellId, {maxLength: 4}),
    )
    .chain(([table, cellIds]) => {
      const positions = fc.array(fc.nat({max: Math.max(0, cellIds.length - 1)}), {maxLength: 4});
      return fc
        .array(
          fc.tuple(
            rowId,
            fc.option(repeats ? positions : positions.map((list) => [...new Set(list)]), {freq: 2}),
            fc.array(fc.tuple(thing, hlc), {minLength: 8, maxLength: 8}),
          ),
          {maxLength: 5},
        )
        .map((rows) => {
          const listed = rows.map(([row, positions, leaves]) => {
            const usable = cellIds.length === 0 ? [] : positions;
            const count = usable === null ? cellIds.length : usable.length;
            const cells = leaves.slice(0, count).flat();
            return usable === null ? [row, ...cells] : [row, usable, ...cells];
          });
          return [table, cellIds, listed] as RowListTable;
        });
    });
  // In an ordinary list each row is listed once, even in a table listed twice (a snapshot in parts).
  const unlisted = (tables: RowListTable[]) => {
    const seen = new Set<string>();
    return tables.map(
      ([table, cellIds, rows]): RowListTable => [
        table,
        cellIds,
        rows.filter((row) => {
          const key = JSON.stringify([table, row[0]]);
          const fresh = !seen.has(key);
          seen.add(key);
          return fresh;
        }),
      ],
    );
  };
  return fc.record({
    tables: fc
      .array(listing, {maxLength: 3})
      .map((tables) => (repeats ? tables : unlisted(tables))),
    values: fc
      .array(fc.tuple(valueId, thing, hlc), {maxLength: 3})
      .map((triples) => triples.flat()),
  });
};
const rowList = fc.oneof(
  {weight: 4, arbitrary: rowListOf('none')},
  rowListOf('ids'),
  rowListOf('repeats'),
  rowListOf('leaves'),
);

/** Two stores alike: empty, or holding what `before` merges, with listeners on both. */
const twinStores = (before: RowList | null) => {
  const make = () => {
    const store = createMergeableStore('me', getNow) as FullMergeableStore;
    if (before !== null) {
      store.applyEncodedMergeableChanges(rowListToChanges(before));
      store.setCell('t', 'r1', 'a', 'local'); // a leaf written here, later than the list's
    }
    const {logs} = recordAllListeners(store);
    const transactions: unknown[] = [];
    store.addDidFinishTransactionListener(() =>
      transactions.push(
        toPlain([store.getTransactionMergeableChanges(true), store.getTransactionChanges()]),
      ),
    );
    // A mutator that writes while the merge runs: its write joins the merge's transaction.
    store.addCellListener(
      null,
      null,
      'b',
      (s, _t, _r, _c, newCell) => {
        if (typeof newCell === 'number') {
          s.setValue('seenB', newCell);
        }
      },
      true,
    );
    return {store, logs, transactions};
  };
  return [make(), make()] as const;
};

/** Everything a store shows, in order: content, plain ids, hashes at every level. */
const everything = (store: FullMergeableStore) => {
  const tables = store
    .getTableIds()
    .map((table) => [
      table,
      store.getTableCellIds(table),
      store.getRowIds(table).map((row) => [row, store.getCellIds(table, row)]),
    ]);
  const tableHashes = store.getMergeableTableHashes();
  const everyTable = Object.fromEntries(Object.keys(tableHashes).map((table) => [table, -1]));
  return toPlain([
    store.getMergeableContent(),
    tables,
    store.getValueIds(),
    store.getMergeableContentHashes(),
    tableHashes,
    store.getMergeableRowHashes(everyTable),
  ]);
};

const clone = (list: RowList): RowList => structuredClone(list);

describe('row lists', () => {
  test('merge exactly as the change set they stand for', () => {
    fc.assert(
      fc.property(fc.option(rowList, {freq: 3}), rowList, (before, list) => {
        const [direct, viaChanges] = twinStores(before);
        const directReason = direct.store.applyEncodedRowList(clone(list));
        const changesReason = viaChanges.store.applyEncodedMergeableChanges(
          rowListToChanges(clone(list)),
        );
        expect(directReason).toBe(changesReason);
        expect(everything(direct.store)).toEqual(everything(viaChanges.store));
        expect(JSON.stringify(everything(direct.store))).toBe(
          JSON.stringify(everything(viaChanges.store)),
        );
        expect(direct.logs).toEqual(viaChanges.logs);
        expect(Object.keys(direct.logs)).toEqual(Object.keys(viaChanges.logs));
        expect(direct.transactions).toEqual(viaChanges.transactions);
        // The clock observed the same HLCs: the next local write is stamped alike.
        direct.store.setCell('t', 'r9', 'a', 1);
        viaChanges.store.setCell('t', 'r9', 'a', 1);
        expect(direct.store.getMergeableContent()).toEqual(viaChanges.store.getMergeableContent());
      }),
      {seed: 7117, numRuns: 600},
    );
  });

  test('are not changed by the merge', () => {
    fc.assert(
      fc.property(rowList, (list) => {
        const kept = clone(list);
        createMergeableStore('me', getNow).applyEncodedRowList(list);
        expect(toPlain(list)).toEqual(toPlain(kept));
      }),
      {seed: 7118, numRuns: 100},
    );
  });

  test('a list of another shape is refused whole, with the reason', () => {
    const store = createMergeableStore('me', getNow);
    const good = ['r', 1, hlcWithClientId(T, 0, 'AAAAA')];
    for (const [input, reason] of [
      [[], 'a row list must be {tables: [...], values: [...]}'],
      [{tables: [['t', ['c']]], values: []}, 'must be [tableId, cellIds, rows]'],
      [{tables: [['t', ['c'], [good, ['r2', 1]]]], values: []}, 'a row must be [rowId'],
      [{tables: [['t', ['c'], [['r', [1], 1, 'h']]]], values: []}, 'a row must be [rowId'],
      [{tables: [], values: ['v', 1]}, 'values must be [valueId, thing, hlc, ...]'],
    ] as const) {
      expect(store.applyEncodedRowList(input as never)).toContain(reason);
    }
    expect(store.getMergeableContentHashes()).toEqual([0, 0]);
  });
});
