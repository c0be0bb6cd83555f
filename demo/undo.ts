// Undo and redo of this browser's own edits: checkpoints that record only local writes
// (`localOnly`), so a teammate's edit that arrives meanwhile is never taken back by my undo.
// Also used by the local-undo story.
import {createCheckpoints} from '../src/checkpoints/checkpoints.js';
import type {Checkpoints} from '../src/checkpoints/types.js';
import type {MergeableStore} from '../src/store/types.js';

export type UndoHistory = {
  checkpoints: Checkpoints;
  /** Stops recording and destroys the checkpoints. */
  stop(): void;
};

/**
 * Checkpoints for `store` with one undo step per local transaction (a card added, moved or
 * deleted, a keystroke in a title). Create them after the local copy has loaded, so that what
 * was already there is not a step.
 */
export const createUndoHistory = (store: MergeableStore): UndoHistory => {
  const checkpoints = createCheckpoints(store, {localOnly: true});
  // Runs after the checkpoints' own transaction listener (added first), so the transaction is
  // recorded by then: pending local changes leave no current checkpoint, and get one here. Merges
  // and undo/redo themselves leave a current checkpoint, so they add none.
  const listenerId = store.addDidFinishTransactionListener(() => {
    if (checkpoints.getCheckpointIds()[1] === undefined) {
      checkpoints.addCheckpoint();
    }
  });
  return {
    checkpoints,
    stop: () => {
      store.delListener(listenerId);
      checkpoints.destroy();
    },
  };
};
