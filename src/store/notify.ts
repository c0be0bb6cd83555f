// Turns a transaction's changes into listener calls, in TinyBase's order: has-tables; table ids;
// table cell ids; row counts; row ids and sorted row ids; cell ids; then cells, rows, tables and
// the whole tables; then the same for values. Each phase (mutators first, then the others) calls
// only its own listeners.
import {decodeCellOrValue} from './cell.js';
import type {ListenerKind, ListenerRecord, ListenerRegistry} from './listener-registry.js';
import {setOwn} from './objects.js';
import {type Encoded, type IdChanges, TransactionChanges} from './transaction-changes.js';
import type {TransactionLog} from './transaction-log.js';
import type {GetCellChange, GetIdChanges, GetValueChange, Id, Ids, Store} from './types.js';

export type NotifyContext = {
  store: Store;
  registry: ListenerRegistry;
  log: TransactionLog;
  /** The stored (encoded) cell or value now; undefined when there is none. */
  readCell: (tableId: Id, rowId: Id, cellId: Id) => Encoded;
  readValue: (valueId: Id) => Encoded;
  /** Calls a listener, keeping the store consistent if it throws. */
  call: (record: ListenerRecord, args: unknown[]) => void;
};

/** An own-property object of id changes, as getIdChanges returns it. */
const toIdChangesObject = (changes: IdChanges): {[id: Id]: 1 | -1} => {
  const result: {[id: Id]: 1 | -1} = {};
  for (const [id, change] of changes) {
    setOwn(result, id, change);
  }
  return result;
};

const sameIds = (a: Ids, b: Ids | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((id, index) => id === b[index]);

/**
 * Calls the listeners of one phase for everything the log records so far. `beforeValues` runs
 * between the tables listeners and the values ones (the invalid value listeners go there).
 */
export const notifyListeners = (
  context: NotifyContext,
  mutatorPhase: boolean,
  beforeValues: () => void = () => {},
): void => {
  const {registry, log, store} = context;
  // What this phase reports is fixed when it starts: writes by mutators are reported to the
  // non-mutator phase, not to other mutators.
  const changes = new TransactionChanges(log);
  if (changes.isEmpty) {
    beforeValues();
    return;
  }
  const cellPairs = pairWithNewValues(changes.cells, context);
  const valuePairs = new Map<Id, [Encoded, Encoded]>();
  for (const [valueId, oldValue] of changes.values) {
    valuePairs.set(valueId, [oldValue, context.readValue(valueId)]);
  }

  const call = (record: ListenerRecord, args: unknown[]) => {
    if (record.mutator === mutatorPhase) {
      context.call(record, args);
    }
  };
  const callAt = (kind: ListenerKind, ids: Id[], args: unknown[]) => {
    if (registry.has(kind, mutatorPhase)) {
      registry.forEachMatch(kind, ids, (record) => call(record, [store, ...ids, ...args]));
    }
  };
  /** Calls the id listeners, then a has-listener per changed id; false when nothing changed. */
  const callIdsAndHas = (
    idChanges: IdChanges,
    idsKind: ListenerKind,
    hasKind: ListenerKind,
    ids: Id[],
  ): boolean => {
    if (idChanges.size === 0) {
      return false;
    }
    const getIdChanges: GetIdChanges = () => toIdChangesObject(idChanges);
    callAt(idsKind, ids, [getIdChanges]);
    for (const [id, change] of idChanges) {
      callAt(hasKind, [...ids, id], [change === 1]);
    }
    return true;
  };

  const {getCellChange, getValueChange} = createChangeGetters(context, changes, mutatorPhase);

  if (cellPairs.size > 0) {
    const hasTablesNow = store.hasTables();
    if (hasTablesNow !== log.hadTablesBefore) {
      callAt('hasTables', [], [hasTablesNow]);
    }
    callIdsAndHas(changes.tableIds, 'tableIds', 'hasTable', []);
    for (const [tableId, idChanges] of changes.tableCellIds) {
      callIdsAndHas(idChanges, 'tableCellIds', 'hasTableCell', [tableId]);
    }
    for (const [tableId, countChange] of changes.rowCounts) {
      if (countChange !== 0) {
        callAt('rowCount', [tableId], [store.getRowCount(tableId)]);
      }
    }
    callSortedRowIdsListeners(context, changes, cellPairs, mutatorPhase, callIdsAndHas);
    for (const [tableId, rows] of changes.cellIds) {
      for (const [rowId, idChanges] of rows) {
        callIdsAndHas(idChanges, 'cellIds', 'hasCell', [tableId, rowId]);
      }
    }
    callCellListeners(cellPairs, callAt, getCellChange);
  }

  beforeValues();
  if (valuePairs.size > 0) {
    const hasValuesNow = store.hasValues();
    if (hasValuesNow !== log.hadValuesBefore) {
      callAt('hasValues', [], [hasValuesNow]);
    }
    callIdsAndHas(changes.valueIds, 'valueIds', 'hasValue', []);
    let valuesChanged = false;
    for (const [valueId, [oldValue, newValue]] of valuePairs) {
      if (newValue !== oldValue) {
        callAt(
          'value',
          [valueId],
          [decodeCellOrValue(newValue), decodeCellOrValue(oldValue), getValueChange],
        );
        valuesChanged = true;
      }
    }
    if (valuesChanged) {
      callAt('values', [], [getValueChange]);
    }
  }
};

type CellPairs = Map<Id, Map<Id, Map<Id, [Encoded, Encoded]>>>;

/** [value before, value now] of every changed cell, in the order the changes were made. */
const pairWithNewValues = (
  cells: TransactionChanges['cells'],
  context: NotifyContext,
): CellPairs => {
  const pairs: CellPairs = new Map();
  for (const [tableId, rows] of cells) {
    const rowPairs = new Map<Id, Map<Id, [Encoded, Encoded]>>();
    pairs.set(tableId, rowPairs);
    for (const [rowId, cellsOfRow] of rows) {
      const pairsOfRow = new Map<Id, [Encoded, Encoded]>();
      rowPairs.set(rowId, pairsOfRow);
      for (const [cellId, oldCell] of cellsOfRow) {
        pairsOfRow.set(cellId, [oldCell, context.readCell(tableId, rowId, cellId)]);
      }
    }
  }
  return pairs;
};

/**
 * getCellChange and getValueChange for listeners: what changed in the transaction so far. Mutators
 * see the writes of mutators called before them, as in TinyBase.
 */
const createChangeGetters = (
  context: NotifyContext,
  changes: TransactionChanges,
  mutatorPhase: boolean,
): {getCellChange: GetCellChange; getValueChange: GetValueChange} => {
  let liveChanges: TransactionChanges | undefined;
  const current = (): TransactionChanges => {
    if (!mutatorPhase) {
      return changes; // nothing can be written while non-mutators run
    }
    liveChanges ??= new TransactionChanges(context.log);
    liveChanges.update(context.log);
    return liveChanges;
  };
  const getCellChange: GetCellChange = (tableId, rowId, cellId) => {
    const cellsOfRow = current().cells.get(tableId)?.get(rowId);
    const cell = decodeCellOrValue(context.readCell(tableId, rowId, cellId));
    return cellsOfRow?.has(cellId)
      ? [true, decodeCellOrValue(cellsOfRow.get(cellId)), cell]
      : [false, cell, cell];
  };
  const getValueChange: GetValueChange = (valueId) => {
    const values = current().values;
    const value = decodeCellOrValue(context.readValue(valueId));
    return values.has(valueId)
      ? [true, decodeCellOrValue(values.get(valueId)), value]
      : [false, value, value];
  };
  return {getCellChange, getValueChange};
};

/**
 * Row ids listeners (with has-row listeners), and sorted row ids listeners that may now see
 * another order: all of a table's when its row ids changed, else those sorting by a changed cell.
 * Like TinyBase, a non-mutator phase with sorted listeners forgets cells that changed and changed
 * back, so that getCellChange then reports them unchanged.
 */
const callSortedRowIdsListeners = (
  context: NotifyContext,
  changes: TransactionChanges,
  cellPairs: CellPairs,
  mutatorPhase: boolean,
  callIdsAndHas: (
    changes: IdChanges,
    idsKind: ListenerKind,
    hasKind: ListenerKind,
    ids: Id[],
  ) => boolean,
): void => {
  const {registry} = context;
  const hasSortedListeners = registry.has('sortedRowIds', mutatorPhase);
  const callSorted = (record: ListenerRecord) => {
    if (record.mutator === mutatorPhase) {
      callSortedRowIdsListenerIfChanged(context, record);
    }
  };
  const sortedTableIds = new Set<Id>();
  for (const [tableId, idChanges] of changes.rowIds) {
    if (callIdsAndHas(idChanges, 'rowIds', 'hasRow', [tableId]) && hasSortedListeners) {
      registry.forEachUnder('sortedRowIds', [tableId], callSorted);
      sortedTableIds.add(tableId);
    }
  }
  if (!hasSortedListeners) {
    return;
  }
  for (const [tableId, rows] of cellPairs) {
    if (sortedTableIds.has(tableId)) {
      continue;
    }
    const sortCellIds = new Set<Id>();
    for (const [rowId, pairsOfRow] of rows) {
      for (const [cellId, [oldCell, newCell]] of pairsOfRow) {
        if (newCell !== oldCell) {
          sortCellIds.add(cellId);
        } else {
          changes.cells.get(tableId)?.get(rowId)?.delete(cellId);
        }
      }
    }
    for (const cellId of sortCellIds) {
      registry.forEachMatch('sortedRowIds', [tableId, cellId], callSorted);
    }
  }
};

/** Calls a sorted row ids listener if the ids it watches are not those it was last given. */
export const callSortedRowIdsListenerIfChanged = (
  context: Pick<NotifyContext, 'store' | 'call'>,
  record: ListenerRecord,
): void => {
  const {store} = context;
  const tableId = record.path[0] as Id;
  const sort = record.sort!;
  const sortedRowIds = store.getSortedRowIds(
    tableId,
    sort.cellId,
    sort.descending,
    sort.offset,
    sort.limit,
    sort.sorter,
  );
  if (!sameIds(sortedRowIds, record.lastSortedRowIds)) {
    record.lastSortedRowIds = sortedRowIds;
    context.call(record, [
      store,
      tableId,
      sort.cellId,
      sort.descending,
      sort.offset,
      sort.limit,
      sortedRowIds,
    ]);
  }
};

/** Cell listeners for each changed cell, then row, table and tables listeners once each. */
const callCellListeners = (
  cellPairs: CellPairs,
  callAt: (kind: ListenerKind, ids: Id[], args: unknown[]) => void,
  getCellChange: GetCellChange,
): void => {
  let tablesChanged = false;
  for (const [tableId, rows] of cellPairs) {
    let tableChanged = false;
    for (const [rowId, pairsOfRow] of rows) {
      let rowChanged = false;
      for (const [cellId, [oldCell, newCell]] of pairsOfRow) {
        if (newCell !== oldCell) {
          callAt(
            'cell',
            [tableId, rowId, cellId],
            [decodeCellOrValue(newCell), decodeCellOrValue(oldCell), getCellChange],
          );
          tablesChanged = tableChanged = rowChanged = true;
        }
      }
      if (rowChanged) {
        callAt('row', [tableId, rowId], [getCellChange]);
      }
    }
    if (tableChanged) {
      callAt('table', [tableId], [getCellChange]);
    }
  }
  if (tablesChanged) {
    callAt('tables', [], [getCellChange]);
  }
};
