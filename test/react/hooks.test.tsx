// @vitest-environment happy-dom
// The data, setter, listener and creation hooks against one store: what they return, when they
// re-render, and that they let go of every listener on unmount.
import {act, render, renderHook} from '@testing-library/react';
import type {ReactNode} from 'react';
import {describe, expect, test, vi} from 'vitest';
import {
  Provider,
  useAddRowCallback,
  useCell,
  useCellIds,
  useCellListener,
  useCellState,
  useCreateMergeableStore,
  useDelRowCallback,
  useHasCell,
  useHasRow,
  useHasTable,
  useHasTables,
  useHasValue,
  useHasValues,
  useRow,
  useRowCount,
  useRowIds,
  useRowIdsListener,
  useRowState,
  useSetCellCallback,
  useSetPartialRowCallback,
  useSetValueCallback,
  useSortedRowIds,
  useSortedRowIdsListener,
  useStore,
  useStoreIds,
  useTable,
  useTableCellIds,
  useTableIds,
  useTables,
  useValue,
  useValueIds,
  useValueState,
  useValues,
} from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createStore, totalListeners} from './support.js';

function withStore(store: MergeableStore, storesById?: {[id: string]: MergeableStore}) {
  return ({children}: {children: ReactNode}) => (
    <Provider store={store} storesById={storesById}>
      {children}
    </Provider>
  );
}

function Counter() {
  const store = useCreateMergeableStore(() => createStore().setValue('count', 1));
  const count = Number(useValue('count', store));
  return (
    <button type="button" onClick={() => store.setValue('count', count + 1)}>
      {count}
    </button>
  );
}

function petsStore(): MergeableStore {
  return createStore()
    .setTable('pets', {
      fido: {species: 'dog', legs: 4},
      felix: {species: 'cat', legs: 4},
      tweety: {species: 'bird', legs: 2},
    })
    .setValues({open: true, visitors: 3});
}

describe('reading hooks', () => {
  test('return the store content, like the store getters', () => {
    const store = petsStore();
    const {result} = renderHook(
      () => ({
        hasTables: useHasTables(),
        tables: useTables(),
        tableIds: useTableIds(),
        hasTable: useHasTable('pets'),
        table: useTable('pets'),
        tableCellIds: useTableCellIds('pets'),
        rowCount: useRowCount('pets'),
        rowIds: useRowIds('pets'),
        sorted: useSortedRowIds('pets', 'legs', false, 0, 2),
        sortedByArgs: useSortedRowIds({tableId: 'pets', cellId: 'species', descending: true}),
        hasRow: useHasRow('pets', 'fido'),
        row: useRow('pets', 'fido'),
        cellIds: useCellIds('pets', 'fido'),
        hasCell: useHasCell('pets', 'fido', 'legs'),
        cell: useCell('pets', 'fido', 'legs'),
        hasValues: useHasValues(),
        values: useValues(),
        valueIds: useValueIds(),
        hasValue: useHasValue('open'),
        value: useValue('visitors'),
      }),
      {wrapper: withStore(store)},
    );
    expect(result.current).toEqual({
      hasTables: true,
      tables: store.getTables(),
      tableIds: ['pets'],
      hasTable: true,
      table: store.getTable('pets'),
      tableCellIds: ['species', 'legs'],
      rowCount: 3,
      rowIds: ['fido', 'felix', 'tweety'],
      sorted: ['tweety', 'fido'],
      sortedByArgs: ['fido', 'felix', 'tweety'],
      hasRow: true,
      row: {species: 'dog', legs: 4},
      cellIds: ['species', 'legs'],
      hasCell: true,
      cell: 4,
      hasValues: true,
      values: {open: true, visitors: 3},
      valueIds: ['open', 'visitors'],
      hasValue: true,
      value: 3,
    });
  });

  test('return empty defaults when there is no store', () => {
    const {result} = renderHook(() => [
      useTables(),
      useTableIds(),
      useRow('t', 'r'),
      useCell('t', 'r', 'c'),
      useHasRow('t', 'r'),
      useRowCount('t'),
      useValue('v'),
      useSortedRowIds('t'),
    ]);
    expect(result.current).toEqual([{}, [], {}, undefined, false, 0, undefined, []]);
  });

  test('pick the store by object, by provider id, or the default', () => {
    const main = createStore().setValue('name', 'main');
    const other = createStore().setValue('name', 'other');
    const {result} = renderHook(
      () => [useValue('name'), useValue('name', 'other'), useValue('name', other), useStoreIds()],
      {wrapper: withStore(main, {other})},
    );
    expect(result.current).toEqual(['main', 'other', 'other', ['other']]);
  });

  test('re-render on a change and keep the same snapshot while content is equal', () => {
    const store = petsStore();
    let renders = 0;
    const {result} = renderHook(
      () => {
        renders++;
        return useRow('pets', 'fido');
      },
      {wrapper: withStore(store)},
    );
    const first = result.current;
    const rendersAfterMount = renders;

    act(() => {
      store.setCell('pets', 'felix', 'legs', 3);
      store.setCell('pets', 'fido', 'legs', 4);
    });
    expect(renders).toBe(rendersAfterMount);
    expect(result.current).toBe(first);

    act(() => {
      store.setCell('pets', 'fido', 'legs', 3);
    });
    expect(renders).toBe(rendersAfterMount + 1);
    expect(result.current).toEqual({species: 'dog', legs: 3});
  });

  test('has… hooks do not re-render when only the content changes', () => {
    const store = petsStore();
    let renders = 0;
    const {result} = renderHook(
      () => {
        renders++;
        return useHasRow('pets', 'fido');
      },
      {wrapper: withStore(store)},
    );
    const rendersAfterMount = renders;
    act(() => {
      store.setCell('pets', 'fido', 'legs', 5);
    });
    expect(renders).toBe(rendersAfterMount);
    act(() => {
      store.delRow('pets', 'fido');
    });
    expect(result.current).toBe(false);
    expect(renders).toBe(rendersAfterMount + 1);
  });

  test('follow new arguments', () => {
    const store = petsStore();
    const {result, rerender} = renderHook(({rowId}) => useCell('pets', rowId, 'species'), {
      wrapper: withStore(store),
      initialProps: {rowId: 'fido'},
    });
    expect(result.current).toBe('dog');
    rerender({rowId: 'felix'});
    expect(result.current).toBe('cat');
    act(() => {
      store.setCell('pets', 'felix', 'species', 'lion');
    });
    expect(result.current).toBe('lion');
  });

  test('let go of every store listener on unmount', () => {
    const store = petsStore();
    const {unmount} = renderHook(
      () => [useTables(), useRow('pets', 'fido'), useHasValue('open'), useSortedRowIds('pets')],
      {wrapper: withStore(store)},
    );
    expect(totalListeners(store)).toBe(4);
    unmount();
    expect(totalListeners(store)).toBe(0);
  });
});

describe('state hooks', () => {
  test('return the content and a setter for it', () => {
    const store = petsStore();
    const {result} = renderHook(
      () => ({
        row: useRowState('pets', 'fido'),
        cell: useCellState('pets', 'fido', 'legs'),
        value: useValueState('visitors'),
      }),
      {wrapper: withStore(store)},
    );
    act(() => result.current.cell[1](3));
    expect(result.current.cell[0]).toBe(3);
    expect(result.current.row[0]).toEqual({species: 'dog', legs: 3});
    act(() => result.current.row[1]({species: 'wolf'}));
    expect(store.getRow('pets', 'fido')).toEqual({species: 'wolf'});
    act(() => result.current.value[1](4));
    expect(result.current.value[0]).toBe(4);
  });
});

describe('callback hooks', () => {
  test('write with fixed ids or ids computed from the parameter, then call then', () => {
    const store = petsStore();
    const then = vi.fn();
    const {result} = renderHook(
      () => ({
        setSpecies: useSetPartialRowCallback(
          'pets',
          'felix',
          (species: string) => ({species}),
          [],
          undefined,
          then,
        ),
        setOpen: useSetValueCallback('open', (open: boolean) => open),
        addPet: useAddRowCallback('pets', (species: string) => ({species}), [], undefined, then),
        delPet: useDelRowCallback('pets', (rowId: string) => rowId),
      }),
      {wrapper: withStore(store)},
    );
    act(() => result.current.setSpecies('tiger'));
    expect(store.getCell('pets', 'felix', 'species')).toBe('tiger');
    expect(then).toHaveBeenLastCalledWith(store, {species: 'tiger'});

    act(() => result.current.setOpen(false));
    expect(store.getValue('open')).toBe(false);

    act(() => result.current.addPet('fish'));
    const [rowId, thenStore, row] = then.mock.lastCall!;
    expect(thenStore).toBe(store);
    expect(row).toEqual({species: 'fish'});
    expect(store.getRow('pets', rowId)).toEqual({species: 'fish'});

    act(() => result.current.delPet('fido'));
    expect(store.hasRow('pets', 'fido')).toBe(false);
  });

  test('id functions of the parameter pick the row to write', () => {
    const store = petsStore();
    const {result} = renderHook(
      () =>
        useSetCellCallback(
          'pets',
          (event: {rowId: string; legs: number}) => event.rowId,
          'legs',
          (event) => event.legs,
        ),
      {wrapper: withStore(store)},
    );
    act(() => result.current({rowId: 'tweety', legs: 1}));
    expect(store.getCell('pets', 'tweety', 'legs')).toBe(1);
  });

  test('keep their identity across renders while their inputs are the same', () => {
    const store = petsStore();
    const {result, rerender} = renderHook(
      () => useSetCellCallback('pets', 'fido', 'legs', (legs: number) => legs),
      {wrapper: withStore(store)},
    );
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
  });
});

describe('listener hooks', () => {
  test('call the listener while mounted and remove it on unmount', () => {
    const store = petsStore();
    const listener = vi.fn();
    const sortedListener = vi.fn();
    const rowIdsListener = vi.fn();
    const {unmount} = renderHook(
      () => {
        useCellListener('pets', null, 'legs', listener);
        useSortedRowIdsListener('pets', 'legs', false, 0, undefined, sortedListener);
        useRowIdsListener('pets', rowIdsListener);
      },
      {wrapper: withStore(store)},
    );
    store.setCell('pets', 'felix', 'legs', 3);
    expect(listener).toHaveBeenCalledWith(
      store,
      'pets',
      'felix',
      'legs',
      3,
      4,
      expect.any(Function),
    );
    expect(sortedListener.mock.lastCall![6]).toEqual(['tweety', 'felix', 'fido']);
    store.setRow('pets', 'nemo', {species: 'fish', legs: 0});
    expect(rowIdsListener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledTimes(2);
    unmount();
    expect(totalListeners(store)).toBe(0);
    store.setCell('pets', 'felix', 'legs', 2);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  test('re-register when listenerDeps change, not when only the function does', () => {
    const store = petsStore();
    const calls: string[] = [];
    const {rerender} = renderHook(
      ({label}) => useCellListener('pets', 'fido', 'legs', () => calls.push(label), [label]),
      {wrapper: withStore(store), initialProps: {label: 'first'}},
    );
    rerender({label: 'second'});
    store.setCell('pets', 'fido', 'legs', 1);
    expect(calls).toEqual(['second']);
    expect(totalListeners(store)).toBe(1);
  });
});

describe('creation and context hooks', () => {
  test('useCreateMergeableStore creates once per set of deps', () => {
    const create = vi.fn(() => createStore());
    const {result, rerender} = renderHook(({room}) => useCreateMergeableStore(create, [room]), {
      initialProps: {room: 'a'},
    });
    const first = result.current;
    rerender({room: 'a'});
    expect(result.current).toBe(first);
    rerender({room: 'b'});
    expect(result.current).not.toBe(first);
    expect(create).toHaveBeenCalledTimes(2);
  });

  test('hooks re-render a component that reads from a store it created', () => {
    const {getByRole} = render(<Counter />);
    act(() => getByRole('button').click());
    expect(getByRole('button').textContent).toBe('2');
  });

  test('useStore returns the default store and stores by id', () => {
    const main = createStore();
    const other = createStore();
    const {result} = renderHook(() => [useStore(), useStore('other'), useStore('missing')], {
      wrapper: withStore(main, {other}),
    });
    expect(result.current).toEqual([main, other, undefined]);
  });
});
