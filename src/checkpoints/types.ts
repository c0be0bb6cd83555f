// Public types of Checkpoints. Names and shapes follow TinyBase 10's, so that code written for
// TinyBase's checkpoints type-checks against syncstore unchanged.
import type {Id, IdOrNull, Ids, Store} from '../store/types.js';

/**
 * `[backwardIds, currentId, forwardIds]`: the checkpoints one can go back to (oldest first), the
 * current one (undefined while the store has changes no checkpoint holds yet), and the ones one
 * can go forward to (nearest first).
 */
export type CheckpointIds = [
  backwardCheckpointIds: Ids,
  currentCheckpointId: Id | undefined,
  forwardCheckpointIds: Ids,
];
/** Called by forEachCheckpoint for each checkpoint, with its label. */
export type CheckpointCallback = (checkpointId: Id, label?: string) => void;
/** Called when the checkpoint ids change (a checkpoint added, a move backward or forward...). */
export type CheckpointIdsListener = (checkpoints: Checkpoints) => void;
/** Called when a checkpoint's label changes, or the checkpoint is added or removed. */
export type CheckpointListener = (checkpoints: Checkpoints, checkpointId: Id) => void;
/** How many listeners of each kind are registered. */
export type CheckpointsListenerStats = {checkpointIds: number; checkpoint: number};

/** Options of createCheckpoints beyond TinyBase's. */
export type CheckpointsOptions = {
  /**
   * Only for a MergeableStore: record only this client's own edits, so that undo and redo take
   * back only those. Edits merged from other peers (applyMergeableChanges, a synchronizer, a
   * persister) are never recorded and never undone, and a cell a merge changed after my edit keeps
   * the merged value (undo and redo leave it alone). Undo and redo are new local edits, freshly
   * stamped, so they sync to every peer like any other edit.
   */
  localOnly?: boolean;
};

/**
 * Undo and redo for a store: checkpoints are points in its history, and the changes between them
 * are kept (old and new values of each changed cell and value), so one can go back and forth.
 */
export interface Checkpoints {
  /** Sets how many checkpoints are kept behind the current one (100 by default). */
  setSize(size: number): Checkpoints;
  /**
   * Makes a checkpoint of the store's current state, with a label, and returns its id. When
   * nothing changed since the current checkpoint, returns that one's id and keeps its label.
   */
  addCheckpoint(label?: string): Id;
  /** Sets the label of an existing checkpoint; an unknown id is ignored. */
  setCheckpoint(checkpointId: Id, label: string): Checkpoints;
  getStore(): Store;
  getCheckpointIds(): CheckpointIds;
  forEachCheckpoint(checkpointCallback: CheckpointCallback): void;
  hasCheckpoint(checkpointId: Id): boolean;
  /** The label of a checkpoint, undefined when there is no such checkpoint. */
  getCheckpoint(checkpointId: Id): string | undefined;
  addCheckpointIdsListener(listener: CheckpointIdsListener): Id;
  /** Listens to one checkpoint's label, or with `null` to every checkpoint's. */
  addCheckpointListener(checkpointId: IdOrNull, listener: CheckpointListener): Id;
  delListener(listenerId: Id): Checkpoints;
  /** Undo: puts the store back as at the previous checkpoint (changes pending become one first). */
  goBackward(): Checkpoints;
  /** Redo: puts the store forward as at the next checkpoint. */
  goForward(): Checkpoints;
  /** Goes backward or forward to a checkpoint; an unknown id is ignored. */
  goTo(checkpointId: Id): Checkpoints;
  /** Forgets every checkpoint and starts again from one checkpoint of the current state. */
  clear(): Checkpoints;
  /** Forgets the checkpoints ahead of the current one (no more redo). */
  clearForward(): Checkpoints;
  /** Stops recording the store's changes. */
  destroy(): void;
  getListenerStats(): CheckpointsListenerStats;
}
