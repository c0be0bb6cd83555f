// useSortedRowIds and useSortedRowIdsListener take the sort arguments one by one or as one object,
// as the store's methods do. This turns either form into the positional arguments the store's
// getSortedRowIds and addSortedRowIdsListener take, with the defaults filled in.
import type {Id, SortedRowIdsArgs} from '../store/types.js';

/** tableId, cellId, descending, offset, limit: the store's positional order. */
export type SortArguments = [
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
];

/**
 * Splits a hook's arguments into the sort arguments and the arguments that follow them (the
 * listener, the store...). The positional form has four more leading arguments than the object
 * form.
 */
export function splitSortedRowIdsArgs(
  tableIdOrArgs: Id | SortedRowIdsArgs,
  rest: readonly unknown[],
): [sortArguments: SortArguments, following: unknown[]] {
  if (typeof tableIdOrArgs === 'object') {
    return [sortArgumentsOf(tableIdOrArgs), [...rest]];
  }
  const [cellId, descending, offset, limit, ...following] = rest;
  const args = {tableId: tableIdOrArgs, cellId, descending, offset, limit} as SortedRowIdsArgs;
  return [sortArgumentsOf(args), following];
}

function sortArgumentsOf({tableId, cellId, descending, offset, limit}: SortedRowIdsArgs) {
  return [tableId, cellId, descending ?? false, offset ?? 0, limit] satisfies SortArguments;
}
