// Cells and values: which things may be stored, and how objects and arrays are encoded so that
// they can be stamped, hashed and sent exactly as TinyBase does (spec §1.1).
import type {CellOrValue} from './types.js';

/** Stands for `undefined` (a tombstone) on JSON transports; never a storable string. */
export const UNDEFINED_MARKER = '\uFFFC';
/** Prefix of an object or array cell in its encoded form: "\uFFFD" + JSON. */
export const JSON_PREFIX = '\uFFFD';

/** What is kept in a stamp: primitives as they are, objects and arrays as prefixed JSON. */
export type EncodedCellOrValue = string | number | boolean | null;

const isPlainObject = (thing: object): boolean => {
  const prototype = Object.getPrototypeOf(thing);
  return prototype === Object.prototype || prototype === null;
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
      if (Array.isArray(thing) || isPlainObject(thing)) {
        return JSON_PREFIX + JSON.stringify(thing);
      }
      return undefined;
    default:
      return undefined;
  }
};

/** True for a thing that may arrive in encoded form from a peer (prefixed JSON strings allowed). */
export const isEncodedCellOrValue = (thing: unknown): thing is EncodedCellOrValue => {
  switch (typeof thing) {
    case 'string':
      return thing !== UNDEFINED_MARKER && (!thing.startsWith(JSON_PREFIX) || isValidJson(thing));
    case 'number':
      return Number.isFinite(thing);
    case 'boolean':
      return true;
    case 'object':
      return thing === null;
    default:
      return false;
  }
};

const isValidJson = (encoded: string): boolean => {
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
