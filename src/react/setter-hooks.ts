// Hooks that return memoized callbacks writing to a store, for event handlers. Each id argument
// may be a fixed id or a function of the callback's parameter; the content comes from a getter
// of the parameter; `then` runs after the write.
import {type DependencyList, useCallback} from 'react';
import type {
  Cell,
  Id,
  MapCell,
  MapValue,
  MergeableStore,
  Row,
  Table,
  Tables,
  Value,
  Values,
} from '../store/types.js';
import {type StoreOrStoreId, useStoreOrStoreById} from './context.js';
import {isListenable} from './listenable.js';

/** Computes an id from the callback's parameter. */
export type GetId<Parameter> = (parameter: Parameter, store: MergeableStore) => Id;
export type IdOrGetId<Parameter> = Id | GetId<Parameter>;
export type Callback = () => void;
export type ParameterizedCallback<Parameter> = (parameter?: Parameter) => void;

const NO_DEPS: DependencyList = [];

function resolveIds<Parameter>(
  ids: readonly IdOrGetId<Parameter>[],
  parameter: Parameter,
  store: MergeableStore,
): Id[] {
  return ids.map((id) => (typeof id === 'function' ? id(parameter, store) : id));
}

/**
 * The shared shape of every callback hook: resolve the store and the ids when called, then act.
 * Fixed ids are dependencies; id functions are not (their inputs belong in `deps`).
 */
function useStoreCallback<Parameter>(
  storeOrStoreId: StoreOrStoreId | undefined,
  ids: readonly IdOrGetId<Parameter>[],
  act: (store: MergeableStore, ids: Id[], parameter: Parameter) => void,
  deps: DependencyList,
): ParameterizedCallback<Parameter> {
  const store = useStoreOrStoreById(storeOrStoreId);
  const fixedIds = ids.map((id) => (typeof id === 'function' ? undefined : id));
  // biome-ignore lint/correctness/useExhaustiveDependencies: act's inputs are listed in deps
  return useCallback(
    (parameter?: Parameter) => {
      // Unlike TinyBase's, a callback without a usable store does nothing rather than throw.
      if (isListenable<MergeableStore>(store)) {
        act(store, resolveIds(ids, parameter as Parameter, store), parameter as Parameter);
      }
    },
    [store, ...fixedIds, ...deps],
  );
}

/** A set… callback: get the content from the parameter, write it (unless undefined), then. */
function useSetCallback<Parameter, Thing>(
  storeOrStoreId: StoreOrStoreId | undefined,
  ids: readonly IdOrGetId<Parameter>[],
  get: (parameter: Parameter, store: MergeableStore) => Thing,
  getDeps: DependencyList,
  then: ((store: MergeableStore, thing: Thing) => void) | undefined,
  thenDeps: DependencyList,
  write: (store: MergeableStore, ids: Id[], thing: Thing) => void,
): ParameterizedCallback<Parameter> {
  return useStoreCallback(
    storeOrStoreId,
    ids,
    (store, resolvedIds, parameter) => {
      const thing = get(parameter, store);
      if (thing !== undefined) {
        write(store, resolvedIds, thing);
        then?.(store, thing);
      }
    },
    [...getDeps, ...thenDeps],
  );
}

/** A del… callback: delete, then. */
function useDelCallback<Parameter>(
  storeOrStoreId: StoreOrStoreId | undefined,
  ids: readonly IdOrGetId<Parameter>[],
  then: ((store: MergeableStore) => void) | undefined,
  thenDeps: DependencyList,
  remove: (store: MergeableStore, ids: Id[]) => void,
): ParameterizedCallback<Parameter> {
  return useStoreCallback(
    storeOrStoreId,
    ids,
    (store, resolvedIds) => {
      remove(store, resolvedIds);
      then?.(store);
    },
    thenDeps,
  );
}

export function useSetTablesCallback<Parameter>(
  getTables: (parameter: Parameter, store: MergeableStore) => Tables,
  getTablesDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, tables: Tables) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [],
    getTables,
    getTablesDeps,
    then,
    thenDeps,
    (store, _, tables) => store.setTables(tables),
  );
}

export function useSetTableCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  getTable: (parameter: Parameter, store: MergeableStore) => Table,
  getTableDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, table: Table) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [tableId],
    getTable,
    getTableDeps,
    then,
    thenDeps,
    (store, [resolvedTableId], table) => store.setTable(resolvedTableId, table),
  );
}

export function useSetRowCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  rowId: IdOrGetId<Parameter>,
  getRow: (parameter: Parameter, store: MergeableStore) => Row,
  getRowDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, row: Row) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [tableId, rowId],
    getRow,
    getRowDeps,
    then,
    thenDeps,
    (store, [resolvedTableId, resolvedRowId], row) =>
      store.setRow(resolvedTableId, resolvedRowId, row),
  );
}

/** Adds a row with a new id; `then` receives that id (undefined if the row was not added). */
export function useAddRowCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  getRow: (parameter: Parameter, store: MergeableStore) => Row,
  getRowDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (rowId: Id | undefined, store: MergeableStore, row: Row) => void,
  thenDeps: DependencyList = NO_DEPS,
  reuseRowIds = true,
): ParameterizedCallback<Parameter> {
  return useStoreCallback(
    storeOrStoreId,
    [tableId],
    (store, [resolvedTableId], parameter) => {
      const row = getRow(parameter, store);
      if (row !== undefined) {
        // Added before `then` is looked at: `then?.(store.addRow(…))` would skip the write too.
        const rowId = store.addRow(resolvedTableId, row, reuseRowIds);
        then?.(rowId, store, row);
      }
    },
    [...getRowDeps, ...thenDeps, reuseRowIds],
  );
}

export function useSetPartialRowCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  rowId: IdOrGetId<Parameter>,
  getPartialRow: (parameter: Parameter, store: MergeableStore) => Row,
  getPartialRowDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, partialRow: Row) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [tableId, rowId],
    getPartialRow,
    getPartialRowDeps,
    then,
    thenDeps,
    (store, [resolvedTableId, resolvedRowId], partialRow) =>
      store.setPartialRow(resolvedTableId, resolvedRowId, partialRow),
  );
}

export function useSetCellCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  rowId: IdOrGetId<Parameter>,
  cellId: IdOrGetId<Parameter>,
  getCell: (parameter: Parameter, store: MergeableStore) => Cell | MapCell,
  getCellDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, cell: Cell | MapCell) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [tableId, rowId, cellId],
    getCell,
    getCellDeps,
    then,
    thenDeps,
    (store, [resolvedTableId, resolvedRowId, resolvedCellId], cell) =>
      store.setCell(resolvedTableId, resolvedRowId, resolvedCellId, cell),
  );
}

export function useSetValuesCallback<Parameter>(
  getValues: (parameter: Parameter, store: MergeableStore) => Values,
  getValuesDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, values: Values) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [],
    getValues,
    getValuesDeps,
    then,
    thenDeps,
    (store, _, values) => store.setValues(values),
  );
}

export function useSetPartialValuesCallback<Parameter>(
  getPartialValues: (parameter: Parameter, store: MergeableStore) => Values,
  getPartialValuesDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, partialValues: Values) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [],
    getPartialValues,
    getPartialValuesDeps,
    then,
    thenDeps,
    (store, _, partialValues) => store.setPartialValues(partialValues),
  );
}

export function useSetValueCallback<Parameter>(
  valueId: IdOrGetId<Parameter>,
  getValue: (parameter: Parameter, store: MergeableStore) => Value | MapValue,
  getValueDeps: DependencyList = NO_DEPS,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore, value: Value | MapValue) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useSetCallback(
    storeOrStoreId,
    [valueId],
    getValue,
    getValueDeps,
    then,
    thenDeps,
    (store, [resolvedValueId], value) => store.setValue(resolvedValueId, value),
  );
}

export function useDelTablesCallback(
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore) => void,
  thenDeps: DependencyList = NO_DEPS,
): Callback {
  return useDelCallback(storeOrStoreId, [], then, thenDeps, (store) => store.delTables());
}

export function useDelTableCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useDelCallback(storeOrStoreId, [tableId], then, thenDeps, (store, [resolvedTableId]) =>
    store.delTable(resolvedTableId),
  );
}

export function useDelRowCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  rowId: IdOrGetId<Parameter>,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useDelCallback(
    storeOrStoreId,
    [tableId, rowId],
    then,
    thenDeps,
    (store, [resolvedTableId, resolvedRowId]) => store.delRow(resolvedTableId, resolvedRowId),
  );
}

export function useDelCellCallback<Parameter>(
  tableId: IdOrGetId<Parameter>,
  rowId: IdOrGetId<Parameter>,
  cellId: IdOrGetId<Parameter>,
  forceDel?: boolean,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useDelCallback(
    storeOrStoreId,
    [tableId, rowId, cellId],
    then,
    [...thenDeps, forceDel],
    (store, [resolvedTableId, resolvedRowId, resolvedCellId]) =>
      store.delCell(resolvedTableId, resolvedRowId, resolvedCellId, forceDel),
  );
}

export function useDelValuesCallback(
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore) => void,
  thenDeps: DependencyList = NO_DEPS,
): Callback {
  return useDelCallback(storeOrStoreId, [], then, thenDeps, (store) => store.delValues());
}

export function useDelValueCallback<Parameter>(
  valueId: IdOrGetId<Parameter>,
  storeOrStoreId?: StoreOrStoreId,
  then?: (store: MergeableStore) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useDelCallback(storeOrStoreId, [valueId], then, thenDeps, (store, [resolvedValueId]) =>
    store.delValue(resolvedValueId),
  );
}
