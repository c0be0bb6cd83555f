// ValuesInHtmlTable: the store's values as an HTML <table>, one <tr> per value.
import type {ReactNode} from 'react';
import {useValueIds} from '../react/store-hooks.js';
import {ValueView} from '../react/views.js';
import {EditableValueView} from './editable-views.js';
import {extraCells, extraHeaders, HtmlTableShell} from './html-table.js';
import type {HtmlTableProps, ValuesInHtmlTableProps} from './types.js';

/**
 * The store's values as a `<table>`: a header row (`Id`, `Value`), then a `<tr>` per value with
 * a `<th>` of its id. Re-renders when values change.
 *
 * @example
 * <ValuesInHtmlTable editable />
 * // <table><thead><tr><th>Id</th><th>Value</th></tr></thead><tbody><tr><th title="open">open</th>
 * // <td><div class="editableValue"><button title="boolean" class="boolean">boolean</button>
 * // <input type="checkbox" checked=""></div></td></tr></tbody></table>
 */
export function ValuesInHtmlTable({
  store,
  editable,
  valueComponent,
  getValueComponentProps,
  extraCellsBefore,
  extraCellsAfter,
  className,
  headerRow,
  idColumn = true,
}: ValuesInHtmlTableProps & HtmlTableProps): ReactNode {
  // A custom component wins over `editable`.
  const Value = valueComponent ?? (editable ? EditableValueView : ValueView);
  return (
    <HtmlTableShell
      className={className}
      headerRow={headerRow}
      headers={
        <>
          {extraHeaders(extraCellsBefore)}
          {idColumn ? <th>Id</th> : null}
          <th>Value</th>
          {extraHeaders(extraCellsAfter)}
        </>
      }
    >
      {useValueIds(store).map((valueId) => (
        <tr key={valueId}>
          {extraCells(extraCellsBefore, {valueId, store})}
          {idColumn ? <th title={valueId}>{valueId}</th> : null}
          <td>
            <Value {...getValueComponentProps?.(valueId)} valueId={valueId} store={store} />
          </td>
          {extraCells(extraCellsAfter, {valueId, store})}
        </tr>
      ))}
    </HtmlTableShell>
  );
}
