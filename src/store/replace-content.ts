// Whole-row, whole-table and whole-content writes, made of local cell and value writes: what the
// input holds is written, what it does not hold is deleted. Called inside a transaction.
import type {EncodedRow, EncodedTable, EncodedTables} from './encode-content.js';
import {IdPool} from './id-pool.js';
import {getOrCreateTable, writeLocalCell, writeLocalValue} from './local-writes.js';
import type {StoreState} from './store-state.js';
import type {RowNode, TableNode} from './tree.js';
import type {Id} from './types.js';

export const replaceTables = (state: StoreState, encoded: EncodedTables): void => {
  for (const [tableId, table] of encoded) {
    replaceTable(state, tableId, table);
  }
  for (const table of state.tables.liveChildren()) {
    if (!encoded.has(table.id)) {
      deleteTable(state, table);
    }
  }
};

export const replaceTable = (state: StoreState, tableId: Id, encoded: EncodedTable): void => {
  for (const [rowId, row] of encoded) {
    replaceRow(state, tableId, rowId, row);
  }
  for (const row of state.tables.children.get(tableId)?.liveChildren() ?? []) {
    if (!encoded.has(row.id)) {
      deleteRow(state, row);
    }
  }
};

export const replaceRow = (
  state: StoreState,
  tableId: Id,
  rowId: Id,
  encoded: EncodedRow,
): void => {
  for (const [cellId, cell] of encoded) {
    writeLocalCell(state, tableId, rowId, cellId, cell, encoded.defaulted?.has(cellId));
  }
  const row = state.tables.children.get(tableId)?.children.get(rowId);
  for (const cellId of row ? row.getLiveIds() : []) {
    if (!encoded.has(cellId)) {
      writeLocalCell(state, tableId, rowId, cellId, undefined);
    }
  }
};

export const replaceValues = (state: StoreState, encoded: EncodedRow): void => {
  for (const [valueId, value] of encoded) {
    writeLocalValue(state, valueId, value, encoded.defaulted?.has(valueId));
  }
  for (const valueId of state.values.getLiveIds()) {
    if (!encoded.has(valueId)) {
      writeLocalValue(state, valueId, undefined);
    }
  }
};

/** Deletes a whole row; its id may be used again by addRow, as in TinyBase. */
export const deleteRow = (state: StoreState, row: RowNode): void => {
  const table = row.table!;
  table.rowIdPool ??= new IdPool();
  table.rowIdPool.release(row.id);
  for (const cellId of row.getLiveIds()) {
    writeLocalCell(state, table.id, row.id, cellId, undefined);
  }
};

export const deleteTable = (state: StoreState, table: TableNode): void => {
  for (const row of table.liveChildren()) {
    deleteRow(state, row);
  }
};

/** An id for a new row: from the table's pool, skipping ids of rows that exist. */
export const takeRowId = (state: StoreState, tableId: Id, reuse: boolean): Id => {
  const [table] = getOrCreateTable(state, tableId); // the row written next keeps it
  table.rowIdPool ??= new IdPool();
  let rowId: Id;
  do {
    rowId = table.rowIdPool.take(reuse);
  } while ((table.children.get(rowId)?.liveCount ?? 0) > 0);
  return rowId;
};
