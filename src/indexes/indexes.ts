// createIndexes: TinyBase's indexes over a store. Each index keeps, for one table, the slices each
// row belongs to and each slice's row ids in order. A definition watches its table (table-watch.ts)
// and re-computes only the rows a transaction changed, whether the change was local or merged from
// a peer, then calls the listeners of what really changed: slice ids, slices that appeared or
// went, and the row ids of each slice.

import {Definitions, toId} from '../derived/definitions.js';
import {DerivedListeners} from '../derived/derived-listeners.js';
import {rowCellReader, type TableWatch, watchTable} from '../derived/table-watch.js';
import {defaultSorter} from '../store/sorting.js';
import type {Id, Ids, SortKey, Store} from '../store/types.js';
import type {GetCell, Indexes} from './types.js';

type ListenerKind = 'indexIds' | 'hasIndex' | 'sliceIds' | 'hasSlice' | 'sliceRowIds';

type IndexState = {
  /** The slices each row is in. */
  rowSliceIds: Map<Id, Ids>;
  sortKeys: Map<Id, SortKey>;
  /** Each slice's rows in the order they joined it (or were last sorted), slices as they came. */
  members: Map<Id, Set<Id>>;
  /** What the index shows: slice ids in their order, each with its row ids in their order. */
  slices: Map<Id, Ids>;
};

const newIndexState = (): IndexState => ({
  rowSliceIds: new Map(),
  sortKeys: new Map(),
  members: new Map(),
  slices: new Map(),
});

type IndexDefinition = TableWatch & {tableId: Id; state: IndexState};

type SliceIdsOf = (getCell: GetCell, rowId: Id) => Id | Ids;
type SortKeyOf = (getCell: GetCell, rowId: Id) => SortKey;

/** A cell id or a function, as a function of the row. */
const byCellOr = <Result>(
  getter: Id | ((getCell: GetCell, rowId: Id) => Result) | undefined,
  fallback: (getCell: GetCell, rowId: Id) => Result,
): ((getCell: GetCell, rowId: Id) => Result) =>
  typeof getter === 'function'
    ? getter
    : getter === undefined
      ? fallback
      : (getCell) => getCell(getter) as Result;

/** The slice ids a row's getter gave: a missing cell puts the row in the slice `''`. */
const sliceIdsOfResult = (result: unknown): Ids => [
  ...new Set((Array.isArray(result) ? result : [result]).map((thing) => toId(thing) ?? '')),
];

/**
 * An Indexes object over a Store or MergeableStore, with no index defined yet.
 *
 * @example
 * const indexes = createIndexes(store);
 * indexes.setIndexDefinition('bySpecies', 'pets', 'species');
 * indexes.getSliceIds('bySpecies'); // ['dog', 'cat']
 * indexes.getSliceRowIds('bySpecies', 'dog'); // ['fido', 'cujo']
 */
export const createIndexes = (store: Store): Indexes => {
  const listeners = new DerivedListeners<ListenerKind>();
  const definitions = new Definitions<IndexDefinition>();

  /**
   * Calls the listeners of what differs in an index: its slice ids, then each slice that appeared
   * or went, then the row ids of each changed slice: first those rows joined or left, in that
   * order, then those only sorted again.
   */
  const callChanges = (
    indexId: Id,
    sliceIdsChanged: boolean,
    rowIdsBefore: Map<Id, Ids>,
    changedSliceIds: ReadonlySet<Id>,
    after: Map<Id, Ids>,
  ) => {
    if (sliceIdsChanged) {
      listeners.call('sliceIds', [indexId], [indexes, indexId]);
    }
    for (const sliceId of changedSliceIds) {
      if ((rowIdsBefore.get(sliceId) ?? []).length > 0 !== after.has(sliceId)) {
        listeners.call(
          'hasSlice',
          [indexId, sliceId],
          [indexes, indexId, sliceId, after.has(sliceId)],
        );
      }
    }
    for (const sliceId of changedSliceIds) {
      listeners.call('sliceRowIds', [indexId, sliceId], [indexes, indexId, sliceId]);
    }
  };

  const setIndexDefinition: Indexes['setIndexDefinition'] = (
    indexId,
    tableId,
    getSliceIdOrIds,
    getSortKey,
    sliceIdSorter,
    rowIdSorter = defaultSorter,
  ) => {
    const sliceIdsOf: SliceIdsOf = byCellOr(getSliceIdOrIds, () => '');
    const sortKeyOf: SortKeyOf | undefined =
      getSortKey === undefined ? undefined : byCellOr(getSortKey, () => undefined);
    // A definition that replaces another takes over its state, and its first update moves every
    // row from where the old definition put it, so listeners hear what differs, as in TinyBase.
    const replaced = definitions.get(indexId);
    const state = replaced?.state ?? newIndexState();
    const {rowSliceIds, sortKeys, members, slices} = state;

    /**
     * Moves the changed rows to their slices now and orders what changed. Returns the row ids,
     * before the change, of every slice it touched (an empty list for a new slice), and whether a
     * slice appeared or went on the way (even one that came back: TinyBase tells). Sorting
     * always starts from the joining order, so that sorters which call keys equal give the same
     * order as in TinyBase.
     */
    const update = (
      changedRowIds: Iterable<Id>,
    ): [rowIdsBefore: Map<Id, Ids>, changedSliceIds: Set<Id>, sliceIdsChanged: boolean] => {
      const rowIdsBefore = new Map<Id, Ids>();
      /** The slices rows joined or left, or that were sorted again. */
      const changedSliceIds = new Set<Id>();
      /** The slices rows joined, or whose rows' sort keys changed: only those may be out of order. */
      const toSort = new Set<Id>();
      let sliceIdsChanged = false;
      const touch = (sliceId: Id): Set<Id> => {
        if (!rowIdsBefore.has(sliceId)) {
          rowIdsBefore.set(sliceId, slices.get(sliceId) ?? []);
        }
        let rowIds = members.get(sliceId);
        if (rowIds === undefined) {
          rowIds = new Set();
          members.set(sliceId, rowIds);
        }
        return rowIds;
      };
      for (const rowId of changedRowIds) {
        const exists = store.hasRow(tableId, rowId);
        const getCell = rowCellReader(store, tableId, rowId);
        const oldSliceIds = rowSliceIds.get(rowId) ?? [];
        const newSliceIds = exists ? sliceIdsOfResult(sliceIdsOf(getCell, rowId)) : [];
        for (const sliceId of oldSliceIds) {
          if (!newSliceIds.includes(sliceId)) {
            const rowIds = touch(sliceId);
            rowIds.delete(rowId);
            changedSliceIds.add(sliceId);
            if (rowIds.size === 0) {
              // Gone at once: a slice made again in the same transaction goes last.
              members.delete(sliceId);
              sliceIdsChanged = true;
            }
          }
        }
        for (const sliceId of newSliceIds) {
          if (!oldSliceIds.includes(sliceId)) {
            const rowIds = touch(sliceId);
            sliceIdsChanged ||= rowIds.size === 0;
            rowIds.add(rowId);
            changedSliceIds.add(sliceId);
            toSort.add(sliceId);
          }
        }
        newSliceIds.length === 0 ? rowSliceIds.delete(rowId) : rowSliceIds.set(rowId, newSliceIds);
        if (sortKeyOf !== undefined) {
          const oldSortKey = sortKeys.get(rowId);
          // A row whose sort key is now undefined keeps the one it had, even across its deletion
          // and coming back, as in TinyBase (so the orders match where sorters disagree).
          const newSortKey = exists ? (sortKeyOf(getCell, rowId) ?? oldSortKey) : oldSortKey;
          sortKeys.set(rowId, newSortKey);
          if (newSortKey !== oldSortKey) {
            for (const sliceId of newSliceIds) {
              touch(sliceId);
              toSort.add(sliceId);
            }
          }
        }
      }
      if (rowIdsBefore.size === 0) {
        return [rowIdsBefore, changedSliceIds, false];
      }
      for (const sliceId of rowIdsBefore.keys()) {
        const rowIds = members.get(sliceId);
        if (rowIds === undefined) {
          slices.delete(sliceId);
          continue;
        }
        let ordered = [...rowIds];
        if (sortKeyOf !== undefined && toSort.has(sliceId)) {
          const compare = (rowId1: Id, rowId2: Id) =>
            rowIdSorter(sortKeys.get(rowId1), sortKeys.get(rowId2), sliceId);
          // Sorted again only when out of order; a sorter that never says "equal" (such as
          // defaultSorter) finds equal keys out of order, and the slice is heard, as in TinyBase.
          if (ordered.some((rowId, at) => at > 0 && compare(ordered[at - 1], rowId) > 0)) {
            ordered = ordered.sort(compare);
            members.set(sliceId, new Set(ordered));
            changedSliceIds.add(sliceId);
          }
        }
        slices.set(sliceId, ordered);
      }
      if (sliceIdsChanged) {
        const sliceIds = [...members.keys()];
        if (sliceIdSorter !== undefined) {
          sliceIds.sort(sliceIdSorter);
        }
        const ordered = sliceIds.map((sliceId): [Id, Ids] => [sliceId, slices.get(sliceId) ?? []]);
        slices.clear();
        for (const [sliceId, rowIds] of ordered) {
          slices.set(sliceId, rowIds);
        }
      }
      return [rowIdsBefore, changedSliceIds, sliceIdsChanged];
    };

    const process = (changedRowIds: Iterable<Id>) => {
      const sliceIdsBefore = [...slices.keys()];
      const [rowIdsBefore, changedSliceIds, sliceIdsChanged] = update(changedRowIds);
      callChanges(
        indexId,
        sliceIdsChanged || !sameIds(sliceIdsBefore, [...slices.keys()]),
        rowIdsBefore,
        changedSliceIds,
        slices,
      );
    };
    const watch = watchTable(store, tableId, process);
    const isNew = definitions.set(indexId, {tableId, state, stop: watch.stop});
    if (isNew) {
      listeners.call('indexIds', [], [indexes]);
    }
    // The rows the old definition held first, then the rest of the table's, as TinyBase.
    process(new Set([...rowSliceIds.keys(), ...store.getRowIds(tableId)]));
    if (isNew) {
      listeners.call('hasIndex', [indexId], [indexes, indexId, true]);
    }
    return indexes;
  };

  const delIndexDefinition = (indexId: Id): Indexes => {
    const deleted = definitions.delete(indexId);
    // As in TinyBase, the ids listeners hear every deletion, even of an id never defined.
    listeners.call('indexIds', [], [indexes]);
    if (deleted !== undefined) {
      const {slices} = deleted.state;
      listeners.call('hasIndex', [indexId], [indexes, indexId, false]);
      if (slices.size > 0) {
        listeners.call('sliceIds', [indexId], [indexes, indexId]);
      }
      for (const sliceId of slices.keys()) {
        listeners.call('hasSlice', [indexId, sliceId], [indexes, indexId, sliceId, false]);
        listeners.call('sliceRowIds', [indexId, sliceId], [indexes, indexId, sliceId]);
      }
    }
    return indexes;
  };

  const getSliceRowIds = (indexId: Id, sliceId: Id): Ids => [
    ...(definitions.get(indexId)?.state.slices.get(sliceId) ?? []),
  ];

  const forEachSlice: Indexes['forEachSlice'] = (indexId, sliceCallback) => {
    const definition = definitions.get(indexId);
    for (const [sliceId, rowIds] of definition?.state.slices ?? []) {
      sliceCallback(sliceId, (rowCallback) => {
        for (const rowId of rowIds) {
          rowCallback(rowId, (cellCallback) =>
            store.forEachCell(definition?.tableId as Id, rowId, cellCallback),
          );
        }
      });
    }
  };

  const indexes: Indexes = {
    setIndexDefinition,
    delIndexDefinition,
    getStore: () => store,
    getIndexIds: () => definitions.ids(),
    forEachIndex: (indexCallback) => {
      for (const indexId of definitions.ids()) {
        indexCallback(indexId, (sliceCallback) => forEachSlice(indexId, sliceCallback));
      }
    },
    forEachSlice,
    hasIndex: (indexId) => definitions.has(indexId),
    hasSlice: (indexId, sliceId) => definitions.get(indexId)?.state.slices.has(sliceId) ?? false,
    getTableId: (indexId) => definitions.get(indexId)?.tableId,
    getSliceIds: (indexId) => [...(definitions.get(indexId)?.state.slices.keys() ?? [])],
    getSliceRowIds,
    addSliceIdsListener: (indexId, listener) => listeners.add('sliceIds', [indexId], listener),
    addIndexIdsListener: (listener) => listeners.add('indexIds', [], listener),
    addHasIndexListener: (indexId, listener) => listeners.add('hasIndex', [indexId], listener),
    addSliceRowIdsListener: (indexId, sliceId, listener) =>
      listeners.add('sliceRowIds', [indexId, sliceId], listener),
    addHasSliceListener: (indexId, sliceId, listener) =>
      listeners.add('hasSlice', [indexId, sliceId], listener),
    delListener: (listenerId) => {
      listeners.delete(listenerId);
      return indexes;
    },
    destroy: () => {
      for (const indexId of definitions.ids()) {
        delIndexDefinition(indexId);
      }
    },
    getListenerStats: () => ({
      sliceIds: listeners.count('sliceIds'),
      sliceRowIds: listeners.count('sliceRowIds'),
    }),
  };
  return indexes;
};

const sameIds = (ids1: Ids, ids2: Ids): boolean =>
  ids1.length === ids2.length && ids1.every((id, index) => id === ids2[index]);
