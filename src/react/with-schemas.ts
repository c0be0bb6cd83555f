// syncstore/react/with-schemas: the React entry, plus a `WithSchemas` type that types its hooks by
// a store's schemas, as TinyBase's ui-react/with-schemas does. The hooks at run time are the
// plain ones; the module is cast to the typed shape:
//
//   import * as UiReact from 'syncstore/react/with-schemas';
//   const {useCell, useSetCellCallback} = UiReact as UiReact.WithSchemas<
//     [typeof tablesSchema, typeof valuesSchema]
//   >;
import type {DependencyList, ReactNode} from 'react';
import type {
  CellIdOf,
  CellOf,
  MergeableStore,
  OptionalSchemas,
  RowOf,
  TableIdOf,
  TableOf,
  TablesOf,
  ValueIdOf,
  ValueOf,
  ValueOrUndefinedOf,
  ValuesOfStore,
} from '../store/schema-types.js';
import type {Id, Ids} from '../store/types.js';
import type * as UiReact from './index.js';
import type {ProviderProps, SynchronizerProviderProps} from './provider.js';
import type {ParameterizedCallback} from './setter-hooks.js';

export * from './index.js';

/** A store typed by the schemas, or the id it was given in a provider. */
export type StoreOrStoreIdOf<S extends OptionalSchemas> = MergeableStore<S> | Id;

/** An id, or a function of the callback's parameter (and the store) that returns it. */
type IdOrGetIdOf<S extends OptionalSchemas, Parameter, SomeId extends Id> =
  | SomeId
  | ((parameter: Parameter, store: MergeableStore<S>) => SomeId);

/** A cell, or a function of the current cell that returns the new one. */
type CellOrMapCellOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S>,
  CellId extends CellIdOf<S, TableId>,
> =
  | CellOf<S, TableId, CellId>
  | ((cell: CellOf<S, TableId, CellId> | undefined) => CellOf<S, TableId, CellId>);

/** The hooks whose types the schemas change. */
type TypedHooksOf<S extends OptionalSchemas> = {
  // A typed store is not a plain MergeableStore to TypeScript (its setters take less), so the
  // providers take typed stores here.
  Provider(
    props: Omit<ProviderProps, 'store' | 'storesById'> & {
      store?: MergeableStore<S>;
      storesById?: {[storeId: Id]: MergeableStore<S>};
      children?: ReactNode;
    },
  ): ReturnType<typeof UiReact.Provider>;
  SynchronizerProvider(
    props: Omit<SynchronizerProviderProps, 'store' | 'createStore'> & {
      store?: MergeableStore<S>;
      createStore?: () => MergeableStore<S>;
    },
  ): ReturnType<typeof UiReact.SynchronizerProvider>;
  /** The store of a provider (the default one without an id), typed by the schemas. */
  useStore(id?: Id): MergeableStore<S> | undefined;
  useTables(storeOrStoreId?: StoreOrStoreIdOf<S>): TablesOf<S>;
  useTableIds(storeOrStoreId?: StoreOrStoreIdOf<S>): TableIdOf<S>[];
  useTable<TableId extends TableIdOf<S>>(
    tableId: TableId,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
  ): TableOf<S, TableId>;
  useRowIds(tableId: TableIdOf<S>, storeOrStoreId?: StoreOrStoreIdOf<S>): Ids;
  useRow<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
  ): RowOf<S, TableId>;
  useCellIds<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
  ): CellIdOf<S, TableId>[];
  useCell<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
  ): CellOf<S, TableId, CellId> | undefined;
  useValues(storeOrStoreId?: StoreOrStoreIdOf<S>): ValuesOfStore<S>;
  useValueIds(storeOrStoreId?: StoreOrStoreIdOf<S>): ValueIdOf<S>[];
  useValue<ValueId extends ValueIdOf<S>>(
    valueId: ValueId,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
  ): ValueOrUndefinedOf<S, ValueId>;
  useSetCellCallback<Parameter, TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    rowId: IdOrGetIdOf<S, Parameter, Id>,
    cellId: IdOrGetIdOf<S, Parameter, CellId>,
    getCell: (
      parameter: Parameter,
      store: MergeableStore<S>,
    ) => CellOrMapCellOf<S, TableId, CellId>,
    getCellDeps?: DependencyList,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
    then?: (store: MergeableStore<S>, cell: CellOrMapCellOf<S, TableId, CellId>) => void,
    thenDeps?: DependencyList,
  ): ParameterizedCallback<Parameter>;
  useSetValueCallback<Parameter, ValueId extends ValueIdOf<S>>(
    valueId: IdOrGetIdOf<S, Parameter, ValueId>,
    getValue: (
      parameter: Parameter,
      store: MergeableStore<S>,
    ) => ValueOf<S, ValueId> | ((value: ValueOrUndefinedOf<S, ValueId>) => ValueOf<S, ValueId>),
    getValueDeps?: DependencyList,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
    then?: (store: MergeableStore<S>, value: ValueOf<S, ValueId>) => void,
    thenDeps?: DependencyList,
  ): ParameterizedCallback<Parameter>;
};
/**
 * The React entry with its data hooks typed by `[tablesSchema, valuesSchema]`: a wrong table,
 * cell or value id, or a cell of the wrong type given to useSetCellCallback, does not compile.
 * The other hooks keep their plain types.
 */
export type WithSchemas<Schemas extends OptionalSchemas> = Omit<
  typeof UiReact,
  keyof TypedHooksOf<OptionalSchemas>
> &
  TypedHooksOf<Schemas>;
