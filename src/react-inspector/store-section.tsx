// The store's tables (one HTML table each, a column per cell id) and its values, read with the
// same hooks an app uses, so the Inspector re-renders on changes and never writes.
import type {ReactNode} from 'react';
import {useTables, useValues} from '../react/store-hooks.js';
import type {CellOrUndefined, MergeableStore, Table} from '../store/types.js';
import {captionStyle, cellStyle, tableStyle} from './styles.js';

function show(cell: CellOrUndefined): string {
  return cell === undefined ? '' : JSON.stringify(cell);
}

function cellIdsOf(table: Table): string[] {
  const cellIds = new Set<string>();
  for (const row of Object.values(table)) {
    for (const cellId of Object.keys(row)) {
      cellIds.add(cellId);
    }
  }
  return [...cellIds];
}

function TableView({tableId, table}: {tableId: string; table: Table}): ReactNode {
  const cellIds = cellIdsOf(table);
  return (
    <table style={tableStyle}>
      <caption style={captionStyle}>
        Table {tableId} ({Object.keys(table).length} rows)
      </caption>
      <thead>
        <tr>
          <th style={cellStyle}>row id</th>
          {cellIds.map((cellId) => (
            <th key={cellId} style={cellStyle}>
              {cellId}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Object.entries(table).map(([rowId, row]) => (
          <tr key={rowId}>
            <th style={cellStyle}>{rowId}</th>
            {cellIds.map((cellId) => (
              <td key={cellId} style={cellStyle}>
                {show(row[cellId])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StoreSection({store}: {store: MergeableStore | undefined}): ReactNode {
  const tables = useTables(store);
  const values = useValues(store);
  const tableIds = Object.keys(tables);
  const valueIds = Object.keys(values);
  return (
    <section aria-label="Store">
      <h2>Store</h2>
      {store === undefined ? <p>No store.</p> : null}
      {store !== undefined && tableIds.length === 0 ? <p>No tables.</p> : null}
      {tableIds.map((tableId) => (
        <TableView key={tableId} tableId={tableId} table={tables[tableId]} />
      ))}
      {valueIds.length > 0 ? (
        <table style={tableStyle}>
          <caption style={captionStyle}>Values</caption>
          <tbody>
            {valueIds.map((valueId) => (
              <tr key={valueId}>
                <th style={cellStyle}>{valueId}</th>
                <td style={cellStyle}>{show(values[valueId])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
