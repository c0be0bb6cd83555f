// TinyBase's hooks for derived data: create indexes, metrics and relationships over a store, read
// slice ids and row ids, metrics and links (re-rendering when they change, including when merged
// remote changes arrive), and listen to them. Reads go through the one generic subscription
// helper (listenable.ts); the objects come from context.ts's lookups.
import type {DependencyList} from 'react';
import type {
  Indexes,
  IndexIdsListener,
  SliceIdsListener,
  SliceRowIdsListener,
} from '../indexes/types.js';
import type {Metric, MetricIdsListener, MetricListener, Metrics} from '../metrics/types.js';
import type {
  LinkedRowIdsListener,
  LocalRowIdsListener,
  RelationshipIdsListener,
  Relationships,
  RemoteRowIdListener,
} from '../relationships/types.js';
import type {Id, IdOrNull, Ids, MergeableStore} from '../store/types.js';
import {
  type IndexesOrIndexesId,
  type MetricsOrMetricsId,
  type RelationshipsOrRelationshipsId,
  useIndexesOrIndexesById,
  useMetricsOrMetricsById,
  useRelationshipsOrRelationshipsById,
} from './context.js';
import {useCreateOwned} from './create-owned.js';
import {type Reader, useListenable, useListener} from './listenable.js';

const NO_DEPS: DependencyList = [];
const NO_IDS: Ids = [];

// Readers: what each hook reads, and which listener tells it that it may have changed.

const indexIdsReader: Reader<Indexes, [], Ids> = {
  read: (indexes) => indexes.getIndexIds(),
  listen: (indexes, onChange) => indexes.addIndexIdsListener(onChange),
  empty: NO_IDS,
};
const hasIndexReader: Reader<Indexes, [Id], boolean> = {
  read: (indexes, indexId) => indexes.hasIndex(indexId),
  listen: (indexes, onChange, indexId) => indexes.addHasIndexListener(indexId, onChange),
  empty: false,
};
const sliceIdsReader: Reader<Indexes, [Id], Ids> = {
  read: (indexes, indexId) => indexes.getSliceIds(indexId),
  listen: (indexes, onChange, indexId) => indexes.addSliceIdsListener(indexId, onChange),
  empty: NO_IDS,
};
const hasSliceReader: Reader<Indexes, [Id, Id], boolean> = {
  read: (indexes, indexId, sliceId) => indexes.hasSlice(indexId, sliceId),
  listen: (indexes, onChange, indexId, sliceId) =>
    indexes.addHasSliceListener(indexId, sliceId, onChange),
  empty: false,
};
const sliceRowIdsReader: Reader<Indexes, [Id, Id], Ids> = {
  read: (indexes, indexId, sliceId) => indexes.getSliceRowIds(indexId, sliceId),
  listen: (indexes, onChange, indexId, sliceId) =>
    indexes.addSliceRowIdsListener(indexId, sliceId, onChange),
  empty: NO_IDS,
};
const metricIdsReader: Reader<Metrics, [], Ids> = {
  read: (metrics) => metrics.getMetricIds(),
  listen: (metrics, onChange) => metrics.addMetricIdsListener(onChange),
  empty: NO_IDS,
};
const metricReader: Reader<Metrics, [Id], Metric | undefined> = {
  read: (metrics, metricId) => metrics.getMetric(metricId),
  listen: (metrics, onChange, metricId) => metrics.addMetricListener(metricId, onChange),
  empty: undefined,
};
const relationshipIdsReader: Reader<Relationships, [], Ids> = {
  read: (relationships) => relationships.getRelationshipIds(),
  listen: (relationships, onChange) => relationships.addRelationshipIdsListener(onChange),
  empty: NO_IDS,
};
const remoteRowIdReader: Reader<Relationships, [Id, Id], Id | undefined> = {
  read: (relationships, relationshipId, localRowId) =>
    relationships.getRemoteRowId(relationshipId, localRowId),
  listen: (relationships, onChange, relationshipId, localRowId) =>
    relationships.addRemoteRowIdListener(relationshipId, localRowId, onChange),
  empty: undefined,
};
const localRowIdsReader: Reader<Relationships, [Id, Id], Ids> = {
  read: (relationships, relationshipId, remoteRowId) =>
    relationships.getLocalRowIds(relationshipId, remoteRowId),
  listen: (relationships, onChange, relationshipId, remoteRowId) =>
    relationships.addLocalRowIdsListener(relationshipId, remoteRowId, onChange),
  empty: NO_IDS,
};
// With no relationships object, TinyBase's hook gives no ids at all (not the first row alone).
const linkedRowIdsReader: Reader<Relationships, [Id, Id], Ids> = {
  read: (relationships, relationshipId, firstRowId) =>
    relationships.getLinkedRowIds(relationshipId, firstRowId),
  listen: (relationships, onChange, relationshipId, firstRowId) =>
    relationships.addLinkedRowIdsListener(relationshipId, firstRowId, onChange),
  empty: NO_IDS,
};

/** Creates indexes for a store, destroyed on unmount or when the store or `createDeps` change. */
export function useCreateIndexes(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => Indexes,
  createDeps: DependencyList = NO_DEPS,
): Indexes | undefined {
  return useCreateOwned(store, create, createDeps);
}

/** Creates metrics for a store, destroyed on unmount or when the store or `createDeps` change. */
export function useCreateMetrics(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => Metrics,
  createDeps: DependencyList = NO_DEPS,
): Metrics | undefined {
  return useCreateOwned(store, create, createDeps);
}

/** Creates relationships for a store, destroyed on unmount or when it or `createDeps` change. */
export function useCreateRelationships(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => Relationships,
  createDeps: DependencyList = NO_DEPS,
): Relationships | undefined {
  return useCreateOwned(store, create, createDeps);
}

export function useIndexIds(indexesOrIndexesId?: IndexesOrIndexesId): Ids {
  return useListenable(useIndexesOrIndexesById(indexesOrIndexesId), indexIdsReader);
}

export function useHasIndex(indexId: Id, indexesOrIndexesId?: IndexesOrIndexesId): boolean {
  return useListenable(useIndexesOrIndexesById(indexesOrIndexesId), hasIndexReader, indexId);
}

/** The slice ids of an index, in order, re-rendering when they change. */
export function useSliceIds(indexId: Id, indexesOrIndexesId?: IndexesOrIndexesId): Ids {
  return useListenable(useIndexesOrIndexesById(indexesOrIndexesId), sliceIdsReader, indexId);
}

export function useHasSlice(
  indexId: Id,
  sliceId: Id,
  indexesOrIndexesId?: IndexesOrIndexesId,
): boolean {
  return useListenable(
    useIndexesOrIndexesById(indexesOrIndexesId),
    hasSliceReader,
    indexId,
    sliceId,
  );
}

/** The row ids of a slice, in order, re-rendering when they change. */
export function useSliceRowIds(
  indexId: Id,
  sliceId: Id,
  indexesOrIndexesId?: IndexesOrIndexesId,
): Ids {
  return useListenable(
    useIndexesOrIndexesById(indexesOrIndexesId),
    sliceRowIdsReader,
    indexId,
    sliceId,
  );
}

export function useMetricIds(metricsOrMetricsId?: MetricsOrMetricsId): Ids {
  return useListenable(useMetricsOrMetricsById(metricsOrMetricsId), metricIdsReader);
}

/** A metric (undefined over no rows), re-rendering when it changes. */
export function useMetric(
  metricId: Id,
  metricsOrMetricsId?: MetricsOrMetricsId,
): Metric | undefined {
  return useListenable(useMetricsOrMetricsById(metricsOrMetricsId), metricReader, metricId);
}

export function useRelationshipIds(
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): Ids {
  return useListenable(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    relationshipIdsReader,
  );
}

export function useRemoteRowId(
  relationshipId: Id,
  localRowId: Id,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): Id | undefined {
  return useListenable(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    remoteRowIdReader,
    relationshipId,
    localRowId,
  );
}

export function useLocalRowIds(
  relationshipId: Id,
  remoteRowId: Id,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): Ids {
  return useListenable(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    localRowIdsReader,
    relationshipId,
    remoteRowId,
  );
}

export function useLinkedRowIds(
  relationshipId: Id,
  firstRowId: Id,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): Ids {
  return useListenable(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    linkedRowIdsReader,
    relationshipId,
    firstRowId,
  );
}

// Listener hooks: registered while mounted, again when the ids or `listenerDeps` change.

export function useSliceIdsListener(
  indexId: IdOrNull,
  listener: SliceIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  indexesOrIndexesId?: IndexesOrIndexesId,
): void {
  useListener(
    useIndexesOrIndexesById(indexesOrIndexesId),
    (indexes: Indexes) => indexes.addSliceIdsListener(indexId, listener),
    [indexId, ...listenerDeps],
  );
}

export function useSliceRowIdsListener(
  indexId: IdOrNull,
  sliceId: IdOrNull,
  listener: SliceRowIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  indexesOrIndexesId?: IndexesOrIndexesId,
): void {
  useListener(
    useIndexesOrIndexesById(indexesOrIndexesId),
    (indexes: Indexes) => indexes.addSliceRowIdsListener(indexId, sliceId, listener),
    [indexId, sliceId, ...listenerDeps],
  );
}

export function useIndexIdsListener(
  listener: IndexIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  indexesOrIndexesId?: IndexesOrIndexesId,
): void {
  useListener(
    useIndexesOrIndexesById(indexesOrIndexesId),
    (indexes: Indexes) => indexes.addIndexIdsListener(listener),
    listenerDeps,
  );
}

export function useMetricListener(
  metricId: IdOrNull,
  listener: MetricListener,
  listenerDeps: DependencyList = NO_DEPS,
  metricsOrMetricsId?: MetricsOrMetricsId,
): void {
  useListener(
    useMetricsOrMetricsById(metricsOrMetricsId),
    (metrics: Metrics) => metrics.addMetricListener(metricId, listener),
    [metricId, ...listenerDeps],
  );
}

export function useMetricIdsListener(
  listener: MetricIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  metricsOrMetricsId?: MetricsOrMetricsId,
): void {
  useListener(
    useMetricsOrMetricsById(metricsOrMetricsId),
    (metrics: Metrics) => metrics.addMetricIdsListener(listener),
    listenerDeps,
  );
}

export function useRemoteRowIdListener(
  relationshipId: IdOrNull,
  localRowId: IdOrNull,
  listener: RemoteRowIdListener,
  listenerDeps: DependencyList = NO_DEPS,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): void {
  useListener(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    (relationships: Relationships) =>
      relationships.addRemoteRowIdListener(relationshipId, localRowId, listener),
    [relationshipId, localRowId, ...listenerDeps],
  );
}

export function useLocalRowIdsListener(
  relationshipId: IdOrNull,
  remoteRowId: IdOrNull,
  listener: LocalRowIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): void {
  useListener(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    (relationships: Relationships) =>
      relationships.addLocalRowIdsListener(relationshipId, remoteRowId, listener),
    [relationshipId, remoteRowId, ...listenerDeps],
  );
}

export function useLinkedRowIdsListener(
  relationshipId: Id,
  firstRowId: Id,
  listener: LinkedRowIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): void {
  useListener(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    (relationships: Relationships) =>
      relationships.addLinkedRowIdsListener(relationshipId, firstRowId, listener),
    [relationshipId, firstRowId, ...listenerDeps],
  );
}

export function useRelationshipIdsListener(
  listener: RelationshipIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  relationshipsOrRelationshipsId?: RelationshipsOrRelationshipsId,
): void {
  useListener(
    useRelationshipsOrRelationshipsById(relationshipsOrRelationshipsId),
    (relationships: Relationships) => relationships.addRelationshipIdsListener(listener),
    listenerDeps,
  );
}
