// SliceInHtmlTable: the rows of one slice of an index as an HTML <table>, as TableInHtmlTable
// shows a table: the columns of the index's table, one <tr> per row, in the slice's order.
import type {ReactNode} from 'react';
import type {Indexes} from '../indexes/types.js';
import type {IndexesOrIndexesId} from '../react/context.js';
import {useIndexesOrIndexesById} from '../react/context.js';
import {useSliceRowIds} from '../react/derived-hooks.js';
import type {Id, MergeableStore} from '../store/types.js';
import {RowsInHtmlTable} from './table-in-html-table.js';
import type {HtmlTableProps, TableInHtmlTableProps} from './types.js';

export type SliceInHtmlTableProps = Omit<TableInHtmlTableProps, 'tableId' | 'store'> & {
  readonly indexId: Id;
  readonly sliceId: Id;
  readonly indexes?: IndexesOrIndexesId;
};

/**
 * One slice of an index as a `<table>`, re-rendering when its rows or their cells change.
 *
 * @example
 * <SliceInHtmlTable indexId="bySpecies" sliceId="dog" indexes={indexes} />
 */
export function SliceInHtmlTable({
  indexId,
  sliceId,
  indexes,
  ...props
}: SliceInHtmlTableProps & HtmlTableProps): ReactNode {
  const resolved: Indexes | undefined = useIndexesOrIndexesById(indexes);
  const rowIds = useSliceRowIds(indexId, sliceId, resolved);
  return (
    <RowsInHtmlTable
      {...props}
      tableId={resolved?.getTableId(indexId) as Id}
      store={resolved?.getStore() as MergeableStore | undefined}
      rowIds={rowIds}
    />
  );
}
