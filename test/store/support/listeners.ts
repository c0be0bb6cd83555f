// Recording what listeners a store calls: one log per listener, so that two stores can be compared
// listener by listener (the order across listener kinds may legitimately differ).
import type {GetCellChange, GetIdChanges, GetValueChange, Store} from '../../../src/store/types.js';
import {toPlain} from './compare.js';

export type CallLogs = {[listener: string]: unknown[]};

/** Reads what a getIdChanges function reports, with ids sorted for stable comparison. */
export const readIdChanges = (getIdChanges: GetIdChanges | undefined): unknown =>
  getIdChanges === undefined
    ? 'no getIdChanges'
    : Object.entries(getIdChanges()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Adds wildcard listeners of every kind; returns their call logs (and the listener ids). */
export const recordAllListeners = (
  store: Store,
  options: {tableId?: string; cellIds?: string[]} = {},
): {logs: CallLogs; listenerIds: string[]} => {
  const logs: CallLogs = {};
  const listenerIds: string[] = [];
  const log =
    (name: string) =>
    (...entry: unknown[]): void => {
      (logs[name] ??= []).push(toPlain(entry));
    };
  const cellChangeReader = (getCellChange: GetCellChange, ids: [string, string, string][]) =>
    ids.map((args) => getCellChange(...args));
  const sortedTableId = options.tableId ?? 't';
  listenerIds.push(
    store.addHasTablesListener((_, hasTables) => log('hasTables')(hasTables)),
    store.addTablesListener(() => log('tables')()),
    store.addTableIdsListener((_, getIdChanges) => log('tableIds')(readIdChanges(getIdChanges))),
    store.addHasTableListener(null, (_, tableId, hasTable) => log('hasTable')(tableId, hasTable)),
    store.addTableListener(null, (_, tableId) => log('table')(tableId)),
    store.addTableCellIdsListener(null, (_, tableId, getIdChanges) =>
      log('tableCellIds')(tableId, readIdChanges(getIdChanges)),
    ),
    store.addHasTableCellListener(null, null, (_, tableId, cellId, has) =>
      log('hasTableCell')(tableId, cellId, has),
    ),
    store.addRowCountListener(null, (_, tableId, count) => log('rowCount')(tableId, count)),
    store.addRowIdsListener(null, (_, tableId, getIdChanges) =>
      log('rowIds')(tableId, readIdChanges(getIdChanges)),
    ),
    store.addSortedRowIdsListener(sortedTableId, undefined, false, 0, undefined, (...args) =>
      log('sortedRowIds')(args.slice(1)),
    ),
    store.addHasRowListener(null, null, (_, tableId, rowId, has) =>
      log('hasRow')(tableId, rowId, has),
    ),
    store.addRowListener(null, null, (_, tableId, rowId) => log('row')(tableId, rowId)),
    store.addCellIdsListener(null, null, (_, tableId, rowId, getIdChanges) =>
      log('cellIds')(tableId, rowId, readIdChanges(getIdChanges)),
    ),
    store.addHasCellListener(null, null, null, (_, tableId, rowId, cellId, has) =>
      log('hasCell')(tableId, rowId, cellId, has),
    ),
    store.addCellListener(null, null, null, (_, tableId, rowId, cellId, newCell, oldCell, get) =>
      log('cell')(
        tableId,
        rowId,
        cellId,
        newCell,
        oldCell,
        cellChangeReader(get, [[tableId, rowId, cellId]]),
      ),
    ),
    store.addHasValuesListener((_, has) => log('hasValues')(has)),
    store.addValuesListener(() => log('values')()),
    store.addValueIdsListener((_, getIdChanges) => log('valueIds')(readIdChanges(getIdChanges))),
    store.addHasValueListener(null, (_, valueId, has) => log('hasValue')(valueId, has)),
    store.addValueListener(null, (_, valueId, newValue, oldValue, getValueChange: GetValueChange) =>
      log('value')(valueId, newValue, oldValue, getValueChange(valueId)),
    ),
    store.addStartTransactionListener(() => log('startTransaction')()),
    store.addWillFinishTransactionListener(() => log('willFinishTransaction')()),
    store.addDidFinishTransactionListener(() => log('didFinishTransaction')()),
  );
  return {logs, listenerIds};
};

/** The logs with listener names in sorted order: which kind fired first is not compared. */
export const sortedLogs = (logs: CallLogs): CallLogs =>
  Object.fromEntries(
    Object.keys(logs)
      .sort()
      .map((name) => [name, logs[name]]),
  );
