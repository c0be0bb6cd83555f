// syncstore/react: SynchronizerProvider, hooks and view components. Only this entry imports React.

export type {
  FirstSyncReason,
  FirstSyncState,
  FirstSyncWatch,
} from '../synchronizers/first-sync-watch.js';
export {DEFAULT_FIRST_SYNC_TIMEOUT, watchFirstSync} from '../synchronizers/first-sync-watch.js';
export * from './checkpoints-hooks.js';
export * from './checkpoints-views.js';
export type {
  CheckpointsOrCheckpointsId,
  ContextValue,
  IndexesOrIndexesId,
  MetricsOrMetricsId,
  PersisterOrPersisterId,
  RelationshipsOrRelationshipsId,
  StoreOrStoreId,
  SynchronizerOrSynchronizerId,
} from './context.js';
export {
  useCheckpoints,
  useCheckpointsIds,
  useCheckpointsOrCheckpointsById,
  useIndexes,
  useIndexesIds,
  useIndexesOrIndexesById,
  useMetrics,
  useMetricsIds,
  useMetricsOrMetricsById,
  usePersister,
  usePersisterIds,
  usePersisterOrPersisterById,
  useProvideCheckpoints,
  useProvideIndexes,
  useProvideMetrics,
  useProvidePersister,
  useProvideRelationships,
  useProvideStore,
  useProvideSynchronizer,
  useRelationships,
  useRelationshipsIds,
  useRelationshipsOrRelationshipsById,
  useStore,
  useStoreIds,
  useStoreOrStoreById,
  useStores,
  useSynchronizer,
  useSynchronizerIds,
  useSynchronizerOrSynchronizerById,
} from './context.js';
export {
  useCreateMergeableStore,
  useCreatePersister,
  useCreateStore,
  useCreateSynchronizer,
} from './create-hooks.js';
export * from './derived-hooks.js';
export * from './derived-views.js';
export type {FirstSyncOptions, FirstSyncProps, UseFirstSyncOptions} from './first-sync.js';
export {FirstSync, useFirstSync, useIsFirstSyncDone} from './first-sync.js';
export * from './listener-hooks.js';
export {usePersisterStatus, usePersisterStatusListener} from './persister-hooks.js';
export {type PeerPresence, useMyPresence, useOthers} from './presence-hooks.js';
export type {ProviderProps, SynchronizerProviderProps} from './provider.js';
export {Provider, SynchronizerProvider} from './provider.js';
export * from './setter-hooks.js';
export {
  useCell,
  useCellIds,
  useCellState,
  useHasCell,
  useHasRow,
  useHasTable,
  useHasTableCell,
  useHasTables,
  useHasValue,
  useHasValues,
  useRow,
  useRowCount,
  useRowIds,
  useRowState,
  useSortedRowIds,
  useTable,
  useTableCellIds,
  useTableIds,
  useTableState,
  useTables,
  useTablesState,
  useValue,
  useValueIds,
  useValueState,
  useValues,
  useValuesState,
} from './store-hooks.js';
export {
  NO_SYNC_STATUS,
  useSynchronizerStatus,
  useSynchronizerStatusListener,
  useSyncStatus,
  useSyncStatusListener,
} from './sync-hooks.js';
export type {SyncStatusViewProps} from './sync-status-view.js';
export {formatSyncStatus, SyncStatusView} from './sync-status-view.js';
export type {CreateSynchronizer} from './synchronizer-owner-hooks.js';
export type {
  CellProps,
  ExtraProps,
  RowProps,
  SortedTableProps,
  TableProps,
  TablesProps,
  ValueProps,
  ValuesProps,
} from './views.js';
export {
  CellView,
  RowView,
  SortedTableView,
  TablesView,
  TableView,
  ValuesView,
  ValueView,
} from './views.js';
