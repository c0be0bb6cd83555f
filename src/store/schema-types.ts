// The store's types worked out from its schemas, for the `syncstore/with-schemas` entry: given a
// tables schema and a values schema declared `as const`, which table, cell and value ids exist
// and what each cell and value holds. Types only; the store at run time is the same one.
import type {CellOrValueType, TablesSchema, ValuesSchema} from './schemas.js';
import type {
  Cell,
  Id,
  Ids,
  MergeableStore as UntypedMergeableStore,
  Store as UntypedStore,
} from './types.js';

/** The tables schema of a store that has none: any table, any cell, any cell content. */
export type NoTablesSchema = {[tableId: Id]: {[cellId: Id]: {type: 'any'}}};
/** The values schema of a store that has none. */
export type NoValuesSchema = {[valueId: Id]: {type: 'any'}};
/** A tables schema, or none. */
export type OptionalTablesSchema = TablesSchema | NoTablesSchema;
/** A values schema, or none. */
export type OptionalValuesSchema = ValuesSchema | NoValuesSchema;
/** `[tablesSchema, valuesSchema]`, as TinyBase's with-schemas types take them. */
export type OptionalSchemas = [OptionalTablesSchema, OptionalValuesSchema];
/** The schemas of a store with none. */
export type NoSchemas = [NoTablesSchema, NoValuesSchema];

/** What one type name stands for. */
type TypeOfName<Name> = Name extends 'string'
  ? string
  : Name extends 'number'
    ? number
    : Name extends 'boolean'
      ? boolean
      : Name extends 'object'
        ? {[key: string]: unknown}
        : Name extends 'array'
          ? unknown[]
          : never;

/** What a cell or value of this schema holds. */
export type CellOrValueOf<Schema> = Schema extends {type: 'any'}
  ? Cell
  :
      | (Schema extends {enum: readonly (infer Member)[]}
          ? Member
          : Schema extends {type: infer Names}
            ? TypeOfName<Names extends readonly CellOrValueType[] ? Names[number] : Names>
            : never)
      | (Schema extends {allowNull: true} ? null : never);

type Tables<S extends OptionalSchemas> = S[0];
type ValuesOf<S extends OptionalSchemas> = S[1];

/** The ids of the tables the schema names (any string without a schema). */
export type TableIdOf<S extends OptionalSchemas> = keyof Tables<S> & Id;
/** The ids of the cells a table's schema names. */
export type CellIdOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S>,
> = keyof Tables<S>[TableId] & Id;
/** The ids of the values the schema names. */
export type ValueIdOf<S extends OptionalSchemas> = keyof ValuesOf<S> & Id;

/** What a cell holds. */
export type CellOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S>,
  CellId extends CellIdOf<S, TableId>,
> = CellOrValueOf<Tables<S>[TableId][CellId]>;
/** What a value holds. */
export type ValueOf<S extends OptionalSchemas, ValueId extends ValueIdOf<S>> = CellOrValueOf<
  ValuesOf<S>[ValueId]
>;

/** The ids of a group's children that must be given: required ones without a default. */
type RequiredIds<Group> = {
  [Id in keyof Group]: Group[Id] extends {required: true}
    ? Group[Id] extends {default: unknown}
      ? never
      : Id
    : never;
}[keyof Group];

/** A row as read: any of its cells may be missing. */
export type RowOf<S extends OptionalSchemas, TableId extends TableIdOf<S>> = OptionalById<
  CellIdOf<S, TableId>,
  {[CellId in CellIdOf<S, TableId>]?: CellOf<S, TableId, CellId>}
>;
/** A row as written: its required cells (with no default) must be there. */
export type RowToSet<S extends OptionalSchemas, TableId extends TableIdOf<S>> = RowOf<
  S,
  TableId
> & {
  [CellId in RequiredIds<Tables<S>[TableId]> & CellIdOf<S, TableId>]: CellOf<S, TableId, CellId>;
};
/** A table: its rows by row id. */
export type TableOf<S extends OptionalSchemas, TableId extends TableIdOf<S>> = {
  [rowId: Id]: RowOf<S, TableId>;
};
/** A table as written. */
export type TableToSet<S extends OptionalSchemas, TableId extends TableIdOf<S>> = {
  [rowId: Id]: RowToSet<S, TableId>;
};
/** All tables, as read. */
export type TablesOf<S extends OptionalSchemas> = OptionalById<
  TableIdOf<S>,
  {[TableId in TableIdOf<S>]?: TableOf<S, TableId>}
>;
/** All tables, as written. */
export type TablesToSet<S extends OptionalSchemas> = {
  [TableId in TableIdOf<S>]?: TableToSet<S, TableId>;
};
/** The values, as read: those with a default are always there (the schema puts them in). */
export type ValuesOfStore<S extends OptionalSchemas> = OptionalById<
  ValueIdOf<S>,
  {[ValueId in ValueIdOf<S>]?: ValueOf<S, ValueId>}
> & {
  [ValueId in DefaultedIds<ValuesOf<S>> & ValueIdOf<S>]: ValueOf<S, ValueId>;
};
/** The values, as written. */
export type ValuesToSet<S extends OptionalSchemas> = {
  [ValueId in ValueIdOf<S>]?: ValueOf<S, ValueId>;
} & {
  [ValueId in RequiredIds<ValuesOf<S>> & ValueIdOf<S>]: ValueOf<S, ValueId>;
};
type DefaultedIds<Group> = {
  [Id in keyof Group]: Group[Id] extends {default: unknown} ? Id : never;
}[keyof Group];

/** A value as read: undefined when missing, unless it has a default. */
export type ValueOrUndefinedOf<
  S extends OptionalSchemas,
  ValueId extends ValueIdOf<S>,
> = ValuesOf<S>[ValueId] extends {default: unknown}
  ? ValueOf<S, ValueId>
  : ValueOf<S, ValueId> | undefined;

/** The store methods whose types the schemas change; the others keep their untyped form. */
type TypedMethods =
  | 'getTables'
  | 'getTableIds'
  | 'getTable'
  | 'getTableCellIds'
  | 'getRowCount'
  | 'getRowIds'
  | 'getRow'
  | 'getCellIds'
  | 'getCell'
  | 'hasTable'
  | 'hasTableCell'
  | 'hasRow'
  | 'hasCell'
  | 'getValues'
  | 'getValueIds'
  | 'getValue'
  | 'hasValue'
  | 'setTables'
  | 'setTable'
  | 'setRow'
  | 'addRow'
  | 'setPartialRow'
  | 'setCell'
  | 'setValues'
  | 'setPartialValues'
  | 'setValue'
  | 'delTables'
  | 'delTable'
  | 'delRow'
  | 'delCell'
  | 'delValues'
  | 'delValue'
  | 'setTablesSchema'
  | 'setValuesSchema'
  | 'setSchema'
  | 'delTablesSchema'
  | 'delValuesSchema'
  | 'delSchema';

/**
 * A MergeableStore typed by its schemas: wrong table, cell or value ids, and cells or values of
 * the wrong type, do not compile. Setting a schema returns the store typed by the new schema.
 *
 * @example
 * const store = createMergeableStore().setTablesSchema({
 *   pets: {species: {type: 'string'}, legs: {type: 'number', default: 4}},
 * } as const);
 * store.setCell('pets', 'fido', 'legs', 3); // compiles
 * store.setCell('pets', 'fido', 'legs', 'three'); // does not: legs is a number
 */
export interface MergeableStore<S extends OptionalSchemas = NoSchemas>
  extends Omit<UntypedMergeableStore, TypedMethods>,
    TypedStoreMethods<'mergeable', S> {}

// Listeners typed by the schemas, as the React entry's typed listener hooks take them: the ids
// they receive are the schema's, the cells and values the schema's types.

/** Whether a cell changed, with its content before and after, typed by the schema. */
export type CellChangeOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S>,
  CellId extends CellIdOf<S, TableId>,
> = [
  changed: boolean,
  oldCell: CellOf<S, TableId, CellId> | undefined,
  newCell: CellOf<S, TableId, CellId> | undefined,
];
/** Whether a value changed, with its content before and after, typed by the schema. */
export type ValueChangeOf<S extends OptionalSchemas, ValueId extends ValueIdOf<S>> = [
  changed: boolean,
  oldValue: ValueOf<S, ValueId> | undefined,
  newValue: ValueOf<S, ValueId> | undefined,
];
/** GetCellChange, typed by the schema. */
export type GetCellChangeOf<S extends OptionalSchemas> = <
  TableId extends TableIdOf<S>,
  CellId extends CellIdOf<S, TableId>,
>(
  tableId: TableId,
  rowId: Id,
  cellId: CellId,
) => CellChangeOf<S, TableId, CellId>;
/** GetValueChange, typed by the schema. */
export type GetValueChangeOf<S extends OptionalSchemas> = <ValueId extends ValueIdOf<S>>(
  valueId: ValueId,
) => ValueChangeOf<S, ValueId>;
/** GetIdChanges, for ids of one kind. */
export type GetIdChangesOf<SomeId extends Id> = () => {[Changed in SomeId]?: 1 | -1};

/**
 * The store's listeners, typed by the schemas, by the name of the untyped listener type. TableId,
 * CellId and ValueId are the ids the listener was registered for (all of the schema's with null).
 */
export type ListenersOf<
  S extends OptionalSchemas,
  TableId extends TableIdOf<S> = TableIdOf<S>,
  CellId extends CellIdOf<S, TableId> = CellIdOf<S, TableId>,
  ValueId extends ValueIdOf<S> = ValueIdOf<S>,
  Store = MergeableStore<S>,
> = {
  HasTablesListener: (store: Store, hasTables: boolean) => void;
  TablesListener: (store: Store, getCellChange: GetCellChangeOf<S>) => void;
  TableIdsListener: (store: Store, getIdChanges: GetIdChangesOf<TableIdOf<S>>) => void;
  HasTableListener: (store: Store, tableId: TableId, hasTable: boolean) => void;
  TableListener: (store: Store, tableId: TableId, getCellChange: GetCellChangeOf<S>) => void;
  TableCellIdsListener: (
    store: Store,
    tableId: TableId,
    getIdChanges: GetIdChangesOf<CellIdOf<S, TableId>>,
  ) => void;
  HasTableCellListener: (
    store: Store,
    tableId: TableId,
    cellId: CellId,
    hasTableCell: boolean,
  ) => void;
  RowCountListener: (store: Store, tableId: TableId, count: number) => void;
  RowIdsListener: (store: Store, tableId: TableId, getIdChanges: GetIdChangesOf<Id>) => void;
  SortedRowIdsListener: (
    store: Store,
    tableId: TableId,
    cellId: CellId | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
    sortedRowIds: Ids,
  ) => void;
  HasRowListener: (store: Store, tableId: TableId, rowId: Id, hasRow: boolean) => void;
  RowListener: (
    store: Store,
    tableId: TableId,
    rowId: Id,
    getCellChange: GetCellChangeOf<S>,
  ) => void;
  CellIdsListener: (
    store: Store,
    tableId: TableId,
    rowId: Id,
    getIdChanges: GetIdChangesOf<CellIdOf<S, TableId>>,
  ) => void;
  HasCellListener: (
    store: Store,
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
    hasCell: boolean,
  ) => void;
  CellListener: (
    store: Store,
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
    newCell: CellOf<S, TableId, CellId> | undefined,
    oldCell: CellOf<S, TableId, CellId> | undefined,
    getCellChange: GetCellChangeOf<S>,
  ) => void;
  HasValuesListener: (store: Store, hasValues: boolean) => void;
  ValuesListener: (store: Store, getValueChange: GetValueChangeOf<S>) => void;
  ValueIdsListener: (store: Store, getIdChanges: GetIdChangesOf<ValueIdOf<S>>) => void;
  HasValueListener: (store: Store, valueId: ValueId, hasValue: boolean) => void;
  ValueListener: (
    store: Store,
    valueId: ValueId,
    newValue: ValueOf<S, ValueId> | undefined,
    oldValue: ValueOf<S, ValueId> | undefined,
    getValueChange: GetValueChangeOf<S>,
  ) => void;
  TransactionListener: (store: Store) => void;
};

/**
 * Entries by id, each optional. Without a schema the ids are any string, and the entries are
 * then a plain index signature (an optional one would admit undefined), as the untyped store's
 * Row, Tables and Values: so a store typed by no schema, or by only one of its two schemas, is
 * still a plain MergeableStore to TypeScript, and can be given to synchronizers and persisters.
 */
type OptionalById<SomeId extends Id, Entries> = string extends SomeId
  ? {[id: Id]: Exclude<Entries[keyof Entries & Id], undefined>}
  : Entries;

/**
 * What every MergeableStore has, typed by schemas or not: the methods the schemas do not change.
 * Synchronizers and persisters take this, so that a typed store can be given to them.
 */
export type MergeableStoreLike = Omit<UntypedMergeableStore, TypedMethods>;

/** The typed store of a kind: a plain Store or a MergeableStore, typed by the schemas. */
type StoreOfKind<
  Kind extends 'store' | 'mergeable',
  S extends OptionalSchemas,
> = Kind extends 'store' ? Store<S> : MergeableStore<S>;

/**
 * The typed methods of either kind of store, returning the store of the same kind (typed by the
 * new schema where one is set). Both kinds of typed store are made of it.
 */
interface TypedStoreMethods<Kind extends 'store' | 'mergeable', S extends OptionalSchemas> {
  getTables(): TablesOf<S>;
  getTableIds(): TableIdOf<S>[];
  getTable<TableId extends TableIdOf<S>>(tableId: TableId): TableOf<S, TableId>;
  getTableCellIds<TableId extends TableIdOf<S>>(tableId: TableId): CellIdOf<S, TableId>[];
  getRowCount(tableId: TableIdOf<S>): number;
  getRowIds(tableId: TableIdOf<S>): Ids;
  getRow<TableId extends TableIdOf<S>>(tableId: TableId, rowId: Id): RowOf<S, TableId>;
  getCellIds<TableId extends TableIdOf<S>>(tableId: TableId, rowId: Id): CellIdOf<S, TableId>[];
  getCell<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
  ): CellOf<S, TableId, CellId> | undefined;
  hasTable(tableId: TableIdOf<S>): boolean;
  hasTableCell<TableId extends TableIdOf<S>>(
    tableId: TableId,
    cellId: CellIdOf<S, TableId>,
  ): boolean;
  hasRow(tableId: TableIdOf<S>, rowId: Id): boolean;
  hasCell<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellIdOf<S, TableId>,
  ): boolean;
  getValues(): ValuesOfStore<S>;
  getValueIds(): ValueIdOf<S>[];
  getValue<ValueId extends ValueIdOf<S>>(valueId: ValueId): ValueOrUndefinedOf<S, ValueId>;
  hasValue(valueId: ValueIdOf<S>): boolean;
  setTables(tables: TablesToSet<S>): StoreOfKind<Kind, S>;
  setTable<TableId extends TableIdOf<S>>(
    tableId: TableId,
    table: TableToSet<S, TableId>,
  ): StoreOfKind<Kind, S>;
  setRow<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    row: RowToSet<S, TableId>,
  ): StoreOfKind<Kind, S>;
  addRow<TableId extends TableIdOf<S>>(
    tableId: TableId,
    row: RowToSet<S, TableId>,
    reuseRowIds?: boolean,
  ): Id | undefined;
  setPartialRow<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    partialRow: RowOf<S, TableId>,
  ): StoreOfKind<Kind, S>;
  setCell<TableId extends TableIdOf<S>, CellId extends CellIdOf<S, TableId>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellId,
    cell:
      | CellOf<S, TableId, CellId>
      | ((cell: CellOf<S, TableId, CellId> | undefined) => CellOf<S, TableId, CellId>),
  ): StoreOfKind<Kind, S>;
  setValues(values: ValuesToSet<S>): StoreOfKind<Kind, S>;
  setPartialValues(
    partialValues: {
      [ValueId in ValueIdOf<S>]?: ValueOf<S, ValueId>;
    },
  ): StoreOfKind<Kind, S>;
  setValue<ValueId extends ValueIdOf<S>>(
    valueId: ValueId,
    value: ValueOf<S, ValueId> | ((value: ValueOrUndefinedOf<S, ValueId>) => ValueOf<S, ValueId>),
  ): StoreOfKind<Kind, S>;
  delTables(): StoreOfKind<Kind, S>;
  delTable(tableId: TableIdOf<S>): StoreOfKind<Kind, S>;
  delRow(tableId: TableIdOf<S>, rowId: Id): StoreOfKind<Kind, S>;
  delCell<TableId extends TableIdOf<S>>(
    tableId: TableId,
    rowId: Id,
    cellId: CellIdOf<S, TableId>,
    forceDel?: boolean,
  ): StoreOfKind<Kind, S>;
  delValues(): StoreOfKind<Kind, S>;
  delValue(valueId: ValueIdOf<S>): StoreOfKind<Kind, S>;
  setTablesSchema<Schema extends TablesSchema>(
    tablesSchema: Schema,
  ): StoreOfKind<Kind, [Schema, S[1]]>;
  setValuesSchema<Schema extends ValuesSchema>(
    valuesSchema: Schema,
  ): StoreOfKind<Kind, [S[0], Schema]>;
  setSchema<TSchema extends TablesSchema>(
    tablesSchema: TSchema,
  ): StoreOfKind<Kind, [TSchema, S[1]]>;
  setSchema<TSchema extends TablesSchema, VSchema extends ValuesSchema>(
    tablesSchema: TSchema,
    valuesSchema: VSchema,
  ): StoreOfKind<Kind, [TSchema, VSchema]>;
  delTablesSchema(): StoreOfKind<Kind, [NoTablesSchema, S[1]]>;
  delValuesSchema(): StoreOfKind<Kind, [S[0], NoValuesSchema]>;
  delSchema(): StoreOfKind<Kind, NoSchemas>;
}

/**
 * A Store (not mergeable) typed by its schemas, as createStore in `syncstore/with-schemas`
 * returns it: wrong ids, and cells or values of the wrong type, do not compile.
 */
export interface Store<S extends OptionalSchemas = NoSchemas>
  extends Omit<UntypedStore, TypedMethods>,
    TypedStoreMethods<'store', S> {}
