// Transactions, as in TinyBase: mutator listeners run first and may write into the transaction;
// then doRollback decides; then will-finish listeners; then the other listeners, which may not
// write; then did-finish listeners. Anything that throws on the way undoes the transaction, and
// the first listener error is rethrown once the transaction is over.
import {callInvalidCellListeners, callInvalidValueListeners} from './invalid-content.js';
import type {ListenerKind, ListenerRecord} from './listener-registry.js';
import {writeLeaf} from './local-writes.js';
import {type NotifyContext, notifyListeners} from './notify.js';
import {readCell} from './plain-reads.js';
import {rollBack} from './rollback.js';
import type {StoreState} from './store-state.js';
import type {DoRollback, Store} from './types.js';

/** Calls a listener; what it throws is kept for the end of the transaction, not thrown now. */
const callListenerKeepingError = (state: StoreState, record: ListenerRecord, args: unknown[]) => {
  try {
    record.listener(...args);
  } catch (error) {
    state.listenerErrors.push(error);
  }
};

/** What notify.ts needs to call this store's listeners. */
export const createNotifyContext = (state: StoreState): NotifyContext => ({
  get store() {
    return state.store;
  },
  registry: state.registry,
  log: state.log,
  readCell: (tableId, rowId, cellId) => readCell(state, tableId, rowId, cellId),
  readValue: (valueId) => state.values.getValue(valueId),
  call: (record, args) => callListenerKeepingError(state, record, args),
});

const callTransactionListeners = (state: StoreState, kind: ListenerKind): void => {
  state.registry.forEachMatch(kind, [], (record) =>
    callListenerKeepingError(state, record, [state.store]),
  );
};

const throwListenerError = (state: StoreState): void => {
  if (state.listenerErrors.length > 0) {
    const [first] = state.listenerErrors;
    state.listenerErrors = [];
    throw first;
  }
};

/**
 * Calls the data listeners of one phase, unless nobody listens, in TinyBase's order: invalid
 * cell listeners (even when nothing changed), tables listeners, invalid value listeners, values
 * listeners.
 */
const notify = (state: StoreState, mutatorPhase: boolean, changed = true): void => {
  const {store, registry, invalid} = state;
  if (!registry.hasDataListeners(mutatorPhase)) {
    return;
  }
  const call = (record: ListenerRecord, args: unknown[]) =>
    callListenerKeepingError(state, record, args);
  const callInvalidValues = () =>
    callInvalidValueListeners(store, registry, invalid, mutatorPhase, call);
  callInvalidCellListeners(store, registry, invalid, mutatorPhase, call);
  if (changed && state.log.size > 0) {
    notifyListeners(state.notifyContext, mutatorPhase, callInvalidValues);
  } else {
    callInvalidValues();
  }
};

export const startTransaction = (state: StoreState): Store => {
  if (state.mutationsBlocked) {
    return state.store; // as TinyBase: no transaction starts while non-mutator listeners run
  }
  state.transactionDepth++;
  if (state.transactionDepth === 1) {
    state.log.begin(state.tables.liveCount > 0, state.values.liveCount > 0);
    state.journal.begin();
    callTransactionListeners(state, 'startTransaction');
    if (state.listenerErrors.length > 0) {
      state.rollbackRequested = true;
      finishTransaction(state); // throws the listener's error
    }
  }
  return state.store;
};

export const finishTransaction = (state: StoreState, doRollback?: DoRollback): Store => {
  if (state.transactionDepth === 0 || state.mutationsBlocked) {
    return state.store;
  }
  if (state.transactionDepth > 1) {
    state.transactionDepth--;
    return state.store;
  }
  // The depth stays at 1 while finishing, so that listeners' writes join this transaction.
  try {
    if (state.rollbackRequested) {
      rollback(state); // something threw: undo silently, call no listeners
    } else {
      finishWithListeners(state, doRollback);
    }
  } finally {
    state.mutationsBlocked = false;
    state.rollbackRequested = false;
    state.mergesInTransaction = 0;
    state.transactionDepth = 0;
    if (!state.mergeable) {
      pruneDeleted(state);
    }
    state.log.clear();
    state.invalid.clear();
    state.schemas.forgetSaved();
    state.journal.end();
  }
  throwListenerError(state);
  return state.store;
};

const finishWithListeners = (state: StoreState, doRollback?: DoRollback): void => {
  notify(state, true);
  if (state.listenerErrors.length > 0) {
    rollback(state); // a failed mutator undoes the transaction; nothing else is called
    return;
  }
  let rolledBack = false;
  try {
    rolledBack = Boolean(doRollback?.(state.store));
  } catch (error) {
    state.listenerErrors.push(error);
    rollback(state);
    return;
  }
  if (rolledBack) {
    rollback(state);
  }
  const errorsBefore = state.listenerErrors.length;
  callTransactionListeners(state, 'willFinishTransaction');
  const willFinishFailed = state.listenerErrors.length > errorsBefore;
  if (state.listenerErrors.length > 0 && !rolledBack) {
    rollback(state);
    rolledBack = true;
  }
  state.mutationsBlocked = true;
  if (rolledBack) {
    state.log.clear(); // after will-finish listeners, a rolled-back transaction has no changes
  }
  // What was invalid is reported even when the transaction rolled back, as in TinyBase; not when
  // a will-finish listener failed.
  if (!willFinishFailed) {
    notify(state, false, !rolledBack);
  }
  callTransactionListeners(state, 'didFinishTransaction');
};

/** Runs actions in a transaction; if they throw, the whole (outermost) transaction is undone. */
export const runInTransaction = <Return>(
  state: StoreState,
  actions: () => Return,
  doRollback?: DoRollback,
): Return => {
  startTransaction(state);
  let result: Return;
  try {
    result = actions();
  } catch (error) {
    state.rollbackRequested = true;
    try {
      finishTransaction(state);
    } catch {
      // the actions' error is the one to report
    }
    throw error;
  }
  finishTransaction(state, doRollback);
  return result;
};

/** Runs writes in a transaction (joining the current one); ignored while mutations are blocked. */
export const write = (state: StoreState, actions: () => void): Store => {
  if (!state.mutationsBlocked) {
    runInTransaction(state, actions);
  }
  return state.store;
};

/**
 * A plain store keeps no tombstones: once a transaction is over, the leaves it left deleted go,
 * and so do rows and tables left with no leaf.
 */
const pruneDeleted = ({log, tables}: StoreState): void => {
  for (let index = 0; index < log.size; index++) {
    const container = log.containers[index];
    const offset = container.find(log.ids[index]);
    if (offset >= 0 && container.valueAt(offset) === undefined) {
      container.remove(offset);
    }
    const table = container.table;
    if (table !== null && container.size === 0 && table.children.get(container.id) === container) {
      table.children.delete(container.id);
      if (table.children.size === 0 && tables.children.get(table.id) === table) {
        tables.children.delete(table.id);
      }
    }
  }
};

/** Puts every stamp back as it was when the transaction started; listeners are not called. */
const rollback = (state: StoreState): void => {
  state.schemas.restoreSaved();
  state.restoring = true;
  try {
    rollBack({
      log: state.log,
      journal: state.journal,
      clock: state.clock,
      values: state.values,
      restore: (container, id, value, hlc) =>
        writeLeaf(state, container, id, value, hlc, false, false),
      readCell: (tableId, rowId, cellId) => readCell(state, tableId, rowId, cellId),
    });
  } finally {
    state.restoring = false;
  }
};

type TransactionApi = Pick<Store, 'transaction' | 'startTransaction' | 'finishTransaction'>;

/** The store's transaction methods. */
export const createTransactionApi = (state: StoreState): TransactionApi => ({
  transaction: <Return>(actions: () => Return, doRollback?: DoRollback): Return =>
    state.mutationsBlocked ? (undefined as Return) : runInTransaction(state, actions, doRollback),
  startTransaction: () => startTransaction(state),
  finishTransaction: (doRollback) => finishTransaction(state, doRollback),
});
