// syncstore/synchronizers: the protocol engine over any transport, its message numbers, and the
// types of synchronizers and their sync status.
export {describeError, ErrorCode, MessageTooLarge, SyncError} from './errors.js';
export {
  DEFAULT_FIRST_SYNC_TIMEOUT,
  type FirstSyncReason,
  type FirstSyncState,
  type FirstSyncWatch,
  watchFirstSync,
} from './first-sync-watch.js';
export {createRandomId, createRequestId, createTransactionId} from './ids.js';
export {getMessageName, validateMessage} from './messages.js';
export {NoPeerAnswered} from './pull.js';
export {
  type CustomSynchronizer,
  type CustomSynchronizerOptions,
  createCustomSynchronizer,
} from './synchronizer.js';
export {
  type CreateOwnedSynchronizer,
  createSynchronizerOwner,
  IDLE_OWNER_SNAPSHOT,
  type SynchronizerOwner,
  type SynchronizerOwnerOptions,
  type SynchronizerOwnerSnapshot,
  type SynchronizerOwnerStatus,
} from './synchronizer-owner.js';
export type * from './types.js';
export {Message, Status} from './types.js';
