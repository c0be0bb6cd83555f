// Runs the same store edits on a TinyBase store and a syncstore store, each with the same index,
// metric and relationship definitions, recording everything observable: after each step the
// slice ids and row ids (in order), the metrics, the relationships, and, as they happen, every
// call of their listeners.
import fc from 'fast-check';
import * as tinybase from 'tinybase';
import type {CellOrValue, Indexes, Metrics, Relationships, Store} from '../../src/index.js';
import {
  createIndexes,
  createMergeableStore,
  createMetrics,
  createRelationships,
  createStore,
  defaultSorter,
} from '../../src/index.js';

export type Derived = {
  store: Store;
  indexes: Indexes;
  metrics: Metrics;
  relationships: Relationships;
};
export type Step = (derived: Derived) => unknown;
export type Kind = 'store' | 'mergeable';

const named = (description: string, step: Step): Step =>
  Object.assign(step, {toString: () => description});

const rowId = fc.constantFrom('a', 'b', 'c', 'd');
const cellId = fc.constantFrom('c', 'd', 'n');
const content = fc.oneof(
  {weight: 3, arbitrary: fc.integer({min: -2, max: 3})},
  {weight: 3, arbitrary: fc.constantFrom<CellOrValue>('a', 'b', 'c', 'd')},
  fc.constantFrom<CellOrValue>('x', true, false, 1.5, ''),
);
const tableId = fc.constantFrom('t', 't', 'r');
const show = JSON.stringify;

const write: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(tableId, rowId, cellId, content)
      .map(([table, row, cell, to]) =>
        named(`setCell(${table}, ${row}, ${cell}, ${show(to)})`, ({store}) =>
          store.setCell(table, row, cell, to),
        ),
      ),
  },
  fc
    .tuple(tableId, rowId, cellId)
    .map(([table, row, cell]) =>
      named(`delCell(${table}, ${row}, ${cell})`, ({store}) => store.delCell(table, row, cell)),
    ),
  fc
    .tuple(tableId, rowId)
    .map(([table, row]) =>
      named(`delRow(${table}, ${row})`, ({store}) => store.delRow(table, row)),
    ),
  fc
    .tuple(tableId, rowId, fc.dictionary(cellId, content, {maxKeys: 3}))
    .map(([table, row, cells]) =>
      named(`setRow(${table}, ${row}, ${show(cells)})`, ({store}) =>
        store.setRow(table, row, cells as Record<string, CellOrValue>),
      ),
    ),
  tableId.map((table) => named(`delTable(${table})`, ({store}) => store.delTable(table))),
);

/** Definitions deleted, and redefined over what is there (with other getters). */
const redefine: fc.Arbitrary<Step> = fc.constantFrom(
  named('delIndexDefinition(byC)', ({indexes}) => indexes.delIndexDefinition('byC')),
  named('setIndexDefinition(byC, t, d)', ({indexes}) =>
    indexes.setIndexDefinition('byC', 't', 'd'),
  ),
  named('delMetricDefinition(sum)', ({metrics}) => metrics.delMetricDefinition('sum')),
  named('setMetricDefinition(sum, t, max, c)', ({metrics}) =>
    metrics.setMetricDefinition('sum', 't', 'max', 'c'),
  ),
  named('delRelationshipDefinition(next)', ({relationships}) =>
    relationships.delRelationshipDefinition('next'),
  ),
  named('setRelationshipDefinition(next, t, t, c)', ({relationships}) =>
    relationships.setRelationshipDefinition('next', 't', 't', 'c'),
  ),
);

export const randomStep: fc.Arbitrary<Step> = fc.oneof(
  {weight: 4, arbitrary: write},
  redefine,
  fc.array(write, {maxLength: 5}).map((writes) =>
    named(`transaction(${writes.join('; ')})`, (derived) =>
      derived.store.transaction(() => {
        for (const each of writes) {
          each(derived);
        }
      }),
    ),
  ),
);

/** The same definitions on both sides: every form of getter, sorter and aggregate. */
export const define = ({indexes, metrics, relationships}: Derived): void => {
  indexes.setIndexDefinition('all', 't');
  indexes.setIndexDefinition('byC', 't', 'c');
  indexes.setIndexDefinition('byCSortedByD', 't', 'c', 'd');
  indexes.setIndexDefinition(
    'multi',
    't',
    (getCell) => [String(getCell('c') ?? ''), String(getCell('d') ?? 'none')],
    (getCell, rowId) => `${getCell('n') ?? ''}${rowId}`,
    defaultSorter,
    (sortKey1, sortKey2) => defaultSorter(sortKey2, sortKey1),
  );
  metrics.setMetricDefinition('count', 't');
  metrics.setMetricDefinition('sum', 't', 'sum', 'n');
  metrics.setMetricDefinition('avg', 't', 'avg', 'n');
  metrics.setMetricDefinition('min', 't', 'min', 'n');
  metrics.setMetricDefinition('max', 't', 'max', 'n');
  metrics.setMetricDefinition(
    'custom',
    't',
    (numbers, length) => numbers.length * 10 + length,
    (getCell) => Number(getCell('d') ?? 0),
  );
  // Shortcuts given: `length` tells how many numbers there are after the change.
  metrics.setMetricDefinition(
    'shortcuts',
    't',
    (numbers, length) => numbers.reduce((total, number) => total + number, 0) * 100 + length,
    'n',
    (metric, add, length) => metric + add * 100 + 1 + 0 * length,
    (metric, remove) => metric - remove * 100 - 1,
    (metric, add, remove) => metric + (add - remove) * 100,
  );
  metrics.setMetricDefinition(
    'count by length',
    't',
    (_numbers, length) => length,
    'n',
    (_metric, _add, length) => length,
    (_metric, _remove, length) => length,
  );
  relationships.setRelationshipDefinition('toR', 't', 'r', 'c');
  relationships.setRelationshipDefinition('next', 't', 't', 'd');
  relationships.setRelationshipDefinition('fromR', 'r', 't', (getCell) => String(getCell('c')));
};

const snapshot = ({indexes, metrics, relationships}: Derived): unknown => ({
  indexes: Object.fromEntries(
    indexes
      .getIndexIds()
      .map((indexId) => [
        indexId,
        indexes
          .getSliceIds(indexId)
          .map((sliceId) => [sliceId, indexes.getSliceRowIds(indexId, sliceId)]),
      ]),
  ),
  metrics: Object.fromEntries(
    metrics.getMetricIds().map((metricId) => [metricId, metrics.getMetric(metricId)]),
  ),
  relationships: Object.fromEntries(
    relationships
      .getRelationshipIds()
      .map((relationshipId) => [
        relationshipId,
        ['a', 'b', 'c', 'd', 'x'].map((id) => [
          relationships.getRemoteRowId(relationshipId, id),
          relationships.getLocalRowIds(relationshipId, id),
          relationships.getLinkedRowIds(relationshipId, id),
        ]),
      ]),
  ),
});

const listen = ({indexes, metrics, relationships}: Derived, log: unknown[]) => {
  indexes.addIndexIdsListener((given) => log.push(['indexIds', given.getIndexIds()]));
  indexes.addHasIndexListener(null, (_, indexId, hasIndex) =>
    log.push(['hasIndex', indexId, hasIndex]),
  );
  indexes.addSliceIdsListener(null, (given, indexId) =>
    log.push(['sliceIds', indexId, given.getSliceIds(indexId)]),
  );
  indexes.addHasSliceListener(null, null, (_, indexId, sliceId, hasSlice) =>
    log.push(['hasSlice', indexId, sliceId, hasSlice]),
  );
  indexes.addSliceRowIdsListener(null, null, (given, indexId, sliceId) =>
    log.push(['sliceRowIds', indexId, sliceId, given.getSliceRowIds(indexId, sliceId)]),
  );
  metrics.addMetricIdsListener((given) => log.push(['metricIds', given.getMetricIds()]));
  metrics.addMetricListener(null, (_, metricId, newMetric, oldMetric) =>
    log.push(['metric', metricId, newMetric, oldMetric]),
  );
  relationships.addRelationshipIdsListener((given) =>
    log.push(['relationshipIds', given.getRelationshipIds()]),
  );
  relationships.addRemoteRowIdListener(null, null, (given, relationshipId, localRowId) =>
    log.push([
      'remoteRowId',
      relationshipId,
      localRowId,
      given.getRemoteRowId(relationshipId, localRowId),
    ]),
  );
  relationships.addLocalRowIdsListener(null, null, (given, relationshipId, remoteRowId) =>
    log.push([
      'localRowIds',
      relationshipId,
      remoteRowId,
      given.getLocalRowIds(relationshipId, remoteRowId),
    ]),
  );
  for (const firstRowId of ['a', 'b']) {
    relationships.addLinkedRowIdsListener('next', firstRowId, (given, relationshipId, rowId) =>
      log.push([
        'linkedRowIds',
        relationshipId,
        rowId,
        given.getLinkedRowIds(relationshipId, rowId),
      ]),
    );
  }
};

const runSteps = (derived: Derived, setUp: Step[], steps: Step[]): unknown[] => {
  const log: unknown[] = [];
  listen(derived, log);
  for (const step of setUp) {
    step(derived);
  }
  define(derived);
  log.push(['defined', snapshot(derived)]);
  for (const step of steps) {
    step(derived);
    log.push(['after', String(step), snapshot(derived)]);
  }
  return log;
};

const tinybaseDerived = (kind: Kind): Derived => {
  const store = kind === 'store' ? tinybase.createStore() : tinybase.createMergeableStore('a');
  return {
    store: store as unknown as Store,
    indexes: tinybase.createIndexes(store) as unknown as Indexes,
    metrics: tinybase.createMetrics(store) as unknown as Metrics,
    relationships: tinybase.createRelationships(store) as unknown as Relationships,
  };
};

const syncstoreDerived = (kind: Kind): Derived => {
  const store = kind === 'store' ? createStore() : createMergeableStore('a');
  return {
    store,
    indexes: createIndexes(store),
    metrics: createMetrics(store),
    relationships: createRelationships(store),
  };
};

/** The two records, TinyBase's first, to be compared with toEqual. */
export const runBoth = (
  kind: Kind,
  setUp: Step[],
  steps: Step[],
): [tinybase: unknown[], syncstore: unknown[]] => [
  runSteps(tinybaseDerived(kind), setUp, steps),
  runSteps(syncstoreDerived(kind), setUp, steps),
];
