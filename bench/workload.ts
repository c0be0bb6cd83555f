// The content the sync and WebSocket cases move: N cells as N/10 rows of 10 cells, half numbers
// and half strings, written by either library's store. One definition, so both groups measure the
// same data.

export const TABLE_ID = 't';
export const CELLS_PER_ROW = 10;

/** What the sync cases need of either library's store. */
export interface SyncedStore {
  setCell(tableId: string, rowId: string, cellId: string, cell: number | string): unknown;
  getCell(tableId: string, rowId: string, cellId: string): unknown;
  getRowCount(tableId: string): number;
  transaction(actions: () => void): unknown;
  getMergeableContent(): unknown;
  setMergeableContent(content: unknown): unknown;
  getMergeableContentHashes(): [number, number];
}

/** Writes `cells` cells into `store` in one transaction. */
export function fillCells(store: SyncedStore, cells: number): void {
  store.transaction(() => {
    for (let index = 0; index < cells; index++) {
      const cell = index % CELLS_PER_ROW;
      store.setCell(
        TABLE_ID,
        `r${Math.floor(index / CELLS_PER_ROW)}`,
        `c${cell}`,
        cell % 2 ? index : `v${index}`,
      );
    }
  });
}
