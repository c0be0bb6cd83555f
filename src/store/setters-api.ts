// The store's setters and deleters. Input is encoded before the transaction starts; each call is
// one transaction (joining the current one), ignored while non-mutator listeners run.
import {type EncodedCellOrValue, encodeCellOrValue} from './cell.js';
import {encodeContentPart, encodeRow, encodeTable, encodeTables} from './encode-content.js';
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
import type {Content, Store} from './types.js';

/** A setter's argument may be the new thing or a function of the current one. */
const mapIfFunction = <Thing>(thingOrMapper: unknown, current: () => Thing | undefined): unknown =>
  typeof thingOrMapper === 'function' ? thingOrMapper(current()) : thingOrMapper;

const readContent = (content: Content | (() => Content)): unknown =>
  typeof content === 'function' ? content() : content;

/**
 * Replaces the tables and the values, each only if valid (an empty object empties it), in one
 * transaction. `encodeLeaf` is the public one, or the wire one for JSON (which holds object
 * cells in their encoded form).
 */
export const setContentParts = (
  state: StoreState,
  tablesInput: unknown,
  valuesInput: unknown,
  encodeLeaf: (thing: unknown) => EncodedCellOrValue | undefined = encodeCellOrValue,
): void => {
  const encodedTables = encodeContentPart(tablesInput, (part) => encodeTables(part, encodeLeaf));
  const encodedValues = encodeContentPart(valuesInput, (part) => encodeRow(part, encodeLeaf));
  write(state, () => {
    if (encodedTables) {
      replaceTables(state, encodedTables);
    }
    if (encodedValues) {
      replaceValues(state, encodedValues);
    }
  });
};

/**
 * A MergeableStore's setDefaultContent: content stamped with no time, which any real edit beats.
 */
export const setDefaultContent = (state: StoreState, content: Content | (() => Content)): void => {
  const resolved = readContent(content);
  if (Array.isArray(resolved)) {
    write(state, () => {
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
  setTables: (tablesInput) => {
    const encoded = encodeTables(tablesInput);
    return write(state, () => encoded && replaceTables(state, encoded));
  },
  setTable: (tableId, table) => {
    const encoded = encodeTable(table);
    return write(state, () => encoded && replaceTable(state, String(tableId), encoded));
  },
  setRow: (tableId, rowId, row) => {
    const encoded = encodeRow(row);
    return write(
      state,
      () => encoded && replaceRow(state, String(tableId), String(rowId), encoded),
    );
  },
  addRow: (tableId, row, reuseRowIds = true) => {
    if (state.mutationsBlocked) {
      return undefined;
    }
    const encoded = encodeRow(row);
    // A transaction runs even when the row is invalid, as in TinyBase.
    return runInTransaction(state, () => {
      if (!encoded) {
        return undefined;
      }
      const rowId = takeRowId(state, String(tableId), reuseRowIds);
      replaceRow(state, String(tableId), rowId, encoded);
      return rowId;
    });
  },
  setPartialRow: (tableId, rowId, partialRow) => {
    const encoded = encodeRow(partialRow);
    return write(state, () => {
      if (!encoded) {
        return;
      }
      for (const [cellId, cell] of encoded) {
        writeLocalCell(state, String(tableId), String(rowId), cellId, cell);
      }
    });
  },
  setCell: (tableId, rowId, cellId, cell) =>
    write(state, () => {
      const mapped = mapIfFunction(cell, () => state.store.getCell(tableId, rowId, cellId));
      const encoded = encodeCellOrValue(mapped);
      if (encoded !== undefined) {
        writeLocalCell(state, String(tableId), String(rowId), String(cellId), encoded);
      }
    }),
  setValues: (valuesInput) => {
    const encoded = encodeRow(valuesInput);
    return write(state, () => encoded && replaceValues(state, encoded));
  },
  setPartialValues: (partialValues) => {
    const encoded = encodeRow(partialValues);
    return write(state, () => {
      if (!encoded) {
        return;
      }
      for (const [valueId, value] of encoded) {
        writeLocalValue(state, valueId, value);
      }
    });
  },
  setValue: (valueId, value) =>
    write(state, () => {
      const mapped = mapIfFunction(value, () => state.store.getValue(valueId));
      const encoded = encodeCellOrValue(mapped);
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
  delCell: (tableId, rowId, cellId) =>
    write(state, () =>
      writeLocalCell(state, String(tableId), String(rowId), String(cellId), undefined),
    ),
  delValues: () =>
    write(state, () => {
      for (const valueId of state.values.getLiveIds()) {
        writeLocalValue(state, valueId, undefined);
      }
    }),
  delValue: (valueId) => write(state, () => writeLocalValue(state, String(valueId), undefined)),
});
