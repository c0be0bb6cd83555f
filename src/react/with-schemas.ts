// syncstore/react/with-schemas: the React entry, plus a `WithSchemas` type that types every hook
// and view by a store's schemas, as TinyBase's ui-react/with-schemas does. The hooks at run time
// are the plain ones; the module is cast to the typed shape:
//
//   import * as UiReact from 'syncstore/react/with-schemas';
//   const {useCell, useSetCellCallback} = UiReact as UiReact.WithSchemas<
//     [typeof tablesSchema, typeof valuesSchema]
//   >;
//
// The signatures are built from a few shared pieces: the arguments that follow the ids in each
// family of hooks (ReaderTail, ListenerTail, SetterTail, DelTail) and the typed listener types
// of ListenersOf; each hook only states its ids and what it returns.
import type {ComponentType, DependencyList, ReactElement, ReactNode} from 'react';
import type {Persister} from '../persisters/types.js';
import type {
  CellIdOf,
  CellOf,
  ListenersOf,
  MergeableStore,
  OptionalSchemas,
  RowOf,
  RowToSet,
  TableIdOf,
  TableOf,
  TablesOf,
  TablesToSet,
  TableToSet,
  ValueIdOf,
  ValueOf,
  ValueOrUndefinedOf,
  ValuesOfStore,
  ValuesToSet,
} from '../store/schema-types.js';
import type {Id, Ids, Sorter} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';
import type * as UiReact from './index.js';
import type {ProviderProps, SynchronizerProviderProps} from './provider.js';
import type {Callback, ParameterizedCallback} from './setter-hooks.js';
import type {ExtraProps} from './views.js';

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

/** A value, or a function of the current value that returns the new one. */
type ValueOrMapValueOf<S extends OptionalSchemas, ValueId extends ValueIdOf<S>> =
  | ValueOf<S, ValueId>
  | ((value: ValueOrUndefinedOf<S, ValueId>) => ValueOf<S, ValueId>);

// What follows the ids in each family of hooks.

/** A reading hook's last argument. */
type ReaderTail<S extends OptionalSchemas> = [storeOrStoreId?: StoreOrStoreIdOf<S>];
/** A listener hook's arguments after the ids. */
type ListenerTail<S extends OptionalSchemas, Listener> = [
  listener: Listener,
  listenerDeps?: DependencyList,
  mutator?: boolean,
  storeOrStoreId?: StoreOrStoreIdOf<S>,
];
/** A transaction listener hook's arguments (no ids, no mutator). */
type TransactionListenerArgs<S extends OptionalSchemas> = [
  listener: ListenersOf<S>['TransactionListener'],
  listenerDeps?: DependencyList,
  storeOrStoreId?: StoreOrStoreIdOf<S>,
];
/** A set… callback hook's arguments after the ids: how it gets the thing it writes, and then. */
type SetterTail<S extends OptionalSchemas, Parameter, Thing> = [
  getThing: (parameter: Parameter, store: MergeableStore<S>) => Thing,
  getThingDeps?: DependencyList,
  storeOrStoreId?: StoreOrStoreIdOf<S>,
  then?: (store: MergeableStore<S>, thing: Thing) => void,
  thenDeps?: DependencyList,
];
/** A del… callback hook's arguments after the ids. */
type DelTail<S extends OptionalSchemas> = [
  storeOrStoreId?: StoreOrStoreIdOf<S>,
  then?: (store: MergeableStore<S>) => void,
  thenDeps?: DependencyList,
];
/** An id given to a listener hook: null listens to every id. */
type IdOrNullOf<SomeId extends Id> = SomeId | null;

/** The sort arguments as one object, typed by the schema. */
export type SortedRowIdsArgsOf<S extends OptionalSchemas, TableId extends TableIdOf<S>> = {
  tableId: TableId;
  cellId?: CellIdOf<S, TableId>;
  descending?: boolean;
  offset?: number;
  limit?: number;
  sorter?: Sorter;
};

// The views' props, typed by the schema.

type CommonViewPropsOf<S extends OptionalSchemas> = {
  readonly store?: StoreOrStoreIdOf<S>;
  readonly debugIds?: boolean;
};
type ListViewPropsOf<S extends OptionalSchemas> = CommonViewPropsOf<S> & {
  readonly separator?: ReactElement | string;
};
export type CellPropsOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S> = TableIdOf<S>,
  CellId extends CellIdOf<S, TableId> = CellIdOf<S, TableId>,
> = CommonViewPropsOf<S> & {
  readonly tableId: TableId;
  readonly rowId: Id;
  readonly cellId: CellId;
};
export type RowPropsOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S> = TableIdOf<S>,
> = ListViewPropsOf<S> & {
  readonly tableId: TableId;
  readonly rowId: Id;
  readonly cellComponent?: ComponentType<CellPropsOf<S, TableId>>;
  readonly getCellComponentProps?: (cellId: CellIdOf<S, TableId>) => ExtraProps;
  readonly customCellIds?: CellIdOf<S, TableId>[];
};
export type TablePropsOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S> = TableIdOf<S>,
> = ListViewPropsOf<S> & {
  readonly tableId: TableId;
  readonly rowComponent?: ComponentType<RowPropsOf<S, TableId>>;
  readonly getRowComponentProps?: (rowId: Id) => ExtraProps;
  readonly customCellIds?: CellIdOf<S, TableId>[];
};
export type SortedTablePropsOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S> = TableIdOf<S>,
> = TablePropsOf<S, TableId> & {
  readonly cellId?: CellIdOf<S, TableId>;
  readonly descending?: boolean;
  readonly offset?: number;
  readonly limit?: number;
};
export type TablesPropsOf<S extends OptionalSchemas> = ListViewPropsOf<S> & {
  readonly tableComponent?: ComponentType<TablePropsOf<S>>;
  readonly getTableComponentProps?: (tableId: TableIdOf<S>) => ExtraProps;
};
export type ValuePropsOf<
  S extends OptionalSchemas,
  ValueId extends ValueIdOf<S> = ValueIdOf<S>,
> = CommonViewPropsOf<S> & {readonly valueId: ValueId};
export type ValuesPropsOf<S extends OptionalSchemas> = ListViewPropsOf<S> & {
  readonly valueComponent?: ComponentType<ValuePropsOf<S>>;
  readonly getValueComponentProps?: (valueId: ValueIdOf<S>) => ExtraProps;
};

/** Typed listeners for the given ids. */
type L<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S> = TableIdOf<S>,
  CellId extends CellIdOf<S, TableId> = CellIdOf<S, TableId>,
  ValueId extends ValueIdOf<S> = ValueIdOf<S>,
> = ListenersOf<S, TableId, CellId, ValueId>;

/** Every hook and view whose types the schemas change. */
type TypedHooksOf<S extends OptionalSchemas> = {
  // Providers and stores. A typed store is not a plain MergeableStore to TypeScript (its setters
  // take less), so these take and return typed stores.
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
  /** The stores of the provider by id (a generic, so that the untyped module casts to this). */
  useStores<Store extends MergeableStore<S> = MergeableStore<S>>(): {[storeId: Id]: Store};
  useStoreOrStoreById(storeOrStoreId?: StoreOrStoreIdOf<S>): MergeableStore<S> | undefined;
  useProvideStore<Store extends MergeableStore<S>>(storeId: Id, store: Store): void;
  useCreateMergeableStore<Store extends MergeableStore<S>>(
    create: () => Store,
    createDeps?: DependencyList,
  ): Store;
  useCreateStore<Store extends MergeableStore<S>>(
    create: () => Store,
    createDeps?: DependencyList,
  ): Store;
  useCreateSynchronizer<
    SynchronizerOrUndefined extends Synchronizer | undefined,
    Store extends MergeableStore<S> = MergeableStore<S>,
  >(
    store: Store | undefined,
    create: (store: Store) => SynchronizerOrUndefined | Promise<SynchronizerOrUndefined>,
    createDeps?: DependencyList,
    destroy?: (synchronizer: Synchronizer) => void,
    destroyDeps?: DependencyList,
  ): SynchronizerOrUndefined | undefined;
  useCreatePersister<
    PersisterOrUndefined extends Persister | undefined,
    Store extends MergeableStore<S> = MergeableStore<S>,
  >(
    store: Store | undefined,
    create: (store: Store) => PersisterOrUndefined | Promise<PersisterOrUndefined>,
    createDeps?: DependencyList,
    then?: (persister: Persister) => Promise<unknown>,
    thenDeps?: DependencyList,
    destroy?: (persister: Persister) => void,
    destroyDeps?: DependencyList,
  ): PersisterOrUndefined | undefined;

  // Reading hooks.
  useHasTables(...rest: ReaderTail<S>): boolean;
  useTables(...rest: ReaderTail<S>): TablesOf<S>;
  useTableIds(...rest: ReaderTail<S>): TableIdOf<S>[];
  useHasTable(tableId: TableIdOf<S>, ...rest: ReaderTail<S>): boolean;
  useTable<TableId extends TableIdOf<S>>(
    tableId: TableId,
    ...rest: ReaderTail<S>
  ): TableOf<S, TableId>;
  useTableCellIds<TableId extends TableIdOf<S>>(
    tableId: TableId,
    ...rest: ReaderTail<S>
  ): CellIdOf<S, TableId>[];
  useHasTableCell<TableId extends TableIdOf<S>>(
    tableId: TableId,
    cellId: CellIdOf<S, TableId>,
    ...rest: ReaderTail<S>
  ): boolean;
  useRowCount(tableId: TableIdOf<S>, ...rest: ReaderTail<S>): number;
  useRowIds(tableId: TableIdOf<S>, ...rest: ReaderTail<S>): Ids;
  useSortedRowIds<TableId extends TableIdOf<S>>(
    tableId: TableId,
    cellId?: CellIdOf<S, TableId>,
    descending?: boolean,
    offset?: number,
    limit?: number,
    sorterOrStoreOrStoreId?: Sorter | StoreOrStoreIdOf<S>,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
  ): Ids;
  useSortedRowIds<TableId extends TableIdOf<S>>(
    args: SortedRowIdsArgsOf<S, TableId>,
    ...rest: ReaderTail<S>
  ): Ids;
  useHasRow(tableId: TableIdOf<S>, rowId: Id, ...rest: ReaderTail<S>): boolean;
  useRow<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    ...rest: ReaderTail<S>
  ): RowOf<S, TableId>;
  useCellIds<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    ...rest: ReaderTail<S>
  ): CellIdOf<S, TableId>[];
  useHasCell<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellIdOf<S, TableId>,
    ...rest: ReaderTail<S>
  ): boolean;
  useCell<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
    ...rest: ReaderTail<S>
  ): CellOf<S, TableId, CellId> | undefined;
  useHasValues(...rest: ReaderTail<S>): boolean;
  useValues(...rest: ReaderTail<S>): ValuesOfStore<S>;
  useValueIds(...rest: ReaderTail<S>): ValueIdOf<S>[];
  useHasValue(valueId: ValueIdOf<S>, ...rest: ReaderTail<S>): boolean;
  useValue<ValueId extends ValueIdOf<S>>(
    valueId: ValueId,
    ...rest: ReaderTail<S>
  ): ValueOrUndefinedOf<S, ValueId>;

  // The …State pairs: the content and a setter for it.
  useTablesState(
    ...rest: ReaderTail<S>
  ): [tables: TablesOf<S>, setTables: (tables: TablesToSet<S>) => void];
  useTableState<TableId extends TableIdOf<S>>(
    tableId: TableId,
    ...rest: ReaderTail<S>
  ): [table: TableOf<S, TableId>, setTable: (table: TableToSet<S, TableId>) => void];
  useRowState<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    ...rest: ReaderTail<S>
  ): [row: RowOf<S, TableId>, setRow: (row: RowToSet<S, TableId>) => void];
  useCellState<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
    ...rest: ReaderTail<S>
  ): [
    cell: CellOf<S, TableId, CellId> | undefined,
    setCell: (cell: CellOf<S, TableId, CellId>) => void,
  ];
  useValuesState(
    ...rest: ReaderTail<S>
  ): [values: ValuesOfStore<S>, setValues: (values: ValuesToSet<S>) => void];
  useValueState<ValueId extends ValueIdOf<S>>(
    valueId: ValueId,
    ...rest: ReaderTail<S>
  ): [value: ValueOrUndefinedOf<S, ValueId>, setValue: (value: ValueOf<S, ValueId>) => void];

  // Setter callbacks.
  useSetTablesCallback<Parameter>(
    ...rest: SetterTail<S, Parameter, TablesToSet<S>>
  ): ParameterizedCallback<Parameter>;
  useSetTableCallback<Parameter, TableId extends TableIdOf<S>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    ...rest: SetterTail<S, Parameter, TableToSet<S, TableId>>
  ): ParameterizedCallback<Parameter>;
  useSetRowCallback<Parameter, TableId extends TableIdOf<S>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    rowId: IdOrGetIdOf<S, Parameter, Id>,
    ...rest: SetterTail<S, Parameter, RowToSet<S, TableId>>
  ): ParameterizedCallback<Parameter>;
  useAddRowCallback<Parameter, TableId extends TableIdOf<S>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    getRow: (parameter: Parameter, store: MergeableStore<S>) => RowToSet<S, TableId>,
    getRowDeps?: DependencyList,
    storeOrStoreId?: StoreOrStoreIdOf<S>,
    then?: (rowId: Id | undefined, store: MergeableStore<S>, row: RowToSet<S, TableId>) => void,
    thenDeps?: DependencyList,
  ): ParameterizedCallback<Parameter>;
  useSetPartialRowCallback<Parameter, TableId extends TableIdOf<S>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    rowId: IdOrGetIdOf<S, Parameter, Id>,
    ...rest: SetterTail<S, Parameter, RowOf<S, TableId>>
  ): ParameterizedCallback<Parameter>;
  useSetCellCallback<Parameter, TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    rowId: IdOrGetIdOf<S, Parameter, Id>,
    cellId: IdOrGetIdOf<S, Parameter, CellId>,
    ...rest: SetterTail<S, Parameter, CellOrMapCellOf<S, TableId, CellId>>
  ): ParameterizedCallback<Parameter>;
  useSetValuesCallback<Parameter>(
    ...rest: SetterTail<S, Parameter, ValuesToSet<S>>
  ): ParameterizedCallback<Parameter>;
  useSetPartialValuesCallback<Parameter>(
    ...rest: SetterTail<S, Parameter, {[ValueId in ValueIdOf<S>]?: ValueOf<S, ValueId>}>
  ): ParameterizedCallback<Parameter>;
  useSetValueCallback<Parameter, ValueId extends ValueIdOf<S>>(
    valueId: IdOrGetIdOf<S, Parameter, ValueId>,
    ...rest: SetterTail<S, Parameter, ValueOrMapValueOf<S, ValueId>>
  ): ParameterizedCallback<Parameter>;
  useDelTablesCallback(...rest: DelTail<S>): Callback;
  useDelTableCallback<Parameter>(
    tableId: IdOrGetIdOf<S, Parameter, TableIdOf<S>>,
    ...rest: DelTail<S>
  ): ParameterizedCallback<Parameter>;
  useDelRowCallback<Parameter>(
    tableId: IdOrGetIdOf<S, Parameter, TableIdOf<S>>,
    rowId: IdOrGetIdOf<S, Parameter, Id>,
    ...rest: DelTail<S>
  ): ParameterizedCallback<Parameter>;
  useDelCellCallback<Parameter, TableId extends TableIdOf<S>>(
    tableId: IdOrGetIdOf<S, Parameter, TableId>,
    rowId: IdOrGetIdOf<S, Parameter, Id>,
    cellId: IdOrGetIdOf<S, Parameter, CellIdOf<S, TableId>>,
    forceDel?: boolean,
    ...rest: DelTail<S>
  ): ParameterizedCallback<Parameter>;
  useDelValuesCallback(...rest: DelTail<S>): Callback;
  useDelValueCallback<Parameter>(
    valueId: IdOrGetIdOf<S, Parameter, ValueIdOf<S>>,
    ...rest: DelTail<S>
  ): ParameterizedCallback<Parameter>;

  // Listener hooks: an id of null listens to all of them, and the listener gets the schema's ids.
  useHasTablesListener(...rest: ListenerTail<S, L<S>['HasTablesListener']>): void;
  useTablesListener(...rest: ListenerTail<S, L<S>['TablesListener']>): void;
  useTableIdsListener(...rest: ListenerTail<S, L<S>['TableIdsListener']>): void;
  useHasTableListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    ...rest: ListenerTail<S, L<S, TableId>['HasTableListener']>
  ): void;
  useTableListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    ...rest: ListenerTail<S, L<S, TableId>['TableListener']>
  ): void;
  useTableCellIdsListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    ...rest: ListenerTail<S, L<S, TableId>['TableCellIdsListener']>
  ): void;
  useHasTableCellListener<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: IdOrNullOf<TableId>,
    cellId: IdOrNullOf<CellId>,
    ...rest: ListenerTail<S, L<S, TableId, CellId>['HasTableCellListener']>
  ): void;
  useRowCountListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    ...rest: ListenerTail<S, L<S, TableId>['RowCountListener']>
  ): void;
  useRowIdsListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    ...rest: ListenerTail<S, L<S, TableId>['RowIdsListener']>
  ): void;
  useSortedRowIdsListener<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: TableId,
    cellId: CellId | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
    ...rest: ListenerTail<S, L<S, TableId, CellId>['SortedRowIdsListener']>
  ): void;
  useSortedRowIdsListener<TableId extends TableIdOf<S>>(
    args: SortedRowIdsArgsOf<S, TableId>,
    ...rest: ListenerTail<S, L<S, TableId>['SortedRowIdsListener']>
  ): void;
  useHasRowListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    rowId: IdOrNullOf<Id>,
    ...rest: ListenerTail<S, L<S, TableId>['HasRowListener']>
  ): void;
  useRowListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    rowId: IdOrNullOf<Id>,
    ...rest: ListenerTail<S, L<S, TableId>['RowListener']>
  ): void;
  useCellIdsListener<TableId extends TableIdOf<S>>(
    tableId: IdOrNullOf<TableId>,
    rowId: IdOrNullOf<Id>,
    ...rest: ListenerTail<S, L<S, TableId>['CellIdsListener']>
  ): void;
  useHasCellListener<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: IdOrNullOf<TableId>,
    rowId: IdOrNullOf<Id>,
    cellId: IdOrNullOf<CellId>,
    ...rest: ListenerTail<S, L<S, TableId, CellId>['HasCellListener']>
  ): void;
  useCellListener<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: IdOrNullOf<TableId>,
    rowId: IdOrNullOf<Id>,
    cellId: IdOrNullOf<CellId>,
    ...rest: ListenerTail<S, L<S, TableId, CellId>['CellListener']>
  ): void;
  useHasValuesListener(...rest: ListenerTail<S, L<S>['HasValuesListener']>): void;
  useValuesListener(...rest: ListenerTail<S, L<S>['ValuesListener']>): void;
  useValueIdsListener(...rest: ListenerTail<S, L<S>['ValueIdsListener']>): void;
  useHasValueListener<ValueId extends ValueIdOf<S>>(
    valueId: IdOrNullOf<ValueId>,
    ...rest: ListenerTail<S, L<S, TableIdOf<S>, never, ValueId>['HasValueListener']>
  ): void;
  useValueListener<ValueId extends ValueIdOf<S>>(
    valueId: IdOrNullOf<ValueId>,
    ...rest: ListenerTail<S, L<S, TableIdOf<S>, never, ValueId>['ValueListener']>
  ): void;
  useStartTransactionListener(...args: TransactionListenerArgs<S>): void;
  useWillFinishTransactionListener(...args: TransactionListenerArgs<S>): void;
  useDidFinishTransactionListener(...args: TransactionListenerArgs<S>): void;

  // Views.
  CellView<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    props: CellPropsOf<S, TableId, CellId>,
  ): ReactNode;
  RowView<TableId extends TableIdOf<S>>(props: RowPropsOf<S, TableId>): ReactNode;
  TableView<TableId extends TableIdOf<S>>(props: TablePropsOf<S, TableId>): ReactNode;
  SortedTableView<TableId extends TableIdOf<S>>(props: SortedTablePropsOf<S, TableId>): ReactNode;
  TablesView(props: TablesPropsOf<S>): ReactNode;
  ValueView<ValueId extends ValueIdOf<S>>(props: ValuePropsOf<S, ValueId>): ReactNode;
  ValuesView(props: ValuesPropsOf<S>): ReactNode;
};

/**
 * The React entry with every hook and view that reads or writes content typed by
 * `[tablesSchema, valuesSchema]`: a wrong table, cell or value id, or a cell or value of the
 * wrong type, does not compile, and listeners get the schema's ids and types. The hooks without
 * content (synchronizer, persister and sync status hooks) keep their plain types.
 */
export type WithSchemas<Schemas extends OptionalSchemas> = Omit<
  typeof UiReact,
  keyof TypedHooksOf<OptionalSchemas>
> &
  TypedHooksOf<Schemas>;
