// The store's schema methods. Setting a schema conforms what the store holds to it, in the same
// transaction: tables and cells it does not name go, cells of the wrong type become their default
// or go, rows get the defaults of the cells they lack, rows without a required cell go. Only what
// must change is written, so a schema set on a synced store does not restamp (and so win with)
// every cell, as deleting and setting everything again would.
import {deleteTable, replaceTables, replaceValues} from './replace-content.js';
import {checkGroupSchema, checkTablesSchema} from './schemas.js';
import type {StoreState} from './store-state.js';
import {write} from './transactions.js';
import type {Store} from './types.js';
import {validateTables, validateValues} from './validate-content.js';

/** Makes the tables what the tables schema allows of them. */
const conformTables = (state: StoreState): void => {
  if (!state.store.hasTables()) {
    return; // no row to add defaults to
  }
  const encoded = validateTables(state, state.store.getTables());
  if (encoded) {
    replaceTables(state, encoded);
  } else {
    for (const table of state.tables.liveChildren()) {
      deleteTable(state, table);
    }
  }
};

/** Makes the values what the values schema allows of them, defaults included. */
const conformValues = (state: StoreState): void => {
  const encoded = validateValues(state, state.store.getValues(), true);
  replaceValues(state, encoded ?? new Map());
};

type SchemaApi = Pick<
  Store,
  | 'setTablesSchema'
  | 'setValuesSchema'
  | 'setSchema'
  | 'delTablesSchema'
  | 'delValuesSchema'
  | 'delSchema'
  | 'hasTablesSchema'
  | 'hasValuesSchema'
  | 'getTablesSchemaJson'
  | 'getValuesSchemaJson'
  | 'getSchemaJson'
>;

export const createSchemaApi = (state: StoreState): SchemaApi => {
  const {schemas} = state;
  // An invalid schema (not an object, or nothing valid in it) is ignored, as in TinyBase.
  const setTablesSchema = (tablesSchema: unknown) =>
    write(state, () => {
      const checked = checkTablesSchema(tablesSchema);
      if (checked) {
        schemas.setTables(checked, true);
        conformTables(state);
      }
    });
  const setValuesSchema = (valuesSchema: unknown) =>
    write(state, () => {
      const checked = checkGroupSchema(valuesSchema);
      if (checked) {
        schemas.setValues(checked, true);
        conformValues(state);
      }
    });
  const delTablesSchema = () => write(state, () => schemas.setTables(new Map(), false));
  const delValuesSchema = () => write(state, () => schemas.setValues(new Map(), false));
  return {
    setTablesSchema,
    setValuesSchema,
    setSchema: (tablesSchema, valuesSchema) =>
      write(state, () => {
        setTablesSchema(tablesSchema);
        setValuesSchema(valuesSchema);
      }),
    delTablesSchema,
    delValuesSchema,
    delSchema: () =>
      write(state, () => {
        delTablesSchema();
        delValuesSchema();
      }),
    hasTablesSchema: () => schemas.hasTables,
    hasValuesSchema: () => schemas.hasValues,
    getTablesSchemaJson: () => JSON.stringify(schemas.tablesJson()),
    getValuesSchemaJson: () => JSON.stringify(schemas.valuesJson()),
    getSchemaJson: () => JSON.stringify([schemas.tablesJson(), schemas.valuesJson()]),
  };
};
