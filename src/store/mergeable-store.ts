// createMergeableStore: TinyBase's Store and MergeableStore API over one stamp tree (tree.ts).
// Every local write is stamped with the next HLC; every merge keeps, per cell and value, the stamp
// with the greater HLC. Listeners are called when the outermost transaction finishes.
//
// This file only composes the public object; the work is done by plain functions over one
// StoreState: local-writes, transactions, merging, plain-reads, mergeable-reads, and the
// setters and listener methods.
import {getDiffs} from './diffs.js';
import {createListenerApi} from './listeners-api.js';
import {getContentTree, getTransactionChangesTree} from './mergeable-reads.js';
import {applyChanges, setContentFromMergeable} from './merging.js';
import {createPlainReadApi} from './plain-reads.js';
import {createSetterApi} from './setters-api.js';
import {type FullMergeableStore, StoreState} from './store-state.js';
import {createNotifyContext, createTransactionApi} from './transactions.js';
import type {MergeableChanges} from './types.js';

export type {FullMergeableStore} from './store-state.js';

type MergeableApi = Omit<
  FullMergeableStore,
  | keyof ReturnType<typeof createPlainReadApi>
  | keyof ReturnType<typeof createSetterApi>
  | keyof ReturnType<typeof createListenerApi>
  | keyof ReturnType<typeof createTransactionApi>
>;

/** The MergeableStore methods proper, and the wire-form internals for synchronizers. */
const createMergeableApi = (state: StoreState): MergeableApi => {
  const {tables, values} = state;
  return {
    isMergeable: () => true,
    getMergeableContent: () => getContentTree(state, true),
    setMergeableContent: (content) => {
      setContentFromMergeable(state, content, false);
      return state.store;
    },
    getTransactionMergeableChanges: (withHashes = false) =>
      getTransactionChangesTree(state, withHashes, true),
    applyMergeableChanges: (changes) => {
      applyChanges(state, changes, false);
      return state.store;
    },
    merge: (other) => {
      // In TinyBase's order: both contents first, then the other store takes mine.
      const mine = state.store.getMergeableContent();
      const theirs = other.getMergeableContent();
      other.applyMergeableChanges(mine);
      state.store.applyMergeableChanges(theirs);
      return state.store;
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
    setEncodedMergeableContent: (content) => setContentFromMergeable(state, content, true),
    getLocalStampCount: () => state.clock.stamps,
  };
};

export const createMergeableStore = (
  uniqueId?: string,
  getNow: () => number = Date.now,
): FullMergeableStore => {
  const state = new StoreState(uniqueId, getNow);
  state.store = {
    ...createPlainReadApi(state),
    ...createSetterApi(state),
    ...createTransactionApi(state),
    ...createListenerApi(state),
    ...createMergeableApi(state),
  };
  state.notifyContext = createNotifyContext(state);
  return state.store;
};
