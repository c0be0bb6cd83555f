// @vitest-environment happy-dom
// The exported React hooks that no other test covers: every listener hook (called with the store
// and the ids of what changed, and let go of on unmount), the setter and deleter callbacks, the
// state hooks, and the context lookups of stores and synchronizers by id.
import {act, renderHook} from '@testing-library/react';
import type {ReactNode} from 'react';
import {describe, expect, test, vi} from 'vitest';
import {
  formatSyncStatus,
  Provider,
  useCellIdsListener,
  useDelCellCallback,
  useDelTableCallback,
  useDelTablesCallback,
  useDelValueCallback,
  useDelValuesCallback,
  useDidFinishTransactionListener,
  useHasCellListener,
  useHasRowListener,
  useHasTableCell,
  useHasTableCellListener,
  useHasTableListener,
  useHasTablesListener,
  useHasValueListener,
  useHasValuesListener,
  useRowCountListener,
  useRowListener,
  useSetPartialValuesCallback,
  useSetRowCallback,
  useSetTableCallback,
  useSetTablesCallback,
  useSetValuesCallback,
  useStartTransactionListener,
  useStoreOrStoreById,
  useStores,
  useSynchronizerIds,
  useSynchronizerOrSynchronizerById,
  useSynchronizerStatusListener,
  useTableCellIdsListener,
  useTableIdsListener,
  useTableListener,
  useTableState,
  useTablesListener,
  useTablesState,
  useValueIdsListener,
  useValueListener,
  useValuesListener,
  useValuesState,
  useWillFinishTransactionListener,
} from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {Status} from '../../src/synchronizers/index.js';
import {createLocalSynchronizer, createStore, totalListeners} from './support.js';

type Listener = (...args: unknown[]) => void;
/** Each listener hook, mounted on `store` with ids that the change below touches. */
const listenerHooks: [string, (listener: Listener, store: MergeableStore) => void, unknown[]][] = [
  ['useHasTablesListener', (l, s) => useHasTablesListener(l, [], false, s), [true]],
  ['useTablesListener', (l, s) => useTablesListener(l, [], false, s), []],
  ['useTableIdsListener', (l, s) => useTableIdsListener(l, [], false, s), []],
  ['useHasTableListener', (l, s) => useHasTableListener('pets', l, [], false, s), ['pets', true]],
  ['useTableListener', (l, s) => useTableListener('pets', l, [], false, s), ['pets']],
  ['useTableCellIdsListener', (l, s) => useTableCellIdsListener('pets', l, [], false, s), ['pets']],
  [
    'useHasTableCellListener',
    (l, s) => useHasTableCellListener('pets', 'legs', l, [], false, s),
    ['pets', 'legs', true],
  ],
  ['useRowCountListener', (l, s) => useRowCountListener('pets', l, [], false, s), ['pets', 1]],
  [
    'useHasRowListener',
    (l, s) => useHasRowListener('pets', 'fido', l, [], false, s),
    ['pets', 'fido', true],
  ],
  ['useRowListener', (l, s) => useRowListener('pets', 'fido', l, [], false, s), ['pets', 'fido']],
  [
    'useCellIdsListener',
    (l, s) => useCellIdsListener('pets', 'fido', l, [], false, s),
    ['pets', 'fido'],
  ],
  [
    'useHasCellListener',
    (l, s) => useHasCellListener('pets', 'fido', 'legs', l, [], false, s),
    ['pets', 'fido', 'legs', true],
  ],
  ['useHasValuesListener', (l, s) => useHasValuesListener(l, [], false, s), [true]],
  ['useValuesListener', (l, s) => useValuesListener(l, [], false, s), []],
  ['useValueIdsListener', (l, s) => useValueIdsListener(l, [], false, s), []],
  ['useHasValueListener', (l, s) => useHasValueListener('open', l, [], false, s), ['open', true]],
  [
    'useValueListener',
    (l, s) => useValueListener('open', l, [], false, s),
    ['open', true, undefined],
  ],
  ['useStartTransactionListener', (l, s) => useStartTransactionListener(l, [], s), []],
  ['useWillFinishTransactionListener', (l, s) => useWillFinishTransactionListener(l, [], s), []],
  ['useDidFinishTransactionListener', (l, s) => useDidFinishTransactionListener(l, [], s), []],
];

describe('listener hooks', () => {
  test.each(listenerHooks)(
    '%s hears a change with its ids, and stops on unmount',
    (_name, mount, ids) => {
      const store = createStore();
      const listener = vi.fn();
      const {unmount} = renderHook(() => mount(listener, store));
      expect(listener).not.toHaveBeenCalled();

      // From an empty store: a first table, row, cell and value, so every kind of listener fires.
      act(() => {
        store.transaction(() => store.setCell('pets', 'fido', 'legs', 4).setValue('open', true));
      });
      expect(listener).toHaveBeenCalledTimes(1);
      expect(listener.mock.calls[0]!.slice(0, 1 + ids.length)).toEqual([store, ...ids]);

      unmount();
      expect(totalListeners(store)).toBe(0);
      store.setCell('pets', 'rex', 'legs', 3).setValue('open', false);
      expect(listener).toHaveBeenCalledTimes(1);
    },
  );

  test('a listener for one table is not called for changes elsewhere', () => {
    const store = createStore();
    const listener = vi.fn();
    renderHook(() => useTableListener('pets', listener, [], false, store));
    act(() => {
      store.setCell('birds', 'tweety', 'wings', 2).setValue('open', true);
    });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('setter and deleter callbacks', () => {
  test('set tables, a table, a row, values and partial values from the parameter', () => {
    const store = createStore();
    const then = vi.fn();
    const {result} = renderHook(() => ({
      setTables: useSetTablesCallback((legs: number) => ({pets: {fido: {legs}}}), [], store, then),
      setTable: useSetTableCallback('birds', (wings: number) => ({tweety: {wings}}), [], store),
      // An id may come from the parameter too.
      setRow: useSetRowCallback(
        'pets',
        (name: string) => name,
        () => ({legs: 3}),
        [],
        store,
      ),
      setValues: useSetValuesCallback((open: boolean) => ({open}), [], store),
      setPartialValues: useSetPartialValuesCallback((visitors: number) => ({visitors}), [], store),
    }));
    act(() => result.current.setTables(4));
    expect(store.getTables()).toEqual({pets: {fido: {legs: 4}}});
    expect(then).toHaveBeenCalledWith(store, {pets: {fido: {legs: 4}}});
    act(() => result.current.setTable(2));
    act(() => result.current.setRow('rex'));
    expect(store.getTables()).toEqual({
      pets: {fido: {legs: 4}, rex: {legs: 3}},
      birds: {tweety: {wings: 2}},
    });
    act(() => result.current.setValues(true));
    act(() => result.current.setPartialValues(3));
    expect(store.getValues()).toEqual({open: true, visitors: 3});
  });

  test('delete tables, a table, a cell, values and a value', () => {
    const store = createStore()
      .setTables({pets: {fido: {legs: 4, name: 'Fido'}}, birds: {tweety: {wings: 2}}})
      .setValues({open: true, visitors: 3});
    const then = vi.fn();
    const {result} = renderHook(() => ({
      delCell: useDelCellCallback('pets', 'fido', 'name', false, store, then),
      delTable: useDelTableCallback('birds', store),
      delTables: useDelTablesCallback(store),
      delValue: useDelValueCallback('visitors', store),
      delValues: useDelValuesCallback(store),
    }));
    act(() => result.current.delCell());
    expect(store.getTables()).toEqual({pets: {fido: {legs: 4}}, birds: {tweety: {wings: 2}}});
    expect(then).toHaveBeenCalledWith(store);
    act(() => result.current.delTable());
    expect(store.getTableIds()).toEqual(['pets']);
    act(() => result.current.delTables());
    expect(store.getTables()).toEqual({});
    act(() => result.current.delValue());
    expect(store.getValues()).toEqual({open: true});
    act(() => result.current.delValues());
    expect(store.getValues()).toEqual({});
  });
});

describe('state hooks', () => {
  test('useTablesState, useTableState and useValuesState read and replace, and re-render', () => {
    const store = createStore()
      .setTables({pets: {fido: {legs: 4}}})
      .setValues({open: true});
    const {result} = renderHook(() => ({
      tables: useTablesState(store),
      table: useTableState('pets', store),
      values: useValuesState(store),
      hasLegs: useHasTableCell('pets', 'legs', store),
    }));
    expect(result.current.tables[0]).toEqual({pets: {fido: {legs: 4}}});
    expect(result.current.table[0]).toEqual({fido: {legs: 4}});
    expect(result.current.values[0]).toEqual({open: true});
    expect(result.current.hasLegs).toBe(true);

    act(() => result.current.table[1]({rex: {name: 'Rex'}}));
    expect(result.current.table[0]).toEqual({rex: {name: 'Rex'}});
    expect(result.current.hasLegs).toBe(false);
    act(() => result.current.tables[1]({birds: {tweety: {wings: 2}}}));
    expect(result.current.tables[0]).toEqual({birds: {tweety: {wings: 2}}});
    expect(store.getTables()).toEqual({birds: {tweety: {wings: 2}}});
    act(() => result.current.values[1]({visitors: 1}));
    expect(result.current.values[0]).toEqual({visitors: 1});
  });
});

describe('context lookups', () => {
  test('stores and synchronizers by id, and a status listener on one by id', async () => {
    const main = createStore();
    const other = createStore();
    const synchronizer = await createLocalSynchronizer(other);
    const wrapper = ({children}: {children: ReactNode}) => (
      <Provider store={main} storesById={{other}} synchronizersById={{sync: synchronizer}}>
        {children}
      </Provider>
    );
    const statuses: unknown[][] = [];
    const {result, unmount} = renderHook(
      () => {
        useSynchronizerStatusListener((...args) => statuses.push(args), [], 'sync');
        return {
          stores: useStores(),
          byId: useStoreOrStoreById('other'),
          byObject: useStoreOrStoreById(main),
          byDefault: useStoreOrStoreById(),
          synchronizerIds: useSynchronizerIds(),
          synchronizerById: useSynchronizerOrSynchronizerById('sync'),
          missing: useSynchronizerOrSynchronizerById('nope'),
        };
      },
      {wrapper},
    );
    expect(result.current.stores).toEqual({other});
    expect(result.current.stores.other).toBe(other);
    expect(result.current.byId).toBe(other);
    expect(result.current.byObject).toBe(main);
    expect(result.current.byDefault).toBe(main);
    expect(result.current.synchronizerIds).toEqual(['sync']);
    expect(result.current.synchronizerById).toBe(synchronizer);
    expect(result.current.missing).toBeUndefined();

    // startSync loads then saves, each moving the status away from idle and back.
    await act(() => synchronizer.startSync());
    expect(statuses.every(([from]) => from === synchronizer)).toBe(true);
    expect(statuses.map(([, status]) => status)).toEqual([
      Status.Loading,
      Status.Idle,
      Status.Saving,
      Status.Idle,
    ]);
    unmount();
    const heard = statuses.length;
    await synchronizer.load();
    expect(statuses.length).toBe(heard);
    synchronizer.destroy();
  });
});

test('formatSyncStatus says connection and phase, and pending changes only when there are some', () => {
  const status = {connection: 'online', phase: 'synced', lastSyncedAt: null, error: null} as const;
  expect(formatSyncStatus({...status, pendingChanges: 0})).toBe('online · synced');
  expect(formatSyncStatus({...status, phase: 'syncing', pendingChanges: 2})).toBe(
    'online · syncing · 2 pending',
  );
  expect(formatSyncStatus({...status, pendingChanges: 1, unconfirmedChanges: 3})).toBe(
    'online · synced · 1 pending · 3 unconfirmed',
  );
  expect(formatSyncStatus({...status, pendingChanges: 0, unconfirmedChanges: 0})).toBe(
    'online · synced',
  );
});
