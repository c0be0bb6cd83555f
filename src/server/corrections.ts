// Corrections (docs/protocol.md §6.8): when a room refuses a client's write that is newer than
// the room store's version, the client would keep its own version forever, since the merge rule
// keeps the later stamp. The room therefore writes its own version again, stamped just after the
// refused one: the writer's store takes it back, and its hashes match the room's again.
import {decodeHlc, encodeHlc, getClientId} from '../store/hlc.js';
import type {FullMergeableStore} from '../store/mergeable-store.js';
import type {Id, MergeableChanges} from '../store/types.js';

/** Client-id part of the HLCs of corrections: the room store writes them, not any client. */
const CORRECTION_CLIENT_ID = getClientId('syncstore-server');
const COUNTER_LIMIT = 64 ** 4;

type Leaf = [thing: unknown, hlc?: string];

/** The smallest HLC, written by the room, that is later than `hlc`. */
export const hlcJustAfter = (hlc: string): string => {
  const [time, counter] = decodeHlc(hlc);
  return counter + 1 < COUNTER_LIMIT
    ? encodeHlc(time, counter + 1, CORRECTION_CLIENT_ID)
    : encodeHlc(time + 1, 0, CORRECTION_CLIENT_ID);
};

/** Collects the corrections for the refused leaves of one message. */
export class Corrections {
  readonly #store: FullMergeableStore;
  readonly #cells: Record<Id, Record<Id, Record<Id, Leaf>>> = {};
  readonly #values: Record<Id, Leaf> = {};
  #empty = true;
  /**
   * Corrections that are tombstones for ids the room store never had: each one grows the room,
   * so a client is allowed only so many (docs/protocol.md §6.9, refusedNewLeavesPerClient).
   */
  newLeaves = 0;
  /** The room store's values, read once per message and only if a value was refused. */
  #storedValues: Record<Id, Leaf> | undefined;

  constructor(store: FullMergeableStore) {
    this.#store = store;
  }

  /** A refused cell, stamped `hlc` by the client. */
  refuseCell(tableId: Id, rowId: Id, cellId: Id, hlc: string): void {
    // One row's stamps: what the room store holds of the refused cell, at the cost of its row.
    const tables = this.#store.getMergeableCellDiff(setOwn({}, tableId, setOwn({}, rowId, {})));
    const stored = childOf(childOf(childOf(tables, tableId), rowId), cellId);
    const correction = correctionFor(stored, hlc);
    if (correction !== undefined) {
      setOwn(ownOrNew(ownOrNew(this.#cells, tableId), rowId), cellId, correction);
      this.#empty = false;
      this.newLeaves += stored === undefined ? 1 : 0;
    }
  }

  /** A refused value, stamped `hlc` by the client. */
  refuseValue(valueId: Id, hlc: string): void {
    this.#storedValues ??= this.#store.getMergeableValueDiff({})[0] as Record<Id, Leaf>;
    const stored = Object.hasOwn(this.#storedValues, valueId)
      ? this.#storedValues[valueId]
      : undefined;
    const correction = correctionFor(stored, hlc);
    if (correction !== undefined) {
      setOwn(this.#values, valueId, correction);
      this.#empty = false;
      this.newLeaves += stored === undefined ? 1 : 0;
    }
  }

  /** The corrections as a change set, or undefined when none is needed. */
  toChanges(): MergeableChanges | undefined {
    if (this.#empty) {
      return undefined;
    }
    const tables = Object.fromEntries(
      Object.entries(this.#cells).map(([tableId, rows]) => [
        tableId,
        [Object.fromEntries(Object.entries(rows).map(([rowId, cells]) => [rowId, [cells]]))],
      ]),
    );
    return [[tables], [this.#values], 1] as unknown as MergeableChanges;
  }
}

/**
 * The room's version of a leaf, restamped after the refused `hlc`; undefined when the refused
 * write was not newer (it loses to the room's version by the merge rule anyway).
 */
const correctionFor = (stored: Leaf | undefined, hlc: string): Leaf | undefined => {
  const storedHlc = stored?.[1] ?? '';
  if (hlc === '' || hlc <= storedHlc) {
    return undefined;
  }
  return [stored?.[0], hlcJustAfter(hlc)];
};

/** The child `id` of a container stamp `[children, ...]`, if it has one. */
const childOf = (stamp: unknown, id: Id): Leaf | undefined => {
  const children = Array.isArray(stamp) ? (stamp[0] as Record<Id, Leaf> | undefined) : undefined;
  return children !== undefined && children !== null && Object.hasOwn(children, id)
    ? children[id]
    : undefined;
};

/** Sets an own property, even one named `__proto__`; returns the object. */
const setOwn = <T, O extends Record<Id, T>>(object: O, id: Id, value: T): O => {
  Object.defineProperty(object, id, {value, enumerable: true, writable: true, configurable: true});
  return object;
};

const ownOrNew = <T>(object: Record<Id, Record<Id, T>>, id: Id): Record<Id, T> => {
  if (!Object.hasOwn(object, id)) {
    setOwn(object, id, {});
  }
  return object[id]!;
};
