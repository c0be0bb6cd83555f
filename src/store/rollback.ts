// Undoing a transaction: every leaf it wrote goes back to what it was when the transaction
// started, and containers a content reset dropped come back; then the tree journal takes out the
// rows and tables the transaction created and puts back container HLCs, folded hashes and stamp
// order, so that the mergeable content is exactly what it was. Leaves are restored in the order
// they were first written, so that the plain content comes back in the order TinyBase's plain
// store restores it.
import {type EncodedCellOrValue, isEncodedObject} from './cell.js';
import type {HlcClock} from './hlc.js';
import {TransactionChanges} from './transaction-changes.js';
import type {TransactionLog} from './transaction-log.js';
import type {LeafContainer} from './tree.js';
import type {TreeJournal} from './tree-journal.js';
import type {Id} from './types.js';

export type RollbackContext = {
  log: TransactionLog;
  journal: TreeJournal;
  clock: HlcClock;
  values: LeafContainer;
  /** Writes a leaf (keeping counts, order and hashes) without logging the write. */
  restore: (
    container: LeafContainer,
    id: Id,
    value: EncodedCellOrValue | undefined,
    hlc: string,
  ) => void;
  readCell: (tableId: Id, rowId: Id, cellId: Id) => EncodedCellOrValue | undefined;
};

/** Puts every stamp back as it was when the transaction started. The log is kept. */
export const rollBack = (context: RollbackContext): void => {
  const {log, journal} = context;
  journal.suspend(); // what the rollback itself writes is not to be saved
  advanceClockAsTinyBaseDoes(context);
  // Containers a content reset dropped come back first, so that their leaves can.
  for (let index = log.detached.length - 1; index >= 0; index--) {
    const {children, child} = log.detached[index];
    children.set(child.id, child);
  }
  restoreLeaves(context);
  journal.restoreAll();
};

/**
 * TinyBase undoes a transaction by writing each changed cell and value back (each write takes an
 * HLC) before restoring the old stamps; its clock moves on by as much, and so does this one. (It
 * cannot write an object cell back that way, so those take none.)
 */
const advanceClockAsTinyBaseDoes = ({log, clock, values, readCell}: RollbackContext): void => {
  const changes = new TransactionChanges(log);
  const takesHlc = (oldThing: EncodedCellOrValue | undefined, thing: unknown) =>
    oldThing !== thing && !isEncodedObject(oldThing);
  for (const [tableId, rows] of changes.cells) {
    for (const [rowId, cells] of rows) {
      for (const [cellId, oldCell] of cells) {
        if (takesHlc(oldCell, readCell(tableId, rowId, cellId))) {
          clock.next();
        }
      }
    }
  }
  for (const [valueId, oldValue] of changes.values) {
    if (takesHlc(oldValue, values.getValue(valueId))) {
      clock.next();
    }
  }
};

/** Restores each written leaf to its first logged state. */
const restoreLeaves = ({log, restore}: RollbackContext): void => {
  const restored = new Map<LeafContainer, Set<Id>>();
  for (let index = 0; index < log.size; index++) {
    const container = log.containers[index];
    const id = log.ids[index];
    let ids = restored.get(container);
    if (!ids) {
      ids = new Set();
      restored.set(container, ids);
    }
    if (ids.has(id)) {
      continue;
    }
    ids.add(id);
    const oldValue = log.oldValues[index];
    const oldHlc = log.oldHlcs[index];
    if (oldValue !== undefined || oldHlc !== '') {
      restore(container, id, oldValue, oldHlc);
    } else if (container.find(id) >= 0) {
      // The leaf did not exist before the transaction.
      restore(container, id, undefined, '');
      container.remove(container.find(id));
    }
  }
};
