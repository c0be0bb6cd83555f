// What the current transaction wrote: every leaf write with the value and HLC the leaf had
// before. Recording is a plain append (the hot path); listeners and change sets deduplicate when
// they read it, and rollback replays it backwards.
import type {EncodedCellOrValue} from './cell.js';
import type {LeafContainer, TableNode} from './tree.js';

export class TransactionLog {
  readonly containers: LeafContainer[] = [];
  readonly ids: string[] = [];
  readonly oldValues: (EncodedCellOrValue | undefined)[] = [];
  readonly oldHlcs: string[] = [];
  /** Rows and tables whose existence flipped in this transaction, with whether they existed before. */
  readonly rowsExistedBefore = new Map<LeafContainer, boolean>();
  readonly tablesExistedBefore = new Map<TableNode, boolean>();
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
  ): void {
    this.containers.push(container);
    this.ids.push(id);
    this.oldValues.push(oldValue);
    this.oldHlcs.push(oldHlc);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Each written leaf once, in order of first write, with its value before the transaction:
   * `visit(container, id, oldValue, oldHlc)`.
   */
  forEachLeaf(
    visit: (
      container: LeafContainer,
      id: string,
      oldValue: EncodedCellOrValue | undefined,
      oldHlc: string,
    ) => void,
  ): void {
    const seen = new Map<LeafContainer, Set<string>>();
    for (let index = 0; index < this.ids.length; index++) {
      const container = this.containers[index];
      const id = this.ids[index];
      let ids = seen.get(container);
      if (!ids) {
        ids = new Set();
        seen.set(container, ids);
      }
      if (!ids.has(id)) {
        ids.add(id);
        visit(container, id, this.oldValues[index], this.oldHlcs[index]);
      }
    }
  }

  clear(): void {
    if (this.ids.length > 0) {
      this.containers.length = 0;
      this.ids.length = 0;
      this.oldValues.length = 0;
      this.oldHlcs.length = 0;
    }
    if (this.rowsExistedBefore.size > 0) {
      this.rowsExistedBefore.clear();
    }
    if (this.tablesExistedBefore.size > 0) {
      this.tablesExistedBefore.clear();
    }
  }
}
