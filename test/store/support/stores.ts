// The two MergeableStore factories the store suite compares: the implementation under test and
// TinyBase's, typed alike through syncstore's public types.
import {
  createMergeableStore as createTinyBaseMergeableStore,
  createStore as createTinyBaseStoreOnly,
} from 'tinybase';
// The implementation under test. This is the one line to switch between TinyBase (while
// syncstore's store is being written) and syncstore itself ('../../../src/index.js').
import {
  createMergeableStore as createImplementationMergeableStore,
  createStore as createImplementationStore,
} from '../../../src/index.js';
import type {MergeableContent, MergeableStore, Store} from '../../../src/store/types.js';

export type GetNow = () => number;

/** A MergeableStore of the implementation under test (syncstore). */
export const createStore = (uniqueId?: string, getNow?: GetNow): MergeableStore =>
  createImplementationMergeableStore(uniqueId, getNow) as unknown as MergeableStore;

/** A MergeableStore of TinyBase 10, the reference the suite compares against. */
export const createTinyBaseStore = (uniqueId?: string, getNow?: GetNow): MergeableStore =>
  createTinyBaseMergeableStore(uniqueId, getNow) as unknown as MergeableStore;

/** The two implementations by name, for side-by-side tests. */
export const implementations = [
  ['syncstore', createStore],
  ['tinybase', createTinyBaseStore],
] as const;

// ------------------------------------------------------------------------------------------------
// TinyBase as the reference for syncstore's public merges of object and array cells.
//
// syncstore stores and hashes an object cell in its encoded form ("\uFFFD" + JSON) whichever way
// it arrives, so its hashes equal those of the store that wrote the cell. TinyBase's public
// applyMergeableChanges (and merge, and setMergeableContent) keeps such cells as raw objects and
// hashes their raw JSON instead (docs/protocol.md §3); its wire path does what syncstore does.
// Tests of public merges therefore drive TinyBase through its wire path, with cells encoded.

type TinyBaseWirePath = {
  __: [
    unknown,
    () => MergeableContent,
    unknown,
    (content: unknown) => unknown,
    (changes: unknown) => unknown,
  ];
};
const wirePathOf = (store: MergeableStore) => (store as unknown as TinyBaseWirePath).__;

const encodeLeaf = (thing: unknown): unknown =>
  thing !== null && typeof thing === 'object' ? `\uFFFD${JSON.stringify(thing)}` : thing;

/** A copy of a stamp (of the given depth: 0 = cell) with object and array cells encoded. */
const encodeStamp = (stamp: unknown[], depth: number): unknown[] => {
  const [thing, ...rest] = Array.from(stamp);
  if (depth === 0) {
    return [encodeLeaf(thing), ...rest];
  }
  const children: {[id: string]: unknown} = {};
  for (const id of Object.keys(thing as object)) {
    Object.defineProperty(children, id, {
      value: encodeStamp((thing as {[id: string]: unknown[]})[id], depth - 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return [children, ...rest];
};

/** Mergeable changes or content with object and array cells encoded, as on the wire. */
export const encodeObjectCells = <Mergeable>(mergeable: Mergeable): Mergeable => {
  const [tables, values, ...rest] = mergeable as unknown as unknown[][];
  return [encodeStamp(tables, 3), encodeStamp(values, 1), ...rest] as Mergeable;
};

/** The leaves of a stamp (of the given depth: 0 = cell). */
const leavesOf = (stamp: unknown[], depth: number): unknown[] =>
  depth === 0
    ? [stamp[0]]
    : Object.values(stamp[0] as {[id: string]: unknown[]}).flatMap((child) =>
        leavesOf(child, depth - 1),
      );

/** The public path refuses "\uFFFD..." strings (objects in wire form); the wire path does not. */
const isRefusedByPublicPath = (mergeable: unknown): boolean => {
  const [tables, values] = mergeable as unknown[][];
  return [...leavesOf(tables, 3), ...leavesOf(values, 1)].some(
    (leaf) => typeof leaf === 'string' && leaf.startsWith('\uFFFD'),
  );
};

/** applyMergeableChanges on a TinyBase store, keeping object cells as syncstore does. */
export const applyToTinyBase = (store: MergeableStore, changes: unknown): void => {
  if (!isRefusedByPublicPath(changes)) {
    wirePathOf(store)[4](encodeObjectCells(changes));
  }
};

/** setMergeableContent on a TinyBase store, keeping object cells as syncstore does. */
export const setContentOfTinyBase = (store: MergeableStore, content: MergeableContent): void => {
  if (!isRefusedByPublicPath(content)) {
    wirePathOf(store)[3](encodeObjectCells(content));
  }
};

/** merge() between two TinyBase stores (in TinyBase's order), keeping object cells encoded. */
export const mergeTinyBase = (store: MergeableStore, other: MergeableStore): MergeableStore => {
  const mine = wirePathOf(store)[1]();
  const theirs = wirePathOf(other)[1]();
  wirePathOf(other)[4](mine);
  wirePathOf(store)[4](theirs);
  return store;
};

// ------------------------------------------------------------------------------------------------
// Plain Stores (createStore) and what any Store can tell, for comparing the two kinds of store.

/** A plain Store of the implementation under test. */
export const createPlainStore = (): Store => createImplementationStore();
/** A plain Store of TinyBase 10. */
export const createTinyBasePlainStore = (): Store => createTinyBaseStoreOnly() as unknown as Store;

/** Everything a Store answers through its plain API, each listing in the order it comes. */
export const plainState = (store: Store): unknown => {
  const forEach: unknown[] = [];
  store.forEachTable((tableId, forEachRow) => {
    forEach.push(['table', tableId]);
    forEachRow((rowId, forEachCell) => {
      forEach.push(['row', rowId]);
      forEachCell((cellId, cell) => forEach.push(['cell', cellId, cell]));
    });
  });
  store.forEachValue((valueId, value) => forEach.push(['value', valueId, value]));
  return {
    content: store.getContent(),
    json: store.getJson(),
    tablesJson: store.getTablesJson(),
    valuesJson: store.getValuesJson(),
    tableIds: store.getTableIds(),
    valueIds: store.getValueIds(),
    tables: store
      .getTableIds()
      .map((tableId) => [
        store.getRowIds(tableId),
        store.getTableCellIds(tableId),
        store.getRowCount(tableId),
        store.getSortedRowIds(tableId, undefined, true),
        store.getRowIds(tableId).map((rowId) => store.getCellIds(tableId, rowId)),
      ]),
    forEach,
  };
};
