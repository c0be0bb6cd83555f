// What changed between two checkpoints: for each cell and value, its content before and after.
// Going backward writes the before, going forward the after, in one transaction.
//
// Contents are kept as the transaction log gives them, object and array cells in their stored
// form (a prefixed JSON string, as in TinyBase's log): compared as strings, and decoded only to be
// written back or compared with what the store holds.
import type {EncodedCellOrValue} from '../store/cell.js';
import {decodeCellOrValue} from '../store/cell.js';
import type {CellOrUndefined, Id, Store} from '../store/types.js';

const decode = (thing: CellOrUndefined) =>
  decodeCellOrValue(thing as EncodedCellOrValue | undefined);

/** A cell or value before and after. */
type Change = [before: CellOrUndefined, after: CellOrUndefined];

/** Object and array cells come back from the store as new objects each time: compare their JSON. */
export const sameContent = (a: CellOrUndefined, b: CellOrUndefined): boolean =>
  a === b ||
  (typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    JSON.stringify(a) === JSON.stringify(b));

const getOrCreate = <Thing>(map: Map<Id, Thing>, id: Id, create: () => Thing): Thing => {
  let thing = map.get(id);
  if (thing === undefined) {
    thing = create();
    map.set(id, thing);
  }
  return thing;
};

export class Delta {
  readonly cells = new Map<Id, Map<Id, Map<Id, Change>>>();
  readonly values = new Map<Id, Change>();
  /** How many cells and values differ from before; 0 when every change was changed back. */
  size = 0;

  recordCell(
    tableId: Id,
    rowId: Id,
    cellId: Id,
    before: CellOrUndefined,
    after: CellOrUndefined,
    rebase: boolean,
  ): void {
    const rows = getOrCreate(this.cells, tableId, () => new Map<Id, Map<Id, Change>>());
    const cells = getOrCreate(rows, rowId, () => new Map<Id, Change>());
    this.record(cells, cellId, before, after, rebase);
    if (cells.size === 0) {
      rows.delete(rowId);
      if (rows.size === 0) {
        this.cells.delete(tableId);
      }
    }
  }

  recordValue(valueId: Id, before: CellOrUndefined, after: CellOrUndefined, rebase: boolean): void {
    this.record(this.values, valueId, before, after, rebase);
  }

  /**
   * Keeps the first before and the last after. With `rebase` (local-only checkpoints), a before
   * that is not what I last wrote means somebody else wrote in between: my change then starts
   * from their content, so that undoing it brings theirs back rather than what preceded it.
   */
  private record(
    changes: Map<Id, Change>,
    id: Id,
    before: CellOrUndefined,
    after: CellOrUndefined,
    rebase: boolean,
  ): void {
    const change = changes.get(id);
    if (change === undefined) {
      changes.set(id, [before, after]);
      this.size++;
      return;
    }
    if (rebase && !sameContent(change[1], before)) {
      change[0] = before;
    }
    change[1] = after;
    if (sameContent(change[0], after)) {
      changes.delete(id);
      this.size--;
    }
  }

  /**
   * Writes the befores (backward) or the afters (forward). With `onlyIfUnchanged` (local-only), a
   * cell or value that no longer holds what this delta left there was changed since by a peer,
   * whose edit is the newer one: it is left alone.
   */
  applyTo(store: Store, backward: boolean, onlyIfUnchanged: boolean): void {
    const [target, expected] = backward ? [0, 1] : [1, 0];
    for (const [tableId, rows] of this.cells) {
      for (const [rowId, cells] of rows) {
        for (const [cellId, change] of cells) {
          if (
            !onlyIfUnchanged ||
            sameContent(store.getCell(tableId, rowId, cellId), decode(change[expected]))
          ) {
            const cell = decode(change[target]);
            if (cell === undefined) {
              store.delCell(tableId, rowId, cellId, true);
            } else {
              store.setCell(tableId, rowId, cellId, cell);
            }
          }
        }
      }
    }
    for (const [valueId, change] of this.values) {
      if (!onlyIfUnchanged || sameContent(store.getValue(valueId), decode(change[expected]))) {
        const value = decode(change[target]);
        if (value === undefined) {
          store.delValue(valueId);
        } else {
          store.setValue(valueId, value);
        }
      }
    }
  }
}
