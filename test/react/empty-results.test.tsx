// @vitest-environment happy-dom
// Every reading hook given no store (none provided, an unknown store id, null, something that is
// not a store) or a store without the table, row, cell or value asked for: it returns the empty
// result ({}, [], undefined, 0, false) that TinyBase's hook returns, and never throws. Listener
// hooks given no store register nothing and do not throw either.
import {renderHook} from '@testing-library/react';
import type {ReactNode} from 'react';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import {describe, expect, test} from 'vitest';
import * as syncstoreUi from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createStore} from './support.js';

type Ui = typeof syncstoreUi;
const LIBRARIES: [name: string, ui: Ui, createStore: () => MergeableStore][] = [
  ['syncstore', syncstoreUi, () => createStore()],
  [
    'tinybase',
    tinybaseUi as unknown as Ui,
    () => createTinyBaseStore() as unknown as MergeableStore,
  ],
];

/** A read: the hook called with the store argument last, and its empty result. */
type Read = [name: string, use: (ui: Ui, store: unknown) => unknown, empty: unknown];

// Ids that the store below does not have: table 'x', row 'x', cell 'x', value 'x'.
const READS: Read[] = [
  ['useHasTables', (ui, s) => ui.useHasTables(s as never), false],
  ['useTables', (ui, s) => ui.useTables(s as never), {}],
  ['useTablesState', (ui, s) => ui.useTablesState(s as never)[0], {}],
  ['useTableIds', (ui, s) => ui.useTableIds(s as never), []],
  ['useHasTable', (ui, s) => ui.useHasTable('x', s as never), false],
  ['useTable', (ui, s) => ui.useTable('x', s as never), {}],
  ['useTableState', (ui, s) => ui.useTableState('x', s as never)[0], {}],
  ['useTableCellIds', (ui, s) => ui.useTableCellIds('x', s as never), []],
  ['useHasTableCell', (ui, s) => ui.useHasTableCell('pets', 'x', s as never), false],
  ['useRowCount', (ui, s) => ui.useRowCount('x', s as never), 0],
  ['useRowIds', (ui, s) => ui.useRowIds('x', s as never), []],
  [
    'useSortedRowIds',
    (ui, s) => ui.useSortedRowIds('x', 'species', false, 0, undefined, s as never),
    [],
  ],
  ['useSortedRowIds (object)', (ui, s) => ui.useSortedRowIds({tableId: 'x'}, s as never), []],
  ['useHasRow', (ui, s) => ui.useHasRow('pets', 'x', s as never), false],
  ['useRow', (ui, s) => ui.useRow('pets', 'x', s as never), {}],
  ['useRowState', (ui, s) => ui.useRowState('pets', 'x', s as never)[0], {}],
  ['useCellIds', (ui, s) => ui.useCellIds('pets', 'x', s as never), []],
  ['useHasCell', (ui, s) => ui.useHasCell('pets', 'fido', 'x', s as never), false],
  ['useCell', (ui, s) => ui.useCell('pets', 'fido', 'x', s as never), undefined],
  ['useCellState', (ui, s) => ui.useCellState('pets', 'fido', 'x', s as never)[0], undefined],
  ['useHasValues', (ui, s) => ui.useHasValues(s as never), false],
  ['useValues', (ui, s) => ui.useValues(s as never), {}],
  ['useValuesState', (ui, s) => ui.useValuesState(s as never)[0], {}],
  ['useValueIds', (ui, s) => ui.useValueIds(s as never), []],
  ['useHasValue', (ui, s) => ui.useHasValue('x', s as never), false],
  ['useValue', (ui, s) => ui.useValue('x', s as never), undefined],
  ['useValueState', (ui, s) => ui.useValueState('x', s as never)[0], undefined],
  ['useSynchronizerStatus', (ui, s) => ui.useSynchronizerStatus(s as never), 0],
];

const READS_OF_ALL_TABLES = new Set(['useHasTables', 'useTables', 'useTablesState', 'useTableIds']);

/** What the store argument is: nothing, an id no provider registered, null, or a plain object. */
const NOT_STORES: [name: string, storeArgument: unknown][] = [
  ['no store and no provider', undefined],
  ['an unknown store id', 'unknown'],
  ['null', null],
  ['an object that is not a store', {}],
  ['a number', 42],
];

/** Renders the read with both libraries; the results must be equal, and `empty`. */
function expectEmptyAsTinyBase(use: Read[1], storeArgument: unknown, empty: unknown) {
  const results = LIBRARIES.map(([, ui]) => renderHook(() => use(ui, storeArgument)).result);
  expect(results[0].current).toEqual(results[1].current);
  expect(results[0].current).toEqual(empty);
}

describe.each(NOT_STORES)('given %s', (_, storeArgument) => {
  test.each(READS)('%s returns the empty result', (_, use, empty) =>
    expectEmptyAsTinyBase(use, storeArgument, empty),
  );

  test('useStoreOrStoreById passes it through as TinyBase does (or finds nothing)', () => {
    const [ours, theirs] = LIBRARIES.map(
      ([, ui]) => renderHook(() => ui.useStoreOrStoreById(storeArgument as never)).result.current,
    );
    expect(ours).toBe(theirs);
    expect(ours).toBe(typeof storeArgument === 'string' ? undefined : storeArgument);
  });

  test('setter callbacks do nothing and do not throw', () => {
    const {result} = renderHook(() =>
      syncstoreUi.useSetCellCallback('t', 'r', 'c', () => 1, [], storeArgument as never),
    );
    expect(() => result.current()).not.toThrow();
  });

  test('useSyncStatus returns NO_SYNC_STATUS', () => {
    const {result} = renderHook(() => syncstoreUi.useSyncStatus(storeArgument as never));
    expect(result.current).toBe(syncstoreUi.NO_SYNC_STATUS);
  });
});

describe('given a store without the ids asked for', () => {
  test.each(READS.filter(([name]) => name !== 'useSynchronizerStatus'))(
    '%s returns the empty result',
    (name, use, empty) => {
      const results = LIBRARIES.map(([, ui, create]) => {
        const store = create().setTable('pets', {fido: {species: 'dog'}});
        const emptyStore = create();
        // The reads of all tables get an empty store; the others one with other ids.
        const chosen = READS_OF_ALL_TABLES.has(name) ? emptyStore : store;
        const wrapper = ({children}: {children: ReactNode}) => (
          <ui.Provider store={store} storesById={{named: chosen}}>
            {children}
          </ui.Provider>
        );
        return renderHook(() => use(ui, 'named'), {wrapper}).result.current;
      });
      expect(results[0]).toEqual(results[1]);
      expect(results[0]).toEqual(empty);
    },
  );
});

describe('listener hooks given no store', () => {
  test.each(NOT_STORES)('%s: register nothing and do not throw', (_, storeArgument) => {
    const calls: unknown[] = [];
    const listener = () => calls.push('called');
    const s = storeArgument as never;
    expect(() =>
      renderHook(() => {
        const ui = syncstoreUi;
        ui.useHasTablesListener(listener, [], false, s);
        ui.useTablesListener(listener, [], false, s);
        ui.useTableIdsListener(listener, [], false, s);
        ui.useHasTableListener('x', listener, [], false, s);
        ui.useTableListener('x', listener, [], false, s);
        ui.useTableCellIdsListener('x', listener, [], false, s);
        ui.useHasTableCellListener('x', 'x', listener, [], false, s);
        ui.useRowCountListener('x', listener, [], false, s);
        ui.useRowIdsListener('x', listener, [], false, s);
        ui.useSortedRowIdsListener('x', undefined, false, 0, undefined, listener, [], false, s);
        ui.useSortedRowIdsListener({tableId: 'x'}, listener, [], false, s);
        ui.useHasRowListener('x', 'x', listener, [], false, s);
        ui.useRowListener('x', 'x', listener, [], false, s);
        ui.useCellIdsListener('x', 'x', listener, [], false, s);
        ui.useHasCellListener('x', 'x', 'x', listener, [], false, s);
        ui.useCellListener('x', 'x', 'x', listener, [], false, s);
        ui.useHasValuesListener(listener, [], false, s);
        ui.useValuesListener(listener, [], false, s);
        ui.useValueIdsListener(listener, [], false, s);
        ui.useHasValueListener('x', listener, [], false, s);
        ui.useValueListener('x', listener, [], false, s);
        ui.useStartTransactionListener(listener, [], s);
        ui.useWillFinishTransactionListener(listener, [], s);
        ui.useDidFinishTransactionListener(listener, [], s);
        ui.useSynchronizerStatusListener(listener, [], s);
        ui.useSyncStatusListener(listener, [], s);
      }),
    ).not.toThrow();
    expect(calls).toEqual([]);
  });
});
