// Reading and explaining a cell's clock stamp (its HLC) for the Conflict story.
import {useCell} from '../../src/react/index.js';
import {decodeHlc} from '../../src/store/hlc.js';
import type {Cell, Hlc, Id, MergeableStore} from '../../src/store/types.js';

export type CellStamp = {cell: Cell | undefined; hlc: Hlc};

/** The cell and the stamp of its last write, from the store's mergeable content. */
export const getCellStamp = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  cellId: Id,
): CellStamp => {
  const [tablesStamp] = store.getMergeableContent();
  const [cell, hlc] = tablesStamp[0][tableId]?.[0][rowId]?.[0][cellId] ?? [undefined, ''];
  return {cell, hlc};
};

/** The cell and its stamp, re-read whenever the cell changes. */
export const useCellStamp = (
  store: MergeableStore,
  tableId: Id,
  rowId: Id,
  cellId: Id,
): CellStamp => {
  useCell(tableId, rowId, cellId, store);
  return getCellStamp(store, tableId, rowId, cellId);
};

/** "12:00:01.532, counter 1, client 7JQY8": what an HLC is made of. */
export const describeHlc = (hlc: Hlc): string => {
  if (hlc === '') return 'no stamp (a default)';
  const [time, counter, clientId] = decodeHlc(hlc);
  return `${new Date(time).toISOString().slice(11, 23)}, counter ${counter}, client ${clientId}`;
};
