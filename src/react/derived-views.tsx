// TinyBase's view components for derived data: an index's slices, a slice's rows, a metric, and
// the rows a relationship links, with TinyBase's props and output. Each reads through one
// derived-data hook and renders rows with RowView (or the given row component) over the store the
// indexes or relationships are of.
import type {ComponentType, ReactElement, ReactNode} from 'react';
import type {Indexes} from '../indexes/types.js';
import type {Relationships} from '../relationships/types.js';
import type {Id, Ids, MergeableStore} from '../store/types.js';
import {
  type IndexesOrIndexesId,
  type MetricsOrMetricsId,
  type RelationshipsOrRelationshipsId,
  useIndexesOrIndexesById,
  useRelationshipsOrRelationshipsById,
} from './context.js';
import {
  useLinkedRowIds,
  useLocalRowIds,
  useMetric,
  useRemoteRowId,
  useSliceIds,
  useSliceRowIds,
} from './derived-hooks.js';
import {type ExtraProps, type RowProps, RowView, wrap} from './views.js';

type RowsProps = {
  readonly rowComponent?: ComponentType<RowProps>;
  readonly getRowComponentProps?: (rowId: Id) => ExtraProps;
  readonly separator?: ReactElement | string;
  readonly debugIds?: boolean;
};
export type SliceProps = RowsProps & {
  readonly indexId: Id;
  readonly sliceId: Id;
  readonly indexes?: IndexesOrIndexesId;
};
export type IndexProps = {
  readonly indexId: Id;
  readonly indexes?: IndexesOrIndexesId;
  readonly sliceComponent?: ComponentType<SliceProps>;
  readonly getSliceComponentProps?: (sliceId: Id) => ExtraProps;
  readonly separator?: ReactElement | string;
  readonly debugIds?: boolean;
};
export type MetricProps = {
  readonly metricId: Id;
  readonly metrics?: MetricsOrMetricsId;
  readonly debugIds?: boolean;
};
type RelationshipRowsProps = RowsProps & {
  readonly relationshipId: Id;
  readonly relationships?: RelationshipsOrRelationshipsId;
};
export type RemoteRowProps = RelationshipRowsProps & {readonly localRowId: Id};
export type LocalRowsProps = RelationshipRowsProps & {readonly remoteRowId: Id};
export type LinkedRowsProps = RelationshipRowsProps & {readonly firstRowId: Id};

/** The rows of a table of `owner`'s store, each as a row component, wrapped under `id`. */
function renderRows(
  owner: Indexes | Relationships | undefined,
  tableId: Id | undefined,
  rowIds: Ids,
  {rowComponent: Row = RowView, getRowComponentProps, separator, debugIds}: RowsProps,
  id: Id,
): ReactNode {
  const store = owner?.getStore() as MergeableStore | undefined;
  const rows = rowIds.map((rowId) => (
    <Row
      key={rowId}
      {...getRowComponentProps?.(rowId)}
      tableId={tableId as Id}
      rowId={rowId}
      store={store}
      debugIds={debugIds}
    />
  ));
  return wrap(rows, separator, debugIds, id);
}

export function SliceView({indexId, sliceId, indexes, ...rowsProps}: SliceProps): ReactNode {
  const resolved = useIndexesOrIndexesById(indexes);
  const rowIds = useSliceRowIds(indexId, sliceId, resolved);
  return renderRows(resolved, resolved?.getTableId(indexId), rowIds, rowsProps, sliceId);
}

export function IndexView({
  indexId,
  indexes,
  sliceComponent: Slice = SliceView,
  getSliceComponentProps,
  separator,
  debugIds,
}: IndexProps): ReactNode {
  const resolved = useIndexesOrIndexesById(indexes);
  const slices = useSliceIds(indexId, resolved).map((sliceId) => (
    <Slice
      key={sliceId}
      {...getSliceComponentProps?.(sliceId)}
      indexId={indexId}
      sliceId={sliceId}
      indexes={resolved}
      debugIds={debugIds}
    />
  ));
  return wrap(slices, separator, debugIds, indexId);
}

export function MetricView({metricId, metrics, debugIds}: MetricProps): ReactNode {
  const metric = useMetric(metricId, metrics);
  return wrap(metric === undefined ? '' : String(metric), undefined, debugIds, metricId);
}

export function RemoteRowView({
  relationshipId,
  localRowId,
  relationships,
  ...rowsProps
}: RemoteRowProps): ReactNode {
  const resolved = useRelationshipsOrRelationshipsById(relationships);
  const remoteRowId = useRemoteRowId(relationshipId, localRowId, resolved);
  const rowIds = remoteRowId === undefined ? [] : [remoteRowId];
  const tableId = resolved?.getRemoteTableId(relationshipId);
  return renderRows(resolved, tableId, rowIds, rowsProps, localRowId);
}

export function LocalRowsView({
  relationshipId,
  remoteRowId,
  relationships,
  ...rowsProps
}: LocalRowsProps): ReactNode {
  const resolved = useRelationshipsOrRelationshipsById(relationships);
  const rowIds = useLocalRowIds(relationshipId, remoteRowId, resolved);
  const tableId = resolved?.getLocalTableId(relationshipId);
  return renderRows(resolved, tableId, rowIds, rowsProps, remoteRowId);
}

export function LinkedRowsView({
  relationshipId,
  firstRowId,
  relationships,
  ...rowsProps
}: LinkedRowsProps): ReactNode {
  const resolved = useRelationshipsOrRelationshipsById(relationships);
  const rowIds = useLinkedRowIds(relationshipId, firstRowId, resolved);
  const tableId = resolved?.getLocalTableId(relationshipId);
  return renderRows(resolved, tableId, rowIds, rowsProps, firstRowId);
}
