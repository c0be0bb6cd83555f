// SynchronizerProvider: puts a MergeableStore and its Synchronizer into the React tree and, when
// it creates them, owns their lifecycle. Provider: TinyBase's store/synchronizer/persister
// provider. Both also hold what components inside them add with the useProvide… hooks.
import {type ReactNode, useCallback, useContext, useMemo, useState} from 'react';
import type {Checkpoints} from '../checkpoints/types.js';
import type {Indexes} from '../indexes/types.js';
import type {Metrics} from '../metrics/types.js';
import type {Persister} from '../persisters/types.js';
import type {Relationships} from '../relationships/types.js';
import type {Content, Id, MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';
import {type ContextValue, SyncstoreContext, type ThingsByIdKey} from './context.js';
import {type CreateSynchronizer, useSynchronizerOwner} from './synchronizer-owner-hooks.js';

type ProvidedThings = {[Key in ThingsByIdKey]: {[id: Id]: unknown}};
const NOTHING_PROVIDED: ProvidedThings = {
  storesById: {},
  synchronizersById: {},
  persistersById: {},
  checkpointsById: {},
  indexesById: {},
  metricsById: {},
  relationshipsById: {},
};

/** What the useProvide… hooks below a provider have added to it, and the function they call. */
function useProvidedThings(): [ProvidedThings, NonNullable<ContextValue['provide']>] {
  const [provided, setProvided] = useState(NOTHING_PROVIDED);
  const provide = useCallback((key: ThingsByIdKey, id: Id, thing: unknown) => {
    setProvided((previous) => {
      if (previous[key][id] === thing) {
        return previous;
      }
      const things = {...previous[key]};
      // A removed thing is deleted, not set to undefined, so a parent's thing of that id shows.
      if (thing === undefined) {
        delete things[id];
      } else {
        things[id] = thing;
      }
      return {...previous, [key]: things};
    });
  }, []);
  return [provided, provide];
}

/** A provider's context value with the provided things added to its by-id maps. */
function withProvided(
  value: ContextValue,
  provided: ProvidedThings,
  provide: NonNullable<ContextValue['provide']>,
): ContextValue {
  return {
    ...value,
    storesById: {...value.storesById, ...(provided.storesById as ContextValue['storesById'])},
    synchronizersById: {
      ...value.synchronizersById,
      ...(provided.synchronizersById as ContextValue['synchronizersById']),
    },
    persistersById: {
      ...value.persistersById,
      ...(provided.persistersById as ContextValue['persistersById']),
    },
    checkpointsById: {
      ...value.checkpointsById,
      ...(provided.checkpointsById as ContextValue['checkpointsById']),
    },
    indexesById: {...value.indexesById, ...(provided.indexesById as ContextValue['indexesById'])},
    metricsById: {...value.metricsById, ...(provided.metricsById as ContextValue['metricsById'])},
    relationshipsById: {
      ...value.relationshipsById,
      ...(provided.relationshipsById as ContextValue['relationshipsById']),
    },
    provide,
  };
}

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
  const owned = useSynchronizerOwner(
    store,
    givenSynchronizer === undefined ? createSynchronizer : undefined,
    {initialContent, onError},
  );
  const synchronizer = givenSynchronizer ?? owned.synchronizer;
  const [provided, provide] = useProvidedThings();

  const value = useMemo((): ContextValue => {
    if (id === undefined) {
      return withProvided({...parent, store, synchronizer}, provided, provide);
    }
    const isDefault = parent.store === undefined;
    const ownValue: ContextValue = {
      ...parent,
      store: isDefault ? store : parent.store,
      synchronizer: isDefault ? synchronizer : parent.synchronizer,
      storesById: {...parent.storesById, [id]: store},
      synchronizersById: {...parent.synchronizersById, [id]: synchronizer},
    };
    return withProvided(ownValue, provided, provide);
  }, [parent, id, store, synchronizer, provided, provide]);

  return <SyncstoreContext.Provider value={value}>{children}</SyncstoreContext.Provider>;
}

/**
 * Provider's props: the TinyBase ProviderProps for stores, synchronizers, persisters, checkpoints,
 * indexes, metrics and relationships.
 */
export type ProviderProps = {
  /** The default store for hooks below, in place of the parent provider's. */
  store?: MergeableStore;
  /** Stores by id for hooks given an id, merged with the parent provider's. */
  storesById?: {[storeId: Id]: MergeableStore};
  /** The default synchronizer for hooks below, in place of the parent provider's. */
  synchronizer?: Synchronizer;
  /** Synchronizers by id for hooks given an id, merged with the parent provider's. */
  synchronizersById?: {[synchronizerId: Id]: Synchronizer};
  /** The default persister for hooks below, in place of the parent provider's. */
  persister?: Persister;
  /** Persisters by id for hooks given an id, merged with the parent provider's. */
  persistersById?: {[persisterId: Id]: Persister};
  /** The default checkpoints for hooks below, in place of the parent provider's. */
  checkpoints?: Checkpoints;
  /** Checkpoints by id for hooks given an id, merged with the parent provider's. */
  checkpointsById?: {[checkpointsId: Id]: Checkpoints};
  /** The default indexes for hooks below, in place of the parent provider's. */
  indexes?: Indexes;
  /** Indexes by id for hooks given an id, merged with the parent provider's. */
  indexesById?: {[indexesId: Id]: Indexes};
  /** The default metrics for hooks below, in place of the parent provider's. */
  metrics?: Metrics;
  /** Metrics by id for hooks given an id, merged with the parent provider's. */
  metricsById?: {[metricsId: Id]: Metrics};
  /** The default relationships for hooks below, in place of the parent provider's. */
  relationships?: Relationships;
  /** Relationships by id for hooks given an id, merged with the parent provider's. */
  relationshipsById?: {[relationshipsId: Id]: Relationships};
  /** The subtree that sees these stores, synchronizers and persisters. */
  children?: ReactNode;
};

/**
 * TinyBase's Provider for stores, synchronizers, persisters and checkpoints the app owns: defaults given here
 * override the parent's, by-id maps are merged with the parent's (and with what components inside
 * add through useProvideStore, useProvideSynchronizer and useProvidePersister).
 */
export function Provider({
  store,
  storesById,
  synchronizer,
  synchronizersById,
  persister,
  persistersById,
  checkpoints,
  checkpointsById,
  indexes,
  indexesById,
  metrics,
  metricsById,
  relationships,
  relationshipsById,
  children,
}: ProviderProps): ReactNode {
  const parent = useContext(SyncstoreContext);
  const [provided, provide] = useProvidedThings();
  const value = useMemo(
    (): ContextValue =>
      withProvided(
        {
          store: store ?? parent.store,
          storesById: {...parent.storesById, ...storesById},
          synchronizer: synchronizer ?? parent.synchronizer,
          synchronizersById: {...parent.synchronizersById, ...synchronizersById},
          persister: persister ?? parent.persister,
          persistersById: {...parent.persistersById, ...persistersById},
          checkpoints: checkpoints ?? parent.checkpoints,
          checkpointsById: {...parent.checkpointsById, ...checkpointsById},
          indexes: indexes ?? parent.indexes,
          indexesById: {...parent.indexesById, ...indexesById},
          metrics: metrics ?? parent.metrics,
          metricsById: {...parent.metricsById, ...metricsById},
          relationships: relationships ?? parent.relationships,
          relationshipsById: {...parent.relationshipsById, ...relationshipsById},
        },
        provided,
        provide,
      ),
    [
      parent,
      store,
      storesById,
      synchronizer,
      synchronizersById,
      persister,
      persistersById,
      checkpoints,
      checkpointsById,
      indexes,
      indexesById,
      metrics,
      metricsById,
      relationships,
      relationshipsById,
      provided,
      provide,
    ],
  );
  return <SyncstoreContext.Provider value={value}>{children}</SyncstoreContext.Provider>;
}
