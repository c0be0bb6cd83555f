// SynchronizerProvider: puts a MergeableStore and its Synchronizer into the React tree and, when
// it creates them, owns their lifecycle. Provider: TinyBase's store/synchronizer provider.
import {type ReactNode, useContext, useMemo, useState} from 'react';
import type {Content, Id, MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';
import {type ContextValue, SyncstoreContext} from './context.js';
import {type CreateSynchronizer, useOwnedSynchronizer} from './owned-synchronizer.js';

/** SynchronizerProvider's props: where its store and synchronizer come from, and its children. */
export type SynchronizerProviderProps = {
  /** A store the app owns. Give this or `createStore` (or only `synchronizer`: its store). */
  store?: MergeableStore;
  /** Creates the store the provider owns; called once, on the first render. */
  createStore?: () => MergeableStore;
  /** A synchronizer the app owns (and starts and destroys). Give this or `createSynchronizer`. */
  synchronizer?: Synchronizer;
  /**
   * Creates the synchronizer the provider owns (it may return a promise), after mount and never
   * on the server. The provider calls `startSync(initialContent)` on it, and stops and destroys it
   * on unmount or when the store changes. The latest function is used, so an inline arrow is
   * fine; StrictMode's double mount still ends with one synchronizer.
   */
  createSynchronizer?: CreateSynchronizer;
  /** Content to start with when no peer has any (passed to `startSync`). */
  initialContent?: Content | (() => Content);
  /**
   * Registers the store and synchronizer under this id, for hooks given the id. They are also the
   * default for the subtree when no provider above set a default store.
   */
  id?: Id;
  /** Receives errors from creating or starting the synchronizer (default: console.error). */
  onError?: (error: unknown) => void;
  /** Rendered at once, with the store available to their hooks before any sync completes. */
  children?: ReactNode;
};

function useProviderStore(
  store: MergeableStore | undefined,
  createStore: (() => MergeableStore) | undefined,
  synchronizer: Synchronizer | undefined,
): MergeableStore | undefined {
  // Created only when the app gives no store; a store holds no resources, so StrictMode's
  // discarded first render costs nothing.
  const [ownStore] = useState(() => (store === undefined ? createStore?.() : undefined));
  return store ?? ownStore ?? synchronizer?.getStore();
}

/**
 * Provides a MergeableStore and its Synchronizer to the hooks below it. Children render at once
 * with the store; syncing runs in the background and hooks re-render as merged changes arrive.
 *
 * @example
 * <SynchronizerProvider createStore={createMergeableStore}
 *   createSynchronizer={(store) => createWsSynchronizer(store, 'wss://example.com/todos')}>
 *   <Todos />
 * </SynchronizerProvider>
 */
export function SynchronizerProvider({
  store: givenStore,
  createStore,
  synchronizer: givenSynchronizer,
  createSynchronizer,
  initialContent,
  id,
  onError,
  children,
}: SynchronizerProviderProps): ReactNode {
  const parent = useContext(SyncstoreContext);
  const store = useProviderStore(givenStore, createStore, givenSynchronizer);
  const ownSynchronizer = useOwnedSynchronizer(
    store,
    givenSynchronizer === undefined ? createSynchronizer : undefined,
    [],
    {
      onCreated: (synchronizer) => synchronizer.startSync(initialContent),
      retire: (synchronizer) => {
        synchronizer.stopSync();
        synchronizer.destroy();
      },
      onError,
    },
  );
  const synchronizer = givenSynchronizer ?? ownSynchronizer;

  const value = useMemo((): ContextValue => {
    if (id === undefined) {
      return {...parent, store, synchronizer};
    }
    const isDefault = parent.store === undefined;
    return {
      store: isDefault ? store : parent.store,
      synchronizer: isDefault ? synchronizer : parent.synchronizer,
      storesById: {...parent.storesById, [id]: store},
      synchronizersById: {...parent.synchronizersById, [id]: synchronizer},
    };
  }, [parent, id, store, synchronizer]);

  return <SyncstoreContext.Provider value={value}>{children}</SyncstoreContext.Provider>;
}

/** Provider's props: the TinyBase ProviderProps that apply to stores and synchronizers. */
export type ProviderProps = {
  /** The default store for hooks below, in place of the parent provider's. */
  store?: MergeableStore;
  /** Stores by id for hooks given an id, merged with the parent provider's. */
  storesById?: {[storeId: Id]: MergeableStore};
  /** The default synchronizer for hooks below, in place of the parent provider's. */
  synchronizer?: Synchronizer;
  /** Synchronizers by id for hooks given an id, merged with the parent provider's. */
  synchronizersById?: {[synchronizerId: Id]: Synchronizer};
  /** The subtree that sees these stores and synchronizers. */
  children?: ReactNode;
};

/**
 * TinyBase's Provider for stores and synchronizers the app owns: defaults given here override the
 * parent's, by-id maps are merged with the parent's.
 */
export function Provider({
  store,
  storesById,
  synchronizer,
  synchronizersById,
  children,
}: ProviderProps): ReactNode {
  const parent = useContext(SyncstoreContext);
  const value = useMemo(
    (): ContextValue => ({
      store: store ?? parent.store,
      storesById: {...parent.storesById, ...storesById},
      synchronizer: synchronizer ?? parent.synchronizer,
      synchronizersById: {...parent.synchronizersById, ...synchronizersById},
    }),
    [parent, store, storesById, synchronizer, synchronizersById],
  );
  return <SyncstoreContext.Provider value={value}>{children}</SyncstoreContext.Provider>;
}
