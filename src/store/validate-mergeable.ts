// Validation of mergeable content and changes from outside (peers, persisters, the app). Input is
// checked as a whole before anything is merged, so a rejected change set leaves no trace; the
// returned reason says what was wrong and where.
import {encodeCellOrValue, encodeWireCellOrValue, isPlainObject} from './cell.js';
import {isHlcSyntax} from './hlc.js';

export type ValidationOptions = {
  /** Every stamp must carry its hash (setMergeableContent). */
  requireHashes: boolean;
  /** Leaves are in wire form: "\uFFFD"+JSON strings are then objects, not reserved strings. */
  encoded: boolean;
  /** HLCs whose time is after this are refused. */
  maxTime: number;
  getTime: (hlc: string) => number;
};

/** Where a stamp is, from the ids leading to it: `tables/t1/r1/c1`. */
const pathOf = (ids: string[]): string => ids.join('/');

/**
 * Checks a stamp of the given depth (0 = cell/value, 1 = row or values, 2 = table, 3 = tables).
 * Returns a reason, or undefined when valid. `ids` holds the ids from the root to this stamp; the
 * path in a reason is only made from them when something is wrong (a merge checks every leaf).
 */
const checkStamp = (
  stamp: unknown,
  depth: number,
  ids: string[],
  options: ValidationOptions,
): string | undefined => {
  if (!Array.isArray(stamp) || stamp.length < 1 || stamp.length > 3) {
    return `${pathOf(ids)}: a stamp must be an array of 1 to 3 elements`;
  }
  if (options.requireHashes && stamp.length !== 3) {
    return `${pathOf(ids)}: a stamp must be [thing, hlc, hash]`;
  }
  const [thing, hlc] = stamp;
  if (stamp.length >= 2 && hlc !== '' && !isHlcSyntax(hlc)) {
    return `${pathOf(ids)}: malformed HLC ${JSON.stringify(hlc)}`;
  }
  if (typeof hlc === 'string' && hlc !== '' && options.getTime(hlc) > options.maxTime) {
    return `${pathOf(ids)}: HLC ${hlc} is more than 5 minutes ahead of this peer's clock`;
  }
  // Incoming hashes are never trusted (they are recomputed), so any finite number will do, as in
  // TinyBase.
  if (stamp.length === 3 && !Number.isFinite(stamp[2])) {
    return `${pathOf(ids)}: hash must be a finite number`;
  }
  if (depth === 0) {
    if (thing === undefined) {
      return undefined;
    }
    // Wire form carries objects as "\uFFFD"+JSON strings; the public API takes the objects
    // themselves and refuses such strings, as TinyBase does. Both accept decoded objects.
    const valid = options.encoded
      ? encodeWireCellOrValue(thing) !== undefined
      : encodeCellOrValue(thing) !== undefined;
    return valid ? undefined : `${pathOf(ids)}: invalid cell or value ${describe(thing)}`;
  }
  if (!isPlainObject(thing)) {
    return `${pathOf(ids)}: expected an object of child stamps`;
  }
  for (const id of Object.keys(thing)) {
    ids.push(id);
    const reason = checkStamp(thing[id], depth - 1, ids, options);
    ids.pop();
    if (reason !== undefined) {
      return reason;
    }
  }
  return undefined;
};

/**
 * Whether an unhashed leaf `[thing, hlc]` passes the checks above: the quick answer for a merge
 * that checks its leaves one by one, and asks checkStamp for the reason when one fails.
 */
export const isAcceptableLeaf = (
  thing: unknown,
  hlc: unknown,
  options: ValidationOptions,
): boolean =>
  (hlc === '' || (isHlcSyntax(hlc) && options.getTime(hlc) <= options.maxTime)) &&
  (thing === undefined ||
    (options.encoded ? encodeWireCellOrValue(thing) : encodeCellOrValue(thing)) !== undefined);

const describe = (thing: unknown): string => {
  if (typeof thing === 'string') {
    return JSON.stringify(thing.length > 40 ? `${thing.slice(0, 40)}…` : thing);
  }
  return typeof thing === 'number' ? String(thing) : typeof thing;
};

/** Validates `[tablesStamp, valuesStamp]` (content) or `[tablesStamp, valuesStamp, 1]` (changes). */
export const validateMergeable = (
  input: unknown,
  options: ValidationOptions,
  allowChanges: boolean,
): string | undefined => {
  if (!Array.isArray(input)) {
    return 'mergeable content must be an array';
  }
  const isChanges = input.length === 3 && input[2] === 1;
  if (!(input.length === 2 || (allowChanges && isChanges))) {
    return allowChanges
      ? 'expected [tables, values] or [tables, values, 1]'
      : 'expected mergeable content [tables, values]';
  }
  return (
    checkStamp(input[0], 3, ['tables'], options) ?? checkStamp(input[1], 1, ['values'], options)
  );
};
