// What the current transaction wrote: every leaf write with the value and HLC the leaf had
// before, and what the write did to the plain content (its effects). Recording is a plain append
// (the hot path); listeners and change sets replay it when they need it, and rollback undoes it.
import type {EncodedCellOrValue} from './cell.js';
import type {LeafContainer} from './tree.js';

// Effects of one write, as bit flags. A write without VALUE_CHANGED only moved a stamp (a merge
// that brought the same value with a later HLC): TinyBase's plain store never sees it.
export const VALUE_CHANGED = 1;
/** The cell or value appeared or disappeared (which of the two: see the old value). */
export const LEAF_FLIPPED = 2;
/** ...and with it the row. */
export const ROW_FLIPPED = 4;
/** ...and with it the table. */
export const TABLE_FLIPPED = 8;
/** ...and with it the last (or first) cell of that id in the table. */
export const TABLE_CELL_ID_FLIPPED = 16;

/** A container a content reset took out of the tree, with the map it was in. */
type Detached = {children: Map<string, unknown>; child: {id: string}};

export class TransactionLog {
  readonly containers: LeafContainer[] = [];
  readonly ids: string[] = [];
  readonly oldValues: (EncodedCellOrValue | undefined)[] = [];
  readonly oldHlcs: string[] = [];
  readonly effects: number[] = [];
  /** Rows and tables that setMergeableContent dropped, to put back if the transaction rolls back. */
  readonly detached: Detached[] = [];
  hadTablesBefore = false;
  hadValuesBefore = false;

  begin(hadTables: boolean, hadValues: boolean): void {
    this.hadTablesBefore = hadTables;
    this.hadValuesBefore = hadValues;
  }

  record(
    container: LeafContainer,
    id: string,
    oldValue: EncodedCellOrValue | undefined,
    oldHlc: string,
    effects: number,
  ): void {
    this.containers.push(container);
    this.ids.push(id);
    this.oldValues.push(oldValue);
    this.oldHlcs.push(oldHlc);
    this.effects.push(effects);
  }

  get size(): number {
    return this.ids.length;
  }

  clear(): void {
    if (this.ids.length > 0) {
      this.containers.length = 0;
      this.ids.length = 0;
      this.oldValues.length = 0;
      this.oldHlcs.length = 0;
      this.effects.length = 0;
    }
    if (this.detached.length > 0) {
      this.detached.length = 0;
    }
  }
}
