// Tables and values schemas, as TinyBase 10 defines them: which cells each table may hold and
// which values the store may hold, of which type, with which default. A schema given to the store
// is checked and copied here once; the store then only asks it questions (is this cell allowed,
// what is its default, which cells must a row have).
import {type EncodedCellOrValue, encodeCellOrValue, isPlainObject} from './cell.js';
import type {CellOrValue, Id} from './types.js';

/** The types a cell or value schema may name. */
export type CellOrValueType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/**
 * What one cell (or value) may hold: one type or several, or else a list of allowed primitives
 * (`enum`); a default for when it is missing or invalid; whether null is allowed; and whether a
 * row (or the values) without it is refused.
 */
export type CellSchema = {
  type?: CellOrValueType | readonly CellOrValueType[];
  enum?: readonly (string | number | boolean)[];
  default?: CellOrValue;
  allowNull?: boolean;
  required?: boolean;
};
/** What one value may hold: the same shape as a cell schema. */
export type ValueSchema = CellSchema;
/** The cells each table may hold, by table id then cell id. */
export type TablesSchema = {[tableId: Id]: {[cellId: Id]: CellSchema}};
/** The values the store may hold, by value id. */
export type ValuesSchema = {[valueId: Id]: ValueSchema};

const SCHEMA_KEYS = new Set(['type', 'enum', 'default', 'allowNull', 'required']);
const TYPES = new Set<unknown>(['string', 'number', 'boolean', 'object', 'array']);

/** A checked cell or value schema: the copy shown by the JSON getters and the encoded default. */
export type CheckedSchema = {
  /** The schema as given, minus a default that does not fit it. */
  shown: Record<string, unknown>;
  types: ReadonlySet<string> | undefined;
  allowed: readonly unknown[] | undefined;
  allowNull: boolean;
  required: boolean;
  /** The default in stored form (objects and arrays as "\uFFFD"+JSON); undefined when none. */
  encodedDefault: EncodedCellOrValue | undefined;
};

/** The type of a cell or value as a schema names it; 'null' for null; undefined when invalid. */
export const typeOf = (thing: unknown): string | undefined => {
  if (thing === null) {
    return 'null';
  }
  if (Array.isArray(thing)) {
    return 'array';
  }
  if (typeof thing === 'object') {
    return isPlainObject(thing) ? 'object' : undefined;
  }
  if (typeof thing === 'number') {
    return Number.isFinite(thing) ? 'number' : undefined;
  }
  return typeof thing === 'string' || typeof thing === 'boolean' ? typeof thing : undefined;
};

const isEnumMember = (thing: unknown): boolean => {
  const type = typeOf(thing);
  return (
    (type === 'string' || type === 'number' || type === 'boolean') &&
    encodeCellOrValue(thing) !== undefined // not a reserved string
  );
};

/** A copy of arrays and plain objects, so that later edits of the caller's schema change nothing. */
const copyDeep = (thing: unknown): unknown =>
  Array.isArray(thing)
    ? thing.map(copyDeep)
    : isPlainObject(thing)
      ? Object.fromEntries(Object.entries(thing).map(([key, child]) => [key, copyDeep(child)]))
      : thing;

/** A non-empty plain object, as TinyBase requires of a schema and of each part of it. */
const isNonEmptyObject = (thing: unknown): thing is Record<string, unknown> =>
  isPlainObject(thing) && Object.keys(thing).length > 0;

/**
 * Checks one cell or value schema; undefined when TinyBase would drop it: not an object with a
 * known key, no valid type or enum (or both), or a null default without allowNull. Unknown keys
 * and a default of the wrong type are dropped, the rest of the schema kept.
 */
export const checkCellSchema = (schema: unknown): CheckedSchema | undefined => {
  if (!isPlainObject(schema)) {
    return undefined;
  }
  const shown: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) {
    if (SCHEMA_KEYS.has(key)) {
      shown[key] = copyDeep(schema[key]);
    }
  }
  if (Object.keys(shown).length === 0) {
    return undefined;
  }
  const {type, enum: allowed} = shown;
  let types: Set<string> | undefined;
  if (allowed === undefined) {
    const typeList = Array.isArray(type) ? type : [type];
    if (typeList.length === 0 || !typeList.every((each) => TYPES.has(each))) {
      return undefined;
    }
    types = new Set(typeList as string[]);
  } else if (
    type !== undefined ||
    !Array.isArray(allowed) ||
    allowed.length === 0 ||
    !allowed.every(isEnumMember)
  ) {
    return undefined;
  }
  const allowNull = Boolean(shown.allowNull);
  let encodedDefault: EncodedCellOrValue | undefined;
  if (Object.hasOwn(shown, 'default')) {
    const defaultThing = shown.default;
    if (defaultThing === null) {
      if (!allowNull) {
        return undefined;
      }
      encodedDefault = null;
    } else {
      const fits =
        types === undefined
          ? (allowed as unknown[]).includes(defaultThing)
          : types.has(typeOf(defaultThing) ?? '');
      encodedDefault = fits ? encodeCellOrValue(defaultThing) : undefined;
      if (encodedDefault === undefined) {
        delete shown.default;
      }
    }
  }
  return {
    shown,
    types,
    allowed: allowed as unknown[] | undefined,
    allowNull,
    required: shown.required === true,
    encodedDefault,
  };
};

/** The checked schemas of a group of cells (one table) or of the values, by id. */
export type CheckedGroup = Map<Id, CheckedSchema>;

/** Checks each child schema, dropping invalid ones; undefined when none is left. */
export const checkGroupSchema = (group: unknown): CheckedGroup | undefined => {
  if (!isNonEmptyObject(group)) {
    return undefined;
  }
  const checked: CheckedGroup = new Map();
  for (const id of Object.keys(group)) {
    const schema = checkCellSchema(group[id]);
    if (schema) {
      checked.set(id, schema);
    }
  }
  return checked.size > 0 ? checked : undefined;
};

/** Checks a tables schema, dropping invalid tables; undefined when none is left. */
export const checkTablesSchema = (tablesSchema: unknown): Map<Id, CheckedGroup> | undefined => {
  if (!isNonEmptyObject(tablesSchema)) {
    return undefined;
  }
  const checked = new Map<Id, CheckedGroup>();
  for (const tableId of Object.keys(tablesSchema)) {
    const group = checkGroupSchema(tablesSchema[tableId]);
    if (group) {
      checked.set(tableId, group);
    }
  }
  return checked.size > 0 ? checked : undefined;
};

/**
 * Whether a cell or value (as given, and in stored form) fits its schema. Null fits only with
 * allowNull; an enum lists the allowed primitives; otherwise the type must be one of the types.
 */
export const fitsSchema = (schema: CheckedSchema, thing: unknown): boolean => {
  if (thing === null) {
    return schema.allowNull;
  }
  if (schema.allowed !== undefined) {
    return schema.allowed.includes(thing);
  }
  return schema.types?.has(typeOf(thing) ?? '') ?? false;
};

/** A checked schema shown as TinyBase's JSON getters show it. */
const shownGroup = (group: CheckedGroup): Record<Id, unknown> =>
  Object.fromEntries([...group].map(([id, schema]) => [id, schema.shown]));

/**
 * `next`, in the order TinyBase keeps: ids already in `previous` keep their place, new ids go
 * last. (It shows in the schema JSON.) `mergeChild` orders the children of an id in both.
 */
const inPreviousOrder = <Child>(
  previous: Map<Id, Child>,
  next: Map<Id, Child>,
  mergeChild: (previousChild: Child, nextChild: Child) => Child = (_, nextChild) => nextChild,
): Map<Id, Child> => {
  const ordered = new Map<Id, Child>();
  for (const [id, previousChild] of previous) {
    const nextChild = next.get(id);
    if (nextChild !== undefined) {
      ordered.set(id, mergeChild(previousChild, nextChild));
    }
  }
  for (const [id, nextChild] of next) {
    if (!ordered.has(id)) {
      ordered.set(id, nextChild);
    }
  }
  return ordered;
};

const tablesInPreviousOrder = (
  previous: Map<Id, CheckedGroup>,
  next: Map<Id, CheckedGroup>,
): Map<Id, CheckedGroup> =>
  inPreviousOrder(previous, next, (previousGroup, nextGroup) =>
    inPreviousOrder(previousGroup, nextGroup),
  );

/**
 * The schemas one store holds. `hasTables`/`hasValues` say whether a schema is set; an empty
 * one is the same as none.
 */
export class StoreSchemas {
  tables = new Map<Id, CheckedGroup>();
  values: CheckedGroup = new Map();
  hasTables = false;
  hasValues = false;
  /** The schemas as they were when the transaction started, put back if it rolls back. */
  private saved: {tables?: [Map<Id, CheckedGroup>, boolean]; values?: [CheckedGroup, boolean]} = {};

  setTables(tables: Map<Id, CheckedGroup>, has: boolean): void {
    this.saved.tables ??= [this.tables, this.hasTables];
    this.tables = tablesInPreviousOrder(this.tables, tables);
    this.hasTables = has;
  }

  /** A values schema replaces the previous one whole (its order too), as in TinyBase. */
  setValues(values: CheckedGroup, has: boolean): void {
    this.saved.values ??= [this.values, this.hasValues];
    this.values = values;
    this.hasValues = has;
  }

  /** Undoes the schema changes of a transaction that rolls back. */
  restoreSaved(): void {
    // Put back over the current schemas, as TinyBase does, so that the order is as it makes it.
    if (this.saved.tables) {
      this.tables = tablesInPreviousOrder(this.tables, this.saved.tables[0]);
      this.hasTables = this.saved.tables[1];
    }
    if (this.saved.values) {
      this.values = inPreviousOrder(this.values, this.saved.values[0]);
      this.hasValues = this.saved.values[1];
    }
    this.saved = {};
  }

  /** Called when a transaction ends: its schema changes stay. */
  forgetSaved(): void {
    if (this.saved.tables || this.saved.values) {
      this.saved = {};
    }
  }

  /** The schema of a cell, or undefined when the table or the cell has none. */
  cellSchema(tableId: Id, cellId: Id): CheckedSchema | undefined {
    return this.tables.get(tableId)?.get(cellId);
  }

  tablesJson(): Record<Id, unknown> {
    return Object.fromEntries([...this.tables].map(([id, group]) => [id, shownGroup(group)]));
  }

  valuesJson(): Record<Id, unknown> {
    return shownGroup(this.values);
  }
}
