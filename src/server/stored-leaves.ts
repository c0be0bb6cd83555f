// The row form every room storage uses (docs/protocol.md §7.7): one stored leaf per cell and per
// value, holding the winning stamp's thing as JSON text (null for a tombstone) and its HLC. Change
// sets are flattened into leaves to be written, and stored leaves are gathered back into change
// sets, a bounded number of leaves at a time, so that loading a large room never builds one giant
// result.
import {setOwn} from '../store/objects.js';
import type {CellStamp, Id, MergeableChanges, TablesStamp, ValuesStamp} from '../store/types.js';

/** A cell as stored: table, row and cell ids, the thing as JSON (null: tombstone), the HLC. */
export type StoredCell = [tableId: Id, rowId: Id, cellId: Id, thing: string | null, hlc: string];
/** A value as stored: its id, the thing as JSON (null: tombstone), the HLC. */
export type StoredValue = [valueId: Id, thing: string | null, hlc: string];

/** Leaves per change set when a room is read back in parts. */
export const LEAVES_PER_CHUNK = 5000;

export const encodeThing = (thing: unknown): string | null =>
  thing === undefined ? null : JSON.stringify(thing);

export const decodeThing = (text: string | null): CellStamp[0] =>
  text === null ? undefined : (JSON.parse(text) as CellStamp[0]);

/** Every leaf of a change set, in the stored form (an absent HLC is the empty clock ""). */
export const flattenChanges = (
  changes: MergeableChanges,
): {cells: StoredCell[]; values: StoredValue[]} => {
  const [[tables], [values]] = changes;
  const storedCells: StoredCell[] = [];
  const storedValues: StoredValue[] = [];
  for (const tableId of Object.keys(tables)) {
    const [rows] = tables[tableId]!;
    for (const rowId of Object.keys(rows)) {
      const [cells] = rows[rowId]!;
      for (const cellId of Object.keys(cells)) {
        const [thing, hlc = ''] = cells[cellId]!;
        storedCells.push([tableId, rowId, cellId, encodeThing(thing), hlc]);
      }
    }
  }
  for (const valueId of Object.keys(values)) {
    const [thing, hlc = ''] = values[valueId]!;
    storedValues.push([valueId, encodeThing(thing), hlc]);
  }
  return {cells: storedCells, values: storedValues};
};

/** Gathers stored leaves into one change set; `take` hands it over and starts a new one. */
export class ChangesBuilder {
  #tables: TablesStamp[0] = {};
  #values: ValuesStamp[0] = {};
  #leaves = 0;

  get leaves(): number {
    return this.#leaves;
  }

  addCell([tableId, rowId, cellId, thing, hlc]: StoredCell): void {
    const rowsOfTable = childStamp(this.#tables, tableId)[0];
    const cellsOfRow = childStamp(rowsOfTable, rowId)[0];
    setOwn(cellsOfRow, cellId, [decodeThing(thing), hlc]);
    this.#leaves++;
  }

  addValue([valueId, thing, hlc]: StoredValue): void {
    setOwn(this.#values, valueId, [decodeThing(thing), hlc]);
    this.#leaves++;
  }

  /** The leaves added since the last take, or undefined if there were none. */
  take(): MergeableChanges | undefined {
    if (this.#leaves === 0) {
      return undefined;
    }
    const changes: MergeableChanges = [[this.#tables], [this.#values], 1];
    this.#tables = {};
    this.#values = {};
    this.#leaves = 0;
    return changes;
  }
}

// Ids come from the network and may be "__proto__" or "constructor": read and write them as own
// properties only, never through the prototype chain.
const childStamp = <Stamp extends [object, ...unknown[]]>(
  container: Record<string, Stamp>,
  id: string,
): Stamp => {
  if (!Object.hasOwn(container, id)) {
    setOwn<unknown>(container, id, [{}]);
  }
  return container[id]!;
};
