// One Reader per thing a hook can read from a MergeableStore: the getter, the matching listener,
// and the value to show when there is no store. Boolean readers use the has… listeners, so a
// component asking "is there a row?" does not render when the row's cells change.
import type {
  Cell,
  Id,
  Ids,
  MergeableStore,
  Row,
  Table,
  Tables,
  Value,
  Values,
} from '../store/types.js';
import type {Reader} from './listenable.js';
import {type SortArguments, sortArgsObject} from './sorted-row-ids-args.js';

type StoreReader<Args extends readonly unknown[], Snapshot> = Reader<
  MergeableStore,
  Args,
  Snapshot
>;

const NO_IDS: Ids = [];

export const hasTablesReader: StoreReader<[], boolean> = {
  read: (store) => store.hasTables(),
  listen: (store, onChange) => store.addHasTablesListener(onChange),
  empty: false,
};

export const tablesReader: StoreReader<[], Tables> = {
  read: (store) => store.getTables(),
  listen: (store, onChange) => store.addTablesListener(onChange),
  empty: {},
};

export const tableIdsReader: StoreReader<[], Ids> = {
  read: (store) => store.getTableIds(),
  listen: (store, onChange) => store.addTableIdsListener(onChange),
  empty: NO_IDS,
};

export const hasTableReader: StoreReader<[tableId: Id], boolean> = {
  read: (store, tableId) => store.hasTable(tableId),
  listen: (store, onChange, tableId) => store.addHasTableListener(tableId, onChange),
  empty: false,
};

export const tableReader: StoreReader<[tableId: Id], Table> = {
  read: (store, tableId) => store.getTable(tableId),
  listen: (store, onChange, tableId) => store.addTableListener(tableId, onChange),
  empty: {},
};

export const tableCellIdsReader: StoreReader<[tableId: Id], Ids> = {
  read: (store, tableId) => store.getTableCellIds(tableId),
  listen: (store, onChange, tableId) => store.addTableCellIdsListener(tableId, onChange),
  empty: NO_IDS,
};

export const hasTableCellReader: StoreReader<[tableId: Id, cellId: Id], boolean> = {
  read: (store, tableId, cellId) => store.hasTableCell(tableId, cellId),
  listen: (store, onChange, tableId, cellId) =>
    store.addHasTableCellListener(tableId, cellId, onChange),
  empty: false,
};

export const rowCountReader: StoreReader<[tableId: Id], number> = {
  read: (store, tableId) => store.getRowCount(tableId),
  listen: (store, onChange, tableId) => store.addRowCountListener(tableId, onChange),
  empty: 0,
};

export const rowIdsReader: StoreReader<[tableId: Id], Ids> = {
  read: (store, tableId) => store.getRowIds(tableId),
  listen: (store, onChange, tableId) => store.addRowIdsListener(tableId, onChange),
  empty: NO_IDS,
};

// The listener is added in the object form, the only one that carries a sorter.
export const sortedRowIdsReader: StoreReader<SortArguments, Ids> = {
  read: (store, ...sortArguments) => store.getSortedRowIds(...sortArguments),
  listen: (store, onChange, ...sortArguments) =>
    store.addSortedRowIdsListener(sortArgsObject(sortArguments), onChange),
  empty: NO_IDS,
};

export const hasRowReader: StoreReader<[tableId: Id, rowId: Id], boolean> = {
  read: (store, tableId, rowId) => store.hasRow(tableId, rowId),
  listen: (store, onChange, tableId, rowId) => store.addHasRowListener(tableId, rowId, onChange),
  empty: false,
};

export const rowReader: StoreReader<[tableId: Id, rowId: Id], Row> = {
  read: (store, tableId, rowId) => store.getRow(tableId, rowId),
  listen: (store, onChange, tableId, rowId) => store.addRowListener(tableId, rowId, onChange),
  empty: {},
};

export const cellIdsReader: StoreReader<[tableId: Id, rowId: Id], Ids> = {
  read: (store, tableId, rowId) => store.getCellIds(tableId, rowId),
  listen: (store, onChange, tableId, rowId) => store.addCellIdsListener(tableId, rowId, onChange),
  empty: NO_IDS,
};

export const hasCellReader: StoreReader<[tableId: Id, rowId: Id, cellId: Id], boolean> = {
  read: (store, tableId, rowId, cellId) => store.hasCell(tableId, rowId, cellId),
  listen: (store, onChange, tableId, rowId, cellId) =>
    store.addHasCellListener(tableId, rowId, cellId, onChange),
  empty: false,
};

export const cellReader: StoreReader<[tableId: Id, rowId: Id, cellId: Id], Cell | undefined> = {
  read: (store, tableId, rowId, cellId) => store.getCell(tableId, rowId, cellId),
  listen: (store, onChange, tableId, rowId, cellId) =>
    store.addCellListener(tableId, rowId, cellId, onChange),
  empty: undefined,
};

export const hasValuesReader: StoreReader<[], boolean> = {
  read: (store) => store.hasValues(),
  listen: (store, onChange) => store.addHasValuesListener(onChange),
  empty: false,
};

export const valuesReader: StoreReader<[], Values> = {
  read: (store) => store.getValues(),
  listen: (store, onChange) => store.addValuesListener(onChange),
  empty: {},
};

export const valueIdsReader: StoreReader<[], Ids> = {
  read: (store) => store.getValueIds(),
  listen: (store, onChange) => store.addValueIdsListener(onChange),
  empty: NO_IDS,
};

export const hasValueReader: StoreReader<[valueId: Id], boolean> = {
  read: (store, valueId) => store.hasValue(valueId),
  listen: (store, onChange, valueId) => store.addHasValueListener(valueId, onChange),
  empty: false,
};

export const valueReader: StoreReader<[valueId: Id], Value | undefined> = {
  read: (store, valueId) => store.getValue(valueId),
  listen: (store, onChange, valueId) => store.addValueListener(valueId, onChange),
  empty: undefined,
};
