// Store cases (issue 2): local writes, retained heap, and a full mergeable-content round trip,
// for N cells laid out as N/10 rows of 10 cells in one table. Both libraries' stores are created
// the same way, createMergeableStore('s1'), and fed the same precomputed ids and values.

import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createMergeableStore as createSyncstoreStore} from '../../src/index.js';
import {
  type BenchCase,
  type CaseOptions,
  defineCase,
  type LibraryName,
  retainedHeapBytes,
  type Side,
  sizesFor,
} from '../harness.js';

const GROUP = 'store';
const TABLE_ID = 't';
const CELLS_PER_ROW = 10;

/** The few store methods these cases use; both libraries' MergeableStores fit it. */
interface StoreUnderTest {
  setCell(tableId: string, rowId: string, cellId: string, cell: number): unknown;
  transaction(actions: () => void): unknown;
  getRowCount(tableId: string): number;
  getMergeableContent(): unknown;
  // Method syntax: each library's own content type is accepted here.
  setMergeableContent(content: unknown): unknown;
}

const createStore: Record<LibraryName, (uniqueId: string) => StoreUnderTest> = {
  syncstore: createSyncstoreStore,
  tinybase: createTinybaseStore,
};
if (createStore.syncstore === createStore.tinybase) {
  throw new Error('bench/cases/store.ts would compare TinyBase with itself');
}

/** Row and cell ids built once per case, so id allocation is billed to neither library. */
interface Layout {
  cells: number;
  rowIds: string[];
  cellIds: string[];
}

function layoutFor(cells: number): Layout {
  const rows = Math.ceil(cells / CELLS_PER_ROW);
  return {
    cells,
    rowIds: Array.from({length: rows}, (_, row) => `r${row}`),
    cellIds: Array.from({length: CELLS_PER_ROW}, (_, cell) => `c${cell}`),
  };
}

/** Every cell of the layout, each set by its own setCell call; the value is the cell's index. */
function writeCells(store: StoreUnderTest, layout: Layout): void {
  let index = 0;
  for (const rowId of layout.rowIds) {
    for (const cellId of layout.cellIds) {
      store.setCell(TABLE_ID, rowId, cellId, index++);
    }
  }
}

function writeCellsInOneTransaction(store: StoreUnderTest, layout: Layout): StoreUnderTest {
  store.transaction(() => writeCells(store, layout));
  return store;
}

function expectAllRows(store: StoreUnderTest, layout: Layout, library: LibraryName): void {
  const rows = store.getRowCount(TABLE_ID);
  if (rows !== layout.rowIds.length) {
    throw new Error(`${library} store has ${rows} rows, expected ${layout.rowIds.length}`);
  }
}

/** Repetitions by size: small cases are fast and noisy, so they get more samples. */
function repetitionsFor(cells: number): {samples: number; warmup: number} {
  if (cells <= 1_000) {
    return {samples: 15, warmup: 5};
  }
  if (cells <= 10_000) {
    return {samples: 9, warmup: 3};
  }
  return {samples: 5, warmup: 1};
}

/** The same side for both libraries, differing only in which createMergeableStore it calls. */
function bothSides<Input, Prepared>(
  sideFor: (library: LibraryName) => Side<Input, Prepared>,
): Record<LibraryName, Side<Input, Prepared>> {
  return {syncstore: sideFor('syncstore'), tinybase: sideFor('tinybase')};
}

function writeCase(cells: number, inOneTransaction: boolean): BenchCase<Layout, StoreUnderTest> {
  return defineCase({
    group: GROUP,
    name: inOneTransaction ? 'write cells, one transaction' : 'write cells, a transaction each',
    size: cells,
    ...repetitionsFor(cells),
    setup: () => layoutFor(cells),
    ...bothSides((library) => ({
      prepare: () => createStore[library]('s1'),
      run: (store: StoreUnderTest, layout: Layout) =>
        inOneTransaction ? writeCellsInOneTransaction(store, layout) : writeCells(store, layout),
      cleanup: (store: StoreUnderTest, layout: Layout) => expectAllRows(store, layout, library),
    })),
  });
}

const MEBIBYTE = 1024 * 1024;

function retainedHeapCase(cells: number): BenchCase<Layout> {
  return defineCase({
    group: GROUP,
    name: 'retained heap',
    size: cells,
    unit: 'MiB',
    samples: 5,
    warmup: 1,
    setup: () => layoutFor(cells),
    ...bothSides((library) => ({
      measure: (_: unknown, layout: Layout) => {
        const bytes = retainedHeapBytes(() =>
          writeCellsInOneTransaction(createStore[library]('s1'), layout),
        );
        return {value: bytes / MEBIBYTE, extras: {'bytes/cell': Math.round(bytes / cells)}};
      },
    })),
  });
}

/** One prebuilt source store per library, read (never changed) by every sample. */
type Sources = Record<LibraryName, StoreUnderTest> & {layout: Layout};

function mergeableContentCase(cells: number): BenchCase<Sources> {
  return defineCase({
    group: GROUP,
    name: 'get + set mergeable content',
    size: cells,
    ...repetitionsFor(cells),
    setup: (): Sources => {
      const layout = layoutFor(cells);
      return {
        layout,
        syncstore: writeCellsInOneTransaction(createStore.syncstore('s1'), layout),
        tinybase: writeCellsInOneTransaction(createStore.tinybase('s1'), layout),
      };
    },
    ...bothSides((library) => ({
      measure: (_: unknown, sources: Sources) => {
        const start = performance.now();
        const content = sources[library].getMergeableContent();
        const gotten = performance.now();
        const target = createStore[library]('s2');
        target.setMergeableContent(content);
        const done = performance.now();
        expectAllRows(target, sources.layout, library);
        return {value: done - start, extras: {'get ms': gotten - start, 'set ms': done - gotten}};
      },
    })),
  });
}

export function cases(options: CaseOptions): BenchCase[] {
  const sizes = sizesFor(options);
  const largest = sizes[sizes.length - 1];
  return [
    ...sizes.map((cells) => writeCase(cells, true)),
    ...sizes.map((cells) => writeCase(cells, false)),
    retainedHeapCase(largest),
    ...sizes.map((cells) => mergeableContentCase(cells)),
  ];
}
