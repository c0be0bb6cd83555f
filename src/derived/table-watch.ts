// Watches one table of a store for a derived definition: the rows a transaction changed are
// collected by a row listener and handed over, once per transaction, from the table listener the
// store calls after that table's row listeners. So derived data follows every change, local or
// merged from a peer, and re-computes only the rows that changed.
import type {Id, Store} from '../store/types.js';

export type TableWatch = {stop(): void};

/**
 * Calls `onRows` with the ids of the table's rows each transaction changed (rows deleted
 * included). Watching starts at once; `stop` removes the store listeners.
 */
export const watchTable = (
  store: Store,
  tableId: Id,
  onRows: (changedRowIds: Set<Id>) => void,
): TableWatch => {
  let changedRowIds = new Set<Id>();
  const rowListenerId = store.addRowListener(tableId, null, (_store, _tableId, rowId) => {
    changedRowIds.add(rowId);
  });
  const tableListenerId = store.addTableListener(tableId, () => {
    const rowIds = changedRowIds;
    changedRowIds = new Set();
    onRows(rowIds);
  });
  return {
    stop: () => {
      store.delListener(rowListenerId);
      store.delListener(tableListenerId);
    },
  };
};

/** The row reader a definition's functions are given: the cells of one row of the table. */
export const rowCellReader =
  (store: Store, tableId: Id, rowId: Id) =>
  (cellId: Id): ReturnType<Store['getCell']> =>
    store.getCell(tableId, rowId, cellId);
