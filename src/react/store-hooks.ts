// Hooks that read from a MergeableStore and re-render when what they read changes. Each is one
// call to useListenable with a Reader from store-readers.ts; the optional last argument picks the
// store (an object, a provider id, or the default store).
import type {DependencyList} from 'react';
import type {
  Cell,
  Id,
  Ids,
  Row,
  SortedRowIdsArgs,
  Sorter,
  Table,
  Tables,
  Value,
  Values,
} from '../store/types.js';
import {type StoreOrStoreId, useStoreOrStoreById} from './context.js';
import {useListenable} from './listenable.js';
import {
  useSetCellCallback,
  useSetRowCallback,
  useSetTableCallback,
  useSetTablesCallback,
  useSetValueCallback,
  useSetValuesCallback,
} from './setter-hooks.js';
import {splitSortedRowIdsArgs} from './sorted-row-ids-args.js';
import {
  cellIdsReader,
  cellReader,
  hasCellReader,
  hasRowReader,
  hasTableCellReader,
  hasTableReader,
  hasTablesReader,
  hasValueReader,
  hasValuesReader,
  rowCountReader,
  rowIdsReader,
  rowReader,
  sortedRowIdsReader,
  tableCellIdsReader,
  tableIdsReader,
  tableReader,
  tablesReader,
  valueIdsReader,
  valueReader,
  valuesReader,
} from './store-readers.js';

const NO_DEPS: DependencyList = [];

/** Whether the store has any table; re-renders only when that flips. */
export function useHasTables(storeOrStoreId?: StoreOrStoreId): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasTablesReader);
}

/** All tables, as `store.getTables()`; re-renders when any cell changes. */
export function useTables(storeOrStoreId?: StoreOrStoreId): Tables {
  return useListenable(useStoreOrStoreById(storeOrStoreId), tablesReader);
}

/** The table ids; re-renders when a table is added or removed. */
export function useTableIds(storeOrStoreId?: StoreOrStoreId): Ids {
  return useListenable(useStoreOrStoreById(storeOrStoreId), tableIdsReader);
}

/** Whether the table exists; re-renders only when that flips. */
export function useHasTable(tableId: Id, storeOrStoreId?: StoreOrStoreId): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasTableReader, tableId);
}

/** One table (`{}` when missing); re-renders when any of its cells changes. */
export function useTable(tableId: Id, storeOrStoreId?: StoreOrStoreId): Table {
  return useListenable(useStoreOrStoreById(storeOrStoreId), tableReader, tableId);
}

/** The ids of the cells used anywhere in the table. */
export function useTableCellIds(tableId: Id, storeOrStoreId?: StoreOrStoreId): Ids {
  return useListenable(useStoreOrStoreById(storeOrStoreId), tableCellIdsReader, tableId);
}

/** Whether any row of the table has this cell. */
export function useHasTableCell(tableId: Id, cellId: Id, storeOrStoreId?: StoreOrStoreId): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasTableCellReader, tableId, cellId);
}

/** The number of rows in the table. */
export function useRowCount(tableId: Id, storeOrStoreId?: StoreOrStoreId): number {
  return useListenable(useStoreOrStoreById(storeOrStoreId), rowCountReader, tableId);
}

/** The row ids of the table; re-renders when a row is added or removed, not when cells change. */
export function useRowIds(tableId: Id, storeOrStoreId?: StoreOrStoreId): Ids {
  return useListenable(useStoreOrStoreById(storeOrStoreId), rowIdsReader, tableId);
}

/**
 * Row ids sorted by a cell (or by row id), paged by offset and limit. Takes the arguments one by
 * one or as one object, as the store's getSortedRowIds does, with the store (or its id) last. In
 * the positional form a custom sorter may come before the store, as in TinyBase. A sorter is a
 * dependency: one defined outside the component is not re-subscribed on every render.
 */
export function useSortedRowIds(
  tableId: Id,
  cellId?: Id,
  descending?: boolean,
  offset?: number,
  limit?: number,
  sorterOrStoreOrStoreId?: Sorter | StoreOrStoreId,
  storeOrStoreId?: StoreOrStoreId,
): Ids;
export function useSortedRowIds(args: SortedRowIdsArgs, storeOrStoreId?: StoreOrStoreId): Ids;
export function useSortedRowIds(tableIdOrArgs: Id | SortedRowIdsArgs, ...rest: unknown[]): Ids {
  const [sortArguments, [storeOrStoreId]] = splitSortedRowIdsArgs(tableIdOrArgs, rest, true);
  return useListenable(
    useStoreOrStoreById(storeOrStoreId as StoreOrStoreId | undefined),
    sortedRowIdsReader,
    ...sortArguments,
  );
}

/** Whether the row exists; re-renders only when that flips. */
export function useHasRow(tableId: Id, rowId: Id, storeOrStoreId?: StoreOrStoreId): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasRowReader, tableId, rowId);
}

/**
 * One row (`{}` when missing); re-renders when one of its cells changes, and only then. The
 * returned object stays the same while the row's content does.
 *
 * @example
 * function Pet({rowId}: {rowId: string}) {
 *   const {species, age} = useRow('pets', rowId);
 *   return <li>{String(species)}, {String(age)}</li>;
 * }
 */
export function useRow(tableId: Id, rowId: Id, storeOrStoreId?: StoreOrStoreId): Row {
  return useListenable(useStoreOrStoreById(storeOrStoreId), rowReader, tableId, rowId);
}

/** The cell ids of the row. */
export function useCellIds(tableId: Id, rowId: Id, storeOrStoreId?: StoreOrStoreId): Ids {
  return useListenable(useStoreOrStoreById(storeOrStoreId), cellIdsReader, tableId, rowId);
}

/** Whether the cell exists; re-renders only when that flips. */
export function useHasCell(
  tableId: Id,
  rowId: Id,
  cellId: Id,
  storeOrStoreId?: StoreOrStoreId,
): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasCellReader, tableId, rowId, cellId);
}

/** One cell (undefined when missing); re-renders when its value changes. */
export function useCell(
  tableId: Id,
  rowId: Id,
  cellId: Id,
  storeOrStoreId?: StoreOrStoreId,
): Cell | undefined {
  return useListenable(useStoreOrStoreById(storeOrStoreId), cellReader, tableId, rowId, cellId);
}

/** Whether the store has any value. */
export function useHasValues(storeOrStoreId?: StoreOrStoreId): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasValuesReader);
}

/** All values, as `store.getValues()`. */
export function useValues(storeOrStoreId?: StoreOrStoreId): Values {
  return useListenable(useStoreOrStoreById(storeOrStoreId), valuesReader);
}

/** The value ids. */
export function useValueIds(storeOrStoreId?: StoreOrStoreId): Ids {
  return useListenable(useStoreOrStoreById(storeOrStoreId), valueIdsReader);
}

/** Whether the value exists; re-renders only when that flips. */
export function useHasValue(valueId: Id, storeOrStoreId?: StoreOrStoreId): boolean {
  return useListenable(useStoreOrStoreById(storeOrStoreId), hasValueReader, valueId);
}

/** One value (undefined when missing); re-renders when it changes. */
export function useValue(valueId: Id, storeOrStoreId?: StoreOrStoreId): Value | undefined {
  return useListenable(useStoreOrStoreById(storeOrStoreId), valueReader, valueId);
}

// The …State pairs: a value and a setter for it, like React's useState. The setter is the
// matching set… callback hook with the new content as its parameter.

/** All tables and a setter that replaces them. */
export function useTablesState(
  storeOrStoreId?: StoreOrStoreId,
): [tables: Tables, setTables: (tables: Tables) => void] {
  return [
    useTables(storeOrStoreId),
    useSetTablesCallback((tables: Tables) => tables, NO_DEPS, storeOrStoreId),
  ];
}

/** One table and a setter that replaces it. */
export function useTableState(
  tableId: Id,
  storeOrStoreId?: StoreOrStoreId,
): [table: Table, setTable: (table: Table) => void] {
  return [
    useTable(tableId, storeOrStoreId),
    useSetTableCallback(tableId, (table: Table) => table, NO_DEPS, storeOrStoreId),
  ];
}

/** One row and a setter that replaces it. */
export function useRowState(
  tableId: Id,
  rowId: Id,
  storeOrStoreId?: StoreOrStoreId,
): [row: Row, setRow: (row: Row) => void] {
  return [
    useRow(tableId, rowId, storeOrStoreId),
    useSetRowCallback(tableId, rowId, (row: Row) => row, NO_DEPS, storeOrStoreId),
  ];
}

/** One cell and a setter for it. */
export function useCellState(
  tableId: Id,
  rowId: Id,
  cellId: Id,
  storeOrStoreId?: StoreOrStoreId,
): [cell: Cell | undefined, setCell: (cell: Cell) => void] {
  return [
    useCell(tableId, rowId, cellId, storeOrStoreId),
    useSetCellCallback(tableId, rowId, cellId, (cell: Cell) => cell, NO_DEPS, storeOrStoreId),
  ];
}

/** All values and a setter that replaces them. */
export function useValuesState(
  storeOrStoreId?: StoreOrStoreId,
): [values: Values, setValues: (values: Values) => void] {
  return [
    useValues(storeOrStoreId),
    useSetValuesCallback((values: Values) => values, NO_DEPS, storeOrStoreId),
  ];
}

/** One value and a setter for it. */
export function useValueState(
  valueId: Id,
  storeOrStoreId?: StoreOrStoreId,
): [value: Value | undefined, setValue: (value: Value) => void] {
  return [
    useValue(valueId, storeOrStoreId),
    useSetValueCallback(valueId, (value: Value) => value, NO_DEPS, storeOrStoreId),
  ];
}
