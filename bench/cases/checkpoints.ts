// Checkpoints cases (issue 13): undo and redo of one 100-cell transaction in a store of N cells,
// TinyBase's createCheckpoints against syncstore's (and syncstore's local-only mode, against the
// same TinyBase undo). One undo or redo takes well under a millisecond, so each sample times
// OPERATIONS of them, undoing or redoing back (untimed) in between, and reports ms per operation.

import {
  createCheckpoints as createTinybaseCheckpoints,
  createMergeableStore as createTinybaseStore,
} from 'tinybase';
import {createCheckpoints, createMergeableStore} from '../../src/index.js';
import {type BenchCase, type CaseOptions, defineCase, type LibraryName} from '../harness.js';
import {CELLS_PER_ROW, fillCells, type SyncedStore, TABLE_ID} from '../workload.js';

const GROUP = 'checkpoints';
const CHANGED_CELLS = 100;
const OPERATIONS = 50;

/** The part of either library's checkpoints these cases use. */
interface CheckpointsUnderTest {
  addCheckpoint(label?: string): string;
  goBackward(): unknown;
  goForward(): unknown;
}

type History = {store: SyncedStore; checkpoints: CheckpointsUnderTest};
type Histories = Record<LibraryName, History>;

/** The ids of the changed cells: one cell in each of 100 rows spread over the table. */
const changedCells = (cells: number): [rowId: string, cellId: string][] => {
  const rows = cells / CELLS_PER_ROW;
  return Array.from({length: CHANGED_CELLS}, (_, index) => [
    `r${Math.floor((index * rows) / CHANGED_CELLS)}`,
    `c${index % CELLS_PER_ROW}`,
  ]);
};

/** A store of `cells` cells, checkpoints over it, and one checkpointed 100-cell transaction. */
function createHistory(library: LibraryName, cells: number, localOnly: boolean): History {
  const store = (
    library === 'tinybase' ? createTinybaseStore('s1') : createMergeableStore('s1')
  ) as SyncedStore;
  fillCells(store, cells);
  const checkpoints = (
    library === 'tinybase'
      ? createTinybaseCheckpoints(store as never)
      : createCheckpoints(store as never, {localOnly})
  ) as CheckpointsUnderTest;
  store.transaction(() => {
    for (const [rowId, cellId] of changedCells(cells)) {
      store.setCell(TABLE_ID, rowId, cellId, -1);
    }
  });
  checkpoints.addCheckpoint('edit');
  return {store, checkpoints};
}

/** Throws unless every changed cell holds the edited value (after redo) or not (after undo). */
function expectEdited(
  {store}: History,
  cells: number,
  edited: boolean,
  library: LibraryName,
): void {
  for (const [rowId, cellId] of changedCells(cells)) {
    if ((store.getCell(TABLE_ID, rowId, cellId) === -1) !== edited) {
      throw new Error(`${library}: ${rowId}/${cellId} is not ${edited ? 'redone' : 'undone'}`);
    }
  }
}

function undoRedoCase(
  cells: number,
  direction: 'undo' | 'redo',
  localOnly: boolean,
): BenchCase<Histories> {
  const undo = direction === 'undo';
  const side = (library: LibraryName) => ({
    measure: (_: unknown, histories: Histories) => {
      const history = histories[library];
      let total = 0;
      for (let operation = 0; operation < OPERATIONS; operation++) {
        if (!undo) {
          history.checkpoints.goBackward();
        }
        const start = performance.now();
        if (undo) {
          history.checkpoints.goBackward();
        } else {
          history.checkpoints.goForward();
        }
        total += performance.now() - start;
        expectEdited(history, cells, !undo, library);
        if (undo) {
          history.checkpoints.goForward();
        }
      }
      return total / OPERATIONS;
    },
  });
  return defineCase({
    group: GROUP,
    name: `${direction} a ${CHANGED_CELLS}-cell transaction${localOnly ? ' (syncstore local-only)' : ''}`,
    size: cells,
    samples: 7,
    warmup: 2,
    setup: (): Histories => ({
      syncstore: createHistory('syncstore', cells, localOnly),
      tinybase: createHistory('tinybase', cells, false),
    }),
    syncstore: side('syncstore'),
    tinybase: side('tinybase'),
  });
}

export function cases(options: CaseOptions): BenchCase[] {
  const cells = options.quick ? 1_000 : 100_000;
  return [
    undoRedoCase(cells, 'undo', false),
    undoRedoCase(cells, 'redo', false),
    undoRedoCase(cells, 'undo', true),
    undoRedoCase(cells, 'redo', true),
  ] as BenchCase[];
}
