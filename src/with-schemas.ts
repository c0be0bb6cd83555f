// syncstore/with-schemas: the root entry with the store typed by its schemas, as TinyBase's
// tinybase/with-schemas. The functions are the root entry's; only their types differ.
import {createMergeableStore as createUntypedMergeableStore} from './store/mergeable-store.js';
import type {MergeableStore, NoSchemas, Store} from './store/schema-types.js';
import {createStore as createUntypedStore} from './store/store.js';
import type {Id} from './store/types.js';

export * from './index.js';
export type {
  CellChangeOf,
  CellIdOf,
  CellOf,
  CellOrValueOf,
  GetCellChangeOf,
  GetIdChangesOf,
  GetValueChangeOf,
  ListenersOf,
  MergeableStore,
  MergeableStoreLike,
  NoSchemas,
  NoTablesSchema,
  NoValuesSchema,
  OptionalSchemas,
  OptionalTablesSchema,
  OptionalValuesSchema,
  RowOf,
  RowToSet,
  Store,
  TableIdOf,
  TableOf,
  TablesOf,
  TablesToSet,
  TableToSet,
  ValueChangeOf,
  ValueIdOf,
  ValueOf,
  ValueOrUndefinedOf,
  ValuesOfStore,
  ValuesToSet,
} from './store/schema-types.js';
// Every other type and function of the root entry; MergeableStore, createMergeableStore, Store and
// createStore here are the typed ones (a local export wins over the same name from `export *`).
export type * from './store/types.js';

/**
 * A new MergeableStore, typed by no schema until setTablesSchema, setValuesSchema or setSchema
 * (with a schema declared `as const`) returns it typed by that schema.
 */
export const createMergeableStore = createUntypedMergeableStore as unknown as (
  uniqueId?: Id,
  getNow?: () => number,
) => MergeableStore<NoSchemas>;

/**
 * A new Store (not mergeable), typed by no schema until setTablesSchema, setValuesSchema or
 * setSchema (with a schema declared `as const`) returns it typed by that schema.
 */
export const createStore = createUntypedStore as unknown as () => Store<NoSchemas>;
