// A room's change sequence (docs/protocol.md §8.8): every leaf the room store accepts gets the
// room's next sequence number, so "what changed after watermark W" is answered in O(log n + k)
// for k leaves, however many the room holds. One log is one history, named by a random epoch: a
// watermark from another history (a room restarted without durable storage) is never misread.
//
// Only each leaf's latest sequence number matters. `#order` lists (leaf, seq) in ascending seq and
// keeps an entry after its leaf was written again (it is then stale: `#seqOf` has a later seq);
// stale entries are skipped when read and dropped in one pass once they outnumber the live ones.
//
// A bounded log (`maxLeaves`) forgets its oldest leaves and raises its floor to the newest seq it
// forgot: a watermark below the floor can no longer be served, and that client falls back to the
// hash walk.
import type {LeafAddress, MergeableChanges} from '../store/types.js';
import {createRandomId} from '../synchronizers/ids.js';

/** A leaf's address as one string: the JSON of `[tableId, rowId, cellId]` or `[valueId]`. */
export type LeafKey = string;

/** A log as storage keeps it. */
export type StoredChangeLog = {
  epoch: string;
  /** The last sequence number given out. */
  seq: number;
  /** Watermarks below this cannot be served. */
  floor: number;
  /** Each leaf's latest sequence number, in any order. */
  leaves: Iterable<readonly [LeafKey, number]>;
};

/** What one recorded change set changed in the log, for storage to write. */
export type ChangeLogWrite = {
  epoch: string;
  seq: number;
  floor: number;
  /** Leaves given a new sequence number. */
  leaves: [LeafKey, number][];
  /** Set when the floor rose: storage may forget leaves whose seq is at most the floor. */
  compacted: boolean;
};

export type ChangeLogOptions = {
  /** The history to continue (from storage); a new epoch starts at 0 without it. */
  stored?: StoredChangeLog;
  /** At most this many leaves are remembered (default: all). */
  maxLeaves?: number;
  /** Called after each recorded change set, to keep the log durable. */
  onWrite?: (write: ChangeLogWrite) => void;
};

const EPOCH_LENGTH = 16;

export class RoomChangeLog {
  readonly epoch: string;
  #seq: number;
  #floor: number;
  readonly #seqOf = new Map<LeafKey, number>();
  /**
   * The HLC each leaf had when last recorded (not known for leaves loaded from storage). A stamp
   * no later than it, or one that lost to the store's, did not change the leaf. Such stamps come
   * often (an echo of what a client just received, a pull of content both sides hold) and are not
   * recorded, so that they neither travel again nor push the floor up in a bounded log.
   */
  readonly #hlcOf = new Map<LeafKey, string>();
  #order: {key: LeafKey; seq: number}[] = [];
  /** Entries of #order before this index are forgotten (dropped in one pass, later). */
  #start = 0;
  readonly #maxLeaves: number;
  readonly #onWrite: ((write: ChangeLogWrite) => void) | undefined;

  constructor(options: ChangeLogOptions = {}) {
    const {stored, maxLeaves = Number.POSITIVE_INFINITY, onWrite} = options;
    if (!(maxLeaves >= 1)) {
      throw new Error(`a change log must keep at least 1 leaf, not ${maxLeaves}`);
    }
    this.#maxLeaves = maxLeaves;
    this.#onWrite = onWrite;
    this.epoch = stored?.epoch ?? createRandomId(EPOCH_LENGTH);
    this.#seq = stored?.seq ?? 0;
    this.#floor = stored?.floor ?? 0;
    if (stored !== undefined) {
      const entries = [...stored.leaves].sort((a, b) => a[1] - b[1]);
      for (const [key, seq] of entries) {
        this.#seqOf.set(key, seq);
        this.#order.push({key, seq});
      }
    } else {
      // A new history is written down at once: a client may take its epoch before any change.
      this.#onWrite?.({epoch: this.epoch, seq: 0, floor: 0, leaves: [], compacted: false});
    }
  }

  /** The last sequence number given out: a client that took everything up to it is current. */
  get seq(): number {
    return this.#seq;
  }

  get floor(): number {
    return this.#floor;
  }

  /** How many leaves the log remembers. */
  get size(): number {
    return this.#seqOf.size;
  }

  /**
   * Gives every leaf an accepted change set changed the next sequence number. `currentHlc` reads
   * the store after the merge: a stamp that lost (older than the store's) changed nothing.
   */
  record(
    changes: MergeableChanges,
    currentHlc: (address: LeafAddress) => string | undefined,
  ): void {
    const written: [LeafKey, number][] = [];
    forEachLeafStamp(changes, (key, [, hlc = ''], address) => {
      const recorded = this.#hlcOf.get(key);
      if ((recorded !== undefined && hlc <= recorded) || currentHlc(address) !== hlc) {
        return;
      }
      this.#hlcOf.set(key, hlc);
      const seq = ++this.#seq;
      this.#seqOf.set(key, seq);
      this.#order.push({key, seq});
      written.push([key, seq]);
    });
    if (written.length === 0) {
      return;
    }
    const compacted = this.#forgetOldest();
    this.#dropStaleEntries();
    this.#onWrite?.({
      epoch: this.epoch,
      seq: this.#seq,
      floor: this.#floor,
      leaves: written,
      compacted,
    });
  }

  /**
   * The leaves whose latest change came after `since`, oldest first; undefined when the log
   * cannot tell (`since` is below the floor, or after the last sequence number given out).
   */
  changedSince(since: number): LeafAddress[] | undefined {
    if (since < this.#floor || since > this.#seq) {
      return undefined;
    }
    const order = this.#order;
    let low = this.#start;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (order[middle]!.seq <= since) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    const addresses: LeafAddress[] = [];
    for (let index = low; index < order.length; index++) {
      const {key, seq} = order[index]!;
      if (this.#seqOf.get(key) === seq) {
        addresses.push(JSON.parse(key) as LeafAddress);
      }
    }
    return addresses;
  }

  /** Forgets the oldest leaves beyond maxLeaves, raising the floor; whether it did. */
  #forgetOldest(): boolean {
    let excess = this.#seqOf.size - this.#maxLeaves;
    if (excess <= 0) {
      return false;
    }
    const order = this.#order;
    while (excess > 0) {
      const {key, seq} = order[this.#start++]!;
      if (this.#seqOf.get(key) === seq) {
        this.#seqOf.delete(key);
        this.#hlcOf.delete(key);
        this.#floor = seq;
        excess--;
      }
    }
    return true;
  }

  /**
   * Once forgotten and stale entries outnumber live ones, keeps only the live ones: one pass per
   * as many writes as there are leaves, so amortised O(1) a write.
   */
  #dropStaleEntries(): void {
    if (this.#order.length > 2 * this.#seqOf.size + 1024) {
      this.#order = this.#order
        .slice(this.#start)
        .filter(({key, seq}) => this.#seqOf.get(key) === seq);
      this.#start = 0;
    }
  }
}

/** Every cell and value stamp in a change set, with its key. */
export const forEachLeafStamp = (
  changes: MergeableChanges,
  visit: (
    key: LeafKey,
    stamp: readonly [thing: unknown, hlc?: string, ...rest: unknown[]],
    address: LeafAddress,
  ) => void,
): void => {
  const tables = changes[0][0];
  for (const tableId in tables) {
    if (!Object.hasOwn(tables, tableId)) {
      continue;
    }
    const rows = tables[tableId]![0];
    for (const rowId in rows) {
      if (!Object.hasOwn(rows, rowId)) {
        continue;
      }
      const cells = rows[rowId]![0];
      for (const cellId in cells) {
        if (Object.hasOwn(cells, cellId)) {
          const address = [tableId, rowId, cellId] as const;
          visit(JSON.stringify(address), cells[cellId]!, address);
        }
      }
    }
  }
  const values = changes[1][0];
  for (const valueId in values) {
    if (Object.hasOwn(values, valueId)) {
      const address = [valueId] as const;
      visit(JSON.stringify(address), values[valueId]!, address);
    }
  }
};
