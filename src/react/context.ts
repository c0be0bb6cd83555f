// The React context that carries stores and synchronizers down the tree, and the hooks that look
// them up: the default one, one by id, or an object passed straight through.
import {type Context, createContext, useContext} from 'react';
import type {Id, Ids, MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';

/** A store object, or the id it was given in a provider. Hooks take it as their last argument. */
export type StoreOrStoreId = MergeableStore | Id;
/** A synchronizer object, or the id it was given in a provider. */
export type SynchronizerOrSynchronizerId = Synchronizer | Id;

export type ContextValue = {
  store?: MergeableStore;
  storesById: {[storeId: Id]: MergeableStore | undefined};
  synchronizer?: Synchronizer;
  synchronizersById: {[synchronizerId: Id]: Synchronizer | undefined};
};

const EMPTY_CONTEXT: ContextValue = {storesById: {}, synchronizersById: {}};

// Kept on globalThis so that two copies of this module (say, one bundled into a library and one
// in the app) still share providers and hooks.
const CONTEXT_KEY = Symbol.for('syncstore.react.context');
type GlobalWithContext = typeof globalThis & {
  [CONTEXT_KEY]?: Context<ContextValue>;
};
const globalWithContext = globalThis as GlobalWithContext;
export const SyncstoreContext: Context<ContextValue> = (globalWithContext[CONTEXT_KEY] ??=
  createContext(EMPTY_CONTEXT));

function definedIds(thingsById: {[id: Id]: unknown}): Ids {
  return Object.keys(thingsById).filter((id) => thingsById[id] !== undefined);
}

/** The default store of the nearest provider, or the one with this id. */
export function useStore(id?: Id): MergeableStore | undefined {
  const {store, storesById} = useContext(SyncstoreContext);
  return id === undefined ? store : storesById[id];
}

/** All stores the providers above have registered by id. */
export function useStores(): {[storeId: Id]: MergeableStore} {
  const {storesById} = useContext(SyncstoreContext);
  const stores: {[storeId: Id]: MergeableStore} = {};
  for (const id of definedIds(storesById)) {
    stores[id] = storesById[id]!;
  }
  return stores;
}

export function useStoreIds(): Ids {
  return definedIds(useContext(SyncstoreContext).storesById);
}

/**
 * Resolves a hook's last argument: an id or nothing is looked up, anything else passes through as
 * in TinyBase (the reading hooks then treat what is not a store as no store).
 */
export function useStoreOrStoreById(storeOrStoreId?: StoreOrStoreId): MergeableStore | undefined {
  const store = useStore(typeof storeOrStoreId === 'string' ? storeOrStoreId : undefined);
  return isLookedUp(storeOrStoreId) ? store : storeOrStoreId;
}

function isLookedUp(thingOrThingId: unknown): thingOrThingId is Id | undefined {
  return thingOrThingId === undefined || typeof thingOrThingId === 'string';
}

/** The default synchronizer of the nearest provider, or the one with this id. */
export function useSynchronizer(id?: Id): Synchronizer | undefined {
  const {synchronizer, synchronizersById} = useContext(SyncstoreContext);
  return id === undefined ? synchronizer : synchronizersById[id];
}

export function useSynchronizerIds(): Ids {
  return definedIds(useContext(SyncstoreContext).synchronizersById);
}

export function useSynchronizerOrSynchronizerById(
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): Synchronizer | undefined {
  const synchronizer = useSynchronizer(
    typeof synchronizerOrSynchronizerId === 'string' ? synchronizerOrSynchronizerId : undefined,
  );
  return isLookedUp(synchronizerOrSynchronizerId) ? synchronizer : synchronizerOrSynchronizerId;
}
