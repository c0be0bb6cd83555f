// How synchronizers and persisters read and merge a store's content in its encoded (wire) form,
// where object and array cells travel as "\uFFFD"+JSON strings (docs/protocol.md §1.1). A syncstore store
// has encoded methods for this (MergeableStoreInternals), which cost nothing extra. Any other
// object with the public MergeableStore API (a TinyBase MergeableStore, say) is served through
// its public methods instead: its changes and content are encoded on the way out, and what
// peers send is decoded before it is merged.

import {
  decodeCellOrValue,
  type EncodedCellOrValue,
  encodeCellOrValue,
  isPlainObject,
} from '../store/cell.js';
import {setOwn} from '../store/objects.js';
import {isRowList, type RowList, rowListToChanges} from '../store/row-list.js';
import type {
  MergeableChanges,
  MergeableContent,
  MergeableStore,
  MergeableStoreInternals,
} from '../store/types.js';

/** What synchronizers merge: changes, content, or changes given row by row (a compact snapshot). */
export type IncomingChanges = MergeableChanges | MergeableContent | RowList;

/** The encoded reads and merges synchronizers and persisters need of a store. */
export type StoreAccess = {
  /** Changes of the current or just-finished transaction, encoded, without hashes. */
  getTransactionChanges(): MergeableChanges;
  /** The full hashed content, encoded. */
  getContent(): MergeableContent;
  /**
   * Merges encoded changes or content: undefined when accepted, else why the whole input was
   * rejected. (A store with only the public API gives no reason: its merge drops bad input.)
   */
  applyChanges(changes: IncomingChanges): string | undefined;
  /**
   * How many local writes the store has stamped so far, or undefined when it cannot tell: an
   * unchanged count across a merge shows that no listener wrote during it, at no cost.
   */
  getLocalStampCount(): number | undefined;
};

const hasInternals = (store: MergeableStore): store is MergeableStore & MergeableStoreInternals => {
  const maybe = store as Partial<MergeableStoreInternals>;
  return (
    typeof maybe.getEncodedTransactionChanges === 'function' &&
    typeof maybe.getEncodedMergeableContent === 'function' &&
    typeof maybe.applyEncodedMergeableChanges === 'function'
  );
};

/** The StoreAccess for `store`: its own encoded methods when it has them, else the public ones. */
export function createStoreAccess(store: MergeableStore): StoreAccess {
  if (hasInternals(store)) {
    return {
      getTransactionChanges: () => store.getEncodedTransactionChanges(),
      getContent: () => store.getEncodedMergeableContent(),
      applyChanges: (changes) =>
        !isRowList(changes)
          ? store.applyEncodedMergeableChanges(changes)
          : typeof store.applyEncodedRowList === 'function'
            ? store.applyEncodedRowList(changes)
            : store.applyEncodedMergeableChanges(rowListToChanges(changes)),
      getLocalStampCount:
        typeof store.getLocalStampCount === 'function'
          ? () => store.getLocalStampCount()
          : () => undefined,
    };
  }
  return {
    getTransactionChanges: () =>
      mapLeaves(store.getTransactionMergeableChanges(false), encodeForWire) as MergeableChanges,
    getContent: () => mapLeaves(store.getMergeableContent(), encodeForWire) as MergeableContent,
    applyChanges: (changes) => {
      const unlisted = isRowList(changes) ? rowListToChanges(changes) : changes;
      store.applyMergeableChanges(
        mapLeaves(unlisted, decodeFromWire) as MergeableChanges | MergeableContent,
      );
      return undefined;
    },
    getLocalStampCount: () => undefined,
  };
}

/** A public object or array cell in its wire form; anything else as it is. */
const encodeForWire = (thing: unknown): unknown =>
  Array.isArray(thing) || isPlainObject(thing) ? encodeCellOrValue(thing) : thing;

/** A wire "\uFFFD"+JSON string as the object or array it stands for; anything else as it is. */
const decodeFromWire = (thing: unknown): unknown => {
  if (typeof thing !== 'string' || thing.charCodeAt(0) !== 0xfffd) {
    return thing;
  }
  try {
    return decodeCellOrValue(thing as EncodedCellOrValue);
  } catch {
    // Not JSON: left as it is, for the store's own merge to refuse.
    return thing;
  }
};

type AnyStamp = [thing: unknown, hlc?: string, hash?: number];

/**
 * A copy of changes or content (`[tables, values, ...]`) with every cell and value passed
 * through `map`; containers, HLCs and hashes are kept. Stamps whose thing is unchanged are shared.
 */
function mapLeaves(
  changes: MergeableChanges<boolean> | MergeableContent,
  map: (thing: unknown) => unknown,
): unknown[] {
  const [tables, values, ...rest] = changes as unknown as [AnyStamp, AnyStamp, ...unknown[]];
  return [mapStamp(tables, 3, map), mapStamp(values, 1, map), ...rest];
}

function mapStamp(stamp: AnyStamp, depth: number, map: (thing: unknown) => unknown): AnyStamp {
  if (depth === 0) {
    const thing = map(stamp[0]);
    return thing === stamp[0] ? stamp : ([thing, ...stamp.slice(1)] as AnyStamp);
  }
  const children = stamp[0] as {[id: string]: AnyStamp};
  const mapped: {[id: string]: AnyStamp} = {};
  for (const id in children) {
    if (Object.hasOwn(children, id)) {
      setOwn(mapped, id, mapStamp(children[id], depth - 1, map));
    }
  }
  return [mapped, ...stamp.slice(1)] as AnyStamp;
}
