// The stamp tree: one structure holds both what the store shows and every stamp, so a cell costs
// one small object (value + HLC) instead of a plain-store entry plus a separate stamp array.
//
// Hashes are lazy. A write only marks its row (and the row's table) dirty; a hash is computed
// when it is read. Rows and values are recomputed from their leaves; tables and the tables
// container fold a changed child in incrementally with `^= term(old) ^ term(new)`, skipping the
// removal term when the old hash is 0. That is exactly how TinyBase maintains them, so the results
// agree with TinyBase even for its quirks (an empty row arriving from a peer leaves `fnv(id:0)` in
// its table's hash), at every moment a hash is read.
import type {EncodedCellOrValue} from './cell.js';
import {getChildHashTerm, getContainerHlcTerm, getLeafChildHashTerm, getLeafHash} from './hash.js';

/** One stamped cell or value. `value` undefined with a non-empty `hlc` is a tombstone. */
export class Leaf {
  value: EncodedCellOrValue | undefined;
  hlc: string;
  /** Number of the transaction that last logged this leaf, to log each leaf once per transaction. */
  loggedIn = 0;
  constructor(value: EncodedCellOrValue | undefined, hlc: string) {
    this.value = value;
    this.hlc = hlc;
  }
  getHash(): number {
    return getLeafHash(this.value, this.hlc);
  }
}

/** A row of cells, or the store's values: leaves under ids, hashed from scratch when read. */
export class LeafContainer {
  readonly id: string;
  readonly leaves = new Map<string, Leaf>();
  /** Leaves that hold a value (not tombstones). */
  liveCount = 0;
  hlc = '';
  /** The hash as last computed, which is also what the parent has folded in. */
  hash = 0;
  dirty = false;
  /** The table this row belongs to; null for the values container. */
  readonly table: TableNode | null;
  constructor(id: string, table: TableNode | null) {
    this.id = id;
    this.table = table;
  }
  /** Recomputes the hash if needed; does not fold it into a parent (the parent does that). */
  computeHash(): number {
    if (this.dirty) {
      let hash = getContainerHlcTerm(this.hlc);
      for (const [id, leaf] of this.leaves) {
        hash ^= getLeafChildHashTerm(id, leaf.getHash());
      }
      this.hash = hash >>> 0;
      this.dirty = false;
    }
    return this.hash;
  }
}
export type RowNode = LeafContainer;

/** A container of containers (a table of rows, or the tables), hashed incrementally. */
abstract class BranchNode<Child extends {id: string; hash: number; dirty: boolean}> {
  readonly id: string;
  readonly children = new Map<string, Child>();
  liveCount = 0;
  hlc = '';
  private foldedHash = 0;
  dirty = false;
  private readonly dirtyChildren: Child[] = [];
  constructor(id: string) {
    this.id = id;
  }
  protected abstract computeChildHash(child: Child): number;

  /** Records that a child's hash may have changed; it is folded in at the next read. */
  markChildDirty(child: Child): void {
    if (!child.dirty) {
      child.dirty = true;
      this.dirtyChildren.push(child);
    }
  }
  get hash(): number {
    return this.foldedHash;
  }
  computeHash(): number {
    if (this.dirtyChildren.length > 0) {
      let hash = this.foldedHash;
      for (const child of this.dirtyChildren) {
        if (this.children.get(child.id) !== child) {
          continue; // removed since it was marked
        }
        const oldHash = child.hash;
        const newHash = this.computeChildHash(child);
        if (oldHash !== 0) {
          hash ^= getChildHashTerm(child.id, oldHash);
        }
        hash ^= getChildHashTerm(child.id, newHash);
      }
      this.dirtyChildren.length = 0;
      this.foldedHash = hash >>> 0;
    }
    this.dirty = false;
    return this.foldedHash;
  }
  /** Raises the container's own HLC (only ever present in traffic from very old peers). */
  raiseHlc(hlc: string): void {
    if (hlc > this.hlc) {
      this.foldedHash =
        (this.foldedHash ^ getContainerHlcTerm(this.hlc) ^ getContainerHlcTerm(hlc)) >>> 0;
      this.hlc = hlc;
    }
  }
  /** Removes a child entirely (only when rolling back its creation), with its hash term. */
  removeChild(child: Child): void {
    this.children.delete(child.id);
    if (child.hash !== 0) {
      this.foldedHash = (this.foldedHash ^ getChildHashTerm(child.id, child.hash)) >>> 0;
    }
  }
}

export class TableNode extends BranchNode<RowNode> {
  /** Live cells per cell id, kept only once someone asks for the table's cell ids. */
  cellIdCounts: Map<string, number> | null = null;
  protected computeChildHash(row: RowNode): number {
    return row.computeHash();
  }
  /** The hash a parent folds in: kept apart from `hash` while this table is being refreshed. */
  declare dirty: boolean;
}

export class TablesNode extends BranchNode<TableNode> {
  protected computeChildHash(table: TableNode): number {
    return table.computeHash();
  }
  constructor() {
    super('');
  }
}
