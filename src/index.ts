// syncstore's root entry, as TinyBase's: the Store and the MergeableStore, and the helpers for
// ids, sorting, clocks and hashes that come with them, checkpoints (undo and redo), and the
// derived data that follows a store's changes: indexes, metrics and relationships.

export {createCheckpoints} from './checkpoints/checkpoints.js';
export type * from './checkpoints/types.js';
export {createIndexes} from './indexes/indexes.js';
export type * from './indexes/types.js';
export {createMetrics} from './metrics/metrics.js';
export type * from './metrics/types.js';
export {createRelationships} from './relationships/relationships.js';
export type * from './relationships/types.js';
export {
  addOrRemoveHash,
  getCellHash,
  getCellInRowHash,
  getHash,
  getRowHash,
  getRowInTableHash,
  getTableHash,
  getTableInTablesHash,
  getTablesHash,
  getValueHash,
  getValueInValuesHash,
  getValuesHash,
} from './store/hash-functions.js';
export {getHlcFunctions, type HlcFunctions} from './store/hlc-functions.js';
export {createMergeableStore} from './store/mergeable-store.js';
export {defaultSorter} from './store/sorting.js';
export {createStore} from './store/store.js';
export type * from './store/types.js';
export {getUniqueId} from './store/unique-id.js';
