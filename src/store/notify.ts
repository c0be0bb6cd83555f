// Turns a transaction's log into listener calls. Only kinds with registered listeners cost
// anything: each section checks first whether someone is listening.
import {decodeCellOrValue, type EncodedCellOrValue} from './cell.js';
import type {ListenerRecord, ListenerRegistry} from './listener-registry.js';
import type {TransactionLog} from './transaction-log.js';
import type {LeafContainer, TableNode, TablesNode} from './tree.js';
import type {
  Cell,
  GetCellChange,
  GetIdChanges,
  GetValueChange,
  Id,
  Ids,
  MergeableStore,
  Value,
} from './types.js';

export type NotifyContext = {
  store: MergeableStore;
  registry: ListenerRegistry;
  log: TransactionLog;
  tables: TablesNode;
  values: LeafContainer;
  /** Live cells per cell id in a table (built on demand by the store). */
  getTableCellIdCounts: (table: TableNode) => Map<string, number>;
  /** Calls a listener, keeping the store consistent if it throws. */
  call: (record: ListenerRecord, args: unknown[]) => void;
};

type IdChanges = {[id: Id]: 1 | -1};
const isLive = (value: EncodedCellOrValue | undefined): boolean => value !== undefined;

const newIdChanges = (): IdChanges => Object.create(null) as IdChanges;
const idChangesFor = <Key>(map: Map<Key, IdChanges>, key: Key): IdChanges => {
  let changes = map.get(key);
  if (!changes) {
    changes = newIdChanges();
    map.set(key, changes);
  }
  return changes;
};
const addIdChange = (changes: IdChanges, id: Id, change: 1 | -1): void => {
  // Added then removed (or the reverse) in one transaction is no change at all.
  if (changes[id] === -change) {
    delete changes[id];
  } else {
    changes[id] = change;
  }
};
const toIdChangesObject = (changes: IdChanges): IdChanges => {
  const result: IdChanges = {};
  for (const id of Object.keys(changes)) {
    Object.defineProperty(result, id, {
      value: changes[id],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
};
const hasAny = (changes: IdChanges | undefined): changes is IdChanges =>
  changes !== undefined && Object.keys(changes).length > 0;

/** Calls the listeners of one phase (mutators first, then the others) for the logged changes. */
export const notifyListeners = (context: NotifyContext, mutatorPhase: boolean): void => {
  const {registry, log, store} = context;
  const call = (record: ListenerRecord, args: unknown[]) => {
    if (record.mutator === mutatorPhase) {
      context.call(record, args);
    }
  };

  // Index the log once: changed cells and values, and which ids appeared or disappeared.
  type Change = {
    container: LeafContainer;
    id: Id;
    oldValue: EncodedCellOrValue | undefined;
    newValue: EncodedCellOrValue | undefined;
  };
  const changedCells: Change[] = [];
  const changedValues: Change[] = [];
  const changedRows = new Set<LeafContainer>();
  const changedTables = new Set<TableNode>();
  const cellIdChanges = new Map<LeafContainer, IdChanges>();
  const tableCellIdNet = new Map<TableNode, Map<Id, number>>();
  const valueIdChanges = newIdChanges();
  log.forEachLeaf((container, id, oldValue) => {
    const newValue = container.getValue(id);
    if (oldValue === newValue) {
      return;
    }
    const change = {container, id, oldValue, newValue};
    const existenceChange = isLive(oldValue) === isLive(newValue) ? 0 : isLive(newValue) ? 1 : -1;
    if (container.table === null) {
      changedValues.push(change);
      if (existenceChange !== 0) {
        addIdChange(valueIdChanges, id, existenceChange);
      }
      return;
    }
    changedCells.push(change);
    changedRows.add(container);
    changedTables.add(container.table);
    if (existenceChange !== 0) {
      addIdChange(idChangesFor(cellIdChanges, container), id, existenceChange);
      let net = tableCellIdNet.get(container.table);
      if (!net) {
        net = new Map();
        tableCellIdNet.set(container.table, net);
      }
      net.set(id, (net.get(id) ?? 0) + existenceChange);
    }
  });

  let cellChangeIndex: Map<LeafContainer, Map<Id, Change>> | undefined;
  const getCellChange: GetCellChange = (tableId, rowId, cellId) => {
    if (!cellChangeIndex) {
      cellChangeIndex = new Map();
      for (const change of changedCells) {
        let byId = cellChangeIndex.get(change.container);
        if (!byId) {
          byId = new Map();
          cellChangeIndex.set(change.container, byId);
        }
        byId.set(change.id, change);
      }
    }
    const row = context.tables.children.get(tableId)?.children.get(rowId);
    const change = row ? cellChangeIndex.get(row)?.get(cellId) : undefined;
    if (change === undefined) {
      const cell = store.getCell(tableId, rowId, cellId);
      return [false, cell, cell];
    }
    return [true, decodeCellOrValue(change.oldValue), decodeCellOrValue(change.newValue)];
  };
  const getValueChange: GetValueChange = (valueId) => {
    const change = changedValues.find((candidate) => candidate.id === valueId);
    if (change === undefined) {
      const value = store.getValue(valueId);
      return [false, value, value];
    }
    return [true, decodeCellOrValue(change.oldValue), decodeCellOrValue(change.newValue)];
  };

  // Cells, rows, tables.
  if (registry.has('cell') || registry.has('hasCell')) {
    for (const {container: row, id: cellId, oldValue, newValue} of changedCells) {
      const tableId = row.table!.id;
      const path = [tableId, row.id, cellId];
      registry.forEachMatch('cell', path, (record) =>
        call(record, [
          store,
          tableId,
          row.id,
          cellId,
          decodeCellOrValue(newValue) as Cell | undefined,
          decodeCellOrValue(oldValue) as Cell | undefined,
          getCellChange,
        ]),
      );
      if (isLive(oldValue) !== isLive(newValue)) {
        registry.forEachMatch('hasCell', path, (record) =>
          call(record, [store, tableId, row.id, cellId, isLive(newValue)]),
        );
      }
    }
  }
  for (const [row, changes] of cellIdChanges) {
    if (hasAny(changes)) {
      const getIdChanges: GetIdChanges = () => toIdChangesObject(changes);
      registry.forEachMatch('cellIds', [row.table!.id, row.id], (record) =>
        call(record, [store, row.table!.id, row.id, getIdChanges]),
      );
    }
  }
  for (const row of changedRows) {
    registry.forEachMatch('row', [row.table!.id, row.id], (record) =>
      call(record, [store, row.table!.id, row.id, getCellChange]),
    );
  }

  // Row existence: has-row, row ids, row counts.
  const rowIdChanges = new Map<TableNode, IdChanges>();
  for (const [row, existedBefore] of log.rowsExistedBefore) {
    const existsNow = row.liveCount > 0;
    if (existsNow !== existedBefore) {
      const table = row.table!;
      registry.forEachMatch('hasRow', [table.id, row.id], (record) =>
        call(record, [store, table.id, row.id, existsNow]),
      );
      addIdChange(idChangesFor(rowIdChanges, table), row.id, existsNow ? 1 : -1);
    }
  }
  for (const [table, changes] of rowIdChanges) {
    if (hasAny(changes)) {
      const getIdChanges: GetIdChanges = () => toIdChangesObject(changes);
      registry.forEachMatch('rowIds', [table.id], (record) =>
        call(record, [store, table.id, getIdChanges]),
      );
      registry.forEachMatch('rowCount', [table.id], (record) =>
        call(record, [store, table.id, table.liveCount]),
      );
    }
  }
  if (registry.has('sortedRowIds')) {
    for (const record of registry.all('sortedRowIds')) {
      if (record.mutator !== mutatorPhase) {
        continue;
      }
      const tableId = record.path[0]!;
      const table = context.tables.children.get(tableId);
      if (!table || !(changedTables.has(table) || rowIdChanges.has(table))) {
        continue;
      }
      const sort = record.sort!;
      const sortedRowIds = store.getSortedRowIds(
        tableId,
        sort.cellId,
        sort.descending,
        sort.offset,
        sort.limit,
      );
      if (!sameIds(sortedRowIds, record.lastSortedRowIds)) {
        record.lastSortedRowIds = sortedRowIds;
        call(record, [
          store,
          tableId,
          sort.cellId,
          sort.descending,
          sort.offset,
          sort.limit,
          sortedRowIds,
        ]);
      }
    }
  }
  if (registry.has('tableCellIds') || registry.has('hasTableCell')) {
    for (const [table, net] of tableCellIdNet) {
      const counts = context.getTableCellIdCounts(table);
      const changes = newIdChanges();
      for (const [cellId, change] of net) {
        const now = counts.get(cellId) ?? 0;
        const before = now - change;
        if (now > 0 !== before > 0) {
          changes[cellId] = now > 0 ? 1 : -1;
          registry.forEachMatch('hasTableCell', [table.id, cellId], (record) =>
            call(record, [store, table.id, cellId, now > 0]),
          );
        }
      }
      if (hasAny(changes)) {
        const getIdChanges: GetIdChanges = () => toIdChangesObject(changes);
        registry.forEachMatch('tableCellIds', [table.id], (record) =>
          call(record, [store, table.id, getIdChanges]),
        );
      }
    }
  }
  for (const table of changedTables) {
    registry.forEachMatch('table', [table.id], (record) =>
      call(record, [store, table.id, getCellChange]),
    );
  }

  // Table existence and the whole tables.
  const tableIdChanges = newIdChanges();
  for (const [table, existedBefore] of log.tablesExistedBefore) {
    const existsNow = table.liveCount > 0;
    if (existsNow !== existedBefore) {
      registry.forEachMatch('hasTable', [table.id], (record) =>
        call(record, [store, table.id, existsNow]),
      );
      addIdChange(tableIdChanges, table.id, existsNow ? 1 : -1);
    }
  }
  if (hasAny(tableIdChanges)) {
    const getIdChanges: GetIdChanges = () => toIdChangesObject(tableIdChanges);
    registry.forEachMatch('tableIds', [], (record) => call(record, [store, getIdChanges]));
  }
  if (changedTables.size > 0) {
    registry.forEachMatch('tables', [], (record) => call(record, [store, getCellChange]));
  }
  const hasTablesNow = context.tables.liveCount > 0;
  if (hasTablesNow !== log.hadTablesBefore) {
    registry.forEachMatch('hasTables', [], (record) => call(record, [store, hasTablesNow]));
  }

  // Values.
  for (const {id: valueId, oldValue, newValue} of changedValues) {
    registry.forEachMatch('value', [valueId], (record) =>
      call(record, [
        store,
        valueId,
        decodeCellOrValue(newValue) as Value | undefined,
        decodeCellOrValue(oldValue) as Value | undefined,
        getValueChange,
      ]),
    );
    if (isLive(oldValue) !== isLive(newValue)) {
      registry.forEachMatch('hasValue', [valueId], (record) =>
        call(record, [store, valueId, isLive(newValue)]),
      );
    }
  }
  if (hasAny(valueIdChanges)) {
    const getIdChanges: GetIdChanges = () => toIdChangesObject(valueIdChanges);
    registry.forEachMatch('valueIds', [], (record) => call(record, [store, getIdChanges]));
  }
  if (changedValues.length > 0) {
    registry.forEachMatch('values', [], (record) => call(record, [store, getValueChange]));
  }
  const hasValuesNow = context.values.liveCount > 0;
  if (hasValuesNow !== log.hadValuesBefore) {
    registry.forEachMatch('hasValues', [], (record) => call(record, [store, hasValuesNow]));
  }
};

const sameIds = (a: Ids, b: Ids | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((id, index) => id === b[index]);
