// The server end of feature 'buckets' (docs/protocol.md §8.5): answers a client's bucketed diff
// against the room store, and takes the rows a client pushes.
//
//   hashes  {}                                   -> {hashes: [tablesHash, valuesHash] | null (no store)}
//   diff    {tables: {tableId: {bits, hashes}}}  -> {tables: {tableId: {buckets: [[bucket, rows]]} | {bits}}}
//   rows    {tables: {tableId: {bits, buckets}}} -> {tables: {tableId: {rowId: rowHash}}}
//   push    {changes: MergeableChanges}          -> {merged: boolean, reason?}
//
// A table's buckets are computed from the store's row hashes on demand and kept while the table's
// hash stays the same, so the rounds of one diff (and the diffs of many clients of an unchanged
// room) compute them once.
import type {FullMergeableStore} from '../store/mergeable-store.js';
import {getOwn, setOwn} from '../store/objects.js';
import type {Id, MergeableChanges} from '../store/types.js';
import {
  bucketBitsFor,
  computeTableBuckets,
  differingBuckets,
  isBucketBits,
  MAX_BUCKET_BITS,
  MAX_ROWS_PER_BUCKET,
  type TableBuckets,
} from '../synchronizers/extensions/buckets.js';
import {BUCKETS_FEATURE} from '../synchronizers/extensions/extension-pull.js';
import {answerQuestion, BadQuestion, isPlainObject} from './extension-questions.js';
import type {RoomContext, ServerFeature} from './extensions.js';

/** At most this many rows' hashes in one answer (clients ask for about 100 000). */
const MAX_ROWS_PER_ANSWER = 400_000;

/** One table of a room store as buckets see it, valid while the table hash is `tableHash`. */
type CachedTable = {
  tableHash: number;
  rowHashes: {[rowId: Id]: number};
  rowCount: number;
  byBits: Map<number, TableBuckets>;
};

export const createBucketFeature = (): ServerFeature => {
  const cache = new WeakMap<FullMergeableStore, Map<Id, CachedTable>>();

  /** The store's table, or undefined when it holds no such table. */
  const tableOf = (store: FullMergeableStore, tableId: Id): CachedTable | undefined => {
    const tableHash = getOwn(store.getMergeableTableHashes(), tableId);
    if (tableHash === undefined) {
      return undefined;
    }
    let tables = cache.get(store);
    if (tables === undefined) {
      tables = new Map();
      cache.set(store, tables);
    }
    let table = tables.get(tableId);
    if (table?.tableHash !== tableHash) {
      // -1 is no hash, so the store lists every row of the table.
      const rowHashes = getOwn(store.getMergeableRowHashes({[tableId]: -1}), tableId) ?? {};
      table = {tableHash, rowHashes, rowCount: Object.keys(rowHashes).length, byBits: new Map()};
      tables.set(tableId, table);
    }
    return table;
  };
  const bucketsOf = (table: CachedTable | undefined, bits: number): TableBuckets => {
    if (table === undefined) {
      return computeTableBuckets({}, bits);
    }
    let buckets = table.byBits.get(bits);
    if (buckets === undefined) {
      buckets = computeTableBuckets(table.rowHashes, bits);
      table.byBits.set(bits, buckets);
    }
    return buckets;
  };

  const diff = (store: FullMergeableStore, question: Record<string, unknown>) => {
    const answer: Record<Id, unknown> = {};
    for (const [tableId, {bits, hashes}] of tableQuestions(question, 'hashes')) {
      if (!Array.isArray(hashes) || hashes.length !== 2 ** bits || !hashes.every(isHash)) {
        throw new BadQuestion(`table ${JSON.stringify(tableId)}: not 2^bits bucket hashes`);
      }
      const table = tableOf(store, tableId);
      const rowCount = table?.rowCount ?? 0;
      if (bits < MAX_BUCKET_BITS && rowCount / 2 ** bits > MAX_ROWS_PER_BUCKET) {
        setOwn(answer, tableId, {bits: bucketBitsFor(rowCount)});
        continue;
      }
      const buckets = bucketsOf(table, bits);
      setOwn(answer, tableId, {
        buckets: differingBuckets(buckets.hashes, hashes).map((bucket) => [
          bucket,
          buckets.rowIds[bucket]!.length,
        ]),
      });
    }
    return {tables: answer};
  };

  const rows = (store: FullMergeableStore, question: Record<string, unknown>) => {
    const answer: Record<Id, unknown> = {};
    let rowCount = 0;
    for (const [tableId, {bits, buckets: indices}] of tableQuestions(question, 'buckets')) {
      if (
        !Array.isArray(indices) ||
        !indices.every((bucket) => Number.isInteger(bucket) && bucket >= 0 && bucket < 2 ** bits)
      ) {
        throw new BadQuestion(`table ${JSON.stringify(tableId)}: not a list of buckets`);
      }
      const table = tableOf(store, tableId);
      const {rowIds} = bucketsOf(table, bits);
      const rowHashes: Record<Id, number> = {};
      for (const bucket of indices as number[]) {
        for (const rowId of rowIds[bucket]!) {
          setOwn(rowHashes, rowId, table!.rowHashes[rowId]!);
        }
        rowCount += rowIds[bucket]!.length;
      }
      if (rowCount > MAX_ROWS_PER_ANSWER) {
        throw new BadQuestion(`over ${MAX_ROWS_PER_ANSWER} rows asked about at once`);
      }
      setOwn(answer, tableId, rowHashes);
    }
    return {tables: answer};
  };

  const push = (room: RoomContext, question: Record<string, unknown>) => {
    const {changes} = question;
    if (!Array.isArray(changes) || changes.length !== 3 || changes[2] !== 1) {
      throw new BadQuestion('changes are not [tables, values, 1]');
    }
    const reason = room.applyClientChanges(changes as MergeableChanges);
    return reason === undefined ? {merged: true} : {merged: false, reason};
  };

  return {
    name: BUCKETS_FEATURE,
    onMessage(room, member, type, body) {
      answerQuestion(member, BUCKETS_FEATURE, type, body, (fields) => {
        const store = room.getStore();
        if (type === 'hashes') {
          return {hashes: store === undefined ? null : store.getMergeableContentHashes()};
        }
        if (store === undefined) {
          throw new BadQuestion('this room has no store');
        }
        switch (type) {
          case 'diff':
            return diff(store, fields);
          case 'rows':
            return rows(store, fields);
          case 'push':
            return push(room, fields);
          default:
            throw new BadQuestion(`unknown question ${JSON.stringify(type)}`);
        }
      });
    },
  };
};

const isHash = (hash: unknown): boolean =>
  Number.isInteger(hash) && (hash as number) >= 0 && (hash as number) <= 0xffffffff;

/** The per-table entries of a diff or rows question, each with valid bucket bits. */
function* tableQuestions(
  question: Record<string, unknown>,
  field: 'hashes' | 'buckets',
): Generator<[Id, {bits: number; hashes?: unknown; buckets?: unknown}]> {
  const {tables} = question;
  if (!isPlainObject(tables)) {
    throw new BadQuestion('tables is not an object');
  }
  for (const tableId of Object.keys(tables)) {
    const entry = tables[tableId];
    if (!isPlainObject(entry) || !isBucketBits(entry.bits) || !(field in entry)) {
      throw new BadQuestion(`table ${JSON.stringify(tableId)}: not {bits, ${field}}`);
    }
    yield [tableId, entry as {bits: number}];
  }
}
