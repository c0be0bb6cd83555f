// Public types of the Store and the MergeableStore. Shapes and names follow TinyBase 10 so that
// code written for TinyBase type-checks against syncstore unchanged.

import type {RowList} from './row-list.js';
import type {TablesSchema, ValuesSchema} from './schemas.js';

export type {
  CellOrValueType,
  CellSchema,
  TablesSchema,
  ValueSchema,
  ValuesSchema,
} from './schemas.js';

/** The id of a table, row, cell or value: any string. */
export type Id = string;
/** A list of ids, in insertion order unless a method says otherwise. */
export type Ids = Id[];
/** An id, or `null` for every id at that level (a wildcard). */
export type IdOrNull = Id | null;
/** A string of JSON. */
export type Json = string;
/** A JSON object, as an object cell or value holds it. */
export type AnyObject = {[key: string]: unknown};
/** A JSON array, as an array cell or value holds it. */
export type AnyArray = unknown[] | readonly unknown[];
/** The wall clock a store stamps with: milliseconds since the epoch. */
export type GetNow = () => number;
/** A function called with no arguments. */
export type Callback = () => void;

/** A cell or value: string, finite number, boolean, null, or a JSON object/array. */
export type CellOrValue = string | number | boolean | null | AnyObject | AnyArray;
/** What a cell of a row holds. */
export type Cell = CellOrValue;
/** A cell, or undefined where there is none. */
export type CellOrUndefined = Cell | undefined;
/** What a key value of the store holds. */
export type Value = CellOrValue;
/** A value, or undefined where there is none. */
export type ValueOrUndefined = Value | undefined;
/** What getSortedRowIds sorts by: the cell of each row (or its id). */
export type SortKey = CellOrUndefined;
/** Orders two sort keys as Array.prototype.sort's comparators do. */
export type Sorter = (sortKey1: SortKey, sortKey2: SortKey) => number;

/** A row: its cells by cell id. */
export type Row = {[cellId: Id]: Cell};
/** A table: its rows by row id. */
export type Table = {[rowId: Id]: Row};
/** All tables of a store, by table id. */
export type Tables = {[tableId: Id]: Table};
/** All key values of a store, by value id. */
export type Values = {[valueId: Id]: Value};
/** A store's whole plain content: its tables and its values. */
export type Content = [tables: Tables, values: Values];

/** A 16-character hybrid logical clock string, or "" for "no time" (defaults, containers). */
export type Hlc = string;
/** Unsigned 32-bit FNV-1a hash. */
export type Hash = number;

/** `[thing, hlc, hash]` when hashed, `[thing]` or `[thing, hlc]` when not. */
export type Stamp<Thing, Hashed extends boolean = false> = Hashed extends true
  ? [thing: Thing, hlc: Hlc, hash: Hash]
  : [thing: Thing, hlc?: Hlc, hash?: Hash];

/** A stamped cell; `undefined` as the thing is a deletion (tombstone). */
export type CellStamp<H extends boolean = false> = Stamp<Cell | undefined, H>;
/** A stamped value; `undefined` as the thing is a deletion (tombstone). */
export type ValueStamp<H extends boolean = false> = Stamp<Value | undefined, H>;
/** A stamped row: its cell stamps by cell id. */
export type RowStamp<H extends boolean = false> = Stamp<{[cellId: Id]: CellStamp<H>}, H>;
/** A stamped table: its row stamps by row id. */
export type TableStamp<H extends boolean = false> = Stamp<{[rowId: Id]: RowStamp<H>}, H>;
/** The stamped tables tree: table stamps by table id. */
export type TablesStamp<H extends boolean = false> = Stamp<{[tableId: Id]: TableStamp<H>}, H>;
/** The stamped values: value stamps by value id. */
export type ValuesStamp<H extends boolean = false> = Stamp<{[valueId: Id]: ValueStamp<H>}, H>;

/** A store's whole stamp tree with every hash: what getMergeableContent returns. */
export type MergeableContent = [
  mergeableTables: TablesStamp<true>,
  mergeableValues: ValuesStamp<true>,
];
/** Stamps of some cells and values, marked by a trailing 1; hashes only when `H` is true. */
export type MergeableChanges<H extends boolean = false> = [
  mergeableTables: TablesStamp<H>,
  mergeableValues: ValuesStamp<H>,
  isChanges: 1,
];

/** The hash of all tables and the hash of all values. */
export type ContentHashes = [tablesHash: Hash, valuesHash: Hash];
/** Hashes of tables, by table id. */
export type TableHashes = {[tableId: Id]: Hash};
/** Hashes of rows, by table id and row id. */
export type RowHashes = {[tableId: Id]: {[rowId: Id]: Hash}};
/** Hashes of cells, by table id, row id and cell id. */
export type CellHashes = {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: Hash}}};
/** Hashes of values, by value id. */
export type ValueHashes = {[valueId: Id]: Hash};
/**
 * `[newTables, differingTableHashes]`: whole stamps of the tables the other side lacks, and this
 * store's hashes of the tables both have but hash differently.
 */
export type TablesDiff = [newTables: TablesStamp, differingTableHashes: TableHashes];
/**
 * `[newRows, differingRowHashes]`: whole stamps of the rows the other side lacks, and this store's
 * hashes of the rows both have but hash differently.
 */
export type RowsDiff = [newRows: TablesStamp, differingRowHashes: RowHashes];
/** The stamps of the cells whose hash differs from (or is missing on) the other side. */
export type CellsDiff = TablesStamp;
/** The stamps of the values whose hash differs from (or is missing on) the other side. */
export type ValuesDiff = ValuesStamp;

/**
 * Plain changes, as getTransactionChanges returns them and applyChanges takes them: the new
 * cells and values, with `undefined` for a deleted cell, row, table or value.
 */
export type Changes = [
  changedTables: {
    [tableId: Id]: {[rowId: Id]: {[cellId: Id]: CellOrUndefined} | undefined} | undefined;
  },
  changedValues: {[valueId: Id]: ValueOrUndefined},
  isChanges: 1,
];

/** 1 when an id was added, -1 when it was removed. */
export type IdAddedOrRemoved = 1 | -1;
/** Table ids added or removed in a transaction. */
export type ChangedTableIds = {[tableId: Id]: IdAddedOrRemoved};
/** Row ids added or removed in a transaction, by table. */
export type ChangedRowIds = {[tableId: Id]: {[rowId: Id]: IdAddedOrRemoved}};
/** Cell ids added or removed in a transaction, by table and row. */
export type ChangedCellIds = {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: IdAddedOrRemoved}}};
/** Value ids added or removed in a transaction. */
export type ChangedValueIds = {[valueId: Id]: IdAddedOrRemoved};
/** A cell before and after a transaction. */
export type ChangedCell = [oldCell: CellOrUndefined, newCell: CellOrUndefined];
/** The cells a transaction changed, by table, row and cell id. */
export type ChangedCells = {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: ChangedCell}}};
/** A value before and after a transaction. */
export type ChangedValue = [oldValue: ValueOrUndefined, newValue: ValueOrUndefined];
/** The values a transaction changed, by value id. */
export type ChangedValues = {[valueId: Id]: ChangedValue};
/**
 * Cells a transaction tried to write but could not (against a schema), with what was tried. Always
 * empty here: syncstore's store has no schema to reject a cell.
 */
export type InvalidCells = {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: unknown[]}}};
/** As InvalidCells, for values. */
export type InvalidValues = {[valueId: Id]: unknown[]};
/** Everything a transaction did, as getTransactionLog returns it during the transaction. */
export type TransactionLog = [
  cellsTouched: boolean,
  valuesTouched: boolean,
  changedCells: ChangedCells,
  invalidCells: InvalidCells,
  changedValues: ChangedValues,
  invalidValues: InvalidValues,
  changedTableIds: ChangedTableIds,
  changedRowIds: ChangedRowIds,
  changedCellIds: ChangedCellIds,
  changedValueIds: ChangedValueIds,
];

/** Decides, at the end of a transaction, whether it is undone. */
export type DoRollback = (store: Store) => boolean;
/** Called by forEachTable for each table, with a way to go through its rows. */
export type TableCallback = (tableId: Id, forEachRow: (rowCallback: RowCallback) => void) => void;
/** Called by forEachTableCell for each cell id used in a table, with how many rows use it. */
export type TableCellCallback = (cellId: Id, count: number) => void;
/** Called by forEachRow for each row, with a way to go through its cells. */
export type RowCallback = (rowId: Id, forEachCell: (cellCallback: CellCallback) => void) => void;
/** Called by forEachCell for each cell of a row. */
export type CellCallback = (cellId: Id, cell: Cell) => void;
/** Called by forEachValue for each value. */
export type ValueCallback = (valueId: Id, value: Value) => void;

/** Whether a cell changed in the transaction, with its value before and after. */
export type CellChange = [changed: boolean, oldCell: CellOrUndefined, newCell: CellOrUndefined];
/** Whether a value changed in the transaction, with its value before and after. */
export type ValueChange = [
  changed: boolean,
  oldValue: ValueOrUndefined,
  newValue: ValueOrUndefined,
];
/**
 * Given to table and row listeners: tells whether a cell changed in the transaction, with its
 * value before and after (`undefined` when absent).
 */
export type GetCellChange = (tableId: Id, rowId: Id, cellId: Id) => CellChange;
/** Given to values listeners: whether a value changed, with its old and new value. */
export type GetValueChange = (valueId: Id) => ValueChange;
/** Given to id listeners: the ids added (1) and removed (-1) in the transaction. */
export type GetIdChanges = () => {[id: Id]: 1 | -1};

/**
 * getSortedRowIds' arguments as one object: sort `tableId`'s rows by `cellId` (by row id when
 * omitted) with `sorter`, ascending unless `descending`, then skip `offset` rows and keep at most
 * `limit`.
 */
export type SortedRowIdsArgs = {
  tableId: Id;
  cellId?: Id;
  descending?: boolean;
  offset?: number;
  limit?: number;
  /** Orders the sort keys; defaultSorter when omitted. */
  sorter?: Sorter;
};
/** Passed to setCell instead of a cell: computes the new cell from the current one. */
export type MapCell = (cell: Cell | undefined) => Cell;
/** Passed to setValue instead of a value: computes the new value from the current one. */
export type MapValue = (value: Value | undefined) => Value;

// Listener signatures: the store comes first, as in TinyBase; `S` is the kind of store that
// calls them (a MergeableStore's listeners get a MergeableStore). Listeners run once per transaction
// that changed what they watch; with a `null` id they receive the concrete ids that changed.
/** Called when the store goes from having no table to having one, or back. */
export type HasTablesListener<S extends Store = Store> = (store: S, hasTables: boolean) => void;
/** Called when any cell of any table changes. */
export type TablesListener<S extends Store = Store> = (
  store: S,
  getCellChange: GetCellChange,
) => void;
/** Called when a table is added or removed. */
export type TableIdsListener<S extends Store = Store> = (
  store: S,
  getIdChanges: GetIdChanges,
) => void;
/** Called when a table starts or stops existing. */
export type HasTableListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  hasTable: boolean,
) => void;
/** Called when any cell of a table changes. */
export type TableListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  getCellChange: GetCellChange,
) => void;
/** Called when a cell id starts or stops being used by some row of a table. */
export type TableCellIdsListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  getIdChanges: GetIdChanges,
) => void;
/** Called when a cell id starts or stops being used anywhere in a table. */
export type HasTableCellListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  cellId: Id,
  hasTableCell: boolean,
) => void;
/** Called with the new row count when rows are added to or removed from a table. */
export type RowCountListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  count: number,
) => void;
/** Called when rows are added to or removed from a table. */
export type RowIdsListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  getIdChanges: GetIdChanges,
) => void;
/** Called with the new page of sorted row ids when it differs from the one last given. */
export type SortedRowIdsListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  sortedRowIds: Ids,
) => void;
/** Called when a row starts or stops existing. */
export type HasRowListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  rowId: Id,
  hasRow: boolean,
) => void;
/** Called when any cell of a row changes. */
export type RowListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  rowId: Id,
  getCellChange: GetCellChange,
) => void;
/** Called when cells are added to or removed from a row. */
export type CellIdsListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  rowId: Id,
  getIdChanges: GetIdChanges,
) => void;
/** Called when a cell starts or stops existing. */
export type HasCellListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  hasCell: boolean,
) => void;
/** Called with the new and old content when a cell changes (`undefined` when absent). */
export type CellListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  newCell: Cell | undefined,
  oldCell: Cell | undefined,
  getCellChange: GetCellChange,
) => void;
/** Called when the store goes from having no value to having one, or back. */
export type HasValuesListener<S extends Store = Store> = (store: S, hasValues: boolean) => void;
/** Called when any value changes. */
export type ValuesListener<S extends Store = Store> = (
  store: S,
  getValueChange: GetValueChange,
) => void;
/** Called when values are added or removed. */
export type ValueIdsListener<S extends Store = Store> = (
  store: S,
  getIdChanges: GetIdChanges,
) => void;
/** Called when a value starts or stops existing. */
export type HasValueListener<S extends Store = Store> = (
  store: S,
  valueId: Id,
  hasValue: boolean,
) => void;
/** Called with the new and old content when a value changes (`undefined` when absent). */
export type ValueListener<S extends Store = Store> = (
  store: S,
  valueId: Id,
  newValue: Value | undefined,
  oldValue: Value | undefined,
  getValueChange: GetValueChange,
) => void;
/**
 * Called when a transaction was given cells that could not be stored (of no storable kind, or
 * refused by the tables schema), with everything tried for that cell; `undefined` in the list
 * means a cell the schema expects was missing. An id is undefined when a whole table, row or
 * tables object was refused.
 */
export type InvalidCellListener<S extends Store = Store> = (
  store: S,
  tableId: Id,
  rowId: Id | undefined,
  cellId: Id | undefined,
  invalidCells: unknown[],
) => void;
/** Called when a transaction was given values that could not be stored; as InvalidCellListener. */
export type InvalidValueListener<S extends Store = Store> = (
  store: S,
  valueId: Id | undefined,
  invalidValues: unknown[],
) => void;
/** Called at a point of a transaction's life: start, will finish, or did finish. */
export type TransactionListener<S extends Store = Store> = (store: S) => void;

/** How many listeners of each kind are registered, as getListenerStats returns. */
export type StoreListenerStats = {
  hasTables: number;
  tables: number;
  tableIds: number;
  hasTable: number;
  table: number;
  tableCellIds: number;
  hasTableCell: number;
  rowCount: number;
  rowIds: number;
  sortedRowIds: number;
  hasRow: number;
  row: number;
  cellIds: number;
  hasCell: number;
  cell: number;
  invalidCell: number;
  hasValues: number;
  values: number;
  valueIds: number;
  hasValue: number;
  value: number;
  invalidValue: number;
  transaction: number;
};

/**
 * Tables of rows of cells, and key values, with listeners and transactions: TinyBase's Store.
 * Setters and deleters are fluent and return the store.
 *
 * Input the store cannot hold is ignored rather than thrown: an invalid cell or value (undefined,
 * a function, NaN, a reserved string...) is dropped, and a row, table or tables object left with
 * nothing valid makes the whole call a no-op.
 *
 * @example
 * const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
 * store.addCellListener('pets', null, 'species', (_, tableId, rowId, cellId, cell) =>
 *   console.log(rowId, cell),
 * );
 * store.setCell('pets', 'fido', 'species', 'wolf'); // logs: fido wolf
 */
export interface Store {
  // Tables
  /** All tables as plain objects (a fresh copy), `{}` when there are none. */
  getTables(): Tables;
  /** The ids of the tables that have at least one cell. */
  getTableIds(): Ids;
  /** One table's rows as a plain object, `{}` when the table does not exist. */
  getTable(tableId: Id): Table;
  /** The ids of every cell used by at least one row of the table. */
  getTableCellIds(tableId: Id): Ids;
  /** How many rows the table has (0 when it does not exist). */
  getRowCount(tableId: Id): number;
  /** The ids of the table's rows, in the order they were added. */
  getRowIds(tableId: Id): Ids;
  /**
   * The table's row ids sorted by the cell `cellId` (by row id when it is undefined), ascending
   * unless `descending`, then paged: `offset` rows skipped, at most `limit` returned.
   */
  getSortedRowIds(
    tableId: Id,
    cellId?: Id,
    descending?: boolean,
    offset?: number,
    limit?: number,
    sorter?: Sorter,
  ): Ids;
  /** getSortedRowIds with its arguments in one object. */
  getSortedRowIds(args: SortedRowIdsArgs): Ids;
  /** One row's cells as a plain object, `{}` when the row does not exist. */
  getRow(tableId: Id, rowId: Id): Row;
  /** The ids of the row's cells. */
  getCellIds(tableId: Id, rowId: Id): Ids;
  /** One cell, decoded (objects and arrays come back as such), or undefined when absent. */
  getCell(tableId: Id, rowId: Id, cellId: Id): Cell | undefined;
  /** Whether any table exists. */
  hasTables(): boolean;
  /** Whether the table exists. */
  hasTable(tableId: Id): boolean;
  /** Whether any row of the table has the cell `cellId`. */
  hasTableCell(tableId: Id, cellId: Id): boolean;
  /** Whether the row exists. */
  hasRow(tableId: Id, rowId: Id): boolean;
  /** Whether the cell exists. */
  hasCell(tableId: Id, rowId: Id, cellId: Id): boolean;
  // Values
  /** All key values as a plain object, `{}` when there are none. */
  getValues(): Values;
  /** The ids of the values. */
  getValueIds(): Ids;
  /** One value, or undefined when absent. */
  getValue(valueId: Id): Value | undefined;
  /** Whether any value exists. */
  hasValues(): boolean;
  /** Whether the value exists. */
  hasValue(valueId: Id): boolean;
  // Content
  /** `[tables, values]`, as getTables() and getValues() return them. */
  getContent(): Content;
  // JSON
  /** The tables as JSON: `'{}'` when there are none. */
  getTablesJson(): Json;
  /** The values as JSON: `'{}'` when there are none. */
  getValuesJson(): Json;
  /** `[tables, values]` as JSON, e.g. `'[{},{}]'` for an empty store. */
  getJson(): Json;
  /** setTables from JSON; JSON that does not parse is ignored. Returns the store. */
  setTablesJson(tablesJson: Json): this;
  /** setValues from JSON; JSON that does not parse is ignored. Returns the store. */
  setValuesJson(valuesJson: Json): this;
  /**
   * setContent from the JSON of `[tables, values]` (or of tables alone, the older form); JSON that
   * does not parse is ignored. Returns the store.
   */
  setJson(tablesAndValuesJson: Json): this;
  // Iteration, in the order the getters list ids
  /** Calls back for each table, with a function that goes through the table's rows. */
  forEachTable(tableCallback: TableCallback): void;
  /** Calls back for each cell id used in a table, with the number of rows that have it. */
  forEachTableCell(tableId: Id, tableCellCallback: TableCellCallback): void;
  /** Calls back for each row of a table, with a function that goes through its cells. */
  forEachRow(tableId: Id, rowCallback: RowCallback): void;
  /** Calls back for each cell of a row. */
  forEachCell(tableId: Id, rowId: Id, cellCallback: CellCallback): void;
  /** Calls back for each value. */
  forEachValue(valueCallback: ValueCallback): void;
  /**
   * Replaces the tables and the values (each only if valid) in one transaction. Takes the content
   * or a function returning it. Returns the store.
   */
  setContent(content: Content | (() => Content)): this;
  // Setters
  /** Replaces all tables: what is not in `tables` is deleted. Returns the store. */
  setTables(tables: Tables): this;
  /** Replaces one table: its rows not in `table` are deleted. Returns the store. */
  setTable(tableId: Id, table: Table): this;
  /** Replaces one row: its cells not in `row` are deleted. Returns the store. */
  setRow(tableId: Id, rowId: Id, row: Row): this;
  /**
   * Adds a row under a new id and returns that id, or undefined when the row has no valid cell.
   * With `reuseRowIds` (the default) ids of deleted rows may be given out again.
   */
  addRow(tableId: Id, row: Row, reuseRowIds?: boolean): Id | undefined;
  /** Sets the given cells of a row and leaves its other cells alone. Returns the store. */
  setPartialRow(tableId: Id, rowId: Id, partialRow: Row): this;
  /**
   * Sets one cell to `cell`, or to what a MapCell function returns for the current one. An
   * invalid cell is ignored. Returns the store.
   */
  setCell(tableId: Id, rowId: Id, cellId: Id, cell: Cell | MapCell): this;
  /** Replaces all values: those not in `values` are deleted. Returns the store. */
  setValues(values: Values): this;
  /** Sets the given values and leaves the others alone. Returns the store. */
  setPartialValues(partialValues: Values): this;
  /**
   * Sets one value to `value`, or to what a MapValue function returns for the current one. An
   * invalid value is ignored. Returns the store.
   */
  setValue(valueId: Id, value: Value | MapValue): this;
  // Deleters
  /** Deletes every table (each cell becomes a stamped tombstone). Returns the store. */
  delTables(): this;
  /** Deletes one table. Returns the store. */
  delTable(tableId: Id): this;
  /** Deletes one row. Returns the store. */
  delRow(tableId: Id, rowId: Id): this;
  /**
   * Deletes one cell; a row left with no cell disappears. A cell with a schema default is reset to
   * it instead, unless `forceDel`, which then deletes the whole row. Returns the store.
   */
  delCell(tableId: Id, rowId: Id, cellId: Id, forceDel?: boolean): this;
  /** Deletes every value (those with a schema default are reset to it). Returns the store. */
  delValues(): this;
  /** Deletes one value (one with a schema default is reset to it). Returns the store. */
  delValue(valueId: Id): this;
  // Schemas
  /**
   * Sets the tables schema and conforms the tables to it in one transaction: tables and cells it
   * does not name are deleted, cells of the wrong type become their default or are deleted, rows
   * get the defaults of the cells they lack, rows without a required cell are deleted. From then
   * on writes are checked against it. An invalid schema is ignored. Defaults added to cells that
   * never held data are stamped "" (no time), so that they never win over real data when merged.
   * Content arriving by merge is not checked: every peer must hold the same content.
   */
  setTablesSchema(tablesSchema: TablesSchema): this;
  /** Sets the values schema and conforms the values to it, as setTablesSchema. */
  setValuesSchema(valuesSchema: ValuesSchema): this;
  /** Sets both schemas in one transaction. */
  setSchema(tablesSchema: TablesSchema, valuesSchema?: ValuesSchema): this;
  /** Removes the tables schema; the tables are left as they are. */
  delTablesSchema(): this;
  /** Removes the values schema; the values are left as they are. */
  delValuesSchema(): this;
  /** Removes both schemas. */
  delSchema(): this;
  /** Whether a tables schema is set. */
  hasTablesSchema(): boolean;
  /** Whether a values schema is set. */
  hasValuesSchema(): boolean;
  /** The tables schema as JSON, `"{}"` when there is none. */
  getTablesSchemaJson(): string;
  /** The values schema as JSON, `"{}"` when there is none. */
  getValuesSchemaJson(): string;
  /** `[tablesSchema, valuesSchema]` as JSON. */
  getSchemaJson(): string;
  // Transactions
  /**
   * Runs `actions` as one transaction and returns what they return: listeners fire once, at the
   * end. If `doRollback` returns true, or `actions` throw (the error is rethrown), every change,
   * stamps included, is undone. A transaction started inside another joins it.
   */
  transaction<Return>(actions: () => Return, doRollback?: DoRollback): Return;
  /** Opens a transaction that stays open until finishTransaction. Returns the store. */
  startTransaction(): this;
  /**
   * The plain changes of the current transaction (new cells and values, undefined for deleted
   * ones); empty outside a transaction. Changes that were undone within it are left out.
   */
  getTransactionChanges(): Changes;
  /** Everything the current transaction did so far; empty outside a transaction. */
  getTransactionLog(): TransactionLog;
  /**
   * Applies plain changes (as getTransactionChanges returns them) in one transaction: each cell
   * and value is set, or deleted where it is undefined; an undefined row or table is deleted.
   * Returns the store.
   */
  applyChanges(changes: Changes): this;
  /**
   * Closes the transaction opened by startTransaction, calling listeners, or undoing it when
   * `doRollback` returns true. Returns the store.
   */
  finishTransaction(doRollback?: DoRollback): this;
  // Listeners. Each add…Listener returns the listener's id, for delListener and callListener.
  // A `null` id listens to every table, row, cell or value at that level. A `mutator` listener
  // runs before the others and may itself write to the store within the transaction.
  /** Listens to the store gaining its first table or losing its last. */
  addHasTablesListener(listener: HasTablesListener<this>, mutator?: boolean): Id;
  /** Listens to any change of any cell. */
  addTablesListener(listener: TablesListener<this>, mutator?: boolean): Id;
  /** Listens to tables being added or removed. */
  addTableIdsListener(listener: TableIdsListener<this>, mutator?: boolean): Id;
  /** Listens to a table (or, with `null`, any table) starting or stopping to exist. */
  addHasTableListener(tableId: IdOrNull, listener: HasTableListener<this>, mutator?: boolean): Id;
  /** Listens to any cell change in a table (`null`: in any table). */
  addTableListener(tableId: IdOrNull, listener: TableListener<this>, mutator?: boolean): Id;
  /** Listens to the set of cell ids used in a table changing (`null`: any table). */
  addTableCellIdsListener(
    tableId: IdOrNull,
    listener: TableCellIdsListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to a cell id starting or stopping to be used in a table; `null` ids are wildcards. */
  addHasTableCellListener(
    tableId: IdOrNull,
    cellId: IdOrNull,
    listener: HasTableCellListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to a table's row count changing (`null`: any table). */
  addRowCountListener(tableId: IdOrNull, listener: RowCountListener<this>, mutator?: boolean): Id;
  /** Listens to rows being added to or removed from a table (`null`: any table). */
  addRowIdsListener(tableId: IdOrNull, listener: RowIdsListener<this>, mutator?: boolean): Id;
  /**
   * Listens to one page of a table's sorted row ids (see getSortedRowIds); the listener gets the
   * new page only when it differs from the last one. The table id cannot be a wildcard.
   */
  addSortedRowIdsListener(
    tableId: Id,
    cellId: Id | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
    listener: SortedRowIdsListener<this>,
    mutator?: boolean,
  ): Id;
  /** addSortedRowIdsListener with the sort arguments in one object. */
  addSortedRowIdsListener(
    args: SortedRowIdsArgs,
    listener: SortedRowIdsListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to a row starting or stopping to exist; `null` ids are wildcards. */
  addHasRowListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: HasRowListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to any cell change in a row; `null` ids are wildcards. */
  addRowListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: RowListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to cells being added to or removed from a row; `null` ids are wildcards. */
  addCellIdsListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: CellIdsListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to a cell starting or stopping to exist; `null` ids are wildcards. */
  addHasCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: HasCellListener<this>,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to a cell's content changing, with its new and old content; `null` ids are
   * wildcards, so `addCellListener('pets', null, 'species', …)` hears that cell in every row.
   */
  addCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: CellListener<this>,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to invalid cells given to the store (`null` ids: any); called at the end of the
   * transaction, even one that changed nothing, with everything tried for each cell.
   */
  addInvalidCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: InvalidCellListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to invalid values given to the store (`null`: any value), as invalid cells. */
  addInvalidValueListener(
    valueId: IdOrNull,
    listener: InvalidValueListener<this>,
    mutator?: boolean,
  ): Id;
  /** Listens to the store gaining its first value or losing its last. */
  addHasValuesListener(listener: HasValuesListener<this>, mutator?: boolean): Id;
  /** Listens to any value change. */
  addValuesListener(listener: ValuesListener<this>, mutator?: boolean): Id;
  /** Listens to values being added or removed. */
  addValueIdsListener(listener: ValueIdsListener<this>, mutator?: boolean): Id;
  /** Listens to a value (`null`: any value) starting or stopping to exist. */
  addHasValueListener(valueId: IdOrNull, listener: HasValueListener<this>, mutator?: boolean): Id;
  /** Listens to a value's content changing (`null`: any value), with its new and old content. */
  addValueListener(valueId: IdOrNull, listener: ValueListener<this>, mutator?: boolean): Id;
  /** Listens to the start of every transaction. */
  addStartTransactionListener(listener: TransactionListener<this>): Id;
  /**
   * Listens to every transaction after its mutator listeners and the rollback decision, before
   * the other listeners.
   */
  addWillFinishTransactionListener(listener: TransactionListener<this>): Id;
  /** Listens to every transaction after all its other listeners ran. */
  addDidFinishTransactionListener(listener: TransactionListener<this>): Id;
  /** Calls a listener now, for the data that currently exists. Returns the store. */
  callListener(listenerId: Id): this;
  /** Removes a listener; an unknown id is ignored. Returns the store. */
  delListener(listenerId: Id): this;
  /** How many listeners of each kind are registered. */
  getListenerStats(): StoreListenerStats;
  /** False for a Store, true for a MergeableStore. */
  isMergeable(): boolean;
}

/**
 * A Store whose every cell and value carries a hybrid logical clock stamp, so that stores edited
 * apart merge to the same result. Deleting keeps a stamped tombstone, so deletions merge like
 * edits.
 *
 * @example
 * const alice = createMergeableStore('alice');
 * const bob = createMergeableStore('bob');
 * alice.setCell('pets', 'fido', 'color', 'brown');
 * bob.setCell('pets', 'fido', 'legs', 4);
 * alice.merge(bob); // both now hold {pets: {fido: {color: 'brown', legs: 4}}}
 */
export interface MergeableStore extends Store {
  /** Always true: tells a MergeableStore from a plain TinyBase Store. */
  isMergeable(): boolean;
  /**
   * The whole stamp tree with hashes, tombstones included (as `undefined` things), object and
   * array cells decoded.
   */
  getMergeableContent(): MergeableContent;
  /**
   * Replaces all content with a hashed stamp tree, trusting its hashes. Invalid content is
   * ignored as a whole. Returns the store.
   */
  setMergeableContent(mergeableContent: MergeableContent): MergeableStore;
  /**
   * Sets content stamped with no time (""), so that any real edit, local or merged, wins over it.
   * Takes the content or a function returning it. Returns the store.
   */
  setDefaultContent(content: Content | (() => Content)): MergeableStore;
  /**
   * The stamps of every cell and value written in the current (or just-finishing) transaction,
   * deletions included; empty outside a transaction. Hashes only when `withHashes`.
   *
   * @example
   * store.addDidFinishTransactionListener((store) =>
   *   send(store.getTransactionMergeableChanges()),
   * );
   */
  getTransactionMergeableChanges(withHashes?: boolean): MergeableChanges<boolean>;
  /**
   * Merges changes or whole content from another store: per cell and value, the stamp with the
   * later HLC wins (equal: the existing one stays). Hashes in the input are ignored and
   * recomputed. Malformed input, a reserved string or an HLC more than five minutes ahead of this
   * store's clock rejects the whole input, leaving the store unchanged. Returns the store.
   *
   * @example
   * other.setCell('pets', 'fido', 'legs', 4);
   * store.applyMergeableChanges(other.getMergeableContent());
   * store.getCell('pets', 'fido', 'legs'); // 4
   */
  applyMergeableChanges(
    mergeableChanges: MergeableChanges<boolean> | MergeableContent,
  ): MergeableStore;
  /**
   * Merges both ways with another store in memory, so that both end with the same content.
   * Returns this store.
   */
  merge(mergeableStore: MergeableStore): MergeableStore;
  /**
   * `[tablesHash, valuesHash]`: two stores with equal hashes hold the same stamps; the first step
   * of a sync.
   */
  getMergeableContentHashes(): ContentHashes;
  /** Each table's hash, tables whose every cell is deleted included. */
  getMergeableTableHashes(): TableHashes;
  /**
   * Compares this store's tables with another's table hashes and returns `[newTables,
   * differingTableHashes]`: unhashed stamps of this store's tables the other lacks, and this
   * store's hashes of the tables both have but hash differently. Tables only the other has are
   * not mentioned.
   *
   * @example
   * const [newTables, differing] = store.getMergeableTableDiff(other.getMergeableTableHashes());
   * other.applyMergeableChanges([newTables, [{}], 1]); // differing tables need a row diff next
   */
  getMergeableTableDiff(otherTableHashes: TableHashes): TablesDiff;
  /**
   * For each table named in `otherTableHashes` that this store has with a different hash, the
   * hashes of all its rows.
   */
  getMergeableRowHashes(otherTableHashes: TableHashes): RowHashes;
  /**
   * `[newRows, differingRowHashes]` over the tables named in the input: unhashed stamps of this
   * store's rows the other lacks, and this store's hashes of the rows both have but hash
   * differently.
   */
  getMergeableRowDiff(otherTableRowHashes: RowHashes): RowsDiff;
  /**
   * For each row named in the input that this store has with a different hash, the hashes of all
   * its cells.
   */
  getMergeableCellHashes(otherTableRowHashes: RowHashes): CellHashes;
  /**
   * Unhashed stamps of the cells, in the rows named in the input, whose hash differs from the
   * given one or is not given: what the other side needs to catch up.
   */
  getMergeableCellDiff(otherTableRowCellHashes: CellHashes): CellsDiff;
  /** Each value's hash, deleted values included. */
  getMergeableValueHashes(): ValueHashes;
  /** Unhashed stamps of the values whose hash differs from the given one or is not given. */
  getMergeableValueDiff(otherValueHashes: ValueHashes): ValuesDiff;
}

/** Where one leaf lives: `[tableId, rowId, cellId]` for a cell, `[valueId]` for a value. */
export type LeafAddress = readonly [tableId: Id, rowId: Id, cellId: Id] | readonly [valueId: Id];

/**
 * What synchronizers and persisters use, beyond the public API: content in its encoded wire form
 * (object and array cells as "\uFFFD"+JSON strings), and a report of why input was rejected.
 */
export interface MergeableStoreInternals {
  /** Full hashed content with object/array cells in encoded string form. */
  getEncodedMergeableContent(): MergeableContent;
  /** Changes of the current or just-finished transaction, encoded, without hashes. */
  getEncodedTransactionChanges(): MergeableChanges;
  /**
   * Merges encoded changes or content. Returns undefined when accepted, or the reason the whole
   * input was rejected (malformed, reserved string, far-future clock...).
   */
  applyEncodedMergeableChanges(
    changes: MergeableChanges<boolean> | MergeableContent,
  ): string | undefined;
  /**
   * Merges encoded changes given row by row (a decoded compact snapshot, docs/protocol.md §8.6),
   * exactly as applyEncodedMergeableChanges merges the change set they stand for, but writing rows
   * the store lacks without building that change set. Returns undefined or the rejection reason.
   */
  applyEncodedRowList(list: RowList): string | undefined;
  /**
   * The current encoded stamps of the named leaves (`[tableId, rowId, cellId]` or `[valueId]`),
   * tombstones included, as unhashed changes: a lookup per leaf, whatever the store's size.
   */
  getEncodedLeafStamps(addresses: Iterable<LeafAddress>): MergeableChanges;
  /** The HLC of one leaf ('' when it has none), or undefined when the store does not hold it. */
  getLeafHlc(address: LeafAddress): string | undefined;
  /**
   * Visits the leaves of one row in stamp order, tombstones included, in wire form and unhashed;
   * nothing when the store does not hold the row. Reads a row for a compact snapshot without
   * building a change set (docs/protocol.md §8.6).
   */
  forEachEncodedRowLeaf(
    tableId: Id,
    rowId: Id,
    visit: (cellId: Id, thing: unknown, hlc: string) => void,
  ): void;
  /**
   * The ids of every row of a table in stamp order, rows without live cells included: what a
   * compact snapshot walks (docs/protocol.md §8.6), listed without building a hash per row.
   */
  getStampedRowIds(tableId: Id): Id[];
  /** Replaces all content with encoded, hashed content; returns the rejection reason if any. */
  setEncodedMergeableContent(content: MergeableContent): string | undefined;
  /**
   * How many HLCs this store has stamped local writes with so far. Unchanged across a merge, it
   * shows that no listener wrote during it, without looking at the merged changes.
   */
  getLocalStampCount(): number;
  /**
   * Whether the current (or just-finishing, in a did-finish listener) transaction merged content
   * from elsewhere: applyMergeableChanges, setMergeableContent, merge, or a synchronizer or
   * persister doing the same; setDefaultContent (a synchronizer's initialContent) counts too, as
   * defaults are nobody's edit. Local-only checkpoints use it to leave these out of undo.
   * Writes that listeners make during such a transaction count as part of the merge.
   */
  hasMergedInTransaction(): boolean;
}
