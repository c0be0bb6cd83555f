// Content input checked and encoded without schemas and without reporting what is invalid. What
// TinyBase would ignore is dropped here: invalid cells, and rows, tables or tables objects left
// with nothing. (The setters use validate-content.ts, which also applies the schemas and tells
// the invalid listeners.)
import {type EncodedCellOrValue, encodeCellOrValue, isPlainObject} from './cell.js';
import type {Id} from './types.js';

/** Encoded cells (or values); `defaulted` names those that are schema defaults. */
export type EncodedRow = Map<Id, EncodedCellOrValue> & {readonly defaulted?: ReadonlySet<Id>};
export type EncodedTable = Map<Id, EncodedRow>;
export type EncodedTables = Map<Id, EncodedTable>;

/**
 * A non-empty plain object: what TinyBase accepts as a row, table, tables or values. (TinyBase
 * copies what it is given before checking it, so a frozen object is accepted too.)
 */
const isValidContainer = (thing: unknown): thing is Record<string, unknown> =>
  isPlainObject(thing) && Object.keys(thing).length > 0;

/**
 * The children of a container that encode validly, or undefined when the container is not a
 * valid one or none of its children is valid.
 */
const encodeChildren = <Child>(
  container: unknown,
  encodeChild: (child: unknown) => Child | undefined,
): Map<Id, Child> | undefined => {
  if (!isValidContainer(container)) {
    return undefined;
  }
  const encoded = new Map<Id, Child>();
  for (const id of Object.keys(container)) {
    const child = encodeChild(container[id]);
    if (child !== undefined) {
      encoded.set(id, child);
    }
  }
  return encoded.size > 0 ? encoded : undefined;
};

/** Encodes one cell or value, or returns undefined when it cannot be stored. */
type EncodeLeaf = (thing: unknown) => EncodedCellOrValue | undefined;

/** The valid cells of a row (or values) in encoded form, or undefined when none is valid. */
export const encodeRow = (
  row: unknown,
  encodeLeaf: EncodeLeaf = encodeCellOrValue,
): EncodedRow | undefined => encodeChildren(row, encodeLeaf);

/** The valid rows of a table in encoded form, or undefined when none is valid. */
export const encodeTable = (
  table: unknown,
  encodeLeaf: EncodeLeaf = encodeCellOrValue,
): EncodedTable | undefined => encodeChildren(table, (row) => encodeRow(row, encodeLeaf));

/** The valid tables in encoded form, or undefined when none is valid. */
export const encodeTables = (
  tables: unknown,
  encodeLeaf: EncodeLeaf = encodeCellOrValue,
): EncodedTables | undefined => encodeChildren(tables, (table) => encodeTable(table, encodeLeaf));

/**
 * A whole part of a content (tables, or values) for setContent and the JSON setters: as
 * encodeTables or encodeRow, except that an empty object is valid there and means "nothing",
 * as in TinyBase (where setTables({}) alone is ignored).
 */
export const encodeContentPart = <Encoded extends Map<Id, unknown>>(
  part: unknown,
  encode: (part: unknown) => Encoded | undefined,
): Encoded | undefined =>
  isPlainObject(part) && Object.keys(part).length === 0 ? (new Map() as Encoded) : encode(part);
