// The store's setters and deleters. Input is checked against the schemas and encoded inside the
// transaction (validate-content.ts), so that what is invalid reaches the invalid listeners; each
// call is one transaction (joining the current one), ignored while non-mutator listeners run.
import type {EncodedCellOrValue} from './cell.js';
import {writeLocalCell, writeLocalValue} from './local-writes.js';
import {getRowNode, getTableNode} from './plain-reads.js';
import {
  deleteRow,
  deleteTable,
  replaceRow,
  replaceTable,
  replaceTables,
  replaceValues,
  takeRowId,
} from './replace-content.js';
import type {StoreState} from './store-state.js';
import {runInTransaction, write} from './transactions.js';
import type {Content, Id, Store} from './types.js';
import {
  newRowWithDefaults,
  validateCell,
  validateRow,
  validateTable,
  validateTables,
  validateValue,
  validateValues,
} from './validate-content.js';

/** A setter's argument may be the new thing or a function of the current one. */
const mapIfFunction = <Thing>(thingOrMapper: unknown, current: () => Thing | undefined): unknown =>
  typeof thingOrMapper === 'function' ? thingOrMapper(current()) : thingOrMapper;

const readContent = (content: Content | (() => Content)): unknown =>
  typeof content === 'function' ? content() : content;

/** An empty object as a whole part of a content: valid there, and it empties that part. */
const isEmptyPart = (part: unknown): boolean =>
  typeof part === 'object' &&
  part !== null &&
  !Array.isArray(part) &&
  Object.keys(part).length === 0;

/**
 * Replaces the tables and the values, each only if valid, in one transaction. As in TinyBase,
 * an empty object empties its part here (setContent, the JSON setters), where setTables({})
 * alone is ignored.
 */
export const setContentParts = (
  state: StoreState,
  tablesInput: unknown,
  valuesInput: unknown,
): void => {
  write(state, () => {
    const encodedTables = isEmptyPart(tablesInput) ? new Map() : validateTables(state, tablesInput);
    if (encodedTables) {
      replaceTables(state, encodedTables);
    }
    const encodedValues = isEmptyPart(valuesInput)
      ? new Map()
      : validateValues(state, valuesInput, true);
    if (encodedValues) {
      replaceValues(state, encodedValues);
    }
  });
};

/**
 * Writes a valid cell; a row it creates starts with the schema defaults of its other cells, as
 * in TinyBase (setCell and setPartialRow, which do not replace the row).
 */
const writeCellIntoRow = (
  state: StoreState,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  cell: EncodedCellOrValue,
): void => {
  if (state.schemas.hasTables && !state.store.hasRow(tableId, rowId)) {
    replaceRow(state, tableId, rowId, newRowWithDefaults(state, tableId, rowId, cellId, cell));
  } else {
    writeLocalCell(state, tableId, rowId, cellId, cell);
  }
};

/** Deletes a cell; one with a schema default is reset to it, unless `forceDel` (then its row goes). */
const deleteCell = (
  state: StoreState,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  forceDel: boolean,
): void => {
  const row = getRowNode(state, tableId, rowId);
  if (!row || row.getValue(cellId) === undefined) {
    return;
  }
  const defaultCell = state.schemas.hasTables
    ? state.schemas.cellSchema(tableId, cellId)?.encodedDefault
    : undefined;
  if (defaultCell === undefined) {
    writeLocalCell(state, tableId, rowId, cellId, undefined);
  } else if (forceDel) {
    deleteRow(state, row);
  } else {
    writeLocalCell(state, tableId, rowId, cellId, defaultCell);
  }
};

/** Deletes a value; one with a schema default is reset to it. */
const deleteValue = (state: StoreState, valueId: Id): void => {
  const defaultValue = state.schemas.hasValues
    ? state.schemas.values.get(valueId)?.encodedDefault
    : undefined;
  if (state.values.getValue(valueId) !== undefined) {
    writeLocalValue(state, valueId, defaultValue);
  }
};

/**
 * A MergeableStore's setDefaultContent: content stamped with no time, which any real edit beats.
 */
export const setDefaultContent = (state: StoreState, content: Content | (() => Content)): void => {
  const resolved = readContent(content);
  if (Array.isArray(resolved)) {
    write(state, () => {
      // Defaults are nobody's edit (a synchronizer applies them as its initialContent when no peer
      // has content): local-only checkpoints leave them out, as they leave out merges.
      state.mergesInTransaction++;
      state.defaulting = true;
      try {
        setContentParts(state, resolved[0], resolved[1]);
      } finally {
        state.defaulting = false;
      }
    });
  }
};

type SetterApi = Pick<
  Store,
  | 'setContent'
  | 'setTables'
  | 'setTable'
  | 'setRow'
  | 'addRow'
  | 'setPartialRow'
  | 'setCell'
  | 'setValues'
  | 'setPartialValues'
  | 'setValue'
  | 'delTables'
  | 'delTable'
  | 'delRow'
  | 'delCell'
  | 'delValues'
  | 'delValue'
>;

export const createSetterApi = (state: StoreState): SetterApi => ({
  setContent: (content) => {
    const resolved = readContent(content);
    if (Array.isArray(resolved)) {
      setContentParts(state, resolved[0], resolved[1]);
    }
    return state.store;
  },
  setTables: (tablesInput) =>
    write(state, () => {
      const encoded = validateTables(state, tablesInput);
      if (encoded) {
        replaceTables(state, encoded);
      }
    }),
  setTable: (tableId, table) =>
    write(state, () => {
      const encoded = validateTable(state, String(tableId), table);
      if (encoded) {
        replaceTable(state, String(tableId), encoded);
      }
    }),
  setRow: (tableId, rowId, row) =>
    write(state, () => {
      const encoded = validateRow(state, String(tableId), String(rowId), row, true);
      if (encoded) {
        replaceRow(state, String(tableId), String(rowId), encoded);
      }
    }),
  addRow: (tableId, row, reuseRowIds = true) => {
    if (state.mutationsBlocked) {
      return undefined;
    }
    // A transaction runs even when the row is invalid, as in TinyBase. The row is checked before
    // it has an id, so what is invalid in it is reported with an undefined row id.
    return runInTransaction(state, () => {
      const encoded = validateRow(state, String(tableId), undefined, row, true);
      if (!encoded) {
        return undefined;
      }
      const rowId = takeRowId(state, String(tableId), reuseRowIds);
      replaceRow(state, String(tableId), rowId, encoded);
      return rowId;
    });
  },
  setPartialRow: (tableId, rowId, partialRow) =>
    write(state, () => {
      const encoded = validateRow(state, String(tableId), String(rowId), partialRow, false);
      for (const [cellId, cell] of encoded ?? []) {
        writeCellIntoRow(state, String(tableId), String(rowId), cellId, cell);
      }
    }),
  setCell: (tableId, rowId, cellId, cell) =>
    write(state, () => {
      const mapped = mapIfFunction(cell, () => state.store.getCell(tableId, rowId, cellId));
      const [table, row, cellIdString] = [String(tableId), String(rowId), String(cellId)];
      const encoded = validateCell(state, table, row, cellIdString, mapped);
      if (encoded !== undefined) {
        writeCellIntoRow(state, table, row, cellIdString, encoded);
      }
    }),
  setValues: (valuesInput) =>
    write(state, () => {
      const encoded = validateValues(state, valuesInput, true);
      if (encoded) {
        replaceValues(state, encoded);
      }
    }),
  setPartialValues: (partialValues) =>
    write(state, () => {
      for (const [valueId, value] of validateValues(state, partialValues, false) ?? []) {
        writeLocalValue(state, valueId, value);
      }
    }),
  setValue: (valueId, value) =>
    write(state, () => {
      const mapped = mapIfFunction(value, () => state.store.getValue(valueId));
      const encoded = validateValue(state, String(valueId), mapped);
      if (encoded !== undefined) {
        writeLocalValue(state, String(valueId), encoded);
      }
    }),
  delTables: () =>
    write(state, () => {
      for (const table of state.tables.liveChildren()) {
        deleteTable(state, table);
      }
    }),
  delTable: (tableId) =>
    write(state, () => {
      const table = getTableNode(state, tableId);
      if (table) {
        deleteTable(state, table);
      }
    }),
  delRow: (tableId, rowId) =>
    write(state, () => {
      const row = getRowNode(state, tableId, rowId);
      if (row) {
        deleteRow(state, row);
      }
    }),
  delCell: (tableId, rowId, cellId, forceDel = false) =>
    write(state, () =>
      deleteCell(state, String(tableId), String(rowId), String(cellId), Boolean(forceDel)),
    ),
  delValues: () =>
    write(state, () => {
      for (const valueId of state.values.getLiveIds()) {
        deleteValue(state, valueId);
      }
    }),
  delValue: (valueId) => write(state, () => deleteValue(state, String(valueId))),
});
