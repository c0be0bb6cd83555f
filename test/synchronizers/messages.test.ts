// validateMessage (docs/protocol.md §5.3): every message kind, valid and invalid, with readable reasons.
import {describe, expect, test} from 'vitest';
import {
  createRequestId,
  createTransactionId,
  validateMessage,
} from '../../src/synchronizers/index.js';

const HLC = 'Nn1JUF-----7JQY8';
const tables = [{t1: [{r1: [{c1: [1, HLC], c2: [undefined, HLC], c3: ['\uFFFD{"a":1}']}]}]}];
const values = [{v1: [null, HLC], v2: [true]}];

describe('valid messages', () => {
  test.each([
    ['Response with content hashes', 0, [0, 4294967295]],
    ['Response with a tables stamp', 0, tables],
    ['Response with a values stamp', 0, values],
    ['Response with a table diff', 0, [tables, {t1: 5}]],
    ['Response with a row diff', 0, [tables, {t1: {r1: 5}}]],
    ['Response with an empty values stamp', 0, [{}]],
    ['GetContentHashes', 1, ''],
    ['ContentHashes', 2, [1, 2]],
    ['ContentDiff', 3, [tables, values, 1]],
    ['ContentDiff without the flag', 3, [tables, values]],
    ['ContentDiff of nothing', 3, [[{}], [{}], 1]],
    ['GetTableDiff', 4, {t1: 1, t2: 0}],
    ['GetRowDiff', 5, {t1: {r1: 1}}],
    ['GetCellDiff', 6, {t1: {r1: {c1: 1}}}],
    ['GetValueDiff', 7, {v1: 1}],
    ['ids that look like TinyBase ids', 4, {}],
  ])('%s', (_name, message, body) => {
    expect(validateMessage('abc.defg', message, body)).toBeUndefined();
    expect(validateMessage(null, message, body)).toBeUndefined();
  });

  test('stamps may carry an empty HLC and prototype-like ids are plain ids', () => {
    expect(
      validateMessage(null, 3, [[{__proto__x: [{}], constructor: [{}, '']}], [{}], 1]),
    ).toBeUndefined();
    const parsed = JSON.parse('{"__proto__": 3}');
    expect(validateMessage(null, 7, parsed)).toBeUndefined();
  });
});

describe('invalid messages, with reasons', () => {
  test.each([
    ['request id of a wrong type', 5, 1, '', 'request id 5 is neither null nor a string'],
    ['a non-integer message number', 'x', 1.5, '', 'message number 1.5 is not an integer'],
    ['an unknown message number', 'x', 99, {}, 'message 99 body: unknown message number'],
    ['GetContentHashes with a body', 'x', 1, {}, 'GetContentHashes body: expected "", got {}'],
    [
      'ContentHashes with one hash',
      'x',
      2,
      [1],
      'ContentHashes body: expected [tablesHash, valuesHash]',
    ],
    [
      'ContentHashes with a negative hash',
      'x',
      2,
      [1, -1],
      'hash -1 is not an integer 0..4294967295',
    ],
    [
      'ContentHashes with a too large hash',
      'x',
      2,
      [2 ** 32, 1],
      'hash 4294967296 is not an integer',
    ],
    ['ContentDiff with a bad flag', 'x', 3, [[{}], [{}], 2], 'ending with 2'],
    [
      'ContentDiff with a bad HLC',
      'x',
      3,
      [[{t1: [{r1: [{c1: [1, 'nope']}]}]}], [{}], 1],
      'ContentDiff body: tables: table "t1" > row "r1" > cell "c1": HLC "nope" is not "" or 16 characters',
    ],
    [
      'ContentDiff with a hashed stamp',
      'x',
      3,
      [[{t1: [{r1: [{c1: [1, HLC, 5]}]}]}], [{}], 1],
      'cell "c1": a stamp has 1 or 2 elements (no hash on the wire), got 3',
    ],
    [
      'ContentDiff with a function as a value',
      'x',
      3,
      [[{}], [{v1: [() => 1, HLC]}], 1],
      'values: value "v1": a function is not a cell or value',
    ],
    [
      'ContentDiff with an infinite number',
      'x',
      3,
      [[{}], [{v1: [Infinity]}], 1],
      'Infinity is not a finite number',
    ],
    [
      'ContentDiff whose row is not an object',
      'x',
      3,
      [[{t1: [{r1: [[]]}]}], [{}], 1],
      'row "r1": expected an object of cell stamps',
    ],
    [
      'ContentDiff whose table is not a stamp',
      'x',
      3,
      [[{t1: {}}], [{}], 1],
      'table "t1": expected a stamp array',
    ],
    [
      'GetTableDiff with a string hash',
      'x',
      4,
      {t1: '1'},
      'GetTableDiff body: table "t1": hash "1" is not an integer',
    ],
    [
      'GetTableDiff with an array',
      'x',
      4,
      [],
      'GetTableDiff body: expected an object of table hashes, got []',
    ],
    [
      'GetRowDiff one level short',
      'x',
      5,
      {t1: 1},
      'GetRowDiff body: table "t1": expected an object of row hashes',
    ],
    [
      'GetCellDiff with a bad leaf',
      'x',
      6,
      {t1: {r1: {c1: null}}},
      'table "t1" > row "r1" > cell "c1": hash null',
    ],
    ['GetValueDiff with a fraction', 'x', 7, {v1: 0.5}, 'GetValueDiff body: value "v1": hash 0.5'],
    ['Response that is a string', 'x', 0, 'x', 'Response body: expected an array, got "x"'],
    [
      'Response with a bad diff',
      'x',
      0,
      [[{t1: 1}], {}],
      'Response body: diff tables: table "t1": expected a stamp array',
    ],
    [
      'Response with bad differing hashes',
      'x',
      0,
      [[{}], {t1: 'x'}],
      'differing hashes: neither table hashes',
    ],
    ['Response that is no stamp', 'x', 0, [{v1: 1}], 'neither a tables stamp'],
  ])('%s', (_name, requestId, message, body, reason) => {
    const problem = validateMessage(requestId, message, body);
    expect(problem).toBeDefined();
    expect(problem).toContain(reason);
  });
});

test('ids have the protocol formats', () => {
  const transactionId = createTransactionId();
  expect(transactionId).toMatch(/^[-0-9A-Z_a-z]{11}$/);
  expect(createRequestId(transactionId)).toMatch(
    new RegExp(`^${transactionId.replace(/[-]/g, '\\-')}\\.[-0-9A-Z_a-z]{4}$`),
  );
  expect(createTransactionId()).not.toBe(transactionId);
});
