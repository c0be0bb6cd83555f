// Comparing what two stores return, strictly: `undefined` (tombstones) is not `null`, -0 is not 0,
// and key order counts (it is what goes on the wire), while prototypes do not.
import {expect} from 'vitest';

const UNDEFINED = '<undefined>';
const NEGATIVE_ZERO = '<-0>';

/**
 * A plain copy with `undefined` and -0 made visible, arrays kept as arrays and every object as an
 * ordinary object with the same own keys in the same order.
 */
export const toPlain = (value: unknown): unknown => {
  if (value === undefined) {
    return UNDEFINED;
  }
  if (Object.is(value, -0)) {
    return NEGATIVE_ZERO;
  }
  if (Array.isArray(value)) {
    return Array.from(value, toPlain);
  }
  if (value !== null && typeof value === 'object') {
    const plain: {[key: string]: unknown} = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(plain, key, {
        value: toPlain((value as {[key: string]: unknown})[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return plain;
  }
  return value;
};

/** Key order made explicit, so that two values with the same entries in another order differ. */
export const toOrderedText = (value: unknown): string => JSON.stringify(toPlain(value));

/** Asserts deep equality including tombstones, -0 and key order. */
export const expectSame = (actual: unknown, expected: unknown, label?: string): void => {
  expect(toPlain(actual), label).toEqual(toPlain(expected));
  expect(toOrderedText(actual), label).toBe(toOrderedText(expected));
};

/** Asserts deep equality including tombstones and -0, in any key order. */
export const expectEquivalent = (actual: unknown, expected: unknown, label?: string): void => {
  expect(toPlain(actual), label).toEqual(toPlain(expected));
};

type StampTree = [{[id: string]: StampTree}, ...unknown[]];

/** The plain tables and values that a MergeableContent describes (tombstones left out). */
export const contentOfStamps = (
  mergeableContent: [unknown, unknown],
): [{[tableId: string]: unknown}, {[valueId: string]: unknown}] => {
  const [tablesStamp, valuesStamp] = mergeableContent as [StampTree, StampTree];
  const tables: {[tableId: string]: {[rowId: string]: {[cellId: string]: unknown}}} = {};
  for (const [tableId, [rows]] of Object.entries(tablesStamp[0])) {
    for (const [rowId, [cells]] of Object.entries(rows)) {
      for (const [cellId, [cell]] of Object.entries(cells)) {
        if (cell !== undefined) {
          const table = Object.hasOwn(tables, tableId)
            ? tables[tableId]
            : define(tables, tableId, {});
          const row = Object.hasOwn(table, rowId) ? table[rowId] : define(table, rowId, {});
          define(row, cellId, cell);
        }
      }
    }
  }
  const values: {[valueId: string]: unknown} = {};
  for (const [valueId, [value]] of Object.entries(valuesStamp[0])) {
    if (value !== undefined) {
      define(values, valueId, value);
    }
  }
  return [tables, values];
};

const define = <Thing>(object: {[key: string]: Thing}, key: string, thing: Thing): Thing => {
  Object.defineProperty(object, key, {
    value: thing,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return thing;
};
