// Cells and values: which things may be stored, and how objects and arrays are encoded so that
// they can be stamped, hashed and sent exactly as TinyBase does (docs/protocol.md §1.1).
import type {CellOrValue} from './types.js';

/** Stands for `undefined` (a tombstone) on JSON transports; never a storable string. */
export const UNDEFINED_MARKER = '\uFFFC';
/** Prefix of an object or array cell in its encoded form: "\uFFFD" + JSON. */
const JSON_PREFIX = '\uFFFD';

/** What is kept in a stamp: primitives as they are, objects and arrays as prefixed JSON. */
export type EncodedCellOrValue = string | number | boolean | null;

/**
 * An object TinyBase accepts as a row, table, or object cell: one made by `{}` or
 * `Object.create(null)`, or one whose prototype is itself a root (an `Object.prototype` from
 * another realm). Class instances, dates, maps and arrays are not.
 */
export const isPlainObject = (thing: unknown): thing is Record<string, unknown> => {
  if (typeof thing !== 'object' || thing === null || Array.isArray(thing)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(thing);
  return (
    prototype === null ||
    prototype === Object.prototype ||
    Object.getPrototypeOf(prototype) === null
  );
};

/** "\uFFFD" + JSON of an object or array, or undefined when it cannot be written as JSON. */
const encodeJson = (thing: object): string | undefined => {
  try {
    const json = JSON.stringify(thing);
    // JSON drops what it cannot hold inside (undefined, functions) and writes NaN as null, as
    // TinyBase does; only a thing with no JSON at all (a cycle, a bigint) is refused.
    return typeof json === 'string' ? JSON_PREFIX + json : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Encodes a cell or value given to a public setter, or returns undefined when it cannot be
 * stored: not a string, finite number, boolean, null, plain object or array; or a reserved string.
 */
export const encodeCellOrValue = (thing: unknown): EncodedCellOrValue | undefined => {
  switch (typeof thing) {
    case 'string':
      return thing === UNDEFINED_MARKER || thing.startsWith(JSON_PREFIX) ? undefined : thing;
    case 'number':
      return Number.isFinite(thing) ? thing : undefined;
    case 'boolean':
      return thing;
    case 'object':
      if (thing === null) {
        return null;
      }
      return Array.isArray(thing) || isPlainObject(thing) ? encodeJson(thing) : undefined;
    default:
      return undefined;
  }
};

/**
 * Encodes a thing arriving in wire form: as {@link encodeCellOrValue}, but "\uFFFD"+JSON strings
 * (objects and arrays already encoded) are kept when they hold a JSON object or array. Decoded
 * objects and arrays are accepted too, as TinyBase accepts them on this path.
 */
export const encodeWireCellOrValue = (thing: unknown): EncodedCellOrValue | undefined =>
  typeof thing === 'string' && thing.startsWith(JSON_PREFIX)
    ? isEncodedJson(thing)
      ? thing
      : undefined
    : encodeCellOrValue(thing);

// TinyBase stores any "\uFFFD" string from a peer in its stamps but cannot show or decode one
// that is not an object or array; syncstore refuses such input instead of keeping it.
const isEncodedJson = (encoded: string): boolean => {
  try {
    const parsed = JSON.parse(encoded.slice(1));
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
};

/** The public form of a stored thing: prefixed JSON strings become objects or arrays again. */
export const decodeCellOrValue = (
  thing: EncodedCellOrValue | undefined,
): CellOrValue | undefined =>
  typeof thing === 'string' && thing.charCodeAt(0) === 0xfffd
    ? (JSON.parse(thing.slice(1)) as CellOrValue)
    : thing;

/** True for a stored object or array (the encoded "\uFFFD"+JSON form). */
export const isEncodedObject = (thing: EncodedCellOrValue | undefined): boolean =>
  typeof thing === 'string' && thing.charCodeAt(0) === 0xfffd;
