// Hashes and diffs that peers exchange to find what differs without sending everything: tables,
// then rows of differing tables, then cells of differing rows (docs/protocol.md §5.6). Results hold leaves in
// their stored (encoded) form, ready for the wire.
import {unhashedStamp} from './mergeable-reads.js';
import {getOwn, isObjectLike, setOwn} from './objects.js';
import type {LeafContainer, RowNode, TableNode, TablesNode} from './tree.js';
import type {
  CellHashes,
  CellsDiff,
  ContentHashes,
  Id,
  RowHashes,
  RowsDiff,
  TableHashes,
  TablesDiff,
  TablesStamp,
  ValueHashes,
  ValuesDiff,
} from './types.js';

type Tree = {tables: TablesNode; values: LeafContainer};

const rowStamp = (row: RowNode) => {
  const cells: Record<Id, unknown> = {};
  row.forEachLeaf((cellId, value, hlc) => setOwn(cells, cellId, unhashedStamp(value, hlc)));
  return unhashedStamp(cells, row.hlc);
};
const tableStamp = (table: TableNode) => {
  const rows: Record<Id, unknown> = {};
  for (const row of table.children.values()) {
    setOwn(rows, row.id, rowStamp(row));
  }
  return unhashedStamp(rows, table.hlc);
};
const asObject = <Thing>(thing: unknown): Record<Id, Thing> =>
  isObjectLike(thing) ? (thing as Record<Id, Thing>) : {};

/** The diff and hash methods of a MergeableStore; `getTree` refreshes hashes before reading. */
export const getDiffs = (getTree: () => Tree) => ({
  getMergeableContentHashes: (): ContentHashes => {
    const {tables, values} = getTree();
    return [tables.hash, values.computeHash()];
  },

  getMergeableTableHashes: (): TableHashes => {
    const hashes: TableHashes = {};
    for (const table of getTree().tables.children.values()) {
      setOwn(hashes, table.id, table.hash);
    }
    return hashes;
  },

  getMergeableTableDiff: (otherTableHashes: TableHashes): TablesDiff => {
    const other = asObject<number>(otherTableHashes);
    const newTables: Record<Id, unknown> = {};
    const differing: TableHashes = {};
    for (const table of getTree().tables.children.values()) {
      const otherHash = getOwn(other, table.id);
      if (otherHash === undefined) {
        setOwn(newTables, table.id, tableStamp(table));
      } else if (otherHash !== table.hash) {
        setOwn(differing, table.id, table.hash);
      }
    }
    return [[newTables] as TablesStamp, differing];
  },

  getMergeableRowHashes: (otherTableHashes: TableHashes): RowHashes => {
    const other = asObject<number>(otherTableHashes);
    const {tables} = getTree();
    const hashes: RowHashes = {};
    for (const tableId of Object.keys(other)) {
      const table = tables.children.get(tableId);
      if (table && table.hash !== other[tableId]) {
        const rowHashes: Record<Id, number> = {};
        for (const row of table.children.values()) {
          setOwn(rowHashes, row.id, row.hash);
        }
        setOwn(hashes, tableId, rowHashes);
      }
    }
    return hashes;
  },

  getMergeableRowDiff: (otherTableRowHashes: RowHashes): RowsDiff => {
    const other = asObject<Record<Id, number>>(otherTableRowHashes);
    const {tables} = getTree();
    const newRowsByTable: Record<Id, unknown> = {};
    const differing: RowHashes = {};
    for (const tableId of Object.keys(other)) {
      const table = tables.children.get(tableId);
      if (!table) {
        continue;
      }
      const otherRows = asObject<number>(other[tableId]);
      const newRows: Record<Id, unknown> = {};
      const differingRows: Record<Id, number> = {};
      let anyNew = false;
      let anyDiffering = false;
      for (const row of table.children.values()) {
        const otherHash = getOwn(otherRows, row.id);
        if (otherHash === undefined) {
          setOwn(newRows, row.id, rowStamp(row));
          anyNew = true;
        } else if (otherHash !== row.hash) {
          setOwn(differingRows, row.id, row.hash);
          anyDiffering = true;
        }
      }
      if (anyNew) {
        setOwn(newRowsByTable, tableId, unhashedStamp(newRows, table.hlc));
      }
      if (anyDiffering) {
        setOwn(differing, tableId, differingRows);
      }
    }
    return [[newRowsByTable] as TablesStamp, differing];
  },

  getMergeableCellHashes: (otherTableRowHashes: RowHashes): CellHashes => {
    const other = asObject<Record<Id, number>>(otherTableRowHashes);
    const {tables} = getTree();
    const hashes: CellHashes = {};
    for (const tableId of Object.keys(other)) {
      const table = tables.children.get(tableId);
      if (!table) {
        continue;
      }
      const otherRows = asObject<number>(other[tableId]);
      for (const rowId of Object.keys(otherRows)) {
        const row = table.children.get(rowId);
        if (row && row.hash !== otherRows[rowId]) {
          const cellHashes: Record<Id, number> = {};
          row.forEachLeaf((cellId, _value, _hlc, offset) =>
            setOwn(cellHashes, cellId, row.hashAt(offset)),
          );
          if (!Object.hasOwn(hashes, tableId)) {
            setOwn(hashes, tableId, {});
          }
          setOwn(hashes[tableId], rowId, cellHashes);
        }
      }
    }
    return hashes;
  },

  getMergeableCellDiff: (otherTableRowCellHashes: CellHashes): CellsDiff => {
    const other = asObject<Record<Id, Record<Id, number>>>(otherTableRowCellHashes);
    const {tables} = getTree();
    const tablesThing: Record<Id, unknown> = {};
    for (const tableId of Object.keys(other)) {
      const table = tables.children.get(tableId);
      if (!table) {
        continue;
      }
      const otherRows = asObject<Record<Id, number>>(other[tableId]);
      const rowsThing: Record<Id, unknown> = {};
      let anyRow = false;
      for (const rowId of Object.keys(otherRows)) {
        const row = table.children.get(rowId);
        if (!row) {
          continue;
        }
        const otherCells = asObject<number>(otherRows[rowId]);
        const cellsThing: Record<Id, unknown> = {};
        let anyCell = false;
        row.forEachLeaf((cellId, value, hlc, offset) => {
          // A cell the other side has no hash for differs without hashing it (a snapshot asks
          // for whole rows, §8.6).
          const otherHash = getOwn(otherCells, cellId);
          if (otherHash === undefined || otherHash !== row.hashAt(offset)) {
            // Cell diffs always carry the HLC, even an empty one.
            setOwn(cellsThing, cellId, [value, hlc]);
            anyCell = true;
          }
        });
        if (anyCell) {
          setOwn(rowsThing, rowId, unhashedStamp(cellsThing, row.hlc));
          anyRow = true;
        }
      }
      if (anyRow) {
        setOwn(tablesThing, tableId, unhashedStamp(rowsThing, table.hlc));
      }
    }
    return [tablesThing] as TablesStamp;
  },

  getMergeableValueHashes: (): ValueHashes => {
    const hashes: ValueHashes = {};
    const {values} = getTree();
    values.forEachLeaf((valueId, _value, _hlc, offset) =>
      setOwn(hashes, valueId, values.hashAt(offset)),
    );
    return hashes;
  },

  getMergeableValueDiff: (otherValueHashes: ValueHashes): ValuesDiff => {
    const other = asObject<number>(otherValueHashes);
    const valuesThing: Record<Id, unknown> = {};
    const {values} = getTree();
    values.forEachLeaf((valueId, value, hlc, offset) => {
      if (getOwn(other, valueId) !== values.hashAt(offset)) {
        setOwn(valuesThing, valueId, unhashedStamp(value, hlc));
      }
    });
    return [valuesThing] as ValuesDiff;
  },
});
