// createCheckpoints: TinyBase's undo/redo history over a store. The store's changes are recorded,
// transaction by transaction, in a Delta (old and new content per cell and value); a checkpoint
// closes the pending delta and gives it an id. Going backward writes a checkpoint's old content
// back, going forward its new content, as one transaction of ordinary writes.
//
// `localOnly` (syncstore's own): on a MergeableStore, transactions that merged content from
// peers are not recorded, and undo/redo leave alone what peers changed since (delta.ts).
import type {FullMergeableStore} from '../store/mergeable-store.js';
import type {Id, IdOrNull, Store} from '../store/types.js';
import {Delta} from './delta.js';
import {CheckpointsListeners} from './listeners.js';
import type {
  CheckpointCallback,
  CheckpointIds,
  CheckpointIdsListener,
  CheckpointListener,
  Checkpoints,
  CheckpointsOptions,
} from './types.js';

const DEFAULT_SIZE = 100;

/** Whether the finishing transaction merged content (a syncstore MergeableStore tells). */
const isMergeOf = (store: Store): (() => boolean) => {
  const hasMerged = (store as Partial<FullMergeableStore>).hasMergedInTransaction;
  if (typeof hasMerged !== 'function') {
    throw new Error('createCheckpoints: localOnly needs a syncstore MergeableStore');
  }
  return () => hasMerged.call(store);
};

/**
 * Checkpoints (undo and redo) for a Store or MergeableStore, starting with one checkpoint, "0",
 * of its current state.
 *
 * @example
 * const checkpoints = createCheckpoints(store);
 * store.setCell('pets', 'fido', 'sold', true);
 * checkpoints.addCheckpoint('sale');
 * checkpoints.goBackward(); // fido is not sold any more
 *
 * @example
 * // Undo only my own edits, on a store synced with others:
 * const checkpoints = createCheckpoints(mergeableStore, {localOnly: true});
 */
export const createCheckpoints = (store: Store, options: CheckpointsOptions = {}): Checkpoints => {
  const localOnly = options.localOnly === true;
  const isMerge = localOnly ? isMergeOf(store) : () => false;
  const listeners = new CheckpointsListeners();
  let size = DEFAULT_SIZE;
  let nextId = 0;
  let backwardIds: Id[] = [];
  let currentId: Id | undefined;
  let forwardIds: Id[] = [];
  const labels = new Map<Id, string>();
  /** The changes that led to each checkpoint from the one before it. */
  const deltas = new Map<Id, Delta>();
  /** The changes since the current checkpoint (or the last one, while there is no current one). */
  let pending = new Delta();
  /** Set while going backward or forward: those writes are not new changes. */
  let moving = false;

  const forget = (checkpointIds: Id[]) => {
    for (const checkpointId of checkpointIds) {
      labels.delete(checkpointId);
      deltas.delete(checkpointId);
      listeners.callLabel(checkpoints, checkpointId);
    }
  };

  /** Keeps at most `size` checkpoints behind the current one, forgetting the oldest. */
  const trim = () => {
    if (backwardIds.length > size) {
      forget(backwardIds.splice(0, backwardIds.length - size));
    }
  };

  /** Called after each recorded change: the current checkpoint is left, or found again. */
  const afterChange = () => {
    if (pending.size > 0 && currentId !== undefined) {
      backwardIds.push(currentId);
      currentId = undefined;
      trim();
      const cleared = forwardIds;
      forwardIds = [];
      forget(cleared);
      listeners.callIds(checkpoints);
    } else if (pending.size === 0 && currentId === undefined) {
      // Everything changed since the last checkpoint was changed back: we are at it again (when
      // the size let it be kept; ids listeners are called even when it was not).
      currentId = backwardIds.pop();
      listeners.callIds(checkpoints);
    }
  };

  // The cells first and then the values, each followed by afterChange, in the order TinyBase's
  // cell and value listeners would hear them, so that ids listeners are called as in TinyBase.
  const recordTransaction = () => {
    if (moving || isMerge()) {
      return;
    }
    const [, , changedCells, , changedValues] = store.getTransactionLog();
    for (const tableId in changedCells) {
      const rows = changedCells[tableId];
      for (const rowId in rows) {
        const cells = rows[rowId];
        for (const cellId in cells) {
          const [before, after] = cells[cellId];
          pending.recordCell(tableId, rowId, cellId, before, after, localOnly);
          afterChange();
        }
      }
    }
    for (const valueId in changedValues) {
      const [before, after] = changedValues[valueId];
      pending.recordValue(valueId, before, after, localOnly);
      afterChange();
    }
  };
  let storeListenerId: Id | undefined = store.addDidFinishTransactionListener(recordTransaction);

  /** Makes the pending changes a checkpoint, calling its label listeners but not ids listeners. */
  const addPending = (label: string): Id => {
    const checkpointId = String(nextId++);
    labels.set(checkpointId, label);
    deltas.set(checkpointId, pending);
    pending = new Delta();
    currentId = checkpointId;
    listeners.callLabel(checkpoints, checkpointId);
    return checkpointId;
  };

  /** Moves `steps` checkpoints backward (negative) or forward, in one transaction. */
  const move = (steps: number) => {
    moving = true;
    try {
      store.transaction(() => {
        for (; steps < 0; steps++) {
          const leaving = currentId as Id;
          deltas.get(leaving)?.applyTo(store, true, localOnly);
          forwardIds.unshift(leaving);
          currentId = backwardIds.pop();
        }
        for (; steps > 0; steps--) {
          const arriving = forwardIds.shift() as Id;
          deltas.get(arriving)?.applyTo(store, false, localOnly);
          backwardIds.push(currentId as Id);
          currentId = arriving;
        }
      });
    } finally {
      moving = false;
    }
  };

  const goTo = (checkpointId: Id): Checkpoints => {
    if (!labels.has(checkpointId) || checkpointId === currentId) {
      return checkpoints;
    }
    if (currentId === undefined) {
      addPending('');
    }
    const backwardIndex = backwardIds.indexOf(checkpointId);
    move(
      backwardIndex >= 0
        ? backwardIndex - backwardIds.length
        : forwardIds.indexOf(checkpointId) + 1,
    );
    listeners.callIds(checkpoints);
    return checkpoints;
  };

  const checkpoints: Checkpoints = {
    setSize: (newSize) => {
      size = newSize;
      trim();
      return checkpoints;
    },
    addCheckpoint: (label = '') => {
      if (currentId !== undefined) {
        return currentId;
      }
      const checkpointId = addPending(label);
      listeners.callIds(checkpoints);
      return checkpointId;
    },
    setCheckpoint: (checkpointId, label) => {
      if (labels.has(checkpointId) && labels.get(checkpointId) !== label) {
        labels.set(checkpointId, label);
        listeners.callLabel(checkpoints, checkpointId);
      }
      return checkpoints;
    },
    getStore: () => store,
    getCheckpointIds: (): CheckpointIds => [[...backwardIds], currentId, [...forwardIds]],
    forEachCheckpoint: (callback: CheckpointCallback) => {
      for (const [checkpointId, label] of labels) {
        callback(checkpointId, label);
      }
    },
    hasCheckpoint: (checkpointId) => labels.has(checkpointId),
    getCheckpoint: (checkpointId) => labels.get(checkpointId),
    addCheckpointIdsListener: (listener: CheckpointIdsListener) =>
      listeners.addIdsListener(listener),
    addCheckpointListener: (checkpointId: IdOrNull, listener: CheckpointListener) =>
      listeners.addLabelListener(checkpointId, listener),
    delListener: (listenerId) => {
      listeners.delete(listenerId);
      return checkpoints;
    },
    // With changes pending, they become a checkpoint first, and the last one behind is where
    // they started from.
    goBackward: () =>
      backwardIds.length > 0 ? goTo(backwardIds[backwardIds.length - 1]) : checkpoints,
    goForward: () => (forwardIds.length > 0 ? goTo(forwardIds[0]) : checkpoints),
    goTo,
    clear: () => {
      // Forgotten in TinyBase's order: behind, ahead, then the current one.
      const all = [...backwardIds, ...forwardIds, ...(currentId === undefined ? [] : [currentId])];
      backwardIds = [];
      currentId = undefined;
      forwardIds = [];
      forget(all);
      deltas.clear();
      nextId = 0;
      pending = new Delta();
      addPending('');
      listeners.callIds(checkpoints);
      return checkpoints;
    },
    clearForward: () => {
      if (forwardIds.length > 0) {
        const cleared = forwardIds;
        forwardIds = [];
        forget(cleared);
        listeners.callIds(checkpoints);
      }
      return checkpoints;
    },
    destroy: () => {
      if (storeListenerId !== undefined) {
        store.delListener(storeListenerId);
        storeListenerId = undefined;
      }
    },
    getListenerStats: () => listeners.getStats(),
  };
  addPending('');
  return checkpoints;
};
