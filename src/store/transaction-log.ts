// What the current transaction touched: each leaf once, with the value and HLC it had before.
// Listeners, transaction changes and rollback are all derived from this one log.
import type {EncodedCellOrValue} from './cell.js';
import type {Leaf, LeafContainer, TableNode} from './tree.js';

export class TransactionLog {
  /** Increases with every transaction; a leaf remembers the last one that logged it. */
  number = 0;
  readonly containers: LeafContainer[] = [];
  readonly ids: string[] = [];
  readonly leaves: Leaf[] = [];
  readonly oldValues: (EncodedCellOrValue | undefined)[] = [];
  readonly oldHlcs: string[] = [];
  /** Rows and tables whose existence flipped in this transaction, with whether they existed before. */
  readonly rowsExistedBefore = new Map<LeafContainer, boolean>();
  readonly tablesExistedBefore = new Map<TableNode, boolean>();
  hadTablesBefore = false;
  hadValuesBefore = false;

  begin(hadTables: boolean, hadValues: boolean): void {
    this.number++;
    this.hadTablesBefore = hadTables;
    this.hadValuesBefore = hadValues;
  }

  record(container: LeafContainer, id: string, leaf: Leaf): void {
    if (leaf.loggedIn !== this.number) {
      leaf.loggedIn = this.number;
      this.containers.push(container);
      this.ids.push(id);
      this.leaves.push(leaf);
      this.oldValues.push(leaf.value);
      this.oldHlcs.push(leaf.hlc);
    }
  }

  get size(): number {
    return this.leaves.length;
  }

  clear(): void {
    this.containers.length = 0;
    this.ids.length = 0;
    this.leaves.length = 0;
    this.oldValues.length = 0;
    this.oldHlcs.length = 0;
    this.rowsExistedBefore.clear();
    this.tablesExistedBefore.clear();
  }
}
