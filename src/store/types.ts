// Public types of the MergeableStore. Shapes and names follow TinyBase 10 so that code written
// for TinyBase type-checks against syncstore unchanged.

export type Id = string;
export type Ids = Id[];

/** A cell or value: string, finite number, boolean, null, or a JSON object/array. */
export type CellOrValue = string | number | boolean | null | {[key: string]: unknown} | unknown[];
export type Cell = CellOrValue;
export type Value = CellOrValue;

export type Row = {[cellId: Id]: Cell};
export type Table = {[rowId: Id]: Row};
export type Tables = {[tableId: Id]: Table};
export type Values = {[valueId: Id]: Value};
export type Content = [tables: Tables, values: Values];

/** A 16-character hybrid logical clock string, or "" for "no time" (defaults, containers). */
export type Hlc = string;
/** Unsigned 32-bit FNV-1a hash. */
export type Hash = number;

/** `[thing, hlc, hash]` when hashed, `[thing]` or `[thing, hlc]` when not. */
export type Stamp<Thing, Hashed extends boolean = false> = Hashed extends true
  ? [thing: Thing, hlc: Hlc, hash: Hash]
  : [thing: Thing, hlc?: Hlc, hash?: Hash];

export type CellStamp<H extends boolean = false> = Stamp<Cell | undefined, H>;
export type ValueStamp<H extends boolean = false> = Stamp<Value | undefined, H>;
export type RowStamp<H extends boolean = false> = Stamp<{[cellId: Id]: CellStamp<H>}, H>;
export type TableStamp<H extends boolean = false> = Stamp<{[rowId: Id]: RowStamp<H>}, H>;
export type TablesStamp<H extends boolean = false> = Stamp<{[tableId: Id]: TableStamp<H>}, H>;
export type ValuesStamp<H extends boolean = false> = Stamp<{[valueId: Id]: ValueStamp<H>}, H>;

export type MergeableContent = [
  mergeableTables: TablesStamp<true>,
  mergeableValues: ValuesStamp<true>,
];
export type MergeableChanges<H extends boolean = false> = [
  mergeableTables: TablesStamp<H>,
  mergeableValues: ValuesStamp<H>,
  isChanges: 1,
];

export type ContentHashes = [tablesHash: Hash, valuesHash: Hash];
export type TableHashes = {[tableId: Id]: Hash};
export type RowHashes = {[tableId: Id]: {[rowId: Id]: Hash}};
export type CellHashes = {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: Hash}}};
export type ValueHashes = {[valueId: Id]: Hash};
export type TablesDiff = [newTables: TablesStamp, differingTableHashes: TableHashes];
export type RowsDiff = [newRows: TablesStamp, differingRowHashes: RowHashes];
export type CellsDiff = TablesStamp;
export type ValuesDiff = ValuesStamp;

/** Plain changes of a transaction: `undefined` marks a deletion. */
export type Changes = [
  changedTables: {
    [tableId: Id]: {[rowId: Id]: {[cellId: Id]: Cell | undefined} | undefined} | undefined;
  },
  changedValues: {[valueId: Id]: Value | undefined},
  isChanges: 1,
];

export type GetCellChange = (
  tableId: Id,
  rowId: Id,
  cellId: Id,
) => [changed: boolean, oldCell: Cell | undefined, newCell: Cell | undefined];
export type GetValueChange = (
  valueId: Id,
) => [changed: boolean, oldValue: Value | undefined, newValue: Value | undefined];
export type GetIdChanges = () => {[id: Id]: 1 | -1};

export type SortedRowIdsArgs = {
  tableId: Id;
  cellId?: Id;
  descending?: boolean;
  offset?: number;
  limit?: number;
};

export type IdOrNull = Id | null;
export type MapCell = (cell: Cell | undefined) => Cell;
export type MapValue = (value: Value | undefined) => Value;

// Listener signatures: the store comes first, as in TinyBase.
export type HasTablesListener = (store: MergeableStore, hasTables: boolean) => void;
export type TablesListener = (store: MergeableStore, getCellChange: GetCellChange) => void;
export type TableIdsListener = (store: MergeableStore, getIdChanges: GetIdChanges) => void;
export type HasTableListener = (store: MergeableStore, tableId: Id, hasTable: boolean) => void;
export type TableListener = (
  store: MergeableStore,
  tableId: Id,
  getCellChange: GetCellChange,
) => void;
export type TableCellIdsListener = (
  store: MergeableStore,
  tableId: Id,
  getIdChanges: GetIdChanges,
) => void;
export type HasTableCellListener = (
  store: MergeableStore,
  tableId: Id,
  cellId: Id,
  hasTableCell: boolean,
) => void;
export type RowCountListener = (store: MergeableStore, tableId: Id, count: number) => void;
export type RowIdsListener = (
  store: MergeableStore,
  tableId: Id,
  getIdChanges: GetIdChanges,
) => void;
export type SortedRowIdsListener = (
  store: MergeableStore,
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  sortedRowIds: Ids,
) => void;
export type HasRowListener = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  hasRow: boolean,
) => void;
export type RowListener = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  getCellChange: GetCellChange,
) => void;
export type CellIdsListener = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  getIdChanges: GetIdChanges,
) => void;
export type HasCellListener = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  hasCell: boolean,
) => void;
export type CellListener = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  newCell: Cell | undefined,
  oldCell: Cell | undefined,
  getCellChange: GetCellChange,
) => void;
export type HasValuesListener = (store: MergeableStore, hasValues: boolean) => void;
export type ValuesListener = (store: MergeableStore, getValueChange: GetValueChange) => void;
export type ValueIdsListener = (store: MergeableStore, getIdChanges: GetIdChanges) => void;
export type HasValueListener = (store: MergeableStore, valueId: Id, hasValue: boolean) => void;
export type ValueListener = (
  store: MergeableStore,
  valueId: Id,
  newValue: Value | undefined,
  oldValue: Value | undefined,
  getValueChange: GetValueChange,
) => void;
export type TransactionListener = (store: MergeableStore) => void;

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
  /** Always 0: syncstore has no schemas, so no cell is ever invalid against one. */
  invalidCell: number;
  hasValues: number;
  values: number;
  valueIds: number;
  hasValue: number;
  value: number;
  /** Always 0, as invalidCell. */
  invalidValue: number;
  transaction: number;
};

/**
 * A Store whose every cell and value carries a hybrid logical clock stamp, so that stores edited
 * apart merge to the same result. Setters and deleters are fluent and return the store.
 */
export interface MergeableStore {
  // Tables
  getTables(): Tables;
  getTableIds(): Ids;
  getTable(tableId: Id): Table;
  getTableCellIds(tableId: Id): Ids;
  getRowCount(tableId: Id): number;
  getRowIds(tableId: Id): Ids;
  getSortedRowIds(
    tableId: Id,
    cellId?: Id,
    descending?: boolean,
    offset?: number,
    limit?: number,
  ): Ids;
  getSortedRowIds(args: SortedRowIdsArgs): Ids;
  getRow(tableId: Id, rowId: Id): Row;
  getCellIds(tableId: Id, rowId: Id): Ids;
  getCell(tableId: Id, rowId: Id, cellId: Id): Cell | undefined;
  hasTables(): boolean;
  hasTable(tableId: Id): boolean;
  hasTableCell(tableId: Id, cellId: Id): boolean;
  hasRow(tableId: Id, rowId: Id): boolean;
  hasCell(tableId: Id, rowId: Id, cellId: Id): boolean;
  // Values
  getValues(): Values;
  getValueIds(): Ids;
  getValue(valueId: Id): Value | undefined;
  hasValues(): boolean;
  hasValue(valueId: Id): boolean;
  // Content
  getContent(): Content;
  setContent(content: Content | (() => Content)): MergeableStore;
  // Setters
  setTables(tables: Tables): MergeableStore;
  setTable(tableId: Id, table: Table): MergeableStore;
  setRow(tableId: Id, rowId: Id, row: Row): MergeableStore;
  addRow(tableId: Id, row: Row, reuseRowIds?: boolean): Id | undefined;
  setPartialRow(tableId: Id, rowId: Id, partialRow: Row): MergeableStore;
  setCell(tableId: Id, rowId: Id, cellId: Id, cell: Cell | MapCell): MergeableStore;
  setValues(values: Values): MergeableStore;
  setPartialValues(partialValues: Values): MergeableStore;
  setValue(valueId: Id, value: Value | MapValue): MergeableStore;
  // Deleters
  delTables(): MergeableStore;
  delTable(tableId: Id): MergeableStore;
  delRow(tableId: Id, rowId: Id): MergeableStore;
  delCell(tableId: Id, rowId: Id, cellId: Id, forceDel?: boolean): MergeableStore;
  delValues(): MergeableStore;
  delValue(valueId: Id): MergeableStore;
  // Transactions
  transaction<Return>(
    actions: () => Return,
    doRollback?: (store: MergeableStore) => boolean,
  ): Return;
  startTransaction(): MergeableStore;
  finishTransaction(doRollback?: (store: MergeableStore) => boolean): MergeableStore;
  // Listeners
  addHasTablesListener(listener: HasTablesListener, mutator?: boolean): Id;
  addTablesListener(listener: TablesListener, mutator?: boolean): Id;
  addTableIdsListener(listener: TableIdsListener, mutator?: boolean): Id;
  addHasTableListener(tableId: IdOrNull, listener: HasTableListener, mutator?: boolean): Id;
  addTableListener(tableId: IdOrNull, listener: TableListener, mutator?: boolean): Id;
  addTableCellIdsListener(tableId: IdOrNull, listener: TableCellIdsListener, mutator?: boolean): Id;
  addHasTableCellListener(
    tableId: IdOrNull,
    cellId: IdOrNull,
    listener: HasTableCellListener,
    mutator?: boolean,
  ): Id;
  addRowCountListener(tableId: IdOrNull, listener: RowCountListener, mutator?: boolean): Id;
  addRowIdsListener(tableId: IdOrNull, listener: RowIdsListener, mutator?: boolean): Id;
  addSortedRowIdsListener(
    tableId: Id,
    cellId: Id | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
    listener: SortedRowIdsListener,
    mutator?: boolean,
  ): Id;
  addSortedRowIdsListener(
    args: SortedRowIdsArgs,
    listener: SortedRowIdsListener,
    mutator?: boolean,
  ): Id;
  addHasRowListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: HasRowListener,
    mutator?: boolean,
  ): Id;
  addRowListener(tableId: IdOrNull, rowId: IdOrNull, listener: RowListener, mutator?: boolean): Id;
  addCellIdsListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: CellIdsListener,
    mutator?: boolean,
  ): Id;
  addHasCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: HasCellListener,
    mutator?: boolean,
  ): Id;
  addCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: CellListener,
    mutator?: boolean,
  ): Id;
  addHasValuesListener(listener: HasValuesListener, mutator?: boolean): Id;
  addValuesListener(listener: ValuesListener, mutator?: boolean): Id;
  addValueIdsListener(listener: ValueIdsListener, mutator?: boolean): Id;
  addHasValueListener(valueId: IdOrNull, listener: HasValueListener, mutator?: boolean): Id;
  addValueListener(valueId: IdOrNull, listener: ValueListener, mutator?: boolean): Id;
  addStartTransactionListener(listener: TransactionListener): Id;
  addWillFinishTransactionListener(listener: TransactionListener): Id;
  addDidFinishTransactionListener(listener: TransactionListener): Id;
  callListener(listenerId: Id): MergeableStore;
  delListener(listenerId: Id): MergeableStore;
  getListenerStats(): StoreListenerStats;
  // Mergeable
  isMergeable(): boolean;
  getMergeableContent(): MergeableContent;
  setMergeableContent(mergeableContent: MergeableContent): MergeableStore;
  setDefaultContent(content: Content | (() => Content)): MergeableStore;
  getTransactionMergeableChanges(withHashes?: boolean): MergeableChanges<boolean>;
  applyMergeableChanges(
    mergeableChanges: MergeableChanges<boolean> | MergeableContent,
  ): MergeableStore;
  merge(mergeableStore: MergeableStore): MergeableStore;
  getMergeableContentHashes(): ContentHashes;
  getMergeableTableHashes(): TableHashes;
  getMergeableTableDiff(otherTableHashes: TableHashes): TablesDiff;
  getMergeableRowHashes(otherTableHashes: TableHashes): RowHashes;
  getMergeableRowDiff(otherTableRowHashes: RowHashes): RowsDiff;
  getMergeableCellHashes(otherTableRowHashes: RowHashes): CellHashes;
  getMergeableCellDiff(otherTableRowCellHashes: CellHashes): CellsDiff;
  getMergeableValueHashes(): ValueHashes;
  getMergeableValueDiff(otherValueHashes: ValueHashes): ValuesDiff;
}

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
  /** Replaces all content with encoded, hashed content; returns the rejection reason if any. */
  setEncodedMergeableContent(content: MergeableContent): string | undefined;
}
