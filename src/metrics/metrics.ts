// createMetrics: TinyBase's metrics over a store. Each metric keeps the number of every row of its
// table and the aggregate of them. A definition watches its table (table-watch.ts): the rows a
// transaction changed, local or merged from a peer, nudge the metric through the aggregation's
// shortcuts (a full aggregation when there are none, or one gives up), and the metric's
// listeners hear when it really changed.
import {Definitions} from '../derived/definitions.js';
import {DerivedListeners} from '../derived/derived-listeners.js';
import {rowCellReader, type TableWatch, watchTable} from '../derived/table-watch.js';
import type {GetCell} from '../indexes/types.js';
import type {Id, Store} from '../store/types.js';
import {type Aggregation, namedAggregations} from './aggregates.js';
import type {Metric, Metrics} from './types.js';

type ListenerKind = 'metricIds' | 'metric';

type MetricDefinition = TableWatch & {tableId: Id; metric: Metric | undefined};

/** A row's number: only a finite number counts (a missing or non-numeric cell leaves it out). */
const toNumber = (thing: unknown): number | undefined =>
  typeof thing === 'number' && Number.isFinite(thing) ? thing : undefined;

/**
 * A Metrics object over a Store or MergeableStore, with no metric defined yet.
 *
 * @example
 * const metrics = createMetrics(store);
 * metrics.setMetricDefinition('highestPrice', 'pets', 'max', 'price');
 * metrics.getMetric('highestPrice'); // 5
 */
export const createMetrics = (store: Store): Metrics => {
  const listeners = new DerivedListeners<ListenerKind>();
  const definitions = new Definitions<MetricDefinition>();

  const callIfChanged = (
    metricId: Id,
    newMetric: Metric | undefined,
    oldMetric: Metric | undefined,
  ) => {
    if (newMetric !== oldMetric) {
      listeners.call('metric', [metricId], [metrics, metricId, newMetric, oldMetric]);
    }
  };

  const setMetricDefinition: Metrics['setMetricDefinition'] = (
    metricId,
    tableId,
    aggregate = 'sum',
    getNumber,
    aggregateAdd,
    aggregateRemove,
    aggregateReplace,
  ) => {
    const aggregation: Aggregation =
      typeof aggregate === 'function'
        ? {aggregate, add: aggregateAdd, remove: aggregateRemove, replace: aggregateReplace}
        : namedAggregations[aggregate];
    if (aggregation === undefined) {
      throw new Error(
        `setMetricDefinition: aggregate must be 'sum', 'avg', 'min', 'max' or a function, not ${JSON.stringify(aggregate)}`,
      );
    }
    const numberOf: (getCell: GetCell, rowId: Id) => unknown =
      typeof getNumber === 'function'
        ? getNumber
        : getNumber === undefined
          ? () => 1
          : (getCell) => getCell(getNumber);
    const numbers = new Map<Id, number>();

    const aggregateAll = (): Metric | undefined =>
      numbers.size === 0 ? undefined : aggregation.aggregate([...numbers.values()], numbers.size);

    /** Takes in the changed rows' numbers; the metric after them. */
    const update = (
      changedRowIds: Iterable<Id>,
      metric: Metric | undefined,
    ): Metric | undefined => {
      let needsAll = false;
      for (const rowId of changedRowIds) {
        const oldNumber = numbers.get(rowId);
        const newNumber = store.hasRow(tableId, rowId)
          ? toNumber(numberOf(rowCellReader(store, tableId, rowId), rowId))
          : undefined;
        if (newNumber === oldNumber) {
          continue;
        }
        newNumber === undefined ? numbers.delete(rowId) : numbers.set(rowId, newNumber);
        if (needsAll) {
          continue;
        }
        const length = numbers.size;
        // Custom shortcuts are given the count before the change, as TinyBase gives them.
        const lengthBefore =
          oldNumber === undefined ? length - 1 : newNumber === undefined ? length + 1 : length;
        if (metric === undefined) {
          // No metric to nudge (the first number, or a shortcut gave up): aggregated from scratch.
          needsAll = true;
        } else if (oldNumber === undefined) {
          metric = aggregation.add?.(metric, newNumber as number, lengthBefore);
        } else if (newNumber === undefined) {
          metric = aggregation.remove?.(metric, oldNumber, lengthBefore);
        } else {
          metric = aggregation.replace?.(metric, newNumber, oldNumber, lengthBefore);
        }
        needsAll ||= metric === undefined;
      }
      // Over no rows the metric is undefined, whatever a shortcut said on the way.
      return numbers.size === 0 ? undefined : needsAll ? aggregateAll() : metric;
    };

    const watch = watchTable(store, tableId, (changedRowIds) => {
      const oldMetric = definition.metric;
      definition.metric = update(changedRowIds, oldMetric);
      callIfChanged(metricId, definition.metric, oldMetric);
    });
    const definition: MetricDefinition = {tableId, metric: undefined, stop: watch.stop};
    const replacedMetric = definitions.get(metricId)?.metric;
    definitions.set(metricId, definition);
    // As in TinyBase: a new metric is heard by the ids listeners, and so is one that replaces a
    // metric whose value was undefined (over no rows), but not one that replaces a value.
    if (replacedMetric === undefined) {
      listeners.call('metricIds', [], [metrics]);
    }
    definition.metric = update(store.getRowIds(tableId), undefined);
    callIfChanged(metricId, definition.metric, replacedMetric);
    return metrics;
  };

  const delMetricDefinition = (metricId: Id): Metrics => {
    definitions.delete(metricId);
    // As in TinyBase: metric listeners do not hear a deletion, and the ids listeners hear every
    // deletion, even of an id never defined.
    listeners.call('metricIds', [], [metrics]);
    return metrics;
  };

  const metrics: Metrics = {
    setMetricDefinition,
    delMetricDefinition,
    getStore: () => store,
    getMetricIds: () => definitions.ids(),
    forEachMetric: (metricCallback) => {
      for (const [metricId, definition] of definitions.entries()) {
        metricCallback(metricId, definition.metric);
      }
    },
    hasMetric: (metricId) => definitions.has(metricId),
    getTableId: (metricId) => definitions.get(metricId)?.tableId,
    getMetric: (metricId) => definitions.get(metricId)?.metric,
    addMetricIdsListener: (listener) => listeners.add('metricIds', [], listener),
    addMetricListener: (metricId, listener) => listeners.add('metric', [metricId], listener),
    delListener: (listenerId) => {
      listeners.delete(listenerId);
      return metrics;
    },
    destroy: () => {
      for (const metricId of definitions.ids()) {
        delMetricDefinition(metricId);
      }
    },
    getListenerStats: () => ({metric: listeners.count('metric')}),
  };
  return metrics;
};
