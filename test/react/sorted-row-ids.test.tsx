// @vitest-environment happy-dom
// useSortedRowIds, useSortedRowIdsListener and SortedTableView with TinyBase's argument positions
// (positional, with or without a sorter before the store, and the args object), side by side with
// TinyBase's ui-react against equal stores, before and after the same changes.
import {act, render, renderHook} from '@testing-library/react';
import type {ReactNode} from 'react';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import {describe, expect, test} from 'vitest';
import * as syncstoreUi from '../../src/react/index.js';
import type {Ids, MergeableStore, Sorter} from '../../src/store/types.js';
import {createStore} from './support.js';

type Ui = typeof syncstoreUi;
type Library = {ui: Ui; createStore: () => MergeableStore};

const LIBRARIES: Library[] = [
  {ui: syncstoreUi, createStore: () => createStore()},
  {
    ui: tinybaseUi as unknown as Ui,
    createStore: () => createTinyBaseStore() as unknown as MergeableStore,
  },
];

const TABLE = {a: {n: 10}, b: {n: 2}, 10: {n: 5}, 2: {n: 7}};
/** Numbers in numeric order, then other keys as text (never NaN, which would make sort arbitrary). */
const toNumber = (key: unknown) =>
  Number.isNaN(Number(key)) ? Number.POSITIVE_INFINITY : Number(key);
const numeric: Sorter = (key1, key2) =>
  toNumber(key1) - toNumber(key2) || String(key1).localeCompare(String(key2));

/** Each call shape: which store it reads (the provider's default one holds other content). */
type Call = [name: string, use: (ui: Ui, store: MergeableStore) => Ids, expected: Ids];

const CALLS: Call[] = [
  ['table only, default store', (ui) => ui.useSortedRowIds('t'), ['10', '2', 'a', 'b']],
  [
    'positional, store 6th',
    (ui, store) => ui.useSortedRowIds('t', 'n', true, 0, 3, store),
    ['a', '2', '10'],
  ],
  [
    'positional, store id 6th',
    (ui) => ui.useSortedRowIds('t', 'n', false, 1, undefined, 'named'),
    ['10', '2', 'a'],
  ],
  [
    'positional, sorter 6th, store 7th',
    (ui, store) => ui.useSortedRowIds('t', undefined, false, 0, undefined, numeric, store),
    ['2', '10', 'a', 'b'],
  ],
  [
    'positional, sorter 6th, store id 7th, descending and paged',
    (ui) => ui.useSortedRowIds('t', undefined, true, 3, 2, numeric, 'named'),
    ['2'],
  ],
  [
    'positional, sorter 6th, default store',
    (ui) => ui.useSortedRowIds('t', undefined, false, 0, undefined, numeric),
    ['2', '10', 'a', 'b'],
  ],
  [
    // As in TinyBase, an undefined 6th argument is the store (the default one); the 7th is unused.
    'positional, undefined 6th, store 7th',
    (ui, store) => ui.useSortedRowIds('t', 'n', false, 0, 2, undefined, store),
    ['zz'],
  ],
  [
    'object form, store',
    (ui, store) => ui.useSortedRowIds({tableId: 't', cellId: 'n', limit: 2}, store),
    ['b', '10'],
  ],
  [
    'object form with sorter, store id',
    (ui) => ui.useSortedRowIds({tableId: 't', sorter: numeric, offset: 1}, 'named'),
    ['10', 'a', 'b'],
  ],
];

/** Renders the call against a provider whose default store has the table, or `named` has it. */
function renderCall({ui, createStore}: Library, use: Call[1], name: string) {
  const store = createStore().setTable('t', TABLE);
  // Calls that name no store read the default one; the others must not see it.
  const namesNoStore = name.includes('default store');
  const other = createStore().setTable('t', {zz: {n: 0}});
  const wrapper = ({children}: {children: ReactNode}) => (
    <ui.Provider store={namesNoStore ? store : other} storesById={{named: store}}>
      {children}
    </ui.Provider>
  );
  const {result} = renderHook(() => use(ui, store), {wrapper});
  const before = result.current;
  act(() => {
    store.setRow('t', '1', {n: 1});
  });
  const afterAdd = result.current;
  act(() => {
    store.setCell('t', 'a', 'n', 0);
  });
  return {before, afterAdd, afterCellChange: result.current};
}

describe('useSortedRowIds', () => {
  test.each(CALLS)('%s: as TinyBase', (name, use, expected) => {
    const [ours, theirs] = LIBRARIES.map((library) => renderCall(library, use, name));
    expect(ours).toEqual(theirs);
    expect(ours.before).toEqual(expected);
    if (expected.includes('zz')) {
      // It read the other store, which the changes do not touch.
      expect([ours.afterAdd, ours.afterCellChange]).toEqual([ours.before, ours.before]);
    } else {
      // The changes re-render with the new order.
      expect([ours.afterAdd, ours.afterCellChange]).not.toEqual([ours.before, ours.before]);
    }
  });

  test('a module-level sorter keeps the same result object across renders', () => {
    const store = createStore().setTable('t', TABLE);
    const {result, rerender} = renderHook(() =>
      syncstoreUi.useSortedRowIds('t', undefined, false, 0, undefined, numeric, store),
    );
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
    expect(first).toEqual(['2', '10', 'a', 'b']);
  });
});

describe('useSortedRowIdsListener', () => {
  type Listening = [
    name: string,
    use: (ui: Ui, store: MergeableStore, log: Log) => void,
    expectedIds: Ids[],
  ];
  type Log = (...args: unknown[]) => void;
  const LISTENINGS: Listening[] = [
    [
      'positional',
      (ui, store, log) =>
        ui.useSortedRowIdsListener(
          't',
          'n',
          false,
          0,
          2,
          (_, ...args) => log(...args),
          [],
          false,
          store,
        ),
      [
        ['1', 'b'],
        ['1', '10'],
      ],
    ],
    [
      'object form with sorter',
      (ui, store, log) =>
        ui.useSortedRowIdsListener(
          {tableId: 't', sorter: numeric, limit: 2},
          (_, ...args) => log(...args),
          [],
          false,
          store,
        ),
      [['1', '2']],
    ],
    [
      'object form by cell, descending, default store',
      (ui, _, log) =>
        ui.useSortedRowIdsListener({tableId: 't', cellId: 'n', descending: true}, (_, ...args) =>
          log(...args),
        ),
      [
        ['3', 'a', '2', '10', 'b', '1'],
        ['b', '3', 'a', '2', '10', '1'],
      ],
    ],
  ];

  test.each(LISTENINGS)('%s: calls as TinyBase does', (_, use, expectedIds) => {
    const [ours, theirs] = LIBRARIES.map(({ui, createStore}) => {
      const store = createStore().setTable('t', TABLE);
      const calls: unknown[][] = [];
      const wrapper = ({children}: {children: ReactNode}) => (
        <ui.Provider store={store}>{children}</ui.Provider>
      );
      const {unmount} = renderHook(() => use(ui, store, (...args) => calls.push(args)), {
        wrapper,
      });
      act(() => {
        store.transaction(() => {
          store.setRow('t', '1', {n: 1});
          store.setRow('t', '3', {n: 30});
        });
      });
      act(() => {
        store.setCell('t', 'b', 'n', 100);
      });
      unmount();
      store.setRow('t', '0', {n: 0});
      return calls;
    });
    expect(ours).toEqual(theirs);
    // A call per transaction that changed the ids listened to, none after unmount.
    expect(ours.map((args) => args.at(-1))).toEqual(expectedIds);
  });
});

describe('SortedTableView', () => {
  test.each([
    ['by cell, descending, limited', {cellId: 'n', descending: true, limit: 2}],
    ['by row id, offset', {offset: 1}],
  ])('%s renders what TinyBase renders', (_, props) => {
    const [ours, theirs] = LIBRARIES.map(({ui, createStore}) => {
      const store = createStore().setTable('t', TABLE);
      const {container, unmount} = render(
        <ui.SortedTableView tableId="t" store={store} debugIds {...props} />,
      );
      const before = container.innerHTML;
      act(() => {
        store.setRow('t', '1', {n: 50});
      });
      const after = container.innerHTML;
      unmount();
      return {before, after};
    });
    expect(ours).toEqual(theirs);
    expect(ours.before).not.toBe(ours.after);
  });
});
