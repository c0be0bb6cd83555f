// View components that render store content with TinyBase's props and output: each renders its
// children's ids (or a cell's text) and re-renders only when what it reads changes.
import {type ComponentType, Fragment, type ReactElement, type ReactNode} from 'react';
import type {Id, Ids} from '../store/types.js';
import type {StoreOrStoreId} from './context.js';
import {
  useCell,
  useCellIds,
  useRowIds,
  useSortedRowIds,
  useTableIds,
  useValue,
  useValueIds,
} from './store-hooks.js';

/** Extra props passed to a custom child component. */
export type ExtraProps = {[propName: string]: unknown};

type CommonViewProps = {
  readonly store?: StoreOrStoreId;
  /** Renders ids around content, as `id:{…}`, for debugging. */
  readonly debugIds?: boolean;
};
type ListViewProps = CommonViewProps & {
  /** Rendered between children. */
  readonly separator?: ReactElement | string;
};

export type CellProps = CommonViewProps & {
  readonly tableId: Id;
  readonly rowId: Id;
  readonly cellId: Id;
};
export type RowProps = ListViewProps & {
  readonly tableId: Id;
  readonly rowId: Id;
  readonly cellComponent?: ComponentType<CellProps>;
  readonly getCellComponentProps?: (cellId: Id) => ExtraProps;
  /** Renders these cells instead of the row's own cell ids. */
  readonly customCellIds?: Ids;
};
export type TableProps = ListViewProps & {
  readonly tableId: Id;
  readonly rowComponent?: ComponentType<RowProps>;
  readonly getRowComponentProps?: (rowId: Id) => ExtraProps;
  readonly customCellIds?: Ids;
};
export type SortedTableProps = TableProps & {
  readonly cellId?: Id;
  readonly descending?: boolean;
  readonly offset?: number;
  readonly limit?: number;
};
export type TablesProps = ListViewProps & {
  readonly tableComponent?: ComponentType<TableProps>;
  readonly getTableComponentProps?: (tableId: Id) => ExtraProps;
};
export type ValueProps = CommonViewProps & {readonly valueId: Id};
export type ValuesProps = ListViewProps & {
  readonly valueComponent?: ComponentType<ValueProps>;
  readonly getValueComponentProps?: (valueId: Id) => ExtraProps;
};

/** Puts `separator` between children and, with debugIds, wraps them as `id:{…}`. */
export function wrap(
  children: ReactElement[] | string,
  separator: ReactElement | string | undefined,
  debugIds: boolean | undefined,
  id?: Id,
): ReactNode {
  const separated =
    separator === undefined || typeof children === 'string'
      ? children
      : children.map((child, index) => (
          <Fragment key={child.key}>
            {index > 0 ? separator : null}
            {child}
          </Fragment>
        ));
  return debugIds && id !== undefined ? [id, ':{', separated, '}'] : separated;
}

/** A cell or value as text: nothing for a missing or null one, as TinyBase's views show. */
function cellText(cell: unknown): string {
  return cell === undefined || cell === null ? '' : String(cell);
}

export function CellView({tableId, rowId, cellId, store, debugIds}: CellProps): ReactNode {
  return wrap(cellText(useCell(tableId, rowId, cellId, store)), undefined, debugIds, cellId);
}

export function RowView({
  tableId,
  rowId,
  store,
  cellComponent: Cell = CellView,
  getCellComponentProps,
  customCellIds,
  separator,
  debugIds,
}: RowProps): ReactNode {
  const rowCellIds = useCellIds(tableId, rowId, store);
  const cells = (customCellIds ?? rowCellIds).map((cellId) => (
    <Cell
      key={cellId}
      {...getCellComponentProps?.(cellId)}
      tableId={tableId}
      rowId={rowId}
      cellId={cellId}
      store={store}
      debugIds={debugIds}
    />
  ));
  return wrap(cells, separator, debugIds, rowId);
}

function renderTable(
  {
    tableId,
    store,
    rowComponent: Row = RowView,
    getRowComponentProps,
    customCellIds,
    separator,
    debugIds,
  }: TableProps,
  rowIds: Ids,
): ReactNode {
  const rows = rowIds.map((rowId) => (
    <Row
      key={rowId}
      {...getRowComponentProps?.(rowId)}
      tableId={tableId}
      rowId={rowId}
      customCellIds={customCellIds}
      store={store}
      debugIds={debugIds}
    />
  ));
  return wrap(rows, separator, debugIds, tableId);
}

export function TableView(props: TableProps): ReactNode {
  return renderTable(props, useRowIds(props.tableId, props.store));
}

export function SortedTableView({
  cellId,
  descending,
  offset,
  limit,
  ...props
}: SortedTableProps): ReactNode {
  const rowIds = useSortedRowIds(props.tableId, cellId, descending, offset, limit, props.store);
  return renderTable(props, rowIds);
}

export function TablesView({
  store,
  tableComponent: Table = TableView,
  getTableComponentProps,
  separator,
  debugIds,
}: TablesProps): ReactNode {
  const tables = useTableIds(store).map((tableId) => (
    <Table
      key={tableId}
      {...getTableComponentProps?.(tableId)}
      tableId={tableId}
      store={store}
      debugIds={debugIds}
    />
  ));
  return wrap(tables, separator, debugIds);
}

export function ValueView({valueId, store, debugIds}: ValueProps): ReactNode {
  return wrap(cellText(useValue(valueId, store)), undefined, debugIds, valueId);
}

export function ValuesView({
  store,
  valueComponent: Value = ValueView,
  getValueComponentProps,
  separator,
  debugIds,
}: ValuesProps): ReactNode {
  const values = useValueIds(store).map((valueId) => (
    <Value
      key={valueId}
      {...getValueComponentProps?.(valueId)}
      valueId={valueId}
      store={store}
      debugIds={debugIds}
    />
  ));
  return wrap(values, separator, debugIds);
}
