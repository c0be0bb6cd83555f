// Derived data on a synced store: the indexes, metrics and relationships of one MergeableStore
// follow the edits another makes, as they arrive through a synchronizer (real local
// synchronizers, real timers), or merged by hand. Each wait ends on the derived listener itself.
import {afterEach, describe, expect, test} from 'vitest';
import {
  createIndexes,
  createMergeableStore,
  createMetrics,
  createRelationships,
  type Id,
  type MergeableStore,
} from '../../src/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup();
  }
});

/** The derived objects of the test, over one store. */
const deriveFrom = (store: MergeableStore) => {
  const indexes = createIndexes(store).setIndexDefinition('bySpecies', 'pets', 'species');
  const metrics = createMetrics(store).setMetricDefinition('highest', 'pets', 'max', 'price');
  const relationships = createRelationships(store).setRelationshipDefinition(
    'petSpecies',
    'pets',
    'species',
    'species',
  );
  cleanups.push(() => {
    indexes.destroy();
    metrics.destroy();
    relationships.destroy();
  });
  return {indexes, metrics, relationships};
};

/** Resolves the next time the listener that `add` registers is called; removes it then. */
const nextCall = (add: (listener: () => void) => Id, remove: (listenerId: Id) => unknown) =>
  new Promise<void>((resolve) => {
    const listenerId = add(() => {
      remove(listenerId);
      resolve();
    });
  });

describe('through a local synchronizer', () => {
  test("a peer's edits reach the indexes, metrics and relationships of the other store", async () => {
    const mine = createMergeableStore('mine');
    const theirs = createMergeableStore('theirs');
    const {indexes, metrics, relationships} = deriveFrom(theirs);
    for (const store of [mine, theirs]) {
      const synchronizer = createLocalSynchronizer(store);
      cleanups.push(() => synchronizer.destroy());
      await synchronizer.startSync();
    }

    const sliceHeard = nextCall(
      (listener) => indexes.addSliceRowIdsListener('bySpecies', 'dog', listener),
      indexes.delListener,
    );
    const metricHeard = nextCall(
      (listener) => metrics.addMetricListener('highest', listener),
      metrics.delListener,
    );
    const linkHeard = nextCall(
      (listener) => relationships.addLocalRowIdsListener('petSpecies', 'dog', listener),
      relationships.delListener,
    );
    mine.transaction(() => {
      mine.setRow('pets', 'fido', {species: 'dog', price: 5});
      mine.setRow('pets', 'felix', {species: 'cat', price: 4});
    });
    await Promise.all([sliceHeard, metricHeard, linkHeard]);
    expect(indexes.getSliceIds('bySpecies')).toEqual(['dog', 'cat']);
    expect(indexes.getSliceRowIds('bySpecies', 'dog')).toEqual(['fido']);
    expect(metrics.getMetric('highest')).toBe(5);
    expect(relationships.getRemoteRowId('petSpecies', 'felix')).toBe('cat');
    expect(relationships.getLocalRowIds('petSpecies', 'dog')).toEqual(['fido']);

    const metricHeardAgain = nextCall(
      (listener) => metrics.addMetricListener('highest', listener),
      metrics.delListener,
    );
    mine.delRow('pets', 'fido');
    await metricHeardAgain;
    expect(metrics.getMetric('highest')).toBe(4);
    expect(indexes.getSliceIds('bySpecies')).toEqual(['cat']);
    expect(relationships.getLocalRowIds('petSpecies', 'dog')).toEqual([]);
  });
});

test('content merged by hand (applyMergeableChanges) updates derived data at once', () => {
  const mine = createMergeableStore('mine');
  const theirs = createMergeableStore('theirs');
  const {indexes, metrics, relationships} = deriveFrom(theirs);
  mine.setRow('pets', 'cujo', {species: 'dog', price: 3});
  theirs.applyMergeableChanges(mine.getMergeableContent());
  expect(indexes.getSliceRowIds('bySpecies', 'dog')).toEqual(['cujo']);
  expect(metrics.getMetric('highest')).toBe(3);
  expect(relationships.getRemoteRowId('petSpecies', 'cujo')).toBe('dog');
});
