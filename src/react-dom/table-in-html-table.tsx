// TableInHtmlTable and SortedTableInHtmlTable: one table of the store as an HTML <table>, one
// <tr> per row and one column per cell id; the sorted one can re-sort on header clicks and page.
import {type ComponentType, type ReactNode, useState} from 'react';
import {useRowCount, useRowIds, useSortedRowIds} from '../react/store-hooks.js';
import type {Id, Ids} from '../store/types.js';
import {type Column, extraHeaders, HtmlTableShell, TableRow, useColumns} from './html-table.js';
import {SortedTablePaginator} from './sorted-table-paginator.js';
import type {
  HtmlTableProps,
  SortedTableInHtmlTableProps,
  SortedTablePaginatorProps,
  TableInHtmlTableProps,
} from './types.js';

type Sorting = [cellId: Id | undefined, descending: boolean, offset: number];

/** The rows of either component, in the given order. */
function renderRows(
  props: TableInHtmlTableProps & HtmlTableProps,
  columns: readonly Column[],
  rowIds: Ids,
): ReactNode {
  return rowIds.map((rowId) => (
    <TableRow
      key={rowId}
      tableId={props.tableId}
      rowId={rowId}
      store={props.store}
      columns={columns}
      idColumn={props.idColumn ?? true}
      extraCellsBefore={props.extraCellsBefore}
      extraCellsAfter={props.extraCellsAfter}
    />
  ));
}

/**
 * One table of the store as a `<table>`: a header row of cell ids (or customCells labels), then
 * a `<tr>` per row, in the table's order, starting with a `<th>` of the row id. Re-renders when
 * rows or cells change.
 *
 * @example
 * <TableInHtmlTable tableId="pets" className="pets" />
 * // <table class="pets"><thead><tr><th>Id</th><th>species</th></tr></thead>
 * // <tbody><tr><th title="fido">fido</th><td>dog</td></tr></tbody></table>
 */
export function TableInHtmlTable(props: TableInHtmlTableProps & HtmlTableProps): ReactNode {
  return <RowsInHtmlTable {...props} rowIds={useRowIds(props.tableId, props.store)} />;
}

/**
 * Some rows of a store table as TableInHtmlTable shows them, in the given order: what it and
 * SliceInHtmlTable (the rows of a slice) share.
 */
export function RowsInHtmlTable(
  props: TableInHtmlTableProps & HtmlTableProps & {readonly rowIds: Ids},
): ReactNode {
  const {rowIds} = props;
  const columns = useColumns(props);
  return (
    <HtmlTableShell
      className={props.className}
      headerRow={props.headerRow}
      headers={
        <>
          {extraHeaders(props.extraCellsBefore)}
          {(props.idColumn ?? true) ? <th>Id</th> : null}
          {columns.map(({cellId, label}) => (
            <th key={cellId}>{label}</th>
          ))}
          {extraHeaders(props.extraCellsAfter)}
        </>
      }
    >
      {renderRows(props, columns, rowIds)}
    </HtmlTableShell>
  );
}

type SortHeaderProps = {
  readonly label: string;
  readonly cellId: Id | undefined;
  readonly sorting: Sorting;
  /** Called with the new sorting when the header is clicked; undefined when not sortable. */
  readonly onSort: ((sorting: Sorting) => void) | undefined;
};

/** A header that shows whether the table is sorted by its column, and can sort by it. */
function SortHeader({label, cellId, sorting, onSort}: SortHeaderProps): ReactNode {
  const [sortedCellId, descending, offset] = sorting;
  const sorted = cellId === sortedCellId;
  // A click on the sorted column reverses it; on another column sorts by it, ascending. The
  // page stays where it is.
  const onClick =
    onSort === undefined ? undefined : () => onSort([cellId, sorted ? !descending : false, offset]);
  if (!sorted) {
    return <th onClick={onClick}>{label}</th>;
  }
  return (
    <th className={`sorted ${descending ? 'descending' : 'ascending'}`} onClick={onClick}>
      {`${descending ? '↓' : '↑'} ${label}`}
    </th>
  );
}

/**
 * One table of the store as a `<table>`, sorted by a cell (or by row id) and paged by offset and
 * limit. The sorted column's header has the classes `sorted ascending` (or `descending`) and an
 * arrow. The sorting and offset props are where it starts: after that the user's clicks decide
 * (sortOnClick, the paginator), and onChange hears of each change, as in TinyBase.
 *
 * @example
 * <SortedTableInHtmlTable tableId="pets" cellId="species" limit={10} sortOnClick paginator
 *   onChange={([cellId, descending, offset]) => save({cellId, descending, offset})} />
 */
export function SortedTableInHtmlTable({
  cellId,
  descending = false,
  offset = 0,
  limit,
  sortOnClick,
  paginator = false,
  onChange,
  ...props
}: SortedTableInHtmlTableProps & HtmlTableProps): ReactNode {
  const [sorting, setSorting] = useState<Sorting>([cellId, descending, offset]);
  const changeSorting = (next: Sorting) => {
    setSorting(next);
    onChange?.(next);
  };
  const [sortedCellId, sortedDescending, sortedOffset] = sorting;
  const columns = useColumns(props);
  const rowIds = useSortedRowIds(
    props.tableId,
    sortedCellId,
    sortedDescending,
    sortedOffset,
    limit,
    props.store,
  );
  const total = useRowCount(props.tableId, props.store);
  const onSort = sortOnClick ? changeSorting : undefined;

  const Paginator: ComponentType<SortedTablePaginatorProps> | undefined =
    paginator === true ? SortedTablePaginator : paginator || undefined;
  return (
    <HtmlTableShell
      className={props.className}
      headerRow={props.headerRow}
      caption={
        Paginator === undefined ? undefined : (
          <Paginator
            offset={sortedOffset}
            limit={limit}
            total={total}
            onChange={(nextOffset) => changeSorting([sortedCellId, sortedDescending, nextOffset])}
          />
        )
      }
      headers={
        <>
          {extraHeaders(props.extraCellsBefore)}
          {(props.idColumn ?? true) ? (
            <SortHeader label="Id" cellId={undefined} sorting={sorting} onSort={onSort} />
          ) : null}
          {columns.map(({cellId, label}) => (
            <SortHeader
              key={cellId}
              label={label}
              cellId={cellId}
              sorting={sorting}
              onSort={onSort}
            />
          ))}
          {extraHeaders(props.extraCellsAfter)}
        </>
      }
    >
      {renderRows(props, columns, rowIds)}
    </HtmlTableShell>
  );
}
