// getSortedRowIds and addSortedRowIdsListener side by side with TinyBase: positional and object
// forms, with the default sorter and with custom ones, paged and descending. Both stores must
// answer the same ids, call each listener with the same arguments, and answer the ids written
// down here.
import {describe, expect, test} from 'vitest';
import type {Ids, MergeableStore, SortedRowIdsArgs, Sorter} from '../../src/store/types.js';
import {implementations} from './support/stores.js';

// Row ids and cells chosen so that string, numeric and missing-cell orders all differ.
const TABLE = {a: {n: 10}, b: {n: 2}, c: {m: 0}, d: {n: 1}, 10: {n: 5}, 2: {n: 7}};

const numeric: Sorter = (key1, key2) => Number(key1) - Number(key2);
const asText: Sorter = (key1, key2) => String(key1).localeCompare(String(key2));

type Query = [name: string, read: (store: MergeableStore) => Ids, expected: Ids];

const QUERIES: Query[] = [
  ['by row id', (store) => store.getSortedRowIds('t'), ['10', '2', 'a', 'b', 'c', 'd']],
  // A row without the cell sorts by an undefined key, which the default sorter takes as 0.
  ['by cell', (store) => store.getSortedRowIds('t', 'n'), ['c', 'd', 'b', '10', '2', 'a']],
  [
    'by cell, descending',
    (store) => store.getSortedRowIds('t', 'n', true),
    ['a', '2', '10', 'b', 'd', 'c'],
  ],
  ['by cell, paged', (store) => store.getSortedRowIds('t', 'n', false, 1, 2), ['d', 'b']],
  [
    'positional sorter',
    (store) => store.getSortedRowIds('t', undefined, false, 0, undefined, numeric),
    ['2', '10', 'a', 'b', 'c', 'd'],
  ],
  [
    'positional sorter, descending and paged',
    // As text the missing cell is 'undefined', after every digit.
    (store) => store.getSortedRowIds('t', 'n', true, 1, 2, asText),
    ['2', '10'],
  ],
  [
    'object form',
    (store) => store.getSortedRowIds({tableId: 't', cellId: 'n', offset: 3}),
    ['10', '2', 'a'],
  ],
  [
    'object form with sorter',
    (store) => store.getSortedRowIds({tableId: 't', sorter: numeric}),
    ['2', '10', 'a', 'b', 'c', 'd'],
  ],
  [
    'object form with sorter, descending and limited',
    (store) =>
      store.getSortedRowIds({
        tableId: 't',
        cellId: 'n',
        descending: true,
        limit: 3,
        sorter: asText,
      }),
    ['c', '2', '10'],
  ],
  ['missing table', (store) => store.getSortedRowIds({tableId: 'x', sorter: numeric}), []],
];

describe('getSortedRowIds', () => {
  test.each(QUERIES)('%s', (_, read, expected) => {
    const [ours, theirs] = implementations.map(([, create]) => read(create().setTable('t', TABLE)));
    expect(ours).toEqual(theirs);
    expect(ours).toEqual(expected);
  });
});

type Listening = [
  name: string,
  listen: (store: MergeableStore, log: (...args: unknown[]) => void) => string,
];

const LISTENINGS: Listening[] = [
  [
    'positional',
    (store, log) =>
      store.addSortedRowIdsListener('t', 'n', false, 0, 3, (_, ...args) => log(...args)),
  ],
  [
    'object form',
    (store, log) =>
      store.addSortedRowIdsListener({tableId: 't', cellId: 'n', limit: 3}, (_, ...args) =>
        log(...args),
      ),
  ],
  [
    'object form with sorter',
    (store, log) =>
      store.addSortedRowIdsListener({tableId: 't', sorter: numeric, limit: 3}, (_, ...args) =>
        log(...args),
      ),
  ],
  [
    'object form with sorter, by cell, descending',
    (store, log) =>
      store.addSortedRowIdsListener(
        {tableId: 't', cellId: 'n', descending: true, sorter: asText} satisfies SortedRowIdsArgs,
        (_, ...args) => log(...args),
      ),
  ],
];

/** Changes that move rows in one order and not in another; each is one transaction. */
const CHANGES: ((store: MergeableStore) => unknown)[] = [
  (store) => store.setCell('t', 'c', 'n', 0),
  (store) => store.setCell('t', 'a', 'n', 3),
  (store) => store.setRow('t', '1', {n: 30}),
  (store) => store.delRow('t', '2'),
  (store) => store.setCell('t', 'd', 'n', 100),
];

describe('addSortedRowIdsListener', () => {
  test.each(LISTENINGS)('%s: calls as TinyBase does', (_, listen) => {
    const [ours, theirs] = implementations.map(([, create]) => {
      const store = create().setTable('t', TABLE);
      const calls: unknown[][] = [];
      const listenerId = listen(store, (...args) => calls.push(args));
      for (const change of CHANGES) {
        change(store);
      }
      // callListener reports the current ids only if they changed since the last call.
      store.callListener(listenerId);
      return calls;
    });
    expect(ours).toEqual(theirs);
    expect(ours.length).toBeGreaterThan(0);
  });

  test('a custom sorter decides which changes are reported', () => {
    for (const [name, create] of implementations) {
      const store = create().setTable('t', {9: {m: 0}, 10: {m: 0}, 11: {m: 0}});
      const calls: Ids[] = [];
      store.addSortedRowIdsListener({tableId: 't', sorter: numeric, limit: 2}, (...args) =>
        calls.push(args[6]),
      );
      // Numerically the first two stay 9 and 10; with text order 11 would come between them.
      store.setRow('t', '12', {m: 0});
      expect(calls, name).toEqual([]);
      store.setRow('t', '8', {m: 0});
      expect(calls, name).toEqual([['8', '9']]);
    }
  });
});
