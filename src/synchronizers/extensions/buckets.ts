// Hash buckets of feature 'buckets' (docs/protocol.md §8.5): a level between a table and its rows.
// A table's rows fall into 2^k buckets by the top k bits of fnv1a32(rowId); a bucket's hash folds
// its rows' hashes as the table hash does (XOR of fnv(rowId + ":" + rowHash), §3.3). Both ends
// compute them from their own row hashes, so two peers compare 2^k numbers instead of one hash per
// row, and exchange row hashes only for the buckets that differ.
import {fnv1a32, getIdHashAndChildTerm} from '../../store/hash.js';
import type {Id} from '../../store/types.js';

/** At most 2^16 buckets: 65 536 hashes is well under a megabyte of JSON. */
export const MAX_BUCKET_BITS = 16;
/** The bucket count aims at about this many rows per bucket. */
const ROWS_PER_BUCKET = 64;
/** A peer holding more rows than this per bucket asks the other to use more buckets. */
export const MAX_ROWS_PER_BUCKET = 1024;

/** The bucket bits for a table of `rowCount` rows: about 64 rows a bucket, at most 2^16 buckets. */
export const bucketBitsFor = (rowCount: number): number =>
  Math.min(MAX_BUCKET_BITS, Math.max(0, Math.ceil(Math.log2(rowCount / ROWS_PER_BUCKET))));

export const isBucketBits = (bits: unknown): bits is number =>
  Number.isInteger(bits) && (bits as number) >= 0 && (bits as number) <= MAX_BUCKET_BITS;

export const bucketOf = (rowId: Id, bits: number): number =>
  bits === 0 ? 0 : fnv1a32(rowId) >>> (32 - bits);

/** One table's rows seen by buckets: each bucket's hash and its row ids. */
export type TableBuckets = {bits: number; hashes: number[]; rowIds: Id[][]};

/** Buckets of a table given as `{rowId: rowHash}`. */
export const computeTableBuckets = (
  rowHashes: {[rowId: Id]: number},
  bits: number,
): TableBuckets => {
  const count = 2 ** bits;
  const hashes = new Array<number>(count).fill(0);
  const rowIds: Id[][] = Array.from({length: count}, () => []);
  const shift = 32 - bits;
  for (const rowId of Object.keys(rowHashes)) {
    const [idHash, term] = getIdHashAndChildTerm(rowId, rowHashes[rowId]!);
    // (x >>> 32 is x, not 0: one bucket needs its own case.)
    const bucket = bits === 0 ? 0 : idHash >>> shift;
    hashes[bucket] = (hashes[bucket]! ^ term) >>> 0;
    rowIds[bucket]!.push(rowId);
  }
  return {bits, hashes, rowIds};
};

/** The buckets whose hashes differ between `own` and `other` (same length). */
export const differingBuckets = (own: readonly number[], other: readonly number[]): number[] => {
  const differing: number[] = [];
  for (let bucket = 0; bucket < own.length; bucket++) {
    if (own[bucket] !== other[bucket]) {
      differing.push(bucket);
    }
  }
  return differing;
};
