// The store's JSON methods. Object and array cells appear in the JSON in their encoded form
// ("\uFFFD" + JSON), as TinyBase writes them, and the setters take that form back as well as
// plain objects: encoded leaves are decoded first, so that JSON goes through the same checks
// (schemas, invalid listeners) as setContent. JSON that does not parse is ignored.
import {decodeCellOrValue, encodeWireCellOrValue, isPlainObject} from './cell.js';
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

/** A leaf as setters take it: an encoded object or array decoded, anything else as it is. */
const decodeLeaf = (leaf: unknown): unknown =>
  typeof leaf === 'string' && encodeWireCellOrValue(leaf) === leaf ? decodeCellOrValue(leaf) : leaf;

/** `part` with the leaves `depth` levels down decoded (values: 1, tables: 3). */
const decodeLeaves = (part: unknown, depth: number): unknown => {
  if (!isPlainObject(part)) {
    return part;
  }
  const result: Encoded = {};
  for (const id of Object.keys(part)) {
    setOwn(result, id, depth === 1 ? decodeLeaf(part[id]) : decodeLeaves(part[id], depth - 1));
  }
  return result;
};

const UNPARSABLE = Symbol('unparsable');

/** The parsed JSON, or UNPARSABLE. */
const parse = (json: Json): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return UNPARSABLE;
  }
};

type JsonApi = Pick<
  Store,
  'getTablesJson' | 'getValuesJson' | 'getJson' | 'setTablesJson' | 'setValuesJson' | 'setJson'
>;

export const createJsonApi = (state: StoreState): JsonApi => {
  /**
   * Sets the parts of the content that the parsed JSON gives. As in TinyBase, JSON that does not
   * parse changes nothing, and starts no transaction unless `alwaysTransact` (setJson).
   */
  const setFromJson = (
    json: Json,
    setParts: (parsed: unknown) => [unknown, unknown],
    alwaysTransact = false,
  ) => {
    const parsed = parse(json);
    if (parsed === UNPARSABLE && alwaysTransact) {
      setContentParts(state, undefined, undefined);
    } else if (parsed !== UNPARSABLE) {
      const [tables, values] = setParts(parsed);
      setContentParts(state, decodeLeaves(tables, 3), decodeLeaves(values, 1));
    }
    return state.store;
  };
  return {
    getTablesJson: () => JSON.stringify(encodedTables(state)),
    getValuesJson: () => JSON.stringify(leavesToObject(state.values)),
    getJson: () => JSON.stringify([encodedTables(state), leavesToObject(state.values)]),
    setTablesJson: (tablesJson) => setFromJson(tablesJson, (tables) => [tables, undefined]),
    setValuesJson: (valuesJson) => setFromJson(valuesJson, (values) => [undefined, values]),
    // `[tables, values]`, or tables alone (what getJson wrote before stores had values)
    setJson: (json) =>
      setFromJson(
        json,
        (parsed) => (Array.isArray(parsed) ? [parsed[0], parsed[1]] : [parsed, undefined]),
        true,
      ),
  };
};
