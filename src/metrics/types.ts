// Public types of Metrics. Names and shapes follow TinyBase 10's, so that code written for
// TinyBase's metrics type-checks against syncstore unchanged.
import type {GetCell} from '../indexes/types.js';
import type {Id, IdOrNull, Ids, Store} from '../store/types.js';

/** A metric: one number aggregated over the rows of a table. */
export type Metric = number;
export type MetricCallback = (metricId: Id, metric?: Metric) => void;
/** Aggregates the numbers of every row (`length` of them) into the metric. */
export type MetricAggregate = (numbers: number[], length: number) => Metric;
/**
 * Shortcuts that nudge a metric when one number is added, removed or replaced, given the count of
 * numbers before the change; undefined makes the metric be aggregated again from every number.
 */
export type MetricAggregateAdd = (
  metric: Metric,
  add: number,
  length: number,
) => Metric | undefined;
export type MetricAggregateRemove = (
  metric: Metric,
  remove: number,
  length: number,
) => Metric | undefined;
export type MetricAggregateReplace = (
  metric: Metric,
  add: number,
  remove: number,
  length: number,
) => Metric | undefined;
export type MetricIdsListener = (metrics: Metrics) => void;
export type MetricListener = (
  metrics: Metrics,
  metricId: Id,
  newMetric: Metric | undefined,
  oldMetric: Metric | undefined,
) => void;
/** How many metric listeners are registered. */
export type MetricsListenerStats = {metric: number};

/**
 * Metrics over a store: each metric aggregates a number from every row of one table, and follows
 * every change of the store.
 */
export interface Metrics {
  /**
   * Defines (or redefines) a metric of a table: `aggregate` ('sum' by default, 'avg', 'min',
   * 'max' or a function) of each row's number, which is its `getNumber` cell (or what the function
   * returns), 1 without it; so with neither, the metric counts the rows. Rows without a number
   * are left out; with no rows, the metric is undefined.
   */
  setMetricDefinition(
    metricId: Id,
    tableId: Id,
    aggregate?: 'sum' | 'avg' | 'min' | 'max' | MetricAggregate,
    getNumber?: Id | ((getCell: GetCell, rowId: Id) => number),
    aggregateAdd?: MetricAggregateAdd,
    aggregateRemove?: MetricAggregateRemove,
    aggregateReplace?: MetricAggregateReplace,
  ): Metrics;
  /** Removes a metric; an unknown id is ignored. */
  delMetricDefinition(metricId: Id): Metrics;
  getStore(): Store;
  getMetricIds(): Ids;
  forEachMetric(metricCallback: MetricCallback): void;
  hasMetric(metricId: Id): boolean;
  /** The table a metric is of, undefined for an unknown metric. */
  getTableId(metricId: Id): Id | undefined;
  /** The metric, undefined for an unknown metric or one over no rows. */
  getMetric(metricId: Id): Metric | undefined;
  addMetricIdsListener(listener: MetricIdsListener): Id;
  /** Listens to one metric, or with `null` to every metric. */
  addMetricListener(metricId: IdOrNull, listener: MetricListener): Id;
  delListener(listenerId: Id): Metrics;
  /** Removes every definition and stops following the store. */
  destroy(): void;
  getListenerStats(): MetricsListenerStats;
}
