// Writing leaves into the stamp tree. writeLeaf is the one place where a leaf changes, whether by
// a local write, a merge, a content reset or a rollback; it keeps live counts, plain order and
// dirty hashes right and logs the write. This is the hot path: plain functions over the state,
// nothing allocated per write beyond what the tree itself needs.
import type {EncodedCellOrValue} from './cell.js';
import {readCell} from './plain-reads.js';
import type {StoreState} from './store-state.js';
import {
  LEAF_FLIPPED,
  ROW_FLIPPED,
  TABLE_CELL_ID_FLIPPED,
  TABLE_FLIPPED,
  VALUE_CHANGED,
} from './transaction-log.js';
import {LeafContainer, type RowNode, TableNode} from './tree.js';
import type {Id} from './types.js';

/** The table, made if missing, and whether it was just made. */
export const getOrCreateTable = ({tables}: StoreState, tableId: Id): [TableNode, boolean] => {
  const table = tables.children.get(tableId);
  if (table) {
    return [table, false];
  }
  const created = new TableNode(tableId, tables.journal);
  tables.addChild(created);
  return [created, true];
};

/** The row, made (with its table) if missing, and whether the row and the table were just made. */
const getOrCreateRow = (state: StoreState, tableId: Id, rowId: Id): [RowNode, boolean, boolean] => {
  const [table, tableCreated] = getOrCreateTable(state, tableId);
  let row = table.children.get(rowId);
  let rowCreated = false;
  if (!row) {
    row = new LeafContainer(rowId, table);
    table.addChild(row);
    rowCreated = true;
  }
  return [row, rowCreated, tableCreated];
};

/**
 * The one place where a leaf changes: updates counts, plain order and dirty flags, and logs the
 * write with what it did.
 */
export const writeLeaf = (
  state: StoreState,
  container: LeafContainer,
  id: Id,
  value: EncodedCellOrValue | undefined,
  hlc: string,
  containerCreated: boolean,
  tableCreated: boolean,
): void =>
  writeLeafAt(state, container, id, container.find(id), value, hlc, containerCreated, tableCreated);

/** writeLeaf for a caller that has just looked the leaf up: `offset` is container.find(id). */
export const writeLeafAt = (
  state: StoreState,
  container: LeafContainer,
  id: Id,
  offset: number,
  value: EncodedCellOrValue | undefined,
  hlc: string,
  containerCreated: boolean,
  tableCreated: boolean,
): void => {
  const leafCreated = offset < 0;
  const oldValue = leafCreated ? undefined : container.valueAt(offset);
  const oldHlc = leafCreated ? '' : container.hlcAt(offset);
  if (leafCreated) {
    container.add(id, value, hlc);
  } else {
    container.set(offset, value, hlc);
  }
  const table = container.table;
  if (!state.mergeable) {
    // a plain store's hashes are never read
  } else if (table === null) {
    container.markDirty();
  } else {
    table.markChildDirty(container);
    state.tables.markChildDirty(table);
  }
  let effects = value === oldValue ? 0 : VALUE_CHANGED;
  if ((oldValue !== undefined) !== (value !== undefined)) {
    effects |= onExistenceChange(
      state,
      container,
      id,
      value !== undefined,
      leafCreated,
      containerCreated,
      tableCreated,
    );
  }
  if (!state.restoring) {
    state.log.record(container, id, oldValue, oldHlc, effects);
  }
};

/**
 * Keeps live counts, table cell ids and plain order when a leaf appears or disappears (`created`
 * says whether the leaf, its row, its table were just made); returns what appeared or went.
 */
const onExistenceChange = (
  state: StoreState,
  container: LeafContainer,
  id: Id,
  isLive: boolean,
  leafCreated: boolean,
  rowCreated: boolean,
  tableCreated: boolean,
): number => {
  const delta = isLive ? 1 : -1;
  let effects = LEAF_FLIPPED;
  container.liveCount += delta;
  notePlainOrder(state, container, id, isLive, leafCreated);
  const table = container.table;
  if (table === null) {
    return effects;
  }
  // Cell ids of a table are kept in order of appearance; an id whose last cell goes is dropped.
  const count = (table.cellIdCounts.get(id) ?? 0) + delta;
  if (count === 0) {
    table.cellIdCounts.delete(id);
  } else {
    table.cellIdCounts.set(id, count);
  }
  if (count === (isLive ? 1 : 0)) {
    effects |= TABLE_CELL_ID_FLIPPED;
  }
  if (container.liveCount === (isLive ? 1 : 0)) {
    effects |= ROW_FLIPPED;
    notePlainOrder(state, table, container.id, isLive, rowCreated);
    table.liveCount += delta;
    if (table.liveCount === (isLive ? 1 : 0)) {
      effects |= TABLE_FLIPPED;
      notePlainOrder(state, state.tables, table.id, isLive, tableCreated);
      if (!isLive) {
        table.rowIdPool = undefined; // a table made again numbers its rows from 0
      }
      state.tables.liveCount += delta;
    }
  }
  return effects;
};

const notePlainOrder = (
  state: StoreState,
  container: {noteLive(id: Id, created: boolean): void; noteDead(id: Id): void},
  id: Id,
  isLive: boolean,
  created: boolean,
): void => {
  if (!state.trackPlainOrder) {
    return;
  }
  if (isLive) {
    container.noteLive(id, created);
  } else {
    container.noteDead(id);
  }
};

/**
 * The HLC for a local write over a leaf stamped `existingHlc`, or undefined when the write must
 * not happen: defaults (stamped "") never overwrite real data.
 */
const stampLocalWrite = (
  {defaulting: settingDefaults, clock}: StoreState,
  existingHlc: string,
  isSchemaDefault: boolean,
): string | undefined => {
  // A schema default filling a leaf that never held real data is stamped "" too; over real data
  // (a deleted cell reset to its default) it is an ordinary write.
  const defaulting = settingDefaults || (isSchemaDefault && existingHlc === '');
  if (defaulting) {
    clock.observe(); // TinyBase's clock reads the time for every change, defaults included
    return existingHlc === '' ? '' : undefined;
  }
  const hlc = clock.next();
  if (hlc <= existingHlc) {
    throw new Error(
      'tinybase:13 HLC exhausted: a local write cannot be stamped later than the existing one',
    );
  }
  return hlc;
};

/**
 * A local write of one leaf in an existing container; no-op when nothing would change. The
 * container and table flags say whether getOrCreateRow just made them.
 */
const writeLocalLeaf = (
  state: StoreState,
  container: LeafContainer,
  id: Id,
  value: EncodedCellOrValue | undefined,
  containerCreated: boolean,
  tableCreated: boolean,
  isSchemaDefault: boolean,
): void => {
  const offset = container.find(id);
  if ((offset < 0 ? undefined : container.valueAt(offset)) === value) {
    return;
  }
  const hlc = stampLocalWrite(state, offset < 0 ? '' : container.hlcAt(offset), isSchemaDefault);
  if (hlc !== undefined) {
    writeLeafAt(state, container, id, offset, value, hlc, containerCreated, tableCreated);
  }
};

/** A local write of one cell (undefined deletes it); no-op when nothing would change. */
export const writeLocalCell = (
  state: StoreState,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  value: EncodedCellOrValue | undefined,
  isSchemaDefault = false,
): void => {
  if (value === undefined && readCell(state, tableId, rowId, cellId) === undefined) {
    return; // deleting what is not there changes nothing, and creates no containers
  }
  const [row, rowCreated, tableCreated] = getOrCreateRow(state, tableId, rowId);
  writeLocalLeaf(state, row, cellId, value, rowCreated, tableCreated, isSchemaDefault);
};

/** A local write of one value (undefined deletes it); no-op when nothing would change. */
export const writeLocalValue = (
  state: StoreState,
  valueId: Id,
  value: EncodedCellOrValue | undefined,
  isSchemaDefault = false,
): void => writeLocalLeaf(state, state.values, valueId, value, false, false, isSchemaDefault);
