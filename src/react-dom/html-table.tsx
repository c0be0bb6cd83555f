// The parts every *InHtmlTable component shares: the <table> with its optional caption and
// header row, the columns that customCells asks for, and one <tr> per row of a store table.
import {type ComponentType, memo, type ReactNode, useMemo} from 'react';
import type {StoreOrStoreId} from '../react/context.js';
import {useTableCellIds} from '../react/store-hooks.js';
import {type CellProps, CellView, type ExtraProps} from '../react/views.js';
import type {Id} from '../store/types.js';
import {EditableCellView} from './editable-views.js';
import type {ExtraRowCell, ExtraValueCell, HtmlTableProps, TableInHtmlTableProps} from './types.js';

/** One column of cells, resolved from customCells. */
export type Column = {
  readonly cellId: Id;
  readonly label: string;
  readonly component: ComponentType<CellProps>;
  readonly getComponentProps?: (rowId: Id, cellId: Id) => ExtraProps;
};

/**
 * The table's columns: the customCells in their order, or else every cell id used in the table.
 * Columns without their own component show the cell's text, or EditableCellView when editable.
 */
export function useColumns({
  tableId,
  store,
  editable,
  customCells,
}: TableInHtmlTableProps): Column[] {
  const tableCellIds = useTableCellIds(tableId, store);
  // The same columns while their inputs stay the same, so that rows whose props did not change
  // skip re-rendering when the table re-renders for another row.
  return useMemo(() => {
    const defaultComponent = editable ? EditableCellView : CellView;
    if (customCells === undefined || Array.isArray(customCells)) {
      return (customCells ?? tableCellIds).map((cellId) => ({
        cellId,
        label: cellId,
        component: defaultComponent,
      }));
    }
    return Object.entries(customCells).map(([cellId, custom]) => {
      const {
        label = cellId,
        component = defaultComponent,
        getComponentProps,
      } = typeof custom === 'string' ? {label: custom} : custom;
      return {cellId, label, component, getComponentProps};
    });
  }, [customCells, tableCellIds, editable]);
}

/** Header cells of extra columns. */
export function extraHeaders(extraCells: readonly (ExtraRowCell | ExtraValueCell)[] = []) {
  return extraCells.map(({label}, index) => (
    // Extra columns have no ids; their position is their identity.
    // biome-ignore lint/suspicious/noArrayIndexKey: see above
    <th key={index} className="extra">
      {label}
    </th>
  ));
}

/** Body cells of extra columns for one row or value. */
export function extraCells<Props extends object>(
  extraCells: readonly {component: ComponentType<Props>}[] = [],
  props: Props,
) {
  return extraCells.map(({component: Extra}, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: extra columns have no ids
    <td key={index} className="extra">
      <Extra {...props} />
    </td>
  ));
}

type HtmlTableShellProps = HtmlTableProps & {
  readonly caption?: ReactNode;
  /** The header cells, already in order (extra, id, columns, extra). */
  readonly headers: ReactNode;
  readonly children: ReactNode;
};

/** The `<table>`: caption (when given), header row (unless turned off), then the body. */
export function HtmlTableShell({
  className,
  headerRow = true,
  caption,
  headers,
  children,
}: HtmlTableShellProps): ReactNode {
  return (
    <table className={className}>
      {caption === undefined ? null : <caption>{caption}</caption>}
      {headerRow ? (
        <thead>
          <tr>{headers}</tr>
        </thead>
      ) : null}
      <tbody>{children}</tbody>
    </table>
  );
}

type TableRowProps = {
  readonly tableId: Id;
  readonly rowId: Id;
  readonly store: StoreOrStoreId | undefined;
  readonly columns: readonly Column[];
  readonly idColumn: boolean;
  readonly extraCellsBefore?: ExtraRowCell[];
  readonly extraCellsAfter?: ExtraRowCell[];
};

/** One row of a store table: extra cells, its id, its cells, extra cells. */
export const TableRow = memo(function TableRow({
  tableId,
  rowId,
  store,
  columns,
  idColumn,
  extraCellsBefore,
  extraCellsAfter,
}: TableRowProps): ReactNode {
  const rowProps = {tableId, rowId, store};
  return (
    <tr>
      {extraCells(extraCellsBefore, rowProps)}
      {idColumn ? <th title={rowId}>{rowId}</th> : null}
      {columns.map(({cellId, component: Cell, getComponentProps}) => (
        <td key={cellId}>
          {/* The table's own props win over the extra ones. */}
          <Cell {...getComponentProps?.(rowId, cellId)} {...rowProps} cellId={cellId} />
        </td>
      ))}
      {extraCells(extraCellsAfter, rowProps)}
    </tr>
  );
});
