// The order getSortedRowIds uses unless given a sorter, exported as TinyBase's root does.
import type {SortKey} from './types.js';

/**
 * Ascending by `<`, with undefined and null sorted as 0. Never 0 itself: equal keys keep the
 * order Array.prototype.sort leaves them in.
 */
export const defaultSorter = (sortKey1: SortKey, sortKey2: SortKey): number =>
  ((sortKey1 ?? 0) as number) < ((sortKey2 ?? 0) as number) ? -1 : 1;
