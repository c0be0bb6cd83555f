// Hooks that register a store listener for as long as the component is mounted. The listener is
// re-registered when its ids, `mutator` or `listenerDeps` change; each is one call to useListener.
import type {DependencyList} from 'react';
import type {
  CellIdsListener,
  CellListener,
  HasCellListener,
  HasRowListener,
  HasTableCellListener,
  HasTableListener,
  HasTablesListener,
  HasValueListener,
  HasValuesListener,
  Id,
  IdOrNull,
  RowCountListener,
  RowIdsListener,
  RowListener,
  SortedRowIdsArgs,
  SortedRowIdsListener,
  TableCellIdsListener,
  TableIdsListener,
  TableListener,
  TablesListener,
  TransactionListener,
  ValueIdsListener,
  ValueListener,
  ValuesListener,
} from '../store/types.js';
import {type StoreOrStoreId, useStoreOrStoreById} from './context.js';
import {useListener} from './listenable.js';
import {sortArgsObject, splitSortedRowIdsArgs} from './sorted-row-ids-args.js';

const NO_DEPS: DependencyList = [];

export function useHasTablesListener(
  listener: HasTablesListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasTablesListener(listener, mutator),
    [mutator, ...listenerDeps],
  );
}

export function useTablesListener(
  listener: TablesListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addTablesListener(listener, mutator),
    [mutator, ...listenerDeps],
  );
}

export function useTableIdsListener(
  listener: TableIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addTableIdsListener(listener, mutator),
    [mutator, ...listenerDeps],
  );
}

export function useHasTableListener(
  tableId: IdOrNull,
  listener: HasTableListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasTableListener(tableId, listener, mutator),
    [tableId, mutator, ...listenerDeps],
  );
}

export function useTableListener(
  tableId: IdOrNull,
  listener: TableListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addTableListener(tableId, listener, mutator),
    [tableId, mutator, ...listenerDeps],
  );
}

export function useTableCellIdsListener(
  tableId: IdOrNull,
  listener: TableCellIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addTableCellIdsListener(tableId, listener, mutator),
    [tableId, mutator, ...listenerDeps],
  );
}

export function useHasTableCellListener(
  tableId: IdOrNull,
  cellId: IdOrNull,
  listener: HasTableCellListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasTableCellListener(tableId, cellId, listener, mutator),
    [tableId, cellId, mutator, ...listenerDeps],
  );
}

export function useRowCountListener(
  tableId: IdOrNull,
  listener: RowCountListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addRowCountListener(tableId, listener, mutator),
    [tableId, mutator, ...listenerDeps],
  );
}

export function useRowIdsListener(
  tableId: IdOrNull,
  listener: RowIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addRowIdsListener(tableId, listener, mutator),
    [tableId, mutator, ...listenerDeps],
  );
}

/**
 * Listens to sorted row ids; the arguments come one by one or as one object (which alone may carry
 * a sorter), as in the store.
 */
export function useSortedRowIdsListener(
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  listener: SortedRowIdsListener,
  listenerDeps?: DependencyList,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void;
export function useSortedRowIdsListener(
  args: SortedRowIdsArgs,
  listener: SortedRowIdsListener,
  listenerDeps?: DependencyList,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void;
export function useSortedRowIdsListener(
  tableIdOrArgs: Id | SortedRowIdsArgs,
  ...rest: unknown[]
): void {
  const [sortArguments, following] = splitSortedRowIdsArgs(tableIdOrArgs, rest, false);
  const [listener, listenerDeps = NO_DEPS, mutator, storeOrStoreId] = following as [
    SortedRowIdsListener,
    DependencyList?,
    boolean?,
    StoreOrStoreId?,
  ];
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    // The object form, the only one that carries a sorter.
    (store) => store.addSortedRowIdsListener(sortArgsObject(sortArguments), listener, mutator),
    [...sortArguments, mutator, ...listenerDeps],
  );
}

export function useHasRowListener(
  tableId: IdOrNull,
  rowId: IdOrNull,
  listener: HasRowListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasRowListener(tableId, rowId, listener, mutator),
    [tableId, rowId, mutator, ...listenerDeps],
  );
}

export function useRowListener(
  tableId: IdOrNull,
  rowId: IdOrNull,
  listener: RowListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addRowListener(tableId, rowId, listener, mutator),
    [tableId, rowId, mutator, ...listenerDeps],
  );
}

export function useCellIdsListener(
  tableId: IdOrNull,
  rowId: IdOrNull,
  listener: CellIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addCellIdsListener(tableId, rowId, listener, mutator),
    [tableId, rowId, mutator, ...listenerDeps],
  );
}

export function useHasCellListener(
  tableId: IdOrNull,
  rowId: IdOrNull,
  cellId: IdOrNull,
  listener: HasCellListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasCellListener(tableId, rowId, cellId, listener, mutator),
    [tableId, rowId, cellId, mutator, ...listenerDeps],
  );
}

export function useCellListener(
  tableId: IdOrNull,
  rowId: IdOrNull,
  cellId: IdOrNull,
  listener: CellListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addCellListener(tableId, rowId, cellId, listener, mutator),
    [tableId, rowId, cellId, mutator, ...listenerDeps],
  );
}

export function useHasValuesListener(
  listener: HasValuesListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasValuesListener(listener, mutator),
    [mutator, ...listenerDeps],
  );
}

export function useValuesListener(
  listener: ValuesListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addValuesListener(listener, mutator),
    [mutator, ...listenerDeps],
  );
}

export function useValueIdsListener(
  listener: ValueIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addValueIdsListener(listener, mutator),
    [mutator, ...listenerDeps],
  );
}

export function useHasValueListener(
  valueId: IdOrNull,
  listener: HasValueListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addHasValueListener(valueId, listener, mutator),
    [valueId, mutator, ...listenerDeps],
  );
}

export function useValueListener(
  valueId: IdOrNull,
  listener: ValueListener,
  listenerDeps: DependencyList = NO_DEPS,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addValueListener(valueId, listener, mutator),
    [valueId, mutator, ...listenerDeps],
  );
}

export function useStartTransactionListener(
  listener: TransactionListener,
  listenerDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addStartTransactionListener(listener),
    listenerDeps,
  );
}

export function useWillFinishTransactionListener(
  listener: TransactionListener,
  listenerDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addWillFinishTransactionListener(listener),
    listenerDeps,
  );
}

export function useDidFinishTransactionListener(
  listener: TransactionListener,
  listenerDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
): void {
  useListener(
    useStoreOrStoreById(storeOrStoreId),
    (store) => store.addDidFinishTransactionListener(listener),
    listenerDeps,
  );
}
