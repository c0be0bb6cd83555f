// The props of syncstore/react-dom's components: TinyBase ui-react-dom's names and shapes, so an
// app moves over by changing its imports.
import type {ComponentType} from 'react';
import type {StoreOrStoreId} from '../react/context.js';
import type {CellProps, ExtraProps, RowProps, ValueProps} from '../react/views.js';
import type {Id, Ids} from '../store/types.js';

/** How one column of a table shows its cells: header label, component, extra props. */
export type CustomCell = {
  /** The column's header (default: the cell id). */
  label?: string;
  /** Renders each cell of the column (default: CellView, or EditableCellView when editable). */
  component?: ComponentType<CellProps>;
  /** Extra props for `component`, per row and cell. */
  getComponentProps?: (rowId: Id, cellId: Id) => ExtraProps;
};

/** A column that is not a cell, before or after the cells, rendered per row. */
export type ExtraRowCell = {
  label: string;
  component: ComponentType<RowProps>;
};

/** A column that is not the value, before or after it, rendered per value. */
export type ExtraValueCell = {
  label: string;
  component: ComponentType<ValueProps>;
};

export type HtmlTableProps = {
  /** The class of the `<table>` element. */
  readonly className?: string;
  /** Whether to render the `<thead>` with the column labels (default true). */
  readonly headerRow?: boolean;
  /** Whether to start each row with a `<th>` holding its id (default true). */
  readonly idColumn?: boolean;
};

export type TableInHtmlTableProps = {
  readonly tableId: Id;
  readonly store?: StoreOrStoreId;
  /** Renders cells with EditableCellView (columns with their own component keep it). */
  readonly editable?: boolean;
  /** The columns, in order: cell ids, or cell ids mapped to a label or a CustomCell. */
  readonly customCells?: Ids | {[cellId: Id]: string | CustomCell};
  readonly extraCellsBefore?: ExtraRowCell[];
  readonly extraCellsAfter?: ExtraRowCell[];
};

export type SortedTablePaginatorProps = {
  /** Called with the offset the user asks for (or 0 when the given offset is out of range). */
  readonly onChange: (offset: number) => void;
  readonly offset?: number;
  /** Rows per page; without one there is a single page. */
  readonly limit?: number;
  /** The number of rows in the whole table. */
  readonly total: number;
  /** The noun for one row (default 'row'). */
  readonly singular?: string;
  /** The noun for several rows (default the singular with an 's'). */
  readonly plural?: string;
};

export type SortedTableInHtmlTableProps = TableInHtmlTableProps & {
  /** The cell to sort by at first (default: the row id). */
  readonly cellId?: Id;
  readonly descending?: boolean;
  readonly offset?: number;
  readonly limit?: number;
  /** Clicking a column's header sorts by it, and clicking it again reverses the order. */
  readonly sortOnClick?: boolean;
  /** `true` for SortedTablePaginator in the table's caption, or another paginator component. */
  readonly paginator?: boolean | ComponentType<SortedTablePaginatorProps>;
  /** Called when the user changes the sorting or the page. */
  readonly onChange?: (
    sortAndOffset: [cellId: Id | undefined, descending: boolean, offset: number],
  ) => void;
};

export type ValuesInHtmlTableProps = {
  readonly store?: StoreOrStoreId;
  /** Renders values with EditableValueView (unless a valueComponent is given). */
  readonly editable?: boolean;
  readonly valueComponent?: ComponentType<ValueProps>;
  readonly getValueComponentProps?: (valueId: Id) => ExtraProps;
  readonly extraCellsBefore?: ExtraValueCell[];
  readonly extraCellsAfter?: ExtraValueCell[];
};

/** EditableCellView and EditableValueView also take these. */
export type EditableViewProps = {
  /** The class of the root `<div>` (default `editableCell` or `editableValue`). */
  readonly className?: string;
  /** Whether to show the button that shows and cycles the type (default true). */
  readonly showType?: boolean;
};
