// createStore: TinyBase's plain Store. It is the MergeableStore's own code over the same
// StoreState (tree.ts, local-writes.ts, transactions.ts...), composed without the mergeable
// methods. Writes are still stamped inside (an HLC per write), but a plain store keeps no hashes
// up to date and drops deleted cells and values when their transaction ends (StoreState's
// `mergeable`), so that it costs what its live content costs.
import {createChangesApi} from './changes-api.js';
import {createIterationApi} from './iteration-api.js';
import {createJsonApi} from './json-api.js';
import {createListenerApi} from './listeners-api.js';
import {createPlainReadApi} from './plain-reads.js';
import {createSchemaApi} from './schemas-api.js';
import {createSetterApi} from './setters-api.js';
import {StoreState} from './store-state.js';
import {createNotifyContext, createTransactionApi} from './transactions.js';
import type {Store} from './types.js';

/** Every method of a Store, shared by both kinds of store; `isMergeable` is the kind's. */
export const createStoreApi = (state: StoreState): Omit<Store, 'isMergeable'> => ({
  ...createPlainReadApi(state),
  ...createJsonApi(state),
  ...createIterationApi(state),
  ...createSetterApi(state),
  ...createChangesApi(state),
  ...createTransactionApi(state),
  ...createListenerApi(state),
  ...createSchemaApi(state),
});

/** Sets the public object of a state, once its methods are made, and readies notifications. */
export const attachStore = <S extends Store>(state: StoreState, store: S): S => {
  state.store = store;
  state.notifyContext = createNotifyContext(state);
  return store;
};

/**
 * A new, empty Store: tables of rows of cells, and values, with listeners and transactions.
 *
 * @example
 * const store = createStore().setCell('pets', 'fido', 'species', 'dog');
 * store.getTables(); // {pets: {fido: {species: 'dog'}}}
 */
export const createStore = (): Store => createStoreOver(new StoreState(undefined, Date.now, false));

/** createStore over a given state (tests look inside it). */
export const createStoreOver = (state: StoreState): Store =>
  attachStore(state, {...createStoreApi(state), isMergeable: () => false});
