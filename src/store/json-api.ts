// The store's JSON methods. Object and array cells appear in the JSON in their encoded form
// ("\uFFFD" + JSON), as TinyBase writes them, and the setters take that form back as well as
// plain objects. JSON that does not parse is ignored.
import {encodeWireCellOrValue} from './cell.js';
import {setOwn} from './objects.js';
import {setContentParts} from './setters-api.js';
import type {StoreState} from './store-state.js';
import type {LeafContainer, TableNode} from './tree.js';
import type {Json, Store} from './types.js';

type Encoded = Record<string, unknown>;

const leavesToObject = (container: LeafContainer): Encoded => {
  const result: Encoded = {};
  container.forEachLiveLeaf((id, value) => setOwn<unknown>(result, id, value));
  return result;
};

const tableToObject = (table: TableNode): Encoded => {
  const result: Encoded = {};
  for (const row of table.liveChildren()) {
    setOwn<unknown>(result, row.id, leavesToObject(row));
  }
  return result;
};

/** The plain tables with object cells left encoded, as TinyBase's JSON has them. */
const encodedTables = ({tables}: StoreState): Encoded => {
  const result: Encoded = {};
  for (const table of tables.liveChildren()) {
    setOwn<unknown>(result, table.id, tableToObject(table));
  }
  return result;
};

/** The parsed JSON, or undefined when it does not parse. */
const parse = (json: Json): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
};

type JsonApi = Pick<
  Store,
  'getTablesJson' | 'getValuesJson' | 'getJson' | 'setTablesJson' | 'setValuesJson' | 'setJson'
>;

export const createJsonApi = (state: StoreState): JsonApi => {
  const setParts = (tables: unknown, values: unknown) => {
    setContentParts(state, tables, values, encodeWireCellOrValue);
    return state.store;
  };
  return {
    getTablesJson: () => JSON.stringify(encodedTables(state)),
    getValuesJson: () => JSON.stringify(leavesToObject(state.values)),
    getJson: () => JSON.stringify([encodedTables(state), leavesToObject(state.values)]),
    setTablesJson: (tablesJson) => setParts(parse(tablesJson), undefined),
    setValuesJson: (valuesJson) => setParts(undefined, parse(valuesJson)),
    setJson: (json) => {
      const parsed = parse(json);
      // `[tables, values]`, or tables alone (what getJson wrote before stores had values)
      return Array.isArray(parsed) ? setParts(parsed[0], parsed[1]) : setParts(parsed, undefined);
    },
  };
};
