// Input from the setters, checked against the schemas and encoded, inside the setter's
// transaction. What cannot be stored is left out and noted for the invalid cell and value
// listeners; with a schema, a cell or value of the wrong type becomes its default (when it has
// one), rows and the values get the defaults of what they lack, and a row (or the values) without
// a required cell is refused whole. Without a schema only storable kinds are checked.
import {type EncodedCellOrValue, encodeCellOrValue, isPlainObject} from './cell.js';
import type {EncodedRow, EncodedTable, EncodedTables} from './encode-content.js';
import type {CheckedGroup, CheckedSchema} from './schemas.js';
import {fitsSchema} from './schemas.js';
import type {StoreState} from './store-state.js';
import type {Id} from './types.js';

/** A checked row (or values), with the ids of the cells it got as defaults. */
export class ValidRow extends Map<Id, EncodedCellOrValue> {
  readonly defaulted = new Set<Id>();
}

/**
 * A cell or value, encoded: with schemas of its kind (`hasSchemas`), only one that has a `schema`
 * and fits it; otherwise it is reported and becomes the schema's default (undefined: refused).
 */
const validateLeaf = (
  hasSchemas: boolean,
  schema: CheckedSchema | undefined,
  thing: unknown,
  report: () => void,
): EncodedCellOrValue | undefined => {
  const encoded = hasSchemas && !schema ? undefined : encodeCellOrValue(thing);
  if (encoded !== undefined && (!schema || fitsSchema(schema, thing))) {
    return encoded;
  }
  report();
  return schema?.encodedDefault;
};

/** One cell, encoded; its default when it does not fit its schema; undefined when refused. */
export const validateCell = (
  state: StoreState,
  tableId: Id,
  rowId: Id | undefined,
  cellId: Id,
  cell: unknown,
): EncodedCellOrValue | undefined => {
  const {schemas, invalid} = state;
  return validateLeaf(
    schemas.hasTables,
    schemas.hasTables ? schemas.cellSchema(tableId, cellId) : undefined,
    cell,
    () => invalid.cell(tableId, rowId, cellId, cell),
  );
};

/** One value, encoded; as {@link validateCell}. */
export const validateValue = (
  state: StoreState,
  valueId: Id,
  value: unknown,
): EncodedCellOrValue | undefined => {
  const {schemas, invalid} = state;
  return validateLeaf(
    schemas.hasValues,
    schemas.hasValues ? schemas.values.get(valueId) : undefined,
    value,
    () => invalid.value(valueId, value),
  );
};

/**
 * The shared part of rows and values: checks each child, and with `group` (the schemas of a
 * table's cells, or of the values) first adds the defaults of the children the input lacks, and
 * at the end refuses the whole when a required child is missing.
 */
const validateGroup = (
  input: unknown,
  group: CheckedGroup | undefined,
  addDefaults: boolean,
  validateChild: (id: Id, child: unknown) => EncodedCellOrValue | undefined,
  reportMissing: (id?: Id) => void,
): ValidRow | undefined => {
  if (!isPlainObject(input)) {
    reportMissing();
    return undefined;
  }
  const row = new ValidRow();
  const defaults = new Map<Id, EncodedCellOrValue>();
  if (addDefaults && group) {
    for (const [id, schema] of group) {
      if (!Object.hasOwn(input, id)) {
        if (schema.encodedDefault === undefined) {
          reportMissing(id);
        } else {
          defaults.set(id, schema.encodedDefault);
        }
      }
    }
  }
  const ids = Object.keys(input);
  if (ids.length === 0 && defaults.size === 0) {
    reportMissing();
    return undefined;
  }
  for (const id of ids) {
    const child = validateChild(id, input[id]);
    if (child !== undefined) {
      row.set(id, child);
    }
  }
  for (const [id, child] of defaults) {
    row.set(id, child);
    row.defaulted.add(id);
  }
  if (row.size === 0) {
    return undefined;
  }
  if (addDefaults && group) {
    for (const [id, schema] of group) {
      if (schema.required && schema.encodedDefault === undefined && !row.has(id)) {
        return undefined;
      }
    }
  }
  return row;
};

/**
 * A row, checked. `addDefaults` is false for setPartialRow, which only sets what it is given.
 * `rowId` is undefined for addRow, whose row has no id yet when it is checked.
 */
export const validateRow = (
  state: StoreState,
  tableId: Id,
  rowId: Id | undefined,
  row: unknown,
  addDefaults: boolean,
): ValidRow | undefined => {
  const {schemas, invalid} = state;
  return validateGroup(
    row,
    schemas.hasTables ? schemas.tables.get(tableId) : undefined,
    addDefaults,
    (cellId, cell) => validateCell(state, tableId, rowId, cellId, cell),
    (cellId) => invalid.cell(tableId, rowId, cellId),
  );
};

/** The values, checked; `addDefaults` is false for setPartialValues. */
export const validateValues = (
  state: StoreState,
  values: unknown,
  addDefaults: boolean,
): ValidRow | undefined => {
  const {schemas, invalid} = state;
  return validateGroup(
    values,
    schemas.hasValues ? schemas.values : undefined,
    addDefaults,
    (valueId, value) => validateValue(state, valueId, value),
    (valueId) => invalid.value(valueId),
  );
};

/** Whether the table may be written: any table without a tables schema, else those it names. */
const isTableAllowed = (state: StoreState, tableId: Id): boolean =>
  !state.schemas.hasTables || state.schemas.tables.has(tableId);

/** A table, checked: its valid rows, or undefined when none is left. */
export const validateTable = (
  state: StoreState,
  tableId: Id,
  table: unknown,
): EncodedTable | undefined => {
  if (!isTableAllowed(state, tableId) || !isPlainObject(table) || isEmpty(table)) {
    state.invalid.cell(tableId);
    return undefined;
  }
  const rows: EncodedTable = new Map();
  for (const rowId of Object.keys(table)) {
    const row = validateRow(state, tableId, rowId, table[rowId], true);
    if (row) {
      rows.set(rowId, row);
    }
  }
  return rows.size > 0 ? rows : undefined;
};

/** All tables, checked: the valid ones, or undefined when none is left. */
export const validateTables = (state: StoreState, tables: unknown): EncodedTables | undefined => {
  if (!isPlainObject(tables) || isEmpty(tables)) {
    state.invalid.cell();
    return undefined;
  }
  const encoded: EncodedTables = new Map();
  for (const tableId of Object.keys(tables)) {
    const table = validateTable(state, tableId, tables[tableId]);
    if (table) {
      encoded.set(tableId, table);
    }
  }
  return encoded.size > 0 ? encoded : undefined;
};

const isEmpty = (thing: object): boolean => Object.keys(thing).length === 0;

/**
 * The cells a row made by setCell or setPartialRow starts with: the cell written, then the
 * defaults of the cells it lacks (the cells with no default are reported missing).
 */
export const newRowWithDefaults = (
  state: StoreState,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  cell: EncodedCellOrValue,
): EncodedRow => {
  const row = new ValidRow([[cellId, cell]]);
  const group = state.schemas.hasTables ? state.schemas.tables.get(tableId) : undefined;
  for (const [id, schema] of group ?? []) {
    if (id === cellId) {
      continue;
    }
    if (schema.encodedDefault === undefined) {
      state.invalid.cell(tableId, rowId, id);
    } else {
      row.set(id, schema.encodedDefault);
      row.defaulted.add(id);
    }
  }
  return row;
};
