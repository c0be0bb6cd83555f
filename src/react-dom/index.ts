// syncstore/react-dom: TinyBase ui-react-dom's components for web apps: store tables and values
// as HTML tables, editors for one cell or value, and the paginator of sorted tables.
export {EditableCellView, EditableValueView} from './editable-views.js';
export {
  RelationshipInHtmlTable,
  type RelationshipInHtmlTableProps,
} from './relationship-in-html-table.js';
export {SliceInHtmlTable, type SliceInHtmlTableProps} from './slice-in-html-table.js';
export {SortedTablePaginator} from './sorted-table-paginator.js';
export {SortedTableInHtmlTable, TableInHtmlTable} from './table-in-html-table.js';
export type {
  CustomCell,
  EditableViewProps,
  ExtraRowCell,
  ExtraValueCell,
  HtmlTableProps,
  SortedTableInHtmlTableProps,
  SortedTablePaginatorProps,
  TableInHtmlTableProps,
  ValuesInHtmlTableProps,
} from './types.js';
export {ValuesInHtmlTable} from './values-in-html-table.js';
