// Cutting change sets into pieces that fit a transport's per-message limit (the WebSocket wire
// refuses any message over 16 MiB, so one message can carry only about 470k cells).
//
// Any subset of a change set's cell and value stamps is itself a valid change set: the merge rule
// is per cell and per value, and a row's or table's own stamp only ever moves forward. So a change
// set too large for one message can go out as several (a ContentDiff), and a diff Response can
// carry its first part only, with the peer pulling the rest (responder.ts).
//
// The unit of cutting is a leaf: a cell stamp, a value stamp, or an empty row or table stamp
// (which still carries its own stamp). Leaves keep their order, so slices of one change set never
// overlap and together hold all of it.

import {setOwn} from '../store/objects.js';
import type {
  MergeableChanges,
  RowStamp,
  TableStamp,
  TablesStamp,
  ValuesStamp,
} from '../store/types.js';
import {MessageTooLarge} from './errors.js';

/** A half-open range of leaf positions, [from, to). */
type LeafRange = {from: number; to: number};

export function countTablesLeaves([tables]: TablesStamp): number {
  let leaves = 0;
  for (const tableId in tables) {
    const rows = tables[tableId]![0];
    let rowsInTable = 0;
    for (const rowId in rows) {
      rowsInTable++;
      leaves += Math.max(1, Object.keys(rows[rowId]![0]).length);
    }
    if (rowsInTable === 0) {
      leaves++;
    }
  }
  return leaves;
}

export function countValuesLeaves([values]: ValuesStamp): number {
  return Object.keys(values).length;
}

/** The leaves of `tablesStamp` at positions in `range`, with the stamps of their rows and tables. */
export function sliceTablesStamp(tablesStamp: TablesStamp, {from, to}: LeafRange): TablesStamp {
  const [tables, ...tablesRest] = tablesStamp;
  const slicedTables: TablesStamp[0] = {};
  let position = 0;
  for (const tableId in tables) {
    if (position >= to) {
      break;
    }
    const [rows, ...tableRest] = tables[tableId]!;
    const slicedRows: TableStamp[0] = {};
    let rowsInTable = 0;
    let keepTable = false;
    for (const rowId in rows) {
      rowsInTable++;
      if (position >= to) {
        break;
      }
      const [cells, ...rowRest] = rows[rowId]!;
      const cellIds = Object.keys(cells);
      const leaves = Math.max(1, cellIds.length);
      if (position + leaves <= from) {
        position += leaves;
        continue;
      }
      const slicedCells: RowStamp[0] = {};
      for (const cellId of cellIds) {
        if (position >= from && position < to) {
          setOwn(slicedCells, cellId, cells[cellId]!);
        }
        position++;
      }
      if (cellIds.length === 0) {
        position++;
      }
      setOwn(slicedRows, rowId, [slicedCells, ...rowRest] as RowStamp);
      keepTable = true;
    }
    if (rowsInTable === 0) {
      keepTable = position >= from && position < to;
      position++;
    }
    if (keepTable) {
      setOwn(slicedTables, tableId, [slicedRows, ...tableRest] as TableStamp);
    }
  }
  return [slicedTables, ...tablesRest] as TablesStamp;
}

/** The value stamps of `valuesStamp` at positions in `range`. */
export function sliceValuesStamp(valuesStamp: ValuesStamp, {from, to}: LeafRange): ValuesStamp {
  const [values, ...rest] = valuesStamp;
  const sliced: ValuesStamp[0] = {};
  let position = 0;
  for (const valueId in values) {
    if (position >= from && position < to) {
      setOwn(sliced, valueId, values[valueId]!);
    }
    position++;
  }
  return [sliced, ...rest] as ValuesStamp;
}

/** Leaves of a whole change set: those of its tables, then those of its values. */
export function countChangesLeaves([tables, values]: MergeableChanges): number {
  return countTablesLeaves(tables) + countValuesLeaves(values);
}

/** The change set's leaves at positions in `range` (tables' leaves first, then values'). */
export function sliceChanges(changes: MergeableChanges, range: LeafRange): MergeableChanges {
  const [tables, values] = changes;
  const tableLeaves = countTablesLeaves(tables);
  return [
    sliceTablesStamp(tables, range),
    sliceValuesStamp(values, {from: range.from - tableLeaves, to: range.to - tableLeaves}),
    1,
  ];
}

/** Splits `changes` into `parts` change sets of about equal numbers of leaves. */
export function splitChanges(changes: MergeableChanges, parts: number): MergeableChanges[] {
  const leaves = countChangesLeaves(changes);
  const count = Math.max(1, Math.min(parts, leaves));
  const pieces: MergeableChanges[] = [];
  for (let part = 0; part < count; part++) {
    pieces.push(
      sliceChanges(changes, {
        from: Math.floor((leaves * part) / count),
        to: Math.floor((leaves * (part + 1)) / count),
      }),
    );
  }
  return pieces;
}

/**
 * How many pieces a message of `bytes` needs to fit `limit`, with a margin because leaves differ
 * in size.
 */
export function piecesFor(bytes: number, limit: number): number {
  return Math.ceil((bytes / limit) * 1.25);
}

/**
 * Sends `changes` with `send`; when the transport says it is too large (MessageTooLarge), sends
 * it as slices instead, each split again if still too large. A single leaf too large for a
 * message rethrows.
 */
export function sendChangesInParts(
  changes: MergeableChanges,
  send: (changes: MergeableChanges) => void,
): void {
  try {
    send(changes);
  } catch (error) {
    if (!(error instanceof MessageTooLarge)) {
      throw error;
    }
    const pieces = splitChanges(changes, piecesFor(error.bytes, error.limit));
    if (pieces.length === 1) {
      throw error;
    }
    for (const piece of pieces) {
      sendChangesInParts(piece, send);
    }
  }
}
