// The stamp tree: one structure holds both what the store shows and every stamp. A row keeps its
// cells in one flat array of [id, value, hlc] triples, so a cell costs three array slots and its
// HLC string: no per-cell object and no per-row hash table (wide rows get an id index).
//
// Hashes are lazy. A write only marks its row (and the row's table) dirty; a hash is computed
// when it is read. Rows and values are recomputed from their leaves; tables and the tables
// container fold a changed child in incrementally with `^= term(old) ^ term(new)`, skipping the
// removal term when the old hash is 0. That is how TinyBase maintains them, so the results agree
// with TinyBase even for its quirks (an empty row arriving from a peer leaves `fnv(id:0)` in its
// table's hash), at every moment a hash is read.
import type {EncodedCellOrValue} from './cell.js';
import {getChildHashTerm, getContainerHlcTerm, getLeafChildHashTerm, getLeafHash} from './hash.js';

/** Slots per leaf in a container's array: id, value (undefined = tombstone), hlc. */
const STRIDE = 3;
/** Containers with more leaves than this keep a Map from id to slot offset. */
const INDEX_THRESHOLD = 12;

/** A row of cells, or the store's values. */
export class LeafContainer {
  readonly id: string;
  /** [id, value, hlc, id, value, hlc, ...] in insertion order. */
  private slots: unknown[] = [];
  private index: Map<string, number> | null = null;
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

  get size(): number {
    return this.slots.length / STRIDE;
  }
  /** The slot offset of a leaf, or -1. */
  find(id: string): number {
    if (this.index !== null) {
      return this.index.get(id) ?? -1;
    }
    const slots = this.slots;
    for (let offset = 0; offset < slots.length; offset += STRIDE) {
      if (slots[offset] === id) {
        return offset;
      }
    }
    return -1;
  }
  idAt(offset: number): string {
    return this.slots[offset] as string;
  }
  valueAt(offset: number): EncodedCellOrValue | undefined {
    return this.slots[offset + 1] as EncodedCellOrValue | undefined;
  }
  hlcAt(offset: number): string {
    return this.slots[offset + 2] as string;
  }
  hashAt(offset: number): number {
    return getLeafHash(this.slots[offset + 1], this.slots[offset + 2] as string);
  }
  /** Visits every leaf, tombstones included, in order. Writes during the visit must not move leaves. */
  forEachLeaf(
    visit: (id: string, value: EncodedCellOrValue | undefined, hlc: string, offset: number) => void,
  ): void {
    const slots = this.slots;
    for (let offset = 0; offset < slots.length; offset += STRIDE) {
      visit(
        slots[offset] as string,
        slots[offset + 1] as EncodedCellOrValue | undefined,
        slots[offset + 2] as string,
        offset,
      );
    }
  }
  /** Ids of leaves that hold a value. */
  getLiveIds(): string[] {
    const ids: string[] = [];
    const slots = this.slots;
    for (let offset = 0; offset < slots.length; offset += STRIDE) {
      if (slots[offset + 1] !== undefined) {
        ids.push(slots[offset] as string);
      }
    }
    return ids;
  }
  /** The value of a leaf by id (undefined when absent or deleted). */
  getValue(id: string): EncodedCellOrValue | undefined {
    const offset = this.find(id);
    return offset < 0 ? undefined : this.valueAt(offset);
  }

  set(offset: number, value: EncodedCellOrValue | undefined, hlc: string): void {
    this.slots[offset + 1] = value;
    this.slots[offset + 2] = hlc;
  }
  /** Appends a leaf and returns its offset. */
  add(id: string, value: EncodedCellOrValue | undefined, hlc: string): number {
    const offset = this.slots.length;
    this.slots.push(id, value, hlc);
    if (this.index !== null) {
      this.index.set(id, offset);
    } else if (this.slots.length > INDEX_THRESHOLD * STRIDE) {
      this.rebuildIndex();
    }
    return offset;
  }
  /** Moves a leaf to the end (a re-added entry goes last, as in TinyBase's plain store). */
  moveToEnd(offset: number): number {
    if (offset === this.slots.length - STRIDE) {
      return offset;
    }
    const [id, value, hlc] = this.slots.splice(offset, STRIDE);
    this.slots.push(id, value, hlc);
    if (this.index !== null) {
      this.rebuildIndex();
    }
    return this.slots.length - STRIDE;
  }
  /** Removes a leaf entirely (rolling back its creation, or pruning). */
  remove(offset: number): void {
    this.slots.splice(offset, STRIDE);
    if (this.index !== null) {
      this.rebuildIndex();
    }
  }
  private rebuildIndex(): void {
    const index = new Map<string, number>();
    for (let offset = 0; offset < this.slots.length; offset += STRIDE) {
      index.set(this.slots[offset] as string, offset);
    }
    this.index = index;
  }

  /** Recomputes the hash if needed; does not fold it into a parent (the parent does that). */
  computeHash(): number {
    if (this.dirty) {
      let hash = getContainerHlcTerm(this.hlc);
      const slots = this.slots;
      for (let offset = 0; offset < slots.length; offset += STRIDE) {
        const leafHash = getLeafHash(slots[offset + 1], slots[offset + 2] as string);
        hash ^= getLeafChildHashTerm(slots[offset] as string, leafHash);
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
  /** Folds in changed children. Read hashes top-down (tables first) so the folds stay exact. */
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
}

export class TablesNode extends BranchNode<TableNode> {
  protected computeChildHash(table: TableNode): number {
    return table.computeHash();
  }
  constructor() {
    super('');
  }
}
