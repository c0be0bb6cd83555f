// @vitest-environment happy-dom
// syncstore/react/with-schemas: the hooks typed by a store's schemas, used as TinyBase's
// ui-react/with-schemas is (the module cast to WithSchemas). Each `@ts-expect-error` line is
// checked by `tsc --noEmit`: it fails the typecheck if the line compiles. The hooks then run for
// real against a typed store in a provider.
import {act, renderHook, waitFor} from '@testing-library/react';
import type {ReactNode} from 'react';
import {describe, expect, expectTypeOf, test} from 'vitest';
import * as UiReact from '../../src/react/with-schemas.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {
  type CellOrValue,
  createMergeableStore,
  type NoSchemas,
  type NoValuesSchema,
} from '../../src/with-schemas.js';

const tablesSchema = {
  pets: {species: {type: 'string'}, legs: {type: 'number', default: 4}},
} as const;
const valuesSchema = {open: {type: 'boolean', default: true}, motto: {type: 'string'}} as const;
type Schemas = [typeof tablesSchema, typeof valuesSchema];

const {
  CellView,
  Provider,
  SortedTableView,
  TableView,
  ValueView,
  useAddRowCallback,
  useCell,
  useCellIds,
  useCellListener,
  useCellState,
  useCreateMergeableStore,
  useCreateSynchronizer,
  useDelCellCallback,
  useDelValueCallback,
  useHasCell,
  useHasTable,
  useHasValue,
  useRow,
  useSetCellCallback,
  useSetPartialRowCallback,
  useSetRowCallback,
  useSetValueCallback,
  useSortedRowIds,
  useSortedRowIdsListener,
  useStore,
  useStores,
  useTable,
  useTableIds,
  useTableListener,
  useTables,
  useValue,
  useValueIds,
  useValueListener,
  useValueState,
  useValues,
} = UiReact as UiReact.WithSchemas<Schemas>;

const createTypedStore = () =>
  createMergeableStore('s').setTablesSchema(tablesSchema).setValuesSchema(valuesSchema);

describe('syncstore/react/with-schemas', () => {
  test('the typed hooks read and write a typed store', () => {
    const store = createTypedStore();
    store.setRow('pets', 'fido', {species: 'dog'});
    const wrapper = ({children}: {children: ReactNode}) => (
      <Provider store={store}>{children}</Provider>
    );
    const {result} = renderHook(
      () => {
        const legs = useCell('pets', 'fido', 'legs');
        const row = useRow('pets', 'fido');
        const table = useTable('pets');
        const tables = useTables();
        const open = useValue('open');
        const values = useValues();
        const setLegs = useSetCellCallback(
          'pets',
          (rowId: string) => rowId,
          'legs',
          () => (legs: number | undefined) => (legs ?? 0) + 1,
        );
        expectTypeOf(legs).toEqualTypeOf<number | undefined>();
        expectTypeOf(row).toEqualTypeOf<{species?: string; legs?: number}>();
        expectTypeOf(open).toEqualTypeOf<boolean>();
        expectTypeOf(useValue('motto')).toEqualTypeOf<string | undefined>();
        expectTypeOf(useStore()).toEqualTypeOf<ReturnType<typeof createTypedStore> | undefined>();
        expectTypeOf(useStores()).toEqualTypeOf<{
          [storeId: string]: ReturnType<typeof createTypedStore>;
        }>();
        // @ts-expect-error: no such table
        useCell('people', 'fido', 'legs');
        // @ts-expect-error: no such cell
        useCell('pets', 'fido', 'name');
        // @ts-expect-error: no such table
        useRow('people', 'fido');
        // @ts-expect-error: no such table
        useTable('people');
        // @ts-expect-error: no such value
        useValue('closed');
        // @ts-expect-error: legs is a number
        useSetCellCallback('pets', 'fido', 'legs', () => 'four');
        // @ts-expect-error: no such cell
        useSetCellCallback('pets', 'fido', 'name', () => 'Fido');
        return {legs, row, table, tables, open, values, setLegs};
      },
      {wrapper},
    );
    expect(result.current).toMatchObject({
      legs: 4,
      row: {species: 'dog', legs: 4},
      table: {fido: {species: 'dog', legs: 4}},
      tables: {pets: {fido: {species: 'dog', legs: 4}}},
      open: true,
      values: {open: true},
    });
    act(() => result.current.setLegs('fido'));
    expect(result.current.legs).toBe(5);
    expect(store.getCell('pets', 'fido', 'legs')).toBe(5);
  });

  test('every other hook is typed too: listeners, has-hooks, sorted row ids, setters, states', () => {
    const store = createTypedStore();
    store.setRow('pets', 'fido', {species: 'dog'});
    const wrapper = ({children}: {children: ReactNode}) => (
      <Provider store={store}>{children}</Provider>
    );
    const seen: unknown[] = [];
    const {result} = renderHook(
      () => {
        useCellListener(
          'pets',
          null,
          'legs',
          (_store, tableId, _rowId, cellId, newCell, oldCell) => {
            expectTypeOf(tableId).toEqualTypeOf<'pets'>();
            expectTypeOf(cellId).toEqualTypeOf<'legs'>();
            expectTypeOf(newCell).toEqualTypeOf<number | undefined>();
            expectTypeOf(oldCell).toEqualTypeOf<number | undefined>();
            seen.push([cellId, newCell, oldCell]);
          },
        );
        // With a null cell id the listener gets any of the table's cells.
        useCellListener('pets', 'fido', null, (_store, _tableId, _rowId, cellId, newCell) => {
          expectTypeOf(cellId).toEqualTypeOf<'species' | 'legs'>();
          expectTypeOf(newCell).toEqualTypeOf<string | number | undefined>();
        });
        useValueListener('open', (_store, valueId, newValue) => {
          expectTypeOf(valueId).toEqualTypeOf<'open'>();
          expectTypeOf(newValue).toEqualTypeOf<boolean | undefined>();
          seen.push([valueId, newValue]);
        });
        useTableListener(null, (listenerStore, tableId, getCellChange) => {
          expectTypeOf(tableId).toEqualTypeOf<'pets'>();
          expectTypeOf(listenerStore).toEqualTypeOf<typeof store>();
          expectTypeOf(getCellChange('pets', 'fido', 'legs')).toEqualTypeOf<
            [changed: boolean, oldCell: number | undefined, newCell: number | undefined]
          >();
        });
        useSortedRowIdsListener({tableId: 'pets', cellId: 'legs'}, (_store, _tableId, cellId) => {
          expectTypeOf(cellId).toEqualTypeOf<'species' | 'legs' | undefined>();
        });
        // @ts-expect-error: no such table
        useTableListener('people', () => {});
        // @ts-expect-error: no such cell
        useCellListener('pets', null, 'name', () => {});
        // @ts-expect-error: no such value
        useValueListener('closed', () => {});
        // @ts-expect-error: the listener's new cell is a number, not a string
        useCellListener('pets', null, 'legs', (_s, _t, _r, _c, newCell: string) => newCell);
        // @ts-expect-error: no such cell to sort by
        useSortedRowIds('pets', 'name');
        // @ts-expect-error: no such cell to sort by, in the object form
        useSortedRowIds({tableId: 'pets', cellId: 'name'});
        // @ts-expect-error: no such table
        useHasTable('people');
        // @ts-expect-error: no such cell
        useHasCell('pets', 'fido', 'name');
        // @ts-expect-error: no such value
        useHasValue('closed');
        // @ts-expect-error: legs is a number
        useSetRowCallback('pets', 'fido', () => ({legs: 'four'}));
        // @ts-expect-error: motto is a string
        useSetValueCallback('motto', () => 1);
        // @ts-expect-error: no such cell
        useDelCellCallback('pets', 'fido', 'name');
        // @ts-expect-error: no such value
        useDelValueCallback('closed');
        // @ts-expect-error: species is a string
        useAddRowCallback('pets', () => ({species: 1}));
        expectTypeOf(useTableIds()).toEqualTypeOf<'pets'[]>();
        expectTypeOf(useCellIds('pets', 'fido')).toEqualTypeOf<('species' | 'legs')[]>();
        expectTypeOf(useValueIds()).toEqualTypeOf<('open' | 'motto')[]>();
        const [legs, setLegs] = useCellState('pets', 'fido', 'legs');
        expectTypeOf(legs).toEqualTypeOf<number | undefined>();
        expectTypeOf(setLegs).parameter(0).toEqualTypeOf<number>();
        const [motto, setMotto] = useValueState('motto');
        expectTypeOf(motto).toEqualTypeOf<string | undefined>();
        // @ts-expect-error: motto is a string
        setMotto(1);
        const sorted = useSortedRowIds('pets', 'legs', true);
        const setSpecies = useSetPartialRowCallback('pets', 'fido', (species: string) => ({
          species,
        }));
        return {legs, setLegs, motto, setMotto, sorted, setSpecies};
      },
      {wrapper},
    );
    act(() => result.current.setLegs(3));
    act(() => result.current.setMotto('be kind'));
    act(() => result.current.setSpecies('wolf'));
    expect(result.current).toMatchObject({legs: 3, motto: 'be kind', sorted: ['fido']});
    expect(store.getRow('pets', 'fido')).toEqual({species: 'wolf', legs: 3});
    expect(seen).toContainEqual(['legs', 3, 4]);
  });

  test('the views take the schema ids', () => {
    const store = createTypedStore();
    store.setRow('pets', 'fido', {species: 'dog'});
    const ok = (
      <Provider store={store}>
        <CellView tableId="pets" rowId="fido" cellId="legs" />
        <TableView tableId="pets" customCellIds={['species']} />
        <SortedTableView tableId="pets" cellId="legs" />
        <ValueView valueId="open" />
      </Provider>
    );
    // @ts-expect-error: no such cell
    const badCell = <CellView tableId="pets" rowId="fido" cellId="name" />;
    // @ts-expect-error: no such table
    const badTable = <TableView tableId="people" />;
    // @ts-expect-error: no such cell to sort by
    const badSort = <SortedTableView tableId="pets" cellId="name" />;
    // @ts-expect-error: no such value
    const badValue = <ValueView valueId="closed" />;
    expect([ok, badCell, badTable, badSort, badValue]).toHaveLength(5);
  });

  test('a typed store goes to the create hooks and to a synchronizer', async () => {
    const {result} = renderHook(() => {
      const store = useCreateMergeableStore(createTypedStore);
      expectTypeOf(store).toEqualTypeOf<ReturnType<typeof createTypedStore>>();
      const synchronizer = useCreateSynchronizer(store, (created) => {
        expectTypeOf(created).toEqualTypeOf<typeof store>();
        return createLocalSynchronizer(created);
      });
      useCreateSynchronizer(store, (created) =>
        // @ts-expect-error: the store given to create is typed: no such table
        createLocalSynchronizer(created.setRow('x', 'r', {})),
      );
      return {store, synchronizer};
    });
    await waitFor(() => expect(result.current.synchronizer).toBeDefined());
    expect(result.current.synchronizer?.getStore()).toBe(result.current.store);
  });

  test('with only a tables schema, or none, the module casts too', () => {
    const tablesOnly = UiReact as UiReact.WithSchemas<[typeof tablesSchema, NoValuesSchema]>;
    const none = UiReact as UiReact.WithSchemas<NoSchemas>;
    const typeOnly = () => {
      expectTypeOf(tablesOnly.useValue('any value')).toEqualTypeOf<CellOrValue | undefined>();
      expectTypeOf(tablesOnly.useCell('pets', 'fido', 'legs')).toEqualTypeOf<number | undefined>();
      // @ts-expect-error: the tables schema still holds
      tablesOnly.useCell('people', 'fido', 'legs');
      none.useCell('any table', 'any row', 'any cell');
    };
    expect(typeOnly).toBeTypeOf('function');
    expect(none.useCell).toBe(tablesOnly.useCell);
  });

  test('the untyped hooks are the same functions', () => {
    const typed = UiReact as UiReact.WithSchemas<Schemas>;
    expect(typed.useCell).toBe(UiReact.useCell);
    expect(typed.useSetCellCallback).toBe(UiReact.useSetCellCallback);
  });
});
