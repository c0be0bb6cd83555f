// Reads of the plain content: the live leaves of the stamp tree, listed in plain order (see
// tree.ts), decoded into the cells, rows, tables and values TinyBase's getters return.
import {decodeCellOrValue, type EncodedCellOrValue} from './cell.js';
import {setOwn} from './objects.js';
import {defaultSorter} from './sorting.js';
import type {StoreState} from './store-state.js';
import type {LeafContainer, RowNode, TableNode} from './tree.js';
import type {
  Cell,
  Id,
  Ids,
  Row,
  SortedRowIdsArgs,
  Sorter,
  SortKey,
  Store,
  Table,
  Tables,
  Value,
  Values,
} from './types.js';

/** The stored (encoded) cell, live or not; undefined when there is none. */
export const readCell = (
  {tables}: StoreState,
  tableId: Id,
  rowId: Id,
  cellId: Id,
): EncodedCellOrValue | undefined =>
  tables.children.get(tableId)?.children.get(rowId)?.getValue(cellId);

export const getTableNode = ({tables}: StoreState, tableId: Id): TableNode | undefined =>
  tables.children.get(String(tableId));

export const getRowNode = (state: StoreState, tableId: Id, rowId: Id): RowNode | undefined =>
  getTableNode(state, tableId)?.children.get(String(rowId));

const getLiveLeafValue = (container: LeafContainer | undefined, id: Id) =>
  container?.getValue(String(id));

const rowToObject = (row: RowNode): Row => {
  const result: Row = {};
  row.forEachLiveLeaf((cellId, value) => {
    setOwn(result, cellId, decodeCellOrValue(value) as Cell);
  });
  return result;
};

const tableToObject = (table: TableNode): Table => {
  const result: Table = {};
  for (const row of table.liveChildren()) {
    setOwn(result, row.id, rowToObject(row));
  }
  return result;
};

/**
 * Row ids sorted by a cell (or by id), then paged. Takes TinyBase's positional arguments or its
 * single args object, which may also carry a custom sorter.
 */
export const getSortedRowIds = (
  state: StoreState,
  tableIdOrArgs: Id | SortedRowIdsArgs,
  cellId?: Id,
  descending = false,
  offset = 0,
  limit?: number,
  sorter: Sorter = defaultSorter,
): Ids => {
  if (typeof tableIdOrArgs === 'object' && tableIdOrArgs !== null) {
    const args = tableIdOrArgs;
    return getSortedRowIds(
      state,
      args.tableId,
      args.cellId,
      args.descending,
      args.offset,
      args.limit,
      args.sorter,
    );
  }
  const table = getTableNode(state, tableIdOrArgs);
  if (!table) {
    return [];
  }
  const keyed: [SortKey, Id][] = [];
  for (const row of table.liveChildren()) {
    keyed.push([cellId === undefined ? row.id : decodeCellOrValue(row.getValue(cellId)), row.id]);
  }
  const direction = descending ? -1 : 1;
  keyed.sort(([key1], [key2]) => sorter(key1, key2) * direction);
  const start = offset ?? 0;
  return keyed
    .slice(start, limit === undefined ? undefined : start + limit)
    .map(([, rowId]) => rowId);
};

type PlainReadApi = Pick<
  Store,
  | 'getTables'
  | 'getTableIds'
  | 'getTable'
  | 'getTableCellIds'
  | 'getRowCount'
  | 'getRowIds'
  | 'getSortedRowIds'
  | 'getRow'
  | 'getCellIds'
  | 'getCell'
  | 'hasTables'
  | 'hasTable'
  | 'hasTableCell'
  | 'hasRow'
  | 'hasCell'
  | 'getValues'
  | 'getValueIds'
  | 'getValue'
  | 'hasValues'
  | 'hasValue'
  | 'getContent'
>;

/** The store's getters of plain content. */
export const createPlainReadApi = (state: StoreState): PlainReadApi => {
  const {tables, values} = state;
  const getTables = (): Tables => {
    const result: Tables = {};
    for (const table of tables.liveChildren()) {
      setOwn(result, table.id, tableToObject(table));
    }
    return result;
  };
  const getValues = () => rowToObject(values) as Values;
  return {
    getTables,
    getTableIds: () => tables.liveChildren().map((table) => table.id),
    getTable: (tableId) => {
      const table = getTableNode(state, tableId);
      return table ? tableToObject(table) : {};
    },
    getTableCellIds: (tableId) => {
      const table = getTableNode(state, tableId);
      if (!table) {
        return [];
      }
      const ids: Ids = [];
      for (const [cellId, count] of table.cellIdCounts) {
        if (count > 0) {
          ids.push(cellId);
        }
      }
      return ids;
    },
    getRowCount: (tableId) => getTableNode(state, tableId)?.liveCount ?? 0,
    getRowIds: (tableId) => {
      const table = getTableNode(state, tableId);
      return table ? table.liveChildren().map((row) => row.id) : [];
    },
    getSortedRowIds: ((
      tableIdOrArgs: Id | SortedRowIdsArgs,
      cellId?: Id,
      descending?: boolean,
      offset?: number,
      limit?: number,
      sorter?: Sorter,
    ) =>
      getSortedRowIds(
        state,
        tableIdOrArgs,
        cellId,
        descending,
        offset,
        limit,
        sorter,
      )) as Store['getSortedRowIds'],
    getRow: (tableId, rowId) => {
      const row = getRowNode(state, tableId, rowId);
      return row ? rowToObject(row) : {};
    },
    getCellIds: (tableId, rowId) => getRowNode(state, tableId, rowId)?.getLiveIds() ?? [],
    getCell: (tableId, rowId, cellId) =>
      decodeCellOrValue(getLiveLeafValue(getRowNode(state, tableId, rowId), cellId)) as
        | Cell
        | undefined,
    hasTables: () => tables.liveCount > 0,
    hasTable: (tableId) => (getTableNode(state, tableId)?.liveCount ?? 0) > 0,
    hasTableCell: (tableId, cellId) => {
      const table = getTableNode(state, tableId);
      return table ? (table.cellIdCounts.get(String(cellId)) ?? 0) > 0 : false;
    },
    hasRow: (tableId, rowId) => (getRowNode(state, tableId, rowId)?.liveCount ?? 0) > 0,
    hasCell: (tableId, rowId, cellId) =>
      getLiveLeafValue(getRowNode(state, tableId, rowId), cellId) !== undefined,
    getValues,
    getValueIds: () => values.getLiveIds(),
    getValue: (valueId) =>
      decodeCellOrValue(getLiveLeafValue(values, valueId)) as Value | undefined,
    hasValues: () => values.liveCount > 0,
    hasValue: (valueId) => getLiveLeafValue(values, valueId) !== undefined,
    getContent: () => [state.store.getTables(), state.store.getValues()],
  };
};
