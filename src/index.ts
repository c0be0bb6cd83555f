// syncstore's root entry, as TinyBase's: the Store and the MergeableStore.
export {createMergeableStore} from './store/mergeable-store.js';
export {defaultSorter} from './store/sorting.js';
export {createStore} from './store/store.js';
export type * from './store/types.js';
