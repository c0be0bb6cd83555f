// useSortedRowIds and useSortedRowIdsListener take the sort arguments one by one or as one object,
// as the store's methods do. This turns either form into one list of sort arguments, with the
// defaults filled in, and returns the arguments that follow them (the listener, the store...).
import type {Id, SortedRowIdsArgs, Sorter} from '../store/types.js';

/** tableId, cellId, descending, offset, limit, sorter: getSortedRowIds' positional order. */
export type SortArguments = [
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  sorter: Sorter | undefined,
];

/**
 * Splits a hook's arguments into the sort arguments and the arguments that follow them. The
 * positional form has four more leading arguments than the object form. With `positionalSorter`
 * (useSortedRowIds), the argument after `limit` is a sorter when it is a function and otherwise
 * already the store, as in TinyBase; useSortedRowIdsListener takes a sorter only in the object.
 */
export function splitSortedRowIdsArgs(
  tableIdOrArgs: Id | SortedRowIdsArgs,
  rest: readonly unknown[],
  positionalSorter: boolean,
): [sortArguments: SortArguments, following: unknown[]] {
  if (typeof tableIdOrArgs === 'object') {
    return [sortArgumentsOf(tableIdOrArgs), [...rest]];
  }
  const [cellId, descending, offset, limit, ...following] = rest;
  const sorter =
    positionalSorter && typeof following[0] === 'function'
      ? (following.shift() as Sorter)
      : undefined;
  const args = {tableId: tableIdOrArgs, cellId, descending, offset, limit, sorter};
  return [sortArgumentsOf(args as SortedRowIdsArgs), following];
}

function sortArgumentsOf({tableId, cellId, descending, offset, limit, sorter}: SortedRowIdsArgs) {
  return [tableId, cellId, descending ?? false, offset ?? 0, limit, sorter] satisfies SortArguments;
}

/** The sort arguments as the args object the store's methods take. */
export function sortArgsObject([
  tableId,
  cellId,
  descending,
  offset,
  limit,
  sorter,
]: SortArguments): SortedRowIdsArgs {
  return {tableId, cellId, descending, offset, limit, sorter};
}
