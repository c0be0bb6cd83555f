// Small operations on unhashed stamp trees (spec §1.2) that the engine needs: emptiness, merging
// pull results, coalescing several transactions into one ContentDiff, and walking leaf HLCs.
// They never copy leaf stamps, only the container objects they must change.

import type {MergeableChanges, TablesStamp, ValuesStamp} from '../store/types.js';

type Container = {[id: string]: unknown};
type AnyStamp = [thing: unknown, hlc?: string, hash?: number];

function hasOwnKeys(object: object): boolean {
  for (const key in object) {
    if (Object.hasOwn(object, key)) {
      return true;
    }
  }
  return false;
}

/** Whether a change set touches no cell and no value. */
export function isEmptyChanges(changes: MergeableChanges): boolean {
  return !hasOwnKeys(changes[0][0]) && !hasOwnKeys(changes[1][0]);
}

/** An object with no own keys (hash trees in responses). */
export function isEmptyObject(object: object): boolean {
  return !hasOwnKeys(object);
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
  const targetTables = target[0] as Container;
  for (const tableId in source[0]) {
    if (!Object.hasOwn(source[0], tableId)) {
      continue;
    }
    const sourceTable = source[0][tableId];
    let targetTable = targetTables[tableId] as AnyStamp | undefined;
    if (targetTable === undefined) {
      targetTable = [{}];
      targetTables[tableId] = targetTable;
    }
    const targetRows = targetTable[0] as Container;
    for (const rowId in sourceTable[0]) {
      if (!Object.hasOwn(sourceTable[0], rowId)) {
        continue;
      }
      const sourceRow = sourceTable[0][rowId];
      let targetRow = targetRows[rowId] as AnyStamp | undefined;
      if (targetRow === undefined) {
        targetRow = [{}];
        targetRows[rowId] = targetRow;
      }
      Object.assign(targetRow[0] as Container, sourceRow[0]);
      setContainerHlc(targetRow, sourceRow[1]);
    }
    setContainerHlc(targetTable, sourceTable[1]);
  }
  setContainerHlc(target as AnyStamp, source[1]);
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
      const targetChild = children[id] as AnyStamp | undefined;
      children[id] =
        depth > 1 && targetChild !== undefined
          ? this.#mergeLevel(targetChild, sourceChild, depth - 1)
          : sourceChild;
    }
    setContainerHlc(stamp, source[1]);
    return stamp;
  }
}

/** Calls `visit` with the HLC of every cell and value stamp that has one. */
export function forEachLeafHlc(changes: MergeableChanges, visit: (hlc: string) => void): void {
  const tables = changes[0][0];
  for (const tableId in tables) {
    const rows = tables[tableId][0];
    for (const rowId in rows) {
      const cells = rows[rowId][0];
      for (const cellId in cells) {
        const hlc = cells[cellId][1];
        if (hlc) {
          visit(hlc);
        }
      }
    }
  }
  const values = changes[1][0];
  for (const valueId in values) {
    const hlc = values[valueId][1];
    if (hlc) {
      visit(hlc);
    }
  }
}

/** The distinct cells and values changed locally while they could not be sent. */
export class PendingChangeSet {
  #cells = new Map<string, Map<string, Set<string>>>();
  #values = new Set<string>();
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(changes: MergeableChanges): void {
    const tables = changes[0][0];
    for (const tableId in tables) {
      let rowsSeen = this.#cells.get(tableId);
      if (rowsSeen === undefined) {
        rowsSeen = new Map();
        this.#cells.set(tableId, rowsSeen);
      }
      const rows = tables[tableId][0];
      for (const rowId in rows) {
        let cellsSeen = rowsSeen.get(rowId);
        if (cellsSeen === undefined) {
          cellsSeen = new Set();
          rowsSeen.set(rowId, cellsSeen);
        }
        for (const cellId in rows[rowId][0]) {
          if (!cellsSeen.has(cellId)) {
            cellsSeen.add(cellId);
            this.#count++;
          }
        }
      }
    }
    for (const valueId in changes[1][0]) {
      if (!this.#values.has(valueId)) {
        this.#values.add(valueId);
        this.#count++;
      }
    }
  }

  clear(): void {
    this.#cells.clear();
    this.#values.clear();
    this.#count = 0;
  }
}
