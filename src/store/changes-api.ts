// Plain changes, as TinyBase's Store has them: what the current transaction changed (its net
// effect: a cell changed and changed back is not a change), the whole transaction log, and
// applying changes made elsewhere. All of it is read from the transaction log (transaction-log.ts)
// through the same replay the listeners use (transaction-changes.ts).
import {decodeCellOrValue} from './cell.js';
import {getOwn, isObjectLike, setOwn} from './objects.js';
import {getRowNode, getTableNode, readCell} from './plain-reads.js';
import type {StoreState} from './store-state.js';
import {type Encoded, type IdChanges, TransactionChanges} from './transaction-changes.js';
import {write} from './transactions.js';
import type {
  Cell,
  ChangedCells,
  ChangedValues,
  Changes,
  Id,
  IdAddedOrRemoved,
  Store,
  TransactionLog,
  Value,
} from './types.js';

type Visit = (tableId: Id, rowId: Id, cellId: Id, oldCell: Encoded, newCell: Encoded) => void;

/** Visits each cell whose value now differs from the one it had when the transaction started. */
const forEachNetCellChange = (state: StoreState, changes: TransactionChanges, visit: Visit) => {
  for (const [tableId, rows] of changes.cells) {
    for (const [rowId, cells] of rows) {
      for (const [cellId, oldCell] of cells) {
        const newCell = readCell(state, tableId, rowId, cellId);
        if (newCell !== oldCell) {
          visit(tableId, rowId, cellId, oldCell, newCell);
        }
      }
    }
  }
};

const idChangesToObject = (idChanges: IdChanges | undefined): Record<Id, IdAddedOrRemoved> => {
  const result: Record<Id, IdAddedOrRemoved> = {};
  for (const [id, change] of idChanges ?? []) {
    setOwn(result, id, change);
  }
  return result;
};

/** Nested id changes, leaving out the containers whose changes cancelled out. */
const nestedIdChanges = <Nested>(
  byId: Map<Id, Nested>,
  toObject: (nested: Nested) => object,
): Record<Id, never> => {
  const result: Record<Id, unknown> = {};
  for (const [id, nested] of byId) {
    const object = toObject(nested);
    if (Object.keys(object).length > 0) {
      setOwn(result, id, object);
    }
  }
  return result as Record<Id, never>;
};

const isInTransaction = (state: StoreState) => state.transactionDepth > 0;

const getTransactionChanges = (state: StoreState): Changes => {
  const tables: Changes[0] = {};
  const values: Changes[1] = {};
  if (isInTransaction(state)) {
    const changes = new TransactionChanges(state.log);
    forEachNetCellChange(state, changes, (tableId, rowId, cellId, _oldCell, newCell) => {
      // A table or row that is gone is reported as deleted whole, as TinyBase does.
      if ((getTableNode(state, tableId)?.liveCount ?? 0) === 0) {
        setOwn(tables, tableId, undefined);
        return;
      }
      const rows = getOwn(tables, tableId) ?? {};
      setOwn(tables, tableId, rows);
      if ((getRowNode(state, tableId, rowId)?.liveCount ?? 0) === 0) {
        setOwn(rows, rowId, undefined);
        return;
      }
      const cells = getOwn(rows, rowId) ?? {};
      setOwn(rows, rowId, cells);
      setOwn(cells, cellId, decodeCellOrValue(newCell));
    });
    for (const [valueId, oldValue] of changes.values) {
      const newValue = state.values.getValue(valueId);
      if (newValue !== oldValue) {
        setOwn(values, valueId, decodeCellOrValue(newValue));
      }
    }
  }
  return [tables, values, 1];
};

const getTransactionLog = (state: StoreState): TransactionLog => {
  if (!isInTransaction(state)) {
    return [false, false, {}, {}, {}, {}, {}, {}, {}, {}];
  }
  const changes = new TransactionChanges(state.log);
  // Old and new cells and values are given in their stored form (objects and arrays encoded),
  // as TinyBase's log has them.
  const changedCells: ChangedCells = {};
  forEachNetCellChange(state, changes, (tableId, rowId, cellId, oldCell, newCell) => {
    const rows = getOwn(changedCells, tableId) ?? {};
    setOwn(changedCells, tableId, rows);
    const cells = getOwn(rows, rowId) ?? {};
    setOwn(rows, rowId, cells);
    setOwn(cells, cellId, [oldCell, newCell]);
  });
  const changedValues: ChangedValues = {};
  for (const [valueId, oldValue] of changes.values) {
    const newValue = state.values.getValue(valueId);
    if (newValue !== oldValue) {
      setOwn(changedValues, valueId, [oldValue, newValue]);
    }
  }
  return [
    changes.cells.size > 0,
    changes.values.size > 0,
    changedCells,
    {}, // no schema, so no invalid cells
    changedValues,
    {},
    idChangesToObject(changes.tableIds),
    nestedIdChanges(changes.rowIds, idChangesToObject),
    nestedIdChanges(changes.cellIds, (rows) => nestedIdChanges(rows, idChangesToObject)),
    idChangesToObject(changes.valueIds),
  ];
};

/** Sets each cell or value the changes hold, or deletes it (or its row or table) when undefined. */
/**
 * Applies plain changes through the store's own setters and deleters, so that they meet the same
 * schema checks, defaults and invalid listeners as any other write. `undefined` deletes.
 */
const applyPlainChanges = ({store}: StoreState, changes: unknown): void => {
  if (!Array.isArray(changes)) {
    return;
  }
  const [tables, values] = changes;
  for (const tableId of isObjectLike(tables) ? Object.keys(tables) : []) {
    const rows = tables[tableId];
    if (rows === undefined) {
      store.delTable(tableId);
      continue;
    }
    for (const rowId of isObjectLike(rows) ? Object.keys(rows) : []) {
      const cells = rows[rowId];
      if (cells === undefined) {
        store.delRow(tableId, rowId);
        continue;
      }
      for (const cellId of isObjectLike(cells) ? Object.keys(cells) : []) {
        const cell = cells[cellId];
        if (cell === undefined) {
          store.delCell(tableId, rowId, cellId);
        } else if (typeof cell !== 'function') {
          // (a function would be taken as a MapCell: changes carry data only)
          store.setCell(tableId, rowId, cellId, cell as Cell);
        }
      }
    }
  }
  for (const valueId of isObjectLike(values) ? Object.keys(values) : []) {
    const value = values[valueId];
    if (value === undefined) {
      store.delValue(valueId);
    } else if (typeof value !== 'function') {
      store.setValue(valueId, value as Value);
    }
  }
};

type ChangesApi = Pick<Store, 'getTransactionChanges' | 'getTransactionLog' | 'applyChanges'>;

export const createChangesApi = (state: StoreState): ChangesApi => ({
  getTransactionChanges: () => getTransactionChanges(state),
  getTransactionLog: () => getTransactionLog(state),
  applyChanges: (changes) => write(state, () => applyPlainChanges(state, changes)),
});
