// Mergeable changes given row by row, the shape a compact snapshot decodes to (docs/protocol.md
// §8.6): per table its cell ids once, then each row as its id and a thing and an HLC per cell.
// Merging this shape into rows the store lacks needs no change set of per-cell stamp objects
// (row-loading.ts); this file says what a valid one is and what change set it stands for.
//
//   tables: [[tableId, [cellId, ...], [[rowId, thing, hlc, thing, hlc, ...], ...]], ...]
//   values: [valueId, thing, hlc, valueId, thing, hlc, ...]
//
// A row holding other cells than the table's list, in that order, writes their positions after
// its id: [rowId, [2, 5], thing, hlc, thing, hlc]. A table may be listed more than once (one list
// per snapshot part); its rows then come together, in listed order. No container carries an HLC
// and nothing carries a hash.
import {getOwn, setOwn} from './objects.js';
import type {Id, MergeableChanges} from './types.js';

export type RowListTable = [tableId: Id, cellIds: Id[], rows: unknown[][]];
export type RowList = {tables: RowListTable[]; values: unknown[]};

type Leaves = {[id: Id]: [thing: unknown, hlc: string]};
type Rows = {[id: Id]: [cells: Leaves]};

export const isRowList = (input: unknown): input is RowList =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

/** Whether `table` is `[tableId, cellIds, rows]` (its rows not looked at). */
export const isRowListTable = (table: unknown): table is RowListTable =>
  Array.isArray(table) &&
  table.length === 3 &&
  typeof table[0] === 'string' &&
  Array.isArray(table[1]) &&
  table[1].every((cellId) => typeof cellId === 'string') &&
  Array.isArray(table[2]);

/**
 * Where the leaves of `row` start: 1, or 2 after a positions list. -1 when the row is not
 * `[rowId, (positions,) thing, hlc, ...]` with a pair per cell and every position naming one of
 * the table's `cellCount` cell ids.
 */
export const rowLeavesStart = (row: unknown, cellCount: number): number => {
  if (!Array.isArray(row) || typeof row[0] !== 'string') {
    return -1;
  }
  const positions = row[1];
  if (!Array.isArray(positions)) {
    return row.length === 1 + 2 * cellCount ? 1 : -1;
  }
  for (const position of positions) {
    if (!Number.isSafeInteger(position) || position < 0 || position >= cellCount) {
      return -1;
    }
  }
  return row.length === 2 + 2 * positions.length ? 2 : -1;
};

/** The cell id of the `index`th leaf of a row whose leaves start at `start`. */
export const cellIdAt = (row: unknown[], start: number, cellIds: Id[], index: number): Id =>
  cellIds[start === 1 ? index : (row[1] as number[])[index]!]!;

/**
 * The change set `[tables, values, 1]` the list stands for. Leaves are set in listed order, so a
 * row listed twice keeps its first place and its last cells, as an object built key by key does.
 */
export const rowListToChanges = ({tables, values}: RowList): MergeableChanges => {
  const tablesThing: {[id: Id]: [rows: Rows]} = {};
  for (const [tableId, cellIds, rows] of tables) {
    const rowsThing: Rows = getOwn(tablesThing, tableId)?.[0] ?? {};
    for (const row of rows) {
      const start = row.length > 1 && Array.isArray(row[1]) ? 2 : 1;
      const cells: Leaves = {};
      for (let index = 0; start + 2 * index < row.length; index++) {
        const at = start + 2 * index;
        setOwn(cells, cellIdAt(row, start, cellIds, index), [row[at], row[at + 1] as string]);
      }
      setOwn(rowsThing, row[0] as Id, [cells]);
    }
    setOwn(tablesThing, tableId, [rowsThing]);
  }
  const valuesThing: Leaves = {};
  for (let index = 0; index < values.length; index += 3) {
    setOwn(valuesThing, values[index] as Id, [values[index + 1], values[index + 2] as string]);
  }
  return [[tablesThing], [valuesThing], 1] as unknown as MergeableChanges;
};
