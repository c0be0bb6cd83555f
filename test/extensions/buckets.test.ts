// Hash buckets (docs/protocol.md §8.5): every row falls in the bucket of its id's hash, and the
// buckets together fold to the table hash, so two tables with equal buckets have equal rows.
import {describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {
  bucketBitsFor,
  bucketOf,
  computeTableBuckets,
  differingBuckets,
} from '../../src/synchronizers/extensions/buckets.js';

const tableOf = (rows: number, changed?: number) => {
  const store = createMergeableStore('s', () => Date.UTC(2024, 0, 1));
  store.transaction(() => {
    for (let row = 0; row < rows; row++) {
      store.setCell('t', `r${row}`, 'c', row === changed ? 'changed' : row);
    }
  });
  return store;
};

describe('hash buckets', () => {
  test('bucket bits aim at 64 rows a bucket, from one bucket to 2^16', () => {
    expect([0, 1, 64, 65, 6400, 2_000_000, 10 ** 9].map(bucketBitsFor)).toEqual([
      0, 0, 0, 1, 7, 15, 16,
    ]);
  });

  test.each([0, 1, 7])('with %i bits the buckets fold to the table hash', (bits) => {
    const store = tableOf(500);
    const rowHashes = store.getMergeableRowHashes({t: -1}).t!;
    const {hashes, rowIds} = computeTableBuckets(rowHashes, bits);
    expect(hashes).toHaveLength(2 ** bits);
    expect(hashes.reduce((folded, hash) => (folded ^ hash) >>> 0, 0)).toBe(
      store.getMergeableTableHashes().t,
    );
    expect(rowIds.flat().sort()).toEqual(Object.keys(rowHashes).sort());
    rowIds.forEach((ids, bucket) => {
      for (const rowId of ids) {
        expect(bucketOf(rowId, bits)).toBe(bucket);
      }
    });
  });

  test('one changed row makes exactly its bucket differ', () => {
    const bits = bucketBitsFor(5000);
    const own = computeTableBuckets(tableOf(5000).getMergeableRowHashes({t: -1}).t!, bits);
    const other = computeTableBuckets(tableOf(5000, 1234).getMergeableRowHashes({t: -1}).t!, bits);
    expect(differingBuckets(own.hashes, other.hashes)).toEqual([bucketOf('r1234', bits)]);
  });
});
