// The store's forEach methods: each goes through the live content in the order the getters list
// it, and calls back with ids and decoded cells and values, as TinyBase's do.
import {decodeCellOrValue} from './cell.js';
import {getRowNode, getTableNode} from './plain-reads.js';
import type {StoreState} from './store-state.js';
import type {RowNode, TableNode} from './tree.js';
import type {Cell, CellCallback, RowCallback, Store, Value} from './types.js';

const forEachCellOf = (row: RowNode | undefined, cellCallback: CellCallback): void =>
  row?.forEachLiveLeaf((cellId, cell) => cellCallback(cellId, decodeCellOrValue(cell) as Cell));

const forEachRowOf = (table: TableNode | undefined, rowCallback: RowCallback): void => {
  for (const row of table?.liveChildren() ?? []) {
    rowCallback(row.id, (cellCallback) => forEachCellOf(row, cellCallback));
  }
};

type IterationApi = Pick<
  Store,
  'forEachTable' | 'forEachTableCell' | 'forEachRow' | 'forEachCell' | 'forEachValue'
>;

export const createIterationApi = (state: StoreState): IterationApi => ({
  forEachTable: (tableCallback) => {
    for (const table of state.tables.liveChildren()) {
      tableCallback(table.id, (rowCallback) => forEachRowOf(table, rowCallback));
    }
  },
  forEachTableCell: (tableId, tableCellCallback) => {
    for (const [cellId, count] of getTableNode(state, tableId)?.cellIdCounts ?? []) {
      tableCellCallback(cellId, count);
    }
  },
  forEachRow: (tableId, rowCallback) => forEachRowOf(getTableNode(state, tableId), rowCallback),
  forEachCell: (tableId, rowId, cellCallback) =>
    forEachCellOf(getRowNode(state, tableId, rowId), cellCallback),
  forEachValue: (valueCallback) =>
    state.values.forEachLiveLeaf((valueId, value) =>
      valueCallback(valueId, decodeCellOrValue(value) as Value),
    ),
});
