// The React context that carries stores, synchronizers, persisters, checkpoints, indexes, metrics
// and relationships down the tree, and the hooks that look them up: the default one, one by id,
// or an object passed straight through. One generic helper per kind of lookup serves every kind.
import {type Context, createContext, useContext, useEffect} from 'react';
import type {Checkpoints} from '../checkpoints/types.js';
import type {Indexes} from '../indexes/types.js';
import type {Metrics} from '../metrics/types.js';
import type {Persister} from '../persisters/types.js';
import type {Relationships} from '../relationships/types.js';
import type {Id, Ids, MergeableStore} from '../store/types.js';
import type {Synchronizer} from '../synchronizers/types.js';

/** A store object, or the id it was given in a provider. Hooks take it as their last argument. */
export type StoreOrStoreId = MergeableStore | Id;
/** A synchronizer object, or the id it was given in a provider. */
export type SynchronizerOrSynchronizerId = Synchronizer | Id;
/** A persister object, or the id it was given in a provider. */
export type PersisterOrPersisterId = Persister | Id;
/** A checkpoints object, or the id it was given in a provider. */
export type CheckpointsOrCheckpointsId = Checkpoints | Id;
/** An indexes object, or the id it was given in a provider. */
export type IndexesOrIndexesId = Indexes | Id;
/** A metrics object, or the id it was given in a provider. */
export type MetricsOrMetricsId = Metrics | Id;
/** A relationships object, or the id it was given in a provider. */
export type RelationshipsOrRelationshipsId = Relationships | Id;

/**
 * The things a provider can hold by id: stores, synchronizers, persisters, checkpoints, and the
 * derived data (indexes, metrics, relationships).
 */
export type ThingsByIdKey =
  | 'storesById'
  | 'synchronizersById'
  | 'persistersById'
  | 'checkpointsById'
  | 'indexesById'
  | 'metricsById'
  | 'relationshipsById';

export type ContextValue = {
  store?: MergeableStore;
  storesById: {[storeId: Id]: MergeableStore | undefined};
  synchronizer?: Synchronizer;
  synchronizersById: {[synchronizerId: Id]: Synchronizer | undefined};
  persister?: Persister;
  persistersById?: {[persisterId: Id]: Persister | undefined};
  checkpoints?: Checkpoints;
  checkpointsById?: {[checkpointsId: Id]: Checkpoints | undefined};
  indexes?: Indexes;
  indexesById?: {[indexesId: Id]: Indexes | undefined};
  metrics?: Metrics;
  metricsById?: {[metricsId: Id]: Metrics | undefined};
  relationships?: Relationships;
  relationshipsById?: {[relationshipsId: Id]: Relationships | undefined};
  /**
   * Registers a thing by id in the nearest provider, or with undefined removes it; what the
   * useProvide… hooks call. Absent outside any provider.
   */
  provide?: (key: ThingsByIdKey, id: Id, thing: unknown) => void;
};

const EMPTY_CONTEXT: ContextValue = {storesById: {}, synchronizersById: {}, persistersById: {}};

// Kept on globalThis so that two copies of this module (say, one bundled into a library and one
// in the app) still share providers and hooks.
const CONTEXT_KEY = Symbol.for('syncstore.react.context');
type GlobalWithContext = typeof globalThis & {
  [CONTEXT_KEY]?: Context<ContextValue>;
};
const globalWithContext = globalThis as GlobalWithContext;
export const SyncstoreContext: Context<ContextValue> = (globalWithContext[CONTEXT_KEY] ??=
  createContext(EMPTY_CONTEXT));

type DefaultKey =
  | 'store'
  | 'synchronizer'
  | 'persister'
  | 'checkpoints'
  | 'indexes'
  | 'metrics'
  | 'relationships';

function definedIds(thingsById: {[id: Id]: unknown} | undefined): Ids {
  return Object.keys(thingsById ?? {}).filter((id) => thingsById?.[id] !== undefined);
}

/** The default thing of the nearest provider, or the one registered with this id. */
function useThing<Thing>(defaultKey: DefaultKey, byIdKey: ThingsByIdKey, id?: Id) {
  const context = useContext(SyncstoreContext);
  return (id === undefined ? context[defaultKey] : context[byIdKey]?.[id]) as Thing | undefined;
}

function useThingIds(byIdKey: ThingsByIdKey): Ids {
  return definedIds(useContext(SyncstoreContext)[byIdKey]);
}

function isLookedUp(thingOrThingId: unknown): thingOrThingId is Id | undefined {
  return thingOrThingId === undefined || typeof thingOrThingId === 'string';
}

/**
 * Resolves a hook's last argument: an id or nothing is looked up, anything else passes through as
 * in TinyBase (the reading hooks then treat what is not a store as no store).
 */
function useThingOrThingById<Thing>(
  thingOrThingId: Thing | Id | undefined,
  defaultKey: DefaultKey,
  byIdKey: ThingsByIdKey,
): Thing | undefined {
  const found = useThing<Thing>(
    defaultKey,
    byIdKey,
    typeof thingOrThingId === 'string' ? thingOrThingId : undefined,
  );
  return isLookedUp(thingOrThingId) ? found : thingOrThingId;
}

/** Registers `thing` under `id` in the nearest provider while the calling component is mounted. */
function useProvideThing(byIdKey: ThingsByIdKey, id: Id, thing: unknown): void {
  const {provide} = useContext(SyncstoreContext);
  useEffect(() => {
    provide?.(byIdKey, id, thing);
    return () => provide?.(byIdKey, id, undefined);
  }, [provide, byIdKey, id, thing]);
}

/** The default store of the nearest provider, or the one with this id. */
export function useStore(id?: Id): MergeableStore | undefined {
  return useThing('store', 'storesById', id);
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
  return useThingIds('storesById');
}

/** Resolves a hook's last argument: a store passes through, an id or nothing is looked up. */
export function useStoreOrStoreById(storeOrStoreId?: StoreOrStoreId): MergeableStore | undefined {
  return useThingOrThingById(storeOrStoreId, 'store', 'storesById');
}

/** Adds a store by id to the nearest provider from a component inside it, while mounted. */
export function useProvideStore(storeId: Id, store: MergeableStore): void {
  useProvideThing('storesById', storeId, store);
}

/** The default synchronizer of the nearest provider, or the one with this id. */
export function useSynchronizer(id?: Id): Synchronizer | undefined {
  return useThing('synchronizer', 'synchronizersById', id);
}

export function useSynchronizerIds(): Ids {
  return useThingIds('synchronizersById');
}

export function useSynchronizerOrSynchronizerById(
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): Synchronizer | undefined {
  return useThingOrThingById(synchronizerOrSynchronizerId, 'synchronizer', 'synchronizersById');
}

/** Adds a synchronizer by id to the nearest provider from a component inside it, while mounted. */
export function useProvideSynchronizer(synchronizerId: Id, synchronizer: Synchronizer): void {
  useProvideThing('synchronizersById', synchronizerId, synchronizer);
}

/** The default persister of the nearest provider, or the one with this id. */
export function usePersister(id?: Id): Persister | undefined {
  return useThing('persister', 'persistersById', id);
}

export function usePersisterIds(): Ids {
  return useThingIds('persistersById');
}

export function usePersisterOrPersisterById(
  persisterOrPersisterId?: PersisterOrPersisterId,
): Persister | undefined {
  return useThingOrThingById(persisterOrPersisterId, 'persister', 'persistersById');
}

/** Adds a persister by id to the nearest provider from a component inside it, while mounted. */
export function useProvidePersister(persisterId: Id, persister: Persister): void {
  useProvideThing('persistersById', persisterId, persister);
}

/** The default checkpoints of the nearest provider, or the ones with this id. */
export function useCheckpoints(id?: Id): Checkpoints | undefined {
  return useThing('checkpoints', 'checkpointsById', id);
}

/** The ids of the checkpoints objects the providers above hold by id. */
export function useCheckpointsIds(): Ids {
  return useThingIds('checkpointsById');
}

/** Resolves a hook's last argument: checkpoints pass through, an id or nothing is looked up. */
export function useCheckpointsOrCheckpointsById(
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): Checkpoints | undefined {
  return useThingOrThingById(checkpointsOrCheckpointsId, 'checkpoints', 'checkpointsById');
}

/** Adds checkpoints by id to the nearest provider from a component inside it, while mounted. */
export function useProvideCheckpoints(checkpointsId: Id, checkpoints: Checkpoints): void {
  useProvideThing('checkpointsById', checkpointsId, checkpoints);
}

/** The default indexes of the nearest provider, or the ones with this id. */
export function useIndexes(id?: Id): Indexes | undefined {
  return useThing('indexes', 'indexesById', id);
}

export function useIndexesIds(): Ids {
  return useThingIds('indexesById');
}

export function useIndexesOrIndexesById(
  indexesOrIndexesId?: IndexesOrIndexesId,
): Indexes | undefined {
  return useThingOrThingById(indexesOrIndexesId, 'indexes', 'indexesById');
}

export function useProvideIndexes(indexesId: Id, indexes: Indexes): void {
  useProvideThing('indexesById', indexesId, indexes);
}

/** The default metrics of the nearest provider, or the ones with this id. */
export function useMetrics(id?: Id): Metrics | undefined {
  return useThing('metrics', 'metricsById', id);
}

export function useMetricsIds(): Ids {
  return useThingIds('metricsById');
}

export function useMetricsOrMetricsById(
  metricsOrMetricsId?: MetricsOrMetricsId,
): Metrics | undefined {
  return useThingOrThingById(metricsOrMetricsId, 'metrics', 'metricsById');
}

export function useProvideMetrics(metricsId: Id, metrics: Metrics): void {
  useProvideThing('metricsById', metricsId, metrics);
}

/** The default relationships of the nearest provider, or the ones with this id. */
export function useRelationships(id?: Id): Relationships | undefined {
  return useThing('relationships', 'relationshipsById', id);
}

export function useRelationshipsIds(): Ids {
  return useThingIds('relationshipsById');
}

export function useRelationshipsOrRelationshipsById(
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): Relationships | undefined {
  return useThingOrThingById(relationshipsOrRelationshipsId, 'relationships', 'relationshipsById');
}

export function useProvideRelationships(relationshipsId: Id, relationships: Relationships): void {
  useProvideThing('relationshipsById', relationshipsId, relationships);
}
