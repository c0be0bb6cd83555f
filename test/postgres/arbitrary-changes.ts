// Change sets for the merge-rule properties: a few tables, rows, cells and values, so that
// change sets collide on the same leaves, with timeless stamps (""), equal HLCs, tombstones and
// object cells, all with well-formed HLCs inside the store's future bound.
import fc from 'fast-check';
import {encodeHlc} from '../../src/store/hlc.js';
import type {MergeableChanges} from '../../src/store/types.js';

const NOW = Date.now();
const TABLE_IDS = ['t', 'u'];
const ROW_IDS = ['r1', 'r2'];
const CELL_IDS = ['a', 'b'];
const VALUE_IDS = ['v', 'w'];

const hlcArbitrary = fc.oneof(
  fc.constant(''),
  fc
    .tuple(
      fc.integer({min: 0, max: 3}),
      fc.integer({min: 0, max: 2}),
      fc.constantFrom('AAAAA', 'BBBBB'),
    )
    .map(([second, counter, clientId]) =>
      encodeHlc(NOW - 60_000 + second * 1000, counter, clientId),
    ),
);

const thingArbitrary = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({min: -5, max: 5}),
  fc.constantFrom('x', 'y', '', '\uFFFD{"k":[1]}'),
  fc.boolean(),
);

type Leaf = [unknown, string];

/**
 * A leaf stamp. With `consistent`, the thing follows from the HLC (as in real traffic, where an
 * HLC names one write), so that no result depends on which of two equal stamps came first.
 */
const leafArbitrary = (key: string, consistent: boolean): fc.Arbitrary<Leaf> =>
  consistent
    ? hlcArbitrary.map((hlc): Leaf => [hlc === '' ? 'default' : `${key}@${hlc}`, hlc])
    : fc.tuple(thingArbitrary, hlcArbitrary).map(([thing, hlc]): Leaf => [thing, hlc]);

const subsetOf = (ids: string[]) => fc.subarray(ids, {minLength: 1});

export const changesArbitrary = (consistent: boolean): fc.Arbitrary<MergeableChanges> =>
  fc
    .tuple(
      fc.array(
        fc.tuple(fc.constantFrom(...TABLE_IDS), fc.constantFrom(...ROW_IDS), subsetOf(CELL_IDS)),
        {maxLength: 3},
      ),
      fc.subarray(VALUE_IDS),
    )
    .chain(([rows, valueIds]) => {
      const cellKeys = rows.flatMap(([t, r, cells]) => cells.map((c) => [t, r, c]));
      return fc
        .tuple(
          fc.tuple(...cellKeys.map(([t, r, c]) => leafArbitrary(`${t}/${r}/${c}`, consistent))),
          fc.tuple(...valueIds.map((v) => leafArbitrary(v, consistent))),
        )
        .map(([cellLeaves, valueLeaves]) => {
          const tables: Record<string, [Record<string, [Record<string, Leaf>]>]> = {};
          cellKeys.forEach(([t, r, c], index) => {
            const table = (tables[t!] ??= [{}]);
            const row = (table[0][r!] ??= [{}]);
            row[0][c!] = cellLeaves[index]!;
          });
          const values: Record<string, Leaf> = {};
          valueIds.forEach((v, index) => {
            values[v] = valueLeaves[index]!;
          });
          return [[tables], [values], 1] as unknown as MergeableChanges;
        });
    });

/** A leaf's thing in its encoded form (getMergeableContent gives objects decoded). */
const encoded = (thing: unknown): unknown =>
  typeof thing === 'object' && thing !== null ? `\uFFFD${JSON.stringify(thing)}` : thing;

/** Every leaf of a change set or content as `path -> [thing, hlc]`, encoded, hashes dropped. */
export const leavesOf = (changes: unknown): Record<string, Leaf> => {
  const leaves: Record<string, Leaf> = {};
  if (changes === undefined) {
    return leaves;
  }
  type Stamp = [Record<string, Stamp> | unknown, string?];
  const children = (stamp: unknown) => Object.entries((stamp as Stamp)[0] as Record<string, Stamp>);
  const [tables, values] = changes as [Stamp, Stamp];
  for (const [tableId, table] of children(tables)) {
    for (const [rowId, row] of children(table)) {
      for (const [cellId, [thing, hlc = '']] of children(row)) {
        leaves[JSON.stringify([tableId, rowId, cellId])] = [encoded(thing), hlc];
      }
    }
  }
  for (const [valueId, [thing, hlc = '']] of children(values)) {
    leaves[JSON.stringify([valueId])] = [encoded(thing), hlc];
  }
  return leaves;
};
