// The four named aggregates of a metric, each with its shortcuts for one number added, removed or
// replaced (given the count of numbers before the change), so that a change of one row costs O(1) (min and max only when the extreme leaves:
// then undefined asks for a full aggregation).
import type {
  MetricAggregate,
  MetricAggregateAdd,
  MetricAggregateRemove,
  MetricAggregateReplace,
} from './types.js';

export type Aggregation = {
  aggregate: MetricAggregate;
  add?: MetricAggregateAdd;
  remove?: MetricAggregateRemove;
  replace?: MetricAggregateReplace;
};

const sum = (numbers: number[]) => numbers.reduce((total, number) => total + number, 0);

export const namedAggregations: Record<'sum' | 'avg' | 'min' | 'max', Aggregation> = {
  sum: {
    aggregate: sum,
    add: (metric, add) => metric + add,
    remove: (metric, remove) => metric - remove,
    replace: (metric, add, remove) => metric + add - remove,
  },
  avg: {
    aggregate: (numbers, length) => sum(numbers) / length,
    add: (metric, add, length) => metric + (add - metric) / (length + 1),
    remove: (metric, remove, length) =>
      length > 1 ? metric + (metric - remove) / (length - 1) : undefined,
    replace: (metric, add, remove, length) => metric + (add - remove) / length,
  },
  min: {
    aggregate: (numbers) => numbers.reduce((least, number) => Math.min(least, number)),
    add: (metric, add) => Math.min(metric, add),
    remove: (metric, remove) => (remove === metric ? undefined : metric),
    replace: (metric, add, remove) =>
      remove === metric ? (add <= metric ? add : undefined) : Math.min(metric, add),
  },
  max: {
    aggregate: (numbers) => numbers.reduce((most, number) => Math.max(most, number)),
    add: (metric, add) => Math.max(metric, add),
    remove: (metric, remove) => (remove === metric ? undefined : metric),
    replace: (metric, add, remove) =>
      remove === metric ? (add >= metric ? add : undefined) : Math.max(metric, add),
  },
};
