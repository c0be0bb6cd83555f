// The state one mergeable store is made of, created once per store and handed to the modules
// that read and write it (local-writes, transactions, merging, ...). Keeping it in one object
// lets those modules be plain functions instead of one big closure.
import {createHlcClock, type HlcClock} from './hlc.js';
import {InvalidContent} from './invalid-content.js';
import {ListenerRegistry} from './listener-registry.js';
import type {NotifyContext} from './notify.js';
import {StoreSchemas} from './schemas.js';
import {TransactionLog} from './transaction-log.js';
import {LeafContainer, TablesNode} from './tree.js';
import {TreeJournal} from './tree-journal.js';
import type {MergeableStore, MergeableStoreInternals, Store} from './types.js';

export type FullMergeableStore = MergeableStore & MergeableStoreInternals;

export class StoreState {
  readonly clock: HlcClock;
  /** What the current transaction did to the tree beyond its leaves, for an exact rollback. */
  readonly journal = new TreeJournal();
  /** The stamp tree of the tables; the plain tables are its live leaves. */
  readonly tables = new TablesNode(this.journal);
  readonly values = new LeafContainer('', null, this.journal);
  readonly registry = new ListenerRegistry();
  /** The tables and values schemas (schemas.ts). */
  readonly schemas = new StoreSchemas();
  /** What the current transaction was given that could not be stored, for invalid listeners. */
  readonly invalid = new InvalidContent();
  /** What the current transaction wrote, for listeners, rollback and transaction changes. */
  readonly log = new TransactionLog();
  transactionDepth = 0;
  /** Set while listeners that may not mutate are running: writes are then ignored. */
  mutationsBlocked = false;
  /** Set when something in the transaction threw: it is undone when it finishes. */
  rollbackRequested = false;
  /** Set while a rollback puts leaves back: those writes are not logged. */
  restoring = false;
  /** Off while setMergeableContent loads: it puts both orders in the content's order after. */
  trackPlainOrder = true;
  /** When true, writes are stamped "" (defaults that never beat real data). */
  defaulting = false;
  /**
   * How many merges (applyMergeableChanges, setMergeableContent, merge) ran in the current
   * transaction; reset when it ends. Lets local-only checkpoints tell merges from local edits.
   */
  mergesInTransaction = 0;
  /** Errors thrown by listeners during this transaction; the first is rethrown when it ends. */
  listenerErrors: unknown[] = [];
  /**
   * The public object (a Store, or a FullMergeableStore), which listeners are given. Set by
   * createStore or createMergeableStore right after this state is made: the object's methods
   * need the state first.
   */
  store!: Store;
  /** What notify.ts needs to call this store's listeners; set together with `store`. */
  notifyContext!: NotifyContext;

  constructor(
    uniqueId: string | undefined,
    /** The wall clock, also used to reject stamps too far in the future. */
    readonly getNow: () => number,
    /**
     * False for a plain Store: nobody reads its stamps, so hashes are not kept up to date and
     * deleted cells and values leave no tombstone once their transaction is over.
     */
    readonly mergeable = true,
  ) {
    this.clock = createHlcClock(uniqueId, getNow);
  }
}
