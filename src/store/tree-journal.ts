// What a transaction did to the stamp tree's bookkeeping, kept so that a rollback puts the tree
// back exactly. Leaf values are restored from the transaction log (rollback.ts); this journal
// covers the rest: container HLCs, the lazily folded hashes (which depend on when they were
// folded, so recomputing them could give other numbers), containers the transaction created, and
// the stamp order setMergeableContent rewrites.
//
// Each node saves its state the first time it changes in a transaction (one Map lookup after
// that), so a transaction costs what it touches, never the size of the store.

type Restore = () => void;

const NOTHING_TO_RESTORE: Restore = () => {};

export class TreeJournal {
  /** Off outside transactions and while a rollback restores: nothing is saved then. */
  active = false;
  private readonly savedStates = new Map<object, Restore>();
  private readonly savedOrders = new Map<object, Restore>();
  private readonly created: {children: Map<string, unknown>; child: {id: string}}[] = [];

  begin(): void {
    this.active = true;
  }

  /**
   * Whether saveState would keep anything for `node` now: a caller asks first, so that it makes
   * no closure for a node that needs none (outside transactions, created or already saved).
   */
  needsSave(node: object): boolean {
    return this.active && !this.savedStates.has(node);
  }

  /** Keeps what `save` returns the first time `node` changes in this transaction. */
  saveState(node: object, save: () => Restore): void {
    if (this.active && !this.savedStates.has(node)) {
      this.savedStates.set(node, save());
    }
  }

  /** As saveState, for the order of a node's children or leaves. */
  saveOrder(node: object, save: () => Restore): void {
    if (this.active && !this.savedOrders.has(node)) {
      this.savedOrders.set(node, save());
    }
  }

  /**
   * A child container the transaction added: a rollback takes it out again, so nothing of its own
   * state needs saving (a merge into an empty store creates every row: no closures per row).
   */
  addCreated<Child extends {id: string}>(children: Map<string, Child>, child: Child): void {
    children.set(child.id, child);
    if (this.active) {
      this.created.push({children: children as Map<string, unknown>, child});
      this.savedStates.set(child, NOTHING_TO_RESTORE);
    }
  }

  /**
   * Stops saving (the rollback's own writes are not the transaction's), for `restoreAll` once the
   * leaves are back.
   */
  suspend(): void {
    this.active = false;
  }

  /** Removes the created containers and puts back every saved order and state. */
  restoreAll(): void {
    this.active = false;
    for (let index = this.created.length - 1; index >= 0; index--) {
      const {children, child} = this.created[index];
      if (children.get(child.id) === child) {
        children.delete(child.id);
      }
    }
    for (const restore of this.savedOrders.values()) {
      restore();
    }
    for (const restore of this.savedStates.values()) {
      restore();
    }
    this.end();
  }

  end(): void {
    this.active = false;
    this.savedStates.clear();
    this.savedOrders.clear();
    this.created.length = 0;
  }
}
