// The documented surface of Indexes, Metrics and Relationships beyond what the side-by-side tests
// record: forEach callbacks, table ids, listener stats, delListener, destroy (no store listener
// left behind), and clear errors for bad definitions.
import {describe, expect, test} from 'vitest';
import {createIndexes, createMetrics, createRelationships, createStore} from '../../src/index.js';

const petStore = () =>
  createStore()
    .setTable('pets', {
      fido: {species: 'dog', price: 5, next: 'felix'},
      felix: {species: 'cat', price: 4, next: 'cujo'},
      cujo: {species: 'dog', price: 3},
    })
    .setTable('species', {dog: {legs: 4}, cat: {legs: 4}});

describe('Indexes', () => {
  test('forEachIndex and forEachSlice walk slices and rows in order, with their cells', () => {
    const store = petStore();
    const indexes = createIndexes(store).setIndexDefinition(
      'bySpecies',
      'pets',
      'species',
      'price',
    );
    const walked: unknown[][] = [];
    indexes.forEachIndex((indexId, forEachSlice) =>
      forEachSlice((sliceId, forEachRow) =>
        forEachRow((rowId, forEachCell) =>
          forEachCell((cellId, cell) => walked.push([indexId, sliceId, rowId, cellId, cell])),
        ),
      ),
    );
    expect(walked.filter(([, , , cellId]) => cellId === 'price')).toEqual([
      ['bySpecies', 'dog', 'cujo', 'price', 3],
      ['bySpecies', 'dog', 'fido', 'price', 5],
      ['bySpecies', 'cat', 'felix', 'price', 4],
    ]);
    expect(indexes.getTableId('bySpecies')).toBe('pets');
    expect(indexes.getTableId('unknown')).toBeUndefined();
    expect(indexes.hasSlice('bySpecies', 'cat')).toBe(true);
    expect(indexes.getSliceRowIds('unknown', 'cat')).toEqual([]);
  });

  test('listener stats, delListener and destroy', () => {
    const store = petStore();
    const storeListeners = store.getListenerStats().row;
    const indexes = createIndexes(store).setIndexDefinition('bySpecies', 'pets', 'species');
    expect(store.getListenerStats().row).toBe(storeListeners + 1);
    const calls: string[] = [];
    const listenerId = indexes.addSliceRowIdsListener('bySpecies', null, (_, __, sliceId) =>
      calls.push(sliceId),
    );
    indexes.addSliceIdsListener(null, () => calls.push('ids'));
    expect(indexes.getListenerStats()).toEqual({sliceIds: 1, sliceRowIds: 1});
    store.setCell('pets', 'fido', 'species', 'cat');
    expect(calls).toEqual(['dog', 'cat']);
    indexes.delListener(listenerId);
    expect(indexes.getListenerStats()).toEqual({sliceIds: 1, sliceRowIds: 0});
    indexes.destroy();
    expect(indexes.getIndexIds()).toEqual([]);
    expect(store.getListenerStats().row).toBe(storeListeners);
  });
});

describe('Metrics', () => {
  test('the four aggregates, a count, and forEachMetric', () => {
    const metrics = createMetrics(petStore());
    for (const aggregate of ['sum', 'avg', 'min', 'max'] as const) {
      metrics.setMetricDefinition(aggregate, 'pets', aggregate, 'price');
    }
    metrics.setMetricDefinition('count', 'pets');
    const walked: unknown[] = [];
    metrics.forEachMetric((metricId, metric) => walked.push([metricId, metric]));
    expect(walked).toEqual([
      ['sum', 12],
      ['avg', 4],
      ['min', 3],
      ['max', 5],
      ['count', 3],
    ]);
    expect(metrics.getTableId('sum')).toBe('pets');
    expect(metrics.getMetric('unknown')).toBeUndefined();
  });

  test('custom shortcuts are used, and an unknown aggregate is a clear error', () => {
    const store = petStore();
    const seen: unknown[] = [];
    const metrics = createMetrics(store).setMetricDefinition(
      'total',
      'pets',
      (numbers) => numbers.reduce((total, number) => total + number, 0),
      'price',
      (metric, add, length) => {
        seen.push(['add', add, length]);
        return metric + add;
      },
    );
    store.setRow('pets', 'rex', {price: 10});
    expect(seen).toEqual([['add', 10, 3]]);
    expect(metrics.getMetric('total')).toBe(22);
    expect(() =>
      metrics.setMetricDefinition('bad', 'pets', 'median' as unknown as 'sum', 'price'),
    ).toThrow(/aggregate must be 'sum', 'avg', 'min', 'max' or a function, not "median"/);
  });
});

describe('Relationships', () => {
  test('links both ways, linked lists, and forEachRelationship', () => {
    const relationships = createRelationships(petStore())
      .setRelationshipDefinition('petSpecies', 'pets', 'species', 'species')
      .setRelationshipDefinition('petSequence', 'pets', 'pets', 'next');
    expect(relationships.getLocalTableId('petSpecies')).toBe('pets');
    expect(relationships.getRemoteTableId('petSpecies')).toBe('species');
    expect(relationships.getLocalRowIds('petSpecies', 'dog')).toEqual(['fido', 'cujo']);
    expect(relationships.getLinkedRowIds('petSequence', 'fido')).toEqual(['fido', 'felix', 'cujo']);
    // Not a list within one table, or no such relationship: just the first row.
    expect(relationships.getLinkedRowIds('petSpecies', 'fido')).toEqual(['fido']);
    expect(relationships.getLinkedRowIds('unknown', 'fido')).toEqual(['fido']);
    const walked: unknown[] = [];
    relationships.forEachRelationship((relationshipId, forEachRow) =>
      forEachRow((rowId) => walked.push([relationshipId, rowId])),
    );
    expect(walked).toEqual([
      ['petSpecies', 'fido'],
      ['petSpecies', 'felix'],
      ['petSpecies', 'cujo'],
      ['petSequence', 'fido'],
      ['petSequence', 'felix'],
    ]);
  });

  test('listener stats and destroy', () => {
    const store = petStore();
    const relationships = createRelationships(store).setRelationshipDefinition(
      'petSequence',
      'pets',
      'pets',
      'next',
    );
    const calls: string[] = [];
    relationships.addLinkedRowIdsListener('petSequence', 'fido', () => calls.push('linked'));
    relationships.addRemoteRowIdListener(null, null, (_, __, localRowId) => calls.push(localRowId));
    expect(relationships.getListenerStats()).toEqual({
      remoteRowId: 1,
      localRowIds: 0,
      linkedRowIds: 1,
    });
    store.delCell('pets', 'felix', 'next');
    expect(calls).toEqual(['felix', 'linked']);
    expect(relationships.getLinkedRowIds('petSequence', 'fido')).toEqual(['fido', 'felix']);
    relationships.destroy();
    store.setCell('pets', 'felix', 'next', 'cujo');
    expect(calls).toEqual(['felix', 'linked']);
    expect(relationships.getRelationshipIds()).toEqual([]);
  });
});
