// Public types of Indexes. Names and shapes follow TinyBase 10's, so that code written for
// TinyBase's indexes type-checks against syncstore unchanged.
import type {
  CellOrUndefined,
  Id,
  IdOrNull,
  Ids,
  RowCallback,
  SortKey,
  Store,
} from '../store/types.js';

/** Reads a cell of the row being indexed (or measured, or related). */
export type GetCell = (cellId: Id) => CellOrUndefined;
/** The row ids of one slice, in their order. */
export type Slice = Ids;
/** An index: its slices by slice id. */
export type Index = {[sliceId: Id]: Slice};
export type IndexCallback = (
  indexId: Id,
  forEachSlice: (sliceCallback: SliceCallback) => void,
) => void;
export type SliceCallback = (sliceId: Id, forEachRow: (rowCallback: RowCallback) => void) => void;
export type IndexIdsListener = (indexes: Indexes) => void;
export type HasIndexListener = (indexes: Indexes, indexId: Id, hasIndex: boolean) => void;
export type SliceIdsListener = (indexes: Indexes, indexId: Id) => void;
export type HasSliceListener = (
  indexes: Indexes,
  indexId: Id,
  sliceId: Id,
  hasSlice: boolean,
) => void;
export type SliceRowIdsListener = (indexes: Indexes, indexId: Id, sliceId: Id) => void;
/** How many slice ids and slice row ids listeners are registered. */
export type IndexesListenerStats = {sliceIds: number; sliceRowIds: number};

/**
 * Indexes over a store: each index puts the rows of one table into slices (a row in none, one or
 * several), keeps each slice's row ids in order, and follows every change of the store.
 */
export interface Indexes {
  /**
   * Defines (or redefines) an index of a table. A row goes in the slice named by its
   * `getSliceIdOrIds` cell (or what the function returns: one slice id or several); without it,
   * every row is in the slice `''`. Rows are sorted in a slice by `getSortKey` (a cell or a
   * function) with `rowIdSorter`, else kept in the order they joined it; slice ids are sorted by
   * `sliceIdSorter`, else kept in the order the slices appeared.
   */
  setIndexDefinition(
    indexId: Id,
    tableId: Id,
    getSliceIdOrIds?: Id | ((getCell: GetCell, rowId: Id) => Id | Ids),
    getSortKey?: Id | ((getCell: GetCell, rowId: Id) => SortKey),
    sliceIdSorter?: (sliceId1: Id, sliceId2: Id) => number,
    rowIdSorter?: (sortKey1: SortKey, sortKey2: SortKey, sliceId: Id) => number,
  ): Indexes;
  /** Removes an index (and its slices); an unknown id is ignored. */
  delIndexDefinition(indexId: Id): Indexes;
  getStore(): Store;
  getIndexIds(): Ids;
  forEachIndex(indexCallback: IndexCallback): void;
  forEachSlice(indexId: Id, sliceCallback: SliceCallback): void;
  hasIndex(indexId: Id): boolean;
  hasSlice(indexId: Id, sliceId: Id): boolean;
  /** The table an index is of, undefined for an unknown index. */
  getTableId(indexId: Id): Id | undefined;
  getSliceIds(indexId: Id): Ids;
  getSliceRowIds(indexId: Id, sliceId: Id): Ids;
  /** Listens to the slice ids of one index, or with `null` of every index. */
  addSliceIdsListener(indexId: IdOrNull, listener: SliceIdsListener): Id;
  addIndexIdsListener(listener: IndexIdsListener): Id;
  addHasIndexListener(indexId: IdOrNull, listener: HasIndexListener): Id;
  /** Listens to the row ids of a slice; `null` for either id listens to every one. */
  addSliceRowIdsListener(indexId: IdOrNull, sliceId: IdOrNull, listener: SliceRowIdsListener): Id;
  addHasSliceListener(indexId: IdOrNull, sliceId: IdOrNull, listener: HasSliceListener): Id;
  delListener(listenerId: Id): Indexes;
  /** Removes every definition and stops following the store. */
  destroy(): void;
  getListenerStats(): IndexesListenerStats;
}
