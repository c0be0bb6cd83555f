// What a transaction was given that the store could not take: cells and values of no storable
// kind, or that their schema refuses. They are kept by id, each with the list of things tried,
// until the transaction finishes and the invalid cell and value listeners have been told.
//
// An id is undefined when what was invalid is bigger than a cell: a whole table (no row id, no
// cell id), a whole row (no cell id), or the whole tables or values object. Only wildcard
// listeners hear those, with undefined in place of the missing ids, as in TinyBase.
import type {ListenerRecord, ListenerRegistry} from './listener-registry.js';
import type {Id, Store} from './types.js';

type MaybeId = Id | undefined;

export class InvalidContent {
  readonly cells = new Map<MaybeId, Map<MaybeId, Map<MaybeId, unknown[]>>>();
  readonly values = new Map<MaybeId, unknown[]>();

  /** Notes an invalid cell (or table, or row); `thing` is undefined for a missing cell. */
  cell(tableId?: Id, rowId?: Id, cellId?: Id, thing?: unknown): void {
    let rows = this.cells.get(tableId);
    if (!rows) {
      rows = new Map();
      this.cells.set(tableId, rows);
    }
    let cells = rows.get(rowId);
    if (!cells) {
      cells = new Map();
      rows.set(rowId, cells);
    }
    const tried = cells.get(cellId);
    if (tried) {
      tried.push(thing);
    } else {
      cells.set(cellId, [thing]);
    }
  }

  /** Notes an invalid value (or values object); `thing` is undefined for a missing value. */
  value(valueId?: Id, thing?: unknown): void {
    const tried = this.values.get(valueId);
    if (tried) {
      tried.push(thing);
    } else {
      this.values.set(valueId, [thing]);
    }
  }

  clear(): void {
    if (this.cells.size > 0) {
      this.cells.clear();
    }
    if (this.values.size > 0) {
      this.values.clear();
    }
  }
}

type Call = (record: ListenerRecord, args: unknown[]) => void;

/** The ids of an invalid cell or value (undefined where missing) and a copy of what was tried. */
type Report = [ids: Id[], tried: unknown[]];

/** Calls the listeners of `kind` in the phase (mutators or not) that match each report's ids. */
const callReports = (
  store: Store,
  registry: ListenerRegistry,
  kind: 'invalidCell' | 'invalidValue',
  reports: Report[],
  mutatorPhase: boolean,
  call: Call,
): void => {
  for (const [ids, tried] of reports) {
    registry.forEachMatch(kind, ids, (record) => {
      if (record.mutator === mutatorPhase) {
        call(record, [store, ...ids, tried]);
      }
    });
  }
};

/**
 * Calls the invalid cell listeners of one phase. Mutators get a snapshot: what they write, and
 * what is invalid in it, is reported to the non-mutator phase, not to other mutators.
 */
export const callInvalidCellListeners = (
  store: Store,
  registry: ListenerRegistry,
  invalid: InvalidContent,
  mutatorPhase: boolean,
  call: Call,
): void => {
  if (invalid.cells.size === 0 || !registry.has('invalidCell', mutatorPhase)) {
    return;
  }
  const reports: Report[] = [];
  for (const [tableId, rows] of invalid.cells) {
    for (const [rowId, cells] of rows) {
      for (const [cellId, tried] of cells) {
        reports.push([[tableId, rowId, cellId] as Id[], [...tried]]);
      }
    }
  }
  callReports(store, registry, 'invalidCell', reports, mutatorPhase, call);
};

/** Calls the invalid value listeners of one phase, as {@link callInvalidCellListeners}. */
export const callInvalidValueListeners = (
  store: Store,
  registry: ListenerRegistry,
  invalid: InvalidContent,
  mutatorPhase: boolean,
  call: Call,
): void => {
  if (invalid.values.size === 0 || !registry.has('invalidValue', mutatorPhase)) {
    return;
  }
  const reports = [...invalid.values].map(([id, tried]): Report => [[id as Id], [...tried]]);
  callReports(store, registry, 'invalidValue', reports, mutatorPhase, call);
};
