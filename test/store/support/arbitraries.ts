// fast-check generators for store operations: ids that collide often and include hostile names,
// cells of every storable kind (and a few unstorable ones), and operation sequences.
import fc from 'fast-check';
import type {Cell, Row, Table, Tables, Values} from '../../../src/store/types.js';

/** An object with exactly these own keys, in this order, whatever their names (`__proto__`...). */
export const objectFrom = <Thing>(entries: [string, Thing][]): {[key: string]: Thing} => {
  const object: {[key: string]: Thing} = {};
  for (const [key, thing] of entries) {
    Object.defineProperty(object, key, {
      value: thing,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
};

export const tableIds = ['t1', 't2', '__proto__', 'constructor', '1'];
export const rowIds = ['r1', 'r2', '0', '10', 'toString', ''];
export const cellIds = ['c1', 'c2', 'hasOwnProperty', 'valueOf', '😀', '\uD800'];
export const valueIds = ['v1', 'v2', '__proto__', 'toString', '2', 'é'];

const tableId = fc.constantFrom(...tableIds);
const rowId = fc.constantFrom(...rowIds);
const cellId = fc.constantFrom(...cellIds);
const valueId = fc.constantFrom(...valueIds);

const loneSurrogate = fc
  .integer({min: 0xd800, max: 0xdfff})
  .map((code) => String.fromCharCode(code));

/** Strings: ASCII, any code point (astral too), lone surrogates, and reserved strings. */
export const text = fc.oneof(
  fc.string({maxLength: 6}),
  fc.string({unit: 'binary', maxLength: 4}),
  fc
    .array(fc.oneof(fc.string({unit: 'binary', maxLength: 2}), loneSurrogate), {maxLength: 3})
    .map((pieces) => pieces.join('')),
  fc.constantFrom('', 'null', '\u2028\u2029', '"\\', '😀', '\uFFFC', '\uFFFDnot json', '\uFFFD{}'),
);

export const number = fc.oneof(
  fc.integer(),
  fc.double({noNaN: true, noDefaultInfinity: true}),
  fc.constantFrom(0, -0, 1e21, 5e-324, 2 ** 53 + 2, -1.5),
);

const primitive = fc.oneof(text, number, fc.boolean(), fc.constant(null));

const jsonKey = fc.constantFrom('a', 'b', '', '__proto__', 'constructor', '😀');
const jsonLeaf = fc.oneof(
  fc.string({maxLength: 4}),
  fc.integer(),
  fc.double({noNaN: true, noDefaultInfinity: true}),
  fc.boolean(),
  fc.constant(null),
);
const {json} = fc.letrec<{json: unknown}>((tie) => ({
  json: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    jsonLeaf,
    fc.array(tie('json'), {maxLength: 3}),
    fc.array(fc.tuple(jsonKey, tie('json')), {maxLength: 3}).map(objectFrom),
  ),
}));

/** Object and array cells, nested a little. */
export const objectCell = fc.oneof(
  fc.array(json, {maxLength: 3}),
  fc.array(fc.tuple(jsonKey, json), {maxLength: 3}).map(objectFrom),
) as fc.Arbitrary<Cell>;

export const cell: fc.Arbitrary<Cell> = fc.oneof(
  {weight: 6, arbitrary: primitive},
  {weight: 2, arbitrary: objectCell},
);

export const row: fc.Arbitrary<Row> = fc
  .array(fc.tuple(cellId, cell), {maxLength: 3})
  .map((entries) => objectFrom(entries));
export const table: fc.Arbitrary<Table> = fc
  .array(fc.tuple(rowId, row), {maxLength: 3})
  .map((entries) => objectFrom(entries));
export const tables: fc.Arbitrary<Tables> = fc
  .array(fc.tuple(tableId, table), {maxLength: 2})
  .map((entries) => objectFrom(entries));
export const values: fc.Arbitrary<Values> = fc
  .array(fc.tuple(valueId, cell), {maxLength: 3})
  .map((entries) => objectFrom(entries));

/** One call on a store's public API (or a move of the shared test clock). */
export type Operation =
  | {kind: 'setCell'; tableId: string; rowId: string; cellId: string; cell: Cell}
  | {kind: 'setRow'; tableId: string; rowId: string; row: Row}
  | {kind: 'setPartialRow'; tableId: string; rowId: string; row: Row}
  | {kind: 'addRow'; tableId: string; row: Row}
  | {kind: 'setTable'; tableId: string; table: Table}
  | {kind: 'setTables'; tables: Tables}
  | {kind: 'setValue'; valueId: string; value: Cell}
  | {kind: 'setValues'; values: Values}
  | {kind: 'setPartialValues'; values: Values}
  | {kind: 'delCell'; tableId: string; rowId: string; cellId: string; forceDel: boolean}
  | {kind: 'delRow'; tableId: string; rowId: string}
  | {kind: 'delTable'; tableId: string}
  | {kind: 'delTables'}
  | {kind: 'delValue'; valueId: string}
  | {kind: 'delValues'}
  | {kind: 'tick'; milliseconds: number}
  | {kind: 'transaction'; operations: Operation[]};

const tick = fc.record({
  kind: fc.constant('tick' as const),
  milliseconds: fc.constantFrom(0, 1, 1, 2, 1000, -3),
});

/** A single store operation, not a transaction. */
export const simpleOperation: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc.record({kind: fc.constant('setCell' as const), tableId, rowId, cellId, cell}),
    weight: 8,
  },
  {arbitrary: fc.record({kind: fc.constant('setRow' as const), tableId, rowId, row}), weight: 3},
  {
    arbitrary: fc.record({kind: fc.constant('setPartialRow' as const), tableId, rowId, row}),
    weight: 3,
  },
  {arbitrary: fc.record({kind: fc.constant('addRow' as const), tableId, row}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('setTable' as const), tableId, table}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('setTables' as const), tables}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('setValue' as const), valueId, value: cell}), weight: 5},
  {arbitrary: fc.record({kind: fc.constant('setValues' as const), values}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('setPartialValues' as const), values}), weight: 1},
  {
    arbitrary: fc.record({
      kind: fc.constant('delCell' as const),
      tableId,
      rowId,
      cellId,
      forceDel: fc.boolean(),
    }),
    weight: 3,
  },
  {arbitrary: fc.record({kind: fc.constant('delRow' as const), tableId, rowId}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('delTable' as const), tableId}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('delTables' as const)}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('delValue' as const), valueId}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('delValues' as const)}), weight: 1},
  {arbitrary: tick, weight: 3},
);

/** A simple operation, or a transaction grouping several. */
export const operation: fc.Arbitrary<Operation> = fc.oneof(
  {arbitrary: simpleOperation, weight: 5},
  {
    arbitrary: fc.record({
      kind: fc.constant('transaction' as const),
      operations: fc.array(simpleOperation, {minLength: 1, maxLength: 5}),
    }),
    weight: 1,
  },
);
