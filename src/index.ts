// syncstore: the MergeableStore entry point.
export {createMergeableStore} from './store/mergeable-store.js';
export type * from './store/types.js';
