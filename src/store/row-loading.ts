// Merging a row list (row-list.ts) into the store: how an empty client takes in a compact
// snapshot (docs/protocol.md §8.6). A row the store lacks gets its leaves written one after the
// other, with no change set of per-cell stamp objects built first and no look-up of stamps that
// cannot be there; a row the store holds (written locally while the snapshot travelled, say) is
// merged leaf by leaf like any change set.
//
// The outcome, content, stamps, hashes and listener calls alike, is always that of merging
// rowListToChanges(list) (merging.ts). So a list whose order that change set would not keep (an
// id that objects put first, such as "0"; an id listed twice, but for a table listed again right
// after itself, as the parts of a snapshot list it), or that holds a leaf the merge would refuse,
// is merged as that change set instead: that path also gives the reason of a refusal.

import {writeLeafAt} from './local-writes.js';
import {
  applyChanges,
  BLOCKED_REASON,
  latest,
  mergeLeaf,
  mergeLeaves,
  type StampObject,
  toEncoded,
  validationOptions,
} from './merging.js';
import {setOwn} from './objects.js';
import {
  cellIdAt,
  isRowList,
  isRowListTable,
  type RowList,
  rowLeavesStart,
  rowListToChanges,
} from './row-list.js';
import type {StoreState} from './store-state.js';
import {write} from './transactions.js';
import {LeafContainer, TableNode} from './tree.js';
import type {Id} from './types.js';
import {isAcceptableLeaf, type ValidationOptions} from './validate-mergeable.js';

/** Why `input` is not a row list at all, or undefined when its shape is right. */
const whyNotRowList = (input: unknown): string | undefined => {
  if (!isRowList(input) || !Array.isArray(input.tables) || !Array.isArray(input.values)) {
    return 'a row list must be {tables: [...], values: [...]}';
  }
  for (const table of input.tables as unknown[]) {
    if (!isRowListTable(table)) {
      return 'a row list table must be [tableId, cellIds, rows]';
    }
    for (const row of table[2] as unknown[]) {
      if (rowLeavesStart(row, table[1].length) < 0) {
        return `row list table ${JSON.stringify(table[0])}: a row must be [rowId, (positions,) thing, hlc, ...]`;
      }
    }
  }
  const {values} = input;
  for (let index = 0; index < values.length; index += 3) {
    if (typeof values[index] !== 'string' || index + 2 >= values.length) {
      return 'row list values must be [valueId, thing, hlc, ...]';
    }
  }
  return undefined;
};

/** Whether `id` is one that objects list first, in numeric order ("0", "17", not "017"). */
const isArrayIndex = (id: string): boolean => {
  const first = id.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(?:0|[1-9]\d*)$/.test(id) && Number(id) < 2 ** 32 - 1;
};

const hasRepeats = (ids: readonly unknown[]): boolean => new Set(ids).size !== ids.length;

/**
 * Whether the list can be loaded as it is: listed order is the change set's order (no id that
 * objects put first, none listed twice) and every leaf passes validation.
 */
const isLoadableAsListed = ({tables, values}: RowList, options: ValidationOptions): boolean => {
  const rowIdsByTable = new Map<Id, Set<Id>>();
  let previousTableId: Id | undefined;
  for (const [tableId, cellIds, rows] of tables) {
    if (isArrayIndex(tableId) || cellIds.some(isArrayIndex) || hasRepeats(cellIds)) {
      return false;
    }
    let rowIds = rowIdsByTable.get(tableId);
    if (rowIds === undefined) {
      rowIds = new Set();
      rowIdsByTable.set(tableId, rowIds);
    } else if (tableId !== previousTableId) {
      return false; // the change set writes all of a table's rows before the next table's
    }
    previousTableId = tableId;
    for (const row of rows) {
      const rowId = row[0] as Id;
      if (isArrayIndex(rowId) || rowIds.has(rowId)) {
        return false;
      }
      rowIds.add(rowId);
      const start = rowLeavesStart(row, cellIds.length);
      if (start === 2 && hasRepeats(row[1] as number[])) {
        return false;
      }
      for (let at = start; at < row.length; at += 2) {
        if (!isAcceptableLeaf(row[at], row[at + 1], options)) {
          return false;
        }
      }
    }
  }
  for (let index = 0; index < values.length; index += 3) {
    if (!isAcceptableLeaf(values[index + 1], values[index + 2], options)) {
      return false;
    }
  }
  return true;
};

/**
 * Writes a checked, loadable list into the tree, in the order and with the flags that merging
 * rowListToChanges(list) would use. Returns the greatest HLC written, for the clock.
 */
const loadValidated = (state: StoreState, {tables: listed, values}: RowList): string => {
  const {tables} = state;
  // A table listed twice was still made by this merge the second time (one table in the change set).
  const createdTables = new Set<TableNode>();
  let maxHlc = '';
  for (const [tableId, cellIds, rows] of listed) {
    let table = tables.children.get(tableId);
    if (table === undefined) {
      table = new TableNode(tableId, tables.journal);
      tables.addChild(table);
      createdTables.add(table);
    }
    tables.markChildDirty(table);
    const tableCreated = createdTables.has(table);
    for (const row of rows) {
      const rowId = row[0] as Id;
      const start = rowLeavesStart(row, cellIds.length);
      let container = table.children.get(rowId);
      const rowCreated = container === undefined;
      if (container === undefined) {
        container = new LeafContainer(rowId, table);
        table.addChild(container);
        table.markChildDirty(container); // an empty row still counts in its table's hash
      }
      for (let index = 0, at = start; at < row.length; index++, at += 2) {
        const cellId = cellIdAt(row, start, cellIds, index);
        const hlc = row[at + 1] as string;
        if (rowCreated) {
          // Nothing to compare with: the leaf wins.
          writeLeafAt(state, container, cellId, -1, toEncoded(row[at]), hlc, true, tableCreated);
          maxHlc = latest(maxHlc, hlc);
        } else {
          maxHlc = mergeLeaf(state, container, cellId, row[at], hlc, false, tableCreated, maxHlc);
        }
      }
    }
  }
  const valueStamps: StampObject = {};
  for (let index = 0; index < values.length; index += 3) {
    setOwn(valueStamps, values[index] as Id, [values[index + 1], values[index + 2] as string]);
  }
  return mergeLeaves(state, state.values, valueStamps, false, false, maxHlc);
};

/**
 * Merges a row list (encoded leaves) in one transaction, as applyChanges merges the change set it
 * stands for. Returns why it was refused, or undefined when it was applied.
 */
export const applyRowList = (state: StoreState, input: unknown): string | undefined => {
  const reason = whyNotRowList(input);
  if (reason !== undefined) {
    return reason;
  }
  const list = input as RowList;
  if (!isLoadableAsListed(list, validationOptions(state, false, true))) {
    return applyChanges(state, rowListToChanges(list), true);
  }
  if (state.mutationsBlocked) {
    return BLOCKED_REASON;
  }
  write(state, () => {
    state.mergesInTransaction++;
    state.clock.observe(loadValidated(state, list));
  });
  return undefined;
};
