// The stamp tree: one structure holds both what the store shows and every stamp. A row keeps its
// cells in one flat array of [id, value, hlc] triples, so a cell costs three array slots and its
// HLC string: no per-cell object and no per-row hash table (wide rows get an id index).
//
// Two orders, as in TinyBase. Stamps stay in the order they were first made (tombstones keep
// their place); the plain content lists live entries in the order they were last added, so an
// entry deleted and set again comes last. Both agree until something comes back to life: only
// then does a container keep its plain order apart, as a Set of live ids.
//
// Hashes are lazy. A write only marks its row (and the row's table) dirty; a hash is computed
// when it is read. Rows and values are recomputed from their leaves; tables and the tables
// container fold a changed child in incrementally with `^= term(old) ^ term(new)`, skipping the
// removal term when the old hash is 0. That is how TinyBase maintains them, so the results agree
// with TinyBase even for its quirks (an empty row arriving from a peer leaves `fnv(id:0)` in its
// table's hash), at every moment a hash is read.
import type {EncodedCellOrValue} from './cell.js';
import {getChildHashTerm, getContainerHlcTerm, getLeafChildHashTerm, getLeafHash} from './hash.js';
import type {IdPool} from './id-pool.js';
import type {TreeJournal} from './tree-journal.js';

/** The plain order once `id` has (re-)become live: last. Made from stamp order the first time. */
const withLast = (
  order: Set<string> | null,
  id: string,
  liveIdsInStampOrder: () => string[],
): Set<string> => {
  const ids = order ?? new Set(liveIdsInStampOrder());
  ids.delete(id);
  ids.add(id);
  return ids;
};

/** Slots per leaf in a container's array: id, value (undefined = tombstone), hlc. */
const STRIDE = 3;
/** Containers with more leaves than this keep a Map from id to slot offset. */
const INDEX_THRESHOLD = 12;

/** A row of cells, or the store's values. */
export class LeafContainer {
  readonly id: string;
  /** [id, value, hlc, id, value, hlc, ...] in stamp order. */
  private slots: unknown[] = [];
  private index: Map<string, number> | null = null;
  /** Live ids in plain order, once that differs from stamp order. */
  private plainOrder: Set<string> | null = null;
  /** Leaves that hold a value (not tombstones). */
  liveCount = 0;
  hlc = '';
  /** The hash as last computed. */
  hash = 0;
  /** What the parent has folded in for this row (0: nothing yet). */
  foldedIntoParent = 0;
  dirty = false;
  /** The table this row belongs to; null for the values container. */
  readonly table: TableNode | null;
  readonly journal: TreeJournal;
  constructor(id: string, table: TableNode | null, journal: TreeJournal = table!.journal) {
    this.id = id;
    this.table = table;
    this.journal = journal;
  }

  /** Saves the hash bookkeeping and HLC before they first change in a transaction. */
  saveState(): void {
    // Asked first: hashing and loading call this for every row, and most need nothing saved.
    if (!this.journal.needsSave(this)) {
      return;
    }
    this.journal.saveState(this, () => {
      const {hlc, hash, foldedIntoParent, dirty} = this;
      return () => {
        this.hlc = hlc;
        this.hash = hash;
        this.foldedIntoParent = foldedIntoParent;
        this.dirty = dirty;
      };
    });
  }
  /** Marks the hash stale (the values container, which has no parent to do it). */
  markDirty(): void {
    if (!this.dirty) {
      this.saveState();
      this.dirty = true;
    }
  }
  /** Sets the container's own HLC. */
  setHlc(hlc: string): void {
    this.saveState();
    this.hlc = hlc;
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
  /** Ids of leaves that hold a value, in plain order. */
  getLiveIds(): string[] {
    return this.plainOrder ? [...this.plainOrder] : this.liveIdsInStampOrder();
  }
  private liveIdsInStampOrder(): string[] {
    const ids: string[] = [];
    const slots = this.slots;
    for (let offset = 0; offset < slots.length; offset += STRIDE) {
      if (slots[offset + 1] !== undefined) {
        ids.push(slots[offset] as string);
      }
    }
    return ids;
  }
  /** Visits the leaves that hold a value, in plain order. */
  forEachLiveLeaf(visit: (id: string, value: EncodedCellOrValue) => void): void {
    if (this.plainOrder) {
      for (const id of this.plainOrder) {
        visit(id, this.getValue(id) as EncodedCellOrValue);
      }
      return;
    }
    const slots = this.slots;
    for (let offset = 0; offset < slots.length; offset += STRIDE) {
      if (slots[offset + 1] !== undefined) {
        visit(slots[offset] as string, slots[offset + 1] as EncodedCellOrValue);
      }
    }
  }
  /** A leaf got a value: it comes last in plain order (a new leaf already is). */
  noteLive(id: string, created: boolean): void {
    if (this.plainOrder !== null || !created) {
      this.plainOrder = withLast(this.plainOrder, id, () => this.liveIdsInStampOrder());
    }
  }
  noteDead(id: string): void {
    this.plainOrder?.delete(id);
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
  /** Puts the leaves in the order of `ids`, which names each of them once: both orders. */
  putInOrder(ids: string[]): void {
    this.saveStampOrder();
    this.plainOrder = null;
    const slots: unknown[] = [];
    for (const id of ids) {
      const offset = this.find(id);
      slots.push(id, this.slots[offset + 1], this.slots[offset + 2]);
    }
    this.slots = slots;
    if (this.index !== null) {
      this.rebuildIndex();
    }
  }
  /** Removes a leaf entirely (rolling back its creation, or pruning). */
  remove(offset: number): void {
    this.slots.splice(offset, STRIDE);
    if (this.index !== null) {
      this.rebuildIndex();
    }
  }
  /** Saves the stamp order before it first changes in a transaction. */
  saveStampOrder(): void {
    this.journal.saveOrder(this, () => {
      const stampOrder: string[] = [];
      this.forEachLeaf((id) => stampOrder.push(id));
      return () => this.restoreStampOrder(stampOrder);
    });
  }
  /**
   * Puts the leaves back in a stamp order saved earlier (ids no longer here are skipped, leaves
   * not named come last). The plain order stays as the rollback made it, which is TinyBase's.
   */
  private restoreStampOrder(ids: string[]): void {
    this.plainOrder ??= new Set(this.liveIdsInStampOrder());
    const slots: unknown[] = [];
    const placed = new Set<string>();
    for (const id of [...ids, ...this.slots.filter((_, index) => index % STRIDE === 0)]) {
      const offset = this.find(id as string);
      if (offset >= 0 && !placed.has(id as string)) {
        placed.add(id as string);
        slots.push(id, this.slots[offset + 1], this.slots[offset + 2]);
      }
    }
    this.slots = slots;
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

  resetHashes(): void {
    this.saveState();
    this.hash = 0;
    this.foldedIntoParent = 0;
    this.dirty = true;
  }
  /** Recomputes the hash if needed; does not fold it into a parent (the parent does that). */
  computeHash(): number {
    if (this.dirty) {
      this.saveState();
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

type ChildNode = {
  id: string;
  liveCount: number;
  dirty: boolean;
  foldedIntoParent: number;
  computeHash(): number;
  resetHashes(): void;
  saveState(): void;
};

/** A container of containers (a table of rows, or the tables), hashed incrementally. */
abstract class BranchNode<Child extends ChildNode> {
  readonly id: string;
  /** Children in stamp order. */
  readonly children = new Map<string, Child>();
  /** Live children's ids in plain order, once that differs from stamp order. */
  private plainOrder: Set<string> | null = null;
  liveCount = 0;
  hlc = '';
  private foldedHash = 0;
  foldedIntoParent = 0;
  dirty = false;
  private dirtyChildren: Child[] = [];
  readonly journal: TreeJournal;
  constructor(id: string, journal: TreeJournal) {
    this.id = id;
    this.journal = journal;
  }

  /**
   * Saves the hash bookkeeping and HLC before they first change in a transaction. The list of
   * dirty children only grows until it is folded, so its length is enough until then.
   */
  saveState(): void {
    if (!this.journal.needsSave(this)) {
      return;
    }
    this.journal.saveState(this, () => {
      const {hlc, foldedHash, foldedIntoParent, dirty} = this;
      const dirtyCount = this.dirtyChildren.length;
      return () => {
        this.hlc = hlc;
        this.foldedHash = foldedHash;
        this.foldedIntoParent = foldedIntoParent;
        this.dirty = dirty;
        this.dirtyChildren.length = dirtyCount;
      };
    });
  }
  /** Saves the dirty children as they were before this transaction, before they are folded. */
  private saveStateBeforeFold(): void {
    if (!this.journal.active) {
      return;
    }
    this.saveState();
    this.journal.saveOrder(this.dirtyChildren, () => {
      const before = [...this.dirtyChildren];
      return () => {
        this.dirtyChildren = before;
      };
    });
  }
  /** Adds a child container (rolled back with the transaction). */
  addChild(child: Child): void {
    this.journal.addCreated(this.children, child);
  }

  /** Children that have live leaves, in plain order. */
  liveChildren(): Child[] {
    if (this.plainOrder) {
      return [...this.plainOrder].map((id) => this.children.get(id)!);
    }
    return [...this.children.values()].filter((child) => child.liveCount > 0);
  }
  /** A child got its first live leaf: it comes last in plain order (a new child already is). */
  noteLive(id: string, created: boolean): void {
    if (this.plainOrder !== null || !created) {
      this.plainOrder = withLast(this.plainOrder, id, () =>
        this.liveChildren().map((child) => child.id),
      );
    }
  }
  noteDead(id: string): void {
    this.plainOrder?.delete(id);
  }
  /** Puts the children in the order of `ids`, which names each of them once: both orders. */
  putInOrder(ids: string[]): void {
    this.saveStampOrder();
    this.plainOrder = null;
    for (const id of ids) {
      const child = this.children.get(id)!;
      this.children.delete(id);
      this.children.set(id, child);
    }
  }

  /** Saves the stamp order before it first changes in a transaction. */
  saveStampOrder(): void {
    this.journal.saveOrder(this, () => {
      const stampOrder = [...this.children.keys()];
      return () => this.restoreStampOrder(stampOrder);
    });
  }
  /** Puts the children back in a stamp order saved earlier, keeping the plain order as it is. */
  private restoreStampOrder(ids: string[]): void {
    this.plainOrder ??= new Set(this.liveChildren().map((child) => child.id));
    for (const id of ids) {
      const child = this.children.get(id);
      if (child !== undefined) {
        this.children.delete(id);
        this.children.set(id, child);
      }
    }
  }

  /** Records that a child's hash may have changed; it is folded in at the next read. */
  markChildDirty(child: Child): void {
    if (!child.dirty) {
      child.saveState();
      this.saveState();
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
      this.saveStateBeforeFold();
      let hash = this.foldedHash;
      for (const child of this.dirtyChildren) {
        if (this.children.get(child.id) !== child) {
          continue; // removed since it was marked
        }
        child.saveState();
        const oldHash = child.foldedIntoParent;
        const newHash = child.computeHash();
        if (oldHash !== 0) {
          hash ^= getChildHashTerm(child.id, oldHash);
        }
        hash ^= getChildHashTerm(child.id, newHash);
        child.foldedIntoParent = newHash;
      }
      this.dirtyChildren.length = 0;
      this.foldedHash = hash >>> 0;
    }
    if (this.dirty) {
      this.saveState();
      this.dirty = false;
    }
    return this.foldedHash;
  }
  /** Raises the container's own HLC (only ever present in traffic from very old peers). */
  raiseHlc(hlc: string): void {
    if (hlc > this.hlc) {
      this.saveState();
      this.foldedHash =
        (this.foldedHash ^ getContainerHlcTerm(this.hlc) ^ getContainerHlcTerm(hlc)) >>> 0;
      this.hlc = hlc;
    }
  }
  /** Forgets every folded hash, as if the whole subtree had just been merged into a new store. */
  resetHashes(): void {
    this.saveStateBeforeFold();
    this.foldedHash = getContainerHlcTerm(this.hlc);
    this.foldedIntoParent = 0;
    this.dirtyChildren.length = 0;
    for (const child of this.children.values()) {
      child.resetHashes();
      child.dirty = false;
      this.markChildDirty(child);
    }
  }
}

export class TableNode extends BranchNode<RowNode> {
  /** Live cells per cell id, in order of appearance (the table's cell ids). */
  readonly cellIdCounts = new Map<string, number>();
  /** Ids for addRow; made when first needed, dropped when the table empties (as in TinyBase). */
  rowIdPool: IdPool | undefined = undefined;
}

export class TablesNode extends BranchNode<TableNode> {
  constructor(journal: TreeJournal) {
    super('', journal);
  }
}
