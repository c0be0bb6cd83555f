// The store's listener methods: adding listeners (with null ids as wildcards), removing them, and
// callListener, which calls one listener now for the data that exists.
import type {ListenerKind, ListenerRecord} from './listener-registry.js';
import {callSortedRowIdsListenerIfChanged} from './notify.js';
import {getSortedRowIds} from './plain-reads.js';
import type {StoreState} from './store-state.js';
import type {Id, Ids, SortedRowIdsArgs, Store} from './types.js';

type Listener = ListenerRecord['listener'];

const toPathId = (id: Id | null | undefined) =>
  id === null || id === undefined ? null : String(id);

const addListener = (
  state: StoreState,
  kind: ListenerKind,
  path: (Id | null | undefined)[],
  listener: Listener,
  mutator = false,
  sort?: ListenerRecord['sort'],
): Id =>
  state.registry.add({
    kind,
    // A sorted row id listener is found by its table and the cell it sorts by, if any.
    path: sort
      ? [String(path[0]), sort.cellId === undefined ? undefined : String(sort.cellId)]
      : path.map(toPathId),
    listener,
    mutator: Boolean(mutator),
    sort,
    lastSortedRowIds: sort
      ? getSortedRowIds(
          state,
          String(path[0]),
          sort.cellId,
          sort.descending,
          sort.offset,
          sort.limit,
          sort.sorter,
        )
      : undefined,
  });

/** TinyBase's two forms: one args object (which alone may carry a sorter), or positional arguments. */
const addSortedRowIdsListener = (state: StoreState, args: unknown[]): Id => {
  if (typeof args[0] === 'object' && args[0] !== null) {
    const sortArgs = args[0] as SortedRowIdsArgs;
    return addListener(
      state,
      'sortedRowIds',
      [sortArgs.tableId],
      args[1] as Listener,
      args[2] as boolean,
      {
        cellId: sortArgs.cellId,
        descending: sortArgs.descending ?? false,
        offset: sortArgs.offset ?? 0,
        limit: sortArgs.limit,
        sorter: sortArgs.sorter,
      },
    );
  }
  const [tableId, cellId, descending, offset, limit, listener, mutator] = args as [
    Id,
    Id | undefined,
    boolean,
    number,
    number | undefined,
    Listener,
    boolean | undefined,
  ];
  return addListener(state, 'sortedRowIds', [tableId], listener, mutator, {
    cellId,
    descending: descending ?? false,
    offset: offset ?? 0,
    limit,
    sorter: undefined,
  });
};

/** The concrete id paths a (possibly wildcarded) listener covers, for existing data. */
const expandWildcards = (store: Store, record: ListenerRecord): Id[][] => {
  const isValueKind = record.kind === 'value' || record.kind === 'hasValue';
  const idsAt = (depth: number, prefix: Id[]): Ids => {
    if (isValueKind) {
      return store.getValueIds();
    }
    if (depth === 0) {
      return store.getTableIds();
    }
    if (record.kind === 'hasTableCell') {
      return store.getTableCellIds(prefix[0]);
    }
    return depth === 1 ? store.getRowIds(prefix[0]) : store.getCellIds(prefix[0], prefix[1]);
  };
  let paths: Id[][] = [[]];
  (record.path as (Id | null)[]).forEach((id, depth) => {
    paths = paths.flatMap((prefix) =>
      (id === null ? idsAt(depth, prefix) : [id]).map((next) => [...prefix, next]),
    );
  });
  return paths;
};

/**
 * Calls a listener for one concrete id path with what TinyBase gives on callListener: the ids,
 * then the current has-state or cell/value (twice, as new and old), and nothing else. A listener
 * that throws throws to the caller.
 */
const callListenerNow = (store: Store, record: ListenerRecord, path: Id[]): void => {
  const [id1, id2, id3] = path;
  const twice = (thing: unknown) => [thing, thing];
  const extraArgs: Partial<Record<ListenerKind, () => unknown[]>> = {
    hasTables: () => [store.hasTables()],
    hasTable: () => [store.hasTable(id1)],
    hasTableCell: () => [store.hasTableCell(id1, id2)],
    hasRow: () => [store.hasRow(id1, id2)],
    hasCell: () => [store.hasCell(id1, id2, id3)],
    cell: () => twice(store.getCell(id1, id2, id3)),
    hasValues: () => [store.hasValues()],
    hasValue: () => [store.hasValue(id1)],
    value: () => twice(store.getValue(id1)),
  };
  record.listener(store, ...path, ...(extraArgs[record.kind]?.() ?? []));
};

type ListenerApi = Pick<
  Store,
  | 'addHasTablesListener'
  | 'addTablesListener'
  | 'addTableIdsListener'
  | 'addHasTableListener'
  | 'addTableListener'
  | 'addTableCellIdsListener'
  | 'addHasTableCellListener'
  | 'addRowCountListener'
  | 'addRowIdsListener'
  | 'addSortedRowIdsListener'
  | 'addHasRowListener'
  | 'addRowListener'
  | 'addCellIdsListener'
  | 'addHasCellListener'
  | 'addCellListener'
  | 'addHasValuesListener'
  | 'addValuesListener'
  | 'addValueIdsListener'
  | 'addHasValueListener'
  | 'addValueListener'
  | 'addInvalidCellListener'
  | 'addInvalidValueListener'
  | 'addStartTransactionListener'
  | 'addWillFinishTransactionListener'
  | 'addDidFinishTransactionListener'
  | 'callListener'
  | 'delListener'
  | 'getListenerStats'
>;

export const createListenerApi = (state: StoreState): ListenerApi => {
  const add = (
    kind: ListenerKind,
    path: (Id | null | undefined)[],
    listener: Listener,
    mutator?: boolean,
  ) => addListener(state, kind, path, listener, mutator);
  return {
    addHasTablesListener: (listener, mutator) => add('hasTables', [], listener, mutator),
    addTablesListener: (listener, mutator) => add('tables', [], listener, mutator),
    addTableIdsListener: (listener, mutator) => add('tableIds', [], listener, mutator),
    addHasTableListener: (tableId, listener, mutator) =>
      add('hasTable', [tableId], listener, mutator),
    addTableListener: (tableId, listener, mutator) => add('table', [tableId], listener, mutator),
    addTableCellIdsListener: (tableId, listener, mutator) =>
      add('tableCellIds', [tableId], listener, mutator),
    addHasTableCellListener: (tableId, cellId, listener, mutator) =>
      add('hasTableCell', [tableId, cellId], listener, mutator),
    addRowCountListener: (tableId, listener, mutator) =>
      add('rowCount', [tableId], listener, mutator),
    addRowIdsListener: (tableId, listener, mutator) => add('rowIds', [tableId], listener, mutator),
    addSortedRowIdsListener: ((...args: unknown[]) =>
      addSortedRowIdsListener(state, args)) as Store['addSortedRowIdsListener'],
    addHasRowListener: (tableId, rowId, listener, mutator) =>
      add('hasRow', [tableId, rowId], listener, mutator),
    addRowListener: (tableId, rowId, listener, mutator) =>
      add('row', [tableId, rowId], listener, mutator),
    addCellIdsListener: (tableId, rowId, listener, mutator) =>
      add('cellIds', [tableId, rowId], listener, mutator),
    addHasCellListener: (tableId, rowId, cellId, listener, mutator) =>
      add('hasCell', [tableId, rowId, cellId], listener, mutator),
    addCellListener: (tableId, rowId, cellId, listener, mutator) =>
      add('cell', [tableId, rowId, cellId], listener, mutator),
    addHasValuesListener: (listener, mutator) => add('hasValues', [], listener, mutator),
    addValuesListener: (listener, mutator) => add('values', [], listener, mutator),
    addValueIdsListener: (listener, mutator) => add('valueIds', [], listener, mutator),
    addHasValueListener: (valueId, listener, mutator) =>
      add('hasValue', [valueId], listener, mutator),
    addValueListener: (valueId, listener, mutator) => add('value', [valueId], listener, mutator),
    addInvalidCellListener: (tableId, rowId, cellId, listener, mutator) =>
      add('invalidCell', [tableId, rowId, cellId], listener, mutator),
    addInvalidValueListener: (valueId, listener, mutator) =>
      add('invalidValue', [valueId], listener, mutator),
    addStartTransactionListener: (listener) => add('startTransaction', [], listener),
    addWillFinishTransactionListener: (listener) => add('willFinishTransaction', [], listener),
    addDidFinishTransactionListener: (listener) => add('didFinishTransaction', [], listener),
    callListener: (listenerId) => {
      const record = state.registry.get(listenerId);
      if (record?.kind === 'sortedRowIds') {
        // As in TinyBase, only if the sorted ids are no longer those it was last given.
        callSortedRowIdsListenerIfChanged(state.notifyContext, record);
      } else if (record?.kind === 'invalidCell' || record?.kind === 'invalidValue') {
        // As in TinyBase: with its ids only (there is nothing invalid to give), never for a
        // wildcard, as there are no ids of invalid things to expand it to.
        if (!record.path.includes(null)) {
          record.listener(state.store, ...record.path);
        }
      } else if (record) {
        for (const path of expandWildcards(state.store, record)) {
          callListenerNow(state.store, record, path);
        }
      }
      return state.store;
    },
    delListener: (listenerId) => {
      state.registry.delete(listenerId);
      return state.store;
    },
    getListenerStats: () => state.registry.stats(),
  };
};
