// Small operations on unhashed stamp trees (docs/protocol.md §1.3) that the engine needs: emptiness, merging
// pull results, coalescing several transactions into one ContentDiff, and finding the newest HLC.
// They never copy leaf stamps, only the container objects they must change. Ids come from users
// and peers, so children are read and written as own properties (an id may be "__proto__").

import {getOwn, setOwn} from '../store/objects.js';
import type {MergeableChanges, MergeableContent, TablesStamp, ValuesStamp} from '../store/types.js';

type Container = {[id: string]: unknown};
type AnyStamp = [thing: unknown, hlc?: string, hash?: number];

/** An object with no own keys (hash trees in responses). */
export function isEmptyObject(object: object): boolean {
  for (const key in object) {
    if (Object.hasOwn(object, key)) {
      return false;
    }
  }
  return true;
}

/** Whether a change set touches no cell and no value. */
export function isEmptyChanges(changes: MergeableChanges): boolean {
  return isEmptyObject(changes[0][0]) && isEmptyObject(changes[1][0]);
}

function laterHlc(first: string | undefined, second: string | undefined): string | undefined {
  if (!second) {
    return first;
  }
  return !first || second > first ? second : first;
}

/**
 * Merges `source` into `target` (a tables stamp built by the pull), table by table and row by row:
 * source leaves replace target leaves, container HLCs keep the later one. `target` is mutated;
 * it must be owned by the caller (pull responses are).
 */
export function mergeTablesStampInto(target: TablesStamp, source: TablesStamp): void {
  mergeStampInto(target as AnyStamp, source as AnyStamp, 3);
}

/** Overlays `source` on `target`, both stamps `depth` levels above their leaves. */
function mergeStampInto(target: AnyStamp, source: AnyStamp, depth: number): void {
  const targetChildren = target[0] as Container;
  const sourceChildren = source[0] as Container;
  for (const id in sourceChildren) {
    if (!Object.hasOwn(sourceChildren, id)) {
      continue;
    }
    const sourceChild = sourceChildren[id] as AnyStamp;
    if (depth === 1) {
      setOwn(targetChildren, id, sourceChild);
      continue;
    }
    let targetChild = getOwn(targetChildren, id) as AnyStamp | undefined;
    if (targetChild === undefined) {
      targetChild = [{}];
      setOwn(targetChildren, id, targetChild);
    }
    mergeStampInto(targetChild, sourceChild, depth - 1);
  }
  setContainerHlc(target, source[1]);
}

function setContainerHlc(stamp: AnyStamp, incoming: string | undefined): void {
  const hlc = laterHlc(stamp[1], incoming);
  if (hlc) {
    stamp[1] = hlc;
  }
}

/**
 * Collects the change sets of several local transactions into one, for a single ContentDiff.
 * Later transactions win per leaf (their HLCs are later). The first change set is used as is;
 * a container is copied only the first time a later change set has to write into it, so a lone
 * transaction, however big, costs nothing here.
 */
export class ChangeCoalescer {
  #changes: MergeableChanges | undefined;
  #owned = new WeakSet<object>();

  add(changes: MergeableChanges): void {
    if (this.#changes === undefined) {
      // A new outer array, so replacing its elements below never touches the store's object.
      this.#changes = [changes[0], changes[1], 1];
      return;
    }
    const target = this.#changes;
    target[0] = this.#mergeLevel(target[0] as AnyStamp, changes[0] as AnyStamp, 3) as TablesStamp;
    target[1] = this.#mergeLevel(target[1] as AnyStamp, changes[1] as AnyStamp, 1) as ValuesStamp;
  }

  /** The coalesced changes, leaving the coalescer empty. */
  take(): MergeableChanges | undefined {
    const changes = this.#changes;
    this.#changes = undefined;
    this.#owned = new WeakSet();
    return changes;
  }

  /** The coalesced changes so far, left in place (later adds may change them). */
  peek(): MergeableChanges | undefined {
    return this.#changes;
  }

  get isEmpty(): boolean {
    return this.#changes === undefined;
  }

  /** Returns a stamp at `depth` holding target's children overlaid by source's. */
  #mergeLevel(target: AnyStamp, source: AnyStamp, depth: number): AnyStamp {
    let stamp = target;
    let children = target[0] as Container;
    if (!this.#owned.has(stamp)) {
      children = {...children};
      stamp = target.length > 1 ? [children, target[1]] : [children];
      this.#owned.add(stamp);
    }
    const sourceChildren = source[0] as Container;
    for (const id in sourceChildren) {
      if (!Object.hasOwn(sourceChildren, id)) {
        continue;
      }
      const sourceChild = sourceChildren[id] as AnyStamp;
      const targetChild = getOwn(children, id) as AnyStamp | undefined;
      setOwn(
        children,
        id,
        depth > 1 && targetChild !== undefined
          ? this.#mergeLevel(targetChild, sourceChild, depth - 1)
          : sourceChild,
      );
    }
    setContainerHlc(stamp, source[1]);
    return stamp;
  }
}

/** The newest HLC stamped on any cell or value of a change set, or '' when it holds none. */
export function newestLeafHlc(changes: MergeableChanges): string {
  let newest = '';
  const tables = changes[0][0];
  for (const tableId in tables) {
    const rows = tables[tableId][0];
    for (const rowId in rows) {
      const cells = rows[rowId][0];
      for (const cellId in cells) {
        const hlc = cells[cellId][1];
        if (hlc !== undefined && hlc > newest) {
          newest = hlc;
        }
      }
    }
  }
  const values = changes[1][0];
  for (const valueId in values) {
    const hlc = values[valueId][1];
    if (hlc !== undefined && hlc > newest) {
      newest = hlc;
    }
  }
  return newest;
}

/**
 * One key per leaf of `changes` (a cell's JSON `[tableId, rowId, cellId]`, a value's
 * `[valueId]`), so that sets of keys count distinct cells and values.
 */
export function leafKeysOf(changes: MergeableChanges): string[] {
  const keys: string[] = [];
  const tables = changes[0][0];
  for (const tableId in tables) {
    const rows = tables[tableId][0];
    for (const rowId in rows) {
      for (const cellId in rows[rowId][0]) {
        keys.push(JSON.stringify([tableId, rowId, cellId]));
      }
    }
  }
  for (const valueId in changes[1][0]) {
    keys.push(JSON.stringify([valueId]));
  }
  return keys;
}

/** The distinct cells and values changed locally while they could not be sent. */
export class PendingChangeSet {
  readonly #leafKeys = new Set<string>();

  get count(): number {
    return this.#leafKeys.size;
  }

  add(changes: MergeableChanges): void {
    for (const key of leafKeysOf(changes)) {
      this.#leafKeys.add(key);
    }
  }

  /** Empties the set, returning the keys it held. */
  take(): string[] {
    const keys = [...this.#leafKeys];
    this.#leafKeys.clear();
    return keys;
  }
}

/**
 * The leaves of `changes` that this store wrote itself while merging `merged`: those with an HLC
 * that `merged` does not carry at the same place. Listeners (mutator listeners, will-finish
 * listeners) may write while a peer's changes are merged; their writes join that transaction
 * with fresh local HLCs, and must reach peers, while the merged leaves themselves must not be
 * echoed back. `merged` may also be stored content (a persister's load). With `merged` null
 * (default content, stamped with no HLC), every leaf with an HLC is such a write. Returns
 * undefined when there is none.
 */
export function writesBesides(
  changes: MergeableChanges,
  merged: MergeableChanges | MergeableContent | null,
): MergeableChanges | undefined {
  const tables = leavesBesides(changes[0] as AnyStamp, merged?.[0] as AnyStamp | undefined, 3);
  const values = leavesBesides(changes[1] as AnyStamp, merged?.[1] as AnyStamp | undefined, 1);
  if (tables === undefined && values === undefined) {
    return undefined;
  }
  return [(tables ?? [{}]) as TablesStamp, (values ?? [{}]) as ValuesStamp, 1];
}

/** A stamp `depth` levels above its leaves with only the written leaves, or undefined if none. */
function leavesBesides(
  stamp: AnyStamp,
  merged: AnyStamp | undefined,
  depth: number,
): AnyStamp | undefined {
  const children = stamp[0] as Container;
  const mergedChildren = merged?.[0] as Container | undefined;
  let kept: Container | undefined;
  for (const id in children) {
    if (!Object.hasOwn(children, id)) {
      continue;
    }
    const child = children[id] as AnyStamp;
    const mergedChild =
      mergedChildren === undefined ? undefined : (getOwn(mergedChildren, id) as AnyStamp);
    let keptChild: AnyStamp | undefined;
    if (depth === 1) {
      const hlc = child[1];
      keptChild = hlc && hlc !== mergedChild?.[1] ? child : undefined;
    } else {
      keptChild = leavesBesides(child, mergedChild, depth - 1);
    }
    if (keptChild !== undefined) {
      kept ??= {};
      setOwn(kept, id, keptChild);
    }
  }
  return kept === undefined ? undefined : [kept];
}
