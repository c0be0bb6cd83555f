// createMergeableStore: TinyBase's Store and MergeableStore API over one stamp tree (tree.ts).
// Every local write is stamped with the next HLC; every merge keeps, per cell and value, the stamp
// with the greater HLC. Listeners are called when the outermost transaction finishes.
//
// This file only adds the mergeable methods to the Store's (store.ts); the work is done by plain
// functions over one StoreState: local-writes, transactions, merging, plain-reads,
// mergeable-reads, and the setters and listener methods.
import {getDiffs} from './diffs.js';
import {
  getContentTree,
  getLeafHlc,
  getLeafStampsTree,
  getTransactionChangesTree,
} from './mergeable-reads.js';
import {applyChanges, setContentFromMergeable} from './merging.js';
import {applyRowList} from './row-loading.js';
import {setDefaultContent} from './setters-api.js';
import {attachStore, createStoreApi} from './store.js';
import {type FullMergeableStore, StoreState} from './store-state.js';
import type {MergeableChanges, Store} from './types.js';

export type {FullMergeableStore} from './store-state.js';

type MergeableApi = Omit<FullMergeableStore, keyof Store>;

/** The MergeableStore methods proper, and the wire-form internals for synchronizers. */
const createMergeableApi = (state: StoreState): MergeableApi => {
  const {tables, values} = state;
  const self = () => state.store as FullMergeableStore;
  return {
    getMergeableContent: () => getContentTree(state, true),
    setMergeableContent: (content) => {
      setContentFromMergeable(state, content, false);
      return self();
    },
    setDefaultContent: (content) => {
      setDefaultContent(state, content);
      return self();
    },
    getTransactionMergeableChanges: (withHashes = false) =>
      getTransactionChangesTree(state, withHashes, true),
    applyMergeableChanges: (changes) => {
      applyChanges(state, changes, false);
      return self();
    },
    merge: (other) => {
      // In TinyBase's order: both contents first, then the other store takes mine.
      const mine = self().getMergeableContent();
      const theirs = other.getMergeableContent();
      other.applyMergeableChanges(mine);
      self().applyMergeableChanges(theirs);
      return self();
    },
    ...getDiffs(() => {
      tables.computeHash();
      return {tables, values};
    }),
    // Internals for synchronizers and persisters (wire form)
    getEncodedMergeableContent: () => getContentTree(state, false),
    getEncodedTransactionChanges: () =>
      getTransactionChangesTree(state, false, false) as MergeableChanges,
    applyEncodedMergeableChanges: (changes) => applyChanges(state, changes, true),
    applyEncodedRowList: (list) => applyRowList(state, list),
    getEncodedLeafStamps: (addresses) => getLeafStampsTree(state, addresses),
    getLeafHlc: (address) => getLeafHlc(state, address),
    forEachEncodedRowLeaf: (tableId, rowId, visit) =>
      tables.children.get(tableId)?.children.get(rowId)?.forEachLeaf(visit),
    getStampedRowIds: (tableId) => [...(tables.children.get(tableId)?.children.keys() ?? [])],
    setEncodedMergeableContent: (content) => setContentFromMergeable(state, content, true),
    getLocalStampCount: () => state.clock.stamps,
    hasMergedInTransaction: () => state.mergesInTransaction > 0,
  };
};

export const createMergeableStore = (
  uniqueId?: string,
  getNow: () => number = Date.now,
): FullMergeableStore => {
  const state = new StoreState(uniqueId, getNow);
  // The Store methods are typed to return a Store; each returns state.store, which is this
  // object, so they return the MergeableStore itself.
  return attachStore(state, {
    ...createStoreApi(state),
    ...createMergeableApi(state),
    isMergeable: () => true,
  } as FullMergeableStore);
};
