// The client's pull from a syncstore server's room store when the extension link offers features
// 'buckets' and 'compact' (docs/protocol.md §8.5, §8.6). The engine calls it in place of the base
// pull (pull.ts); it falls back to that pull for any other peer, while the link is not ready or when
// the room has no store.
//
// - An empty client gets the room store's content as compact snapshots, part by part.
// - Otherwise tables and values are compared as in the base pull (GetTableDiff, GetValueDiff), but
//   each differing table by hash buckets instead of one question listing every row: the bucket
//   hashes, then row hashes of the differing buckets only, a batch at a time, then the cells of the
//   rows that differ (GetCellDiff, in parts if needed). No message grows with the table.
// - Rows that the client holds and the store lacks or holds differently are pushed to the store,
//   which would otherwise have to pull them with a row question as large as the table.
import {getOwn, setOwn} from '../../store/objects.js';
import type {RowList} from '../../store/row-list.js';
import type {
  ContentHashes,
  Id,
  MergeableChanges,
  TablesStamp,
  ValuesStamp,
} from '../../store/types.js';
import {isEmptyObject, mergeTablesStampInto} from '../change-trees.js';
import {pullChanges, requestCellDiff} from '../pull.js';
import type {PullChanges} from '../pull-runner.js';
import {countChangesLeaves, splitChanges} from '../splitting.js';
import {Message} from '../types.js';
import {bucketBitsFor, computeTableBuckets, isBucketBits, type TableBuckets} from './buckets.js';
import {decodeCompactRows} from './compact-encoding.js';
import type {ExtensionLink} from './extension-link.js';
import {ExtensionRequests} from './extension-requests.js';

export const BUCKETS_FEATURE = 'buckets';
export const COMPACT_FEATURE = 'compact';
/** The room store's client id on a syncstore server (docs/protocol.md §6.4). */
const ROOM_STORE_ID = 'S';
/** Rows (both sides together) whose hashes one row question may concern: about 4 MB of JSON. */
const ROWS_PER_QUESTION = 100_000;
/** Leaves per push: well under the 8 MiB a message may have. */
const LEAVES_PER_PUSH = 100_000;

type RowHashes = {[tableId: Id]: {[rowId: Id]: number}};

export type ExtensionPull = {pull: PullChanges; destroy(): void};

/** Registers the two features on `link` and returns the pull that uses them. */
export const createExtensionPull = (link: ExtensionLink): ExtensionPull => {
  const buckets = new ExtensionRequests(BUCKETS_FEATURE, (type, body) =>
    link.send(BUCKETS_FEATURE, type, body),
  );
  const compact = new ExtensionRequests(COMPACT_FEATURE, (type, body) =>
    link.send(COMPACT_FEATURE, type, body),
  );
  /** Set when this socket's room turned out to have no store: base pulls until the next socket. */
  let roomHasNoStore = false;
  const unregister = [
    link.register({
      name: BUCKETS_FEATURE,
      onMessage: (_type, body) => buckets.handleAnswer(body),
      onLost: () => {
        roomHasNoStore = false;
        buckets.rejectAll('the extension link was lost');
      },
    }),
    link.register({
      name: COMPACT_FEATURE,
      onMessage: (_type, body) => compact.handleAnswer(body),
      onLost: () => compact.rejectAll('the extension link was lost'),
    }),
  ];

  const pull: PullChanges = async (
    store,
    request,
    peerId,
    peerHashes,
    transactionId,
    timeoutMs,
  ) => {
    const basePull = () =>
      pullChanges(store, request, peerId, peerHashes, transactionId, timeoutMs);
    if (peerId !== null && peerId !== ROOM_STORE_ID) {
      return basePull();
    }
    await negotiated(link);
    if (!link.has(BUCKETS_FEATURE) || roomHasNoStore) {
      return basePull();
    }
    let storeHashes = peerId === ROOM_STORE_ID ? peerHashes : undefined;
    if (storeHashes === undefined) {
      const answer = await buckets.request('hashes', {}, timeoutMs);
      if (answer.hashes === null) {
        roomHasNoStore = true;
        return basePull();
      }
      storeHashes = parseHashes(answer.hashes);
    }
    const [tablesHash, valuesHash] = store.getMergeableContentHashes();
    if (tablesHash === storeHashes[0] && valuesHash === storeHashes[1]) {
      // Nothing to fetch or push (an empty client in an empty room, say): no snapshot to ask for.
      const nothing: MergeableChanges = [[{}], [{}], 1];
      return {changes: nothing, peerHashes: storeHashes, peerId: ROOM_STORE_ID};
    }
    if (tablesHash === 0 && valuesHash === 0 && link.has(COMPACT_FEATURE)) {
      return pullSnapshot(compact, timeoutMs);
    }
    const tables: TablesStamp = [{}];
    if (tablesHash !== storeHashes[0]) {
      const tableDiff = await request<[TablesStamp, {[tableId: Id]: number}]>(
        ROOM_STORE_ID,
        Message.GetTableDiff,
        store.getMergeableTableHashes(),
        transactionId,
        timeoutMs,
      );
      const [newTables, differingTables] = tableDiff.body;
      mergeTablesStampInto(tables, newTables);
      if (!isEmptyObject(differingTables)) {
        const {fetch, push} = await diffByBuckets(
          buckets,
          store.getMergeableRowHashes(differingTables),
          timeoutMs,
        );
        if (!isEmptyObject(fetch)) {
          const cells = await requestCellDiff(
            store,
            request,
            ROOM_STORE_ID,
            fetch,
            transactionId,
            timeoutMs,
          );
          mergeTablesStampInto(tables, cells);
        }
        if (!isEmptyObject(push)) {
          await pushRows(buckets, store.getMergeableCellDiff(pushQuestion(push)), timeoutMs);
        }
      }
    }
    let values: ValuesStamp = [{}];
    if (valuesHash !== storeHashes[1]) {
      const valueDiff = await request<ValuesStamp>(
        ROOM_STORE_ID,
        Message.GetValueDiff,
        store.getMergeableValueHashes(),
        transactionId,
        timeoutMs,
      );
      values = valueDiff.body;
    }
    return {changes: [tables, values, 1], peerHashes: storeHashes, peerId: ROOM_STORE_ID};
  };

  return {
    pull,
    destroy: () => {
      for (const undo of unregister) {
        undo();
      }
      buckets.rejectAll('the synchronizer was destroyed');
      compact.rejectAll('the synchronizer was destroyed');
    },
  };
};

/** Resolves once the link has left 'negotiating' (the server's hello came, or the socket closed). */
const negotiated = (link: ExtensionLink): Promise<void> =>
  link.getState() !== 'negotiating'
    ? Promise.resolve()
    : new Promise((resolve) => {
        const remove = link.addStateListener((state) => {
          if (state !== 'negotiating') {
            remove();
            resolve();
          }
        });
      });

const isHash = (hash: unknown): hash is number =>
  Number.isInteger(hash) && (hash as number) >= 0 && (hash as number) <= 0xffffffff;

const parseHashes = (hashes: unknown): ContentHashes => {
  if (!Array.isArray(hashes) || hashes.length !== 2 || !hashes.every(isHash)) {
    throw new Error(`${BUCKETS_FEATURE}: the server answered invalid content hashes`);
  }
  return hashes as ContentHashes;
};

const isHashMap = (map: unknown): map is {[id: Id]: number} =>
  typeof map === 'object' &&
  map !== null &&
  !Array.isArray(map) &&
  Object.values(map).every(isHash);

/**
 * The room store's content, as compact snapshots requested one part after the other, decoded into
 * one row list (row-list.ts) that the store merges once the last part is in: a store that lacks
 * the rows loads them without a change set (row-loading.ts).
 */
const pullSnapshot = async (compact: ExtensionRequests, timeoutMs: number) => {
  const rows: RowList = {tables: [], values: []};
  let hashes: ContentHashes | undefined;
  let cursor: unknown = null;
  do {
    const answer = await compact.request('snapshot', {cursor}, timeoutMs);
    hashes ??= parseHashes(answer.hashes);
    const part = decodeCompactRows(answer.content);
    // A table split across parts is listed once per part; values come with the first part.
    for (const table of part.tables) {
      rows.tables.push(table);
    }
    if (part.values.length > 0) {
      rows.values = part.values;
    }
    cursor = answer.next ?? null;
  } while (cursor !== null);
  return {changes: rows, peerHashes: hashes, peerId: ROOM_STORE_ID};
};

/**
 * Compares the client's rows of the differing tables with the room store's, by buckets. Returns
 * the rows to fetch (the store's hash, for requestCellDiff) and the rows to push (the client's).
 */
const diffByBuckets = async (
  buckets: ExtensionRequests,
  ownRowHashes: RowHashes,
  timeoutMs: number,
): Promise<{fetch: RowHashes; push: RowHashes}> => {
  const ownBuckets = new Map<Id, TableBuckets>();
  for (const tableId of Object.keys(ownRowHashes)) {
    const rows = ownRowHashes[tableId]!;
    ownBuckets.set(tableId, computeTableBuckets(rows, bucketBitsFor(Object.keys(rows).length)));
  }
  // The differing buckets, with the store's row count in each. The store may ask for more
  // buckets when it holds many more rows than the client: then the client asks again, once.
  const differing = new Map<Id, [bucket: number, storeRows: number][]>();
  for (let round = 0; round < 2 && differing.size < ownBuckets.size; round++) {
    const question: Record<Id, unknown> = {};
    for (const [tableId, {bits, hashes}] of ownBuckets) {
      if (!differing.has(tableId)) {
        setOwn(question, tableId, {bits, hashes});
      }
    }
    const answer = await buckets.request('diff', {tables: question}, timeoutMs);
    for (const tableId of Object.keys(question)) {
      const tableAnswer = getOwn(answer.tables as Record<Id, unknown>, tableId) as
        | {bits?: unknown; buckets?: unknown}
        | undefined;
      if (Array.isArray(tableAnswer?.buckets)) {
        differing.set(tableId, parseBucketCounts(tableAnswer.buckets, ownBuckets.get(tableId)!));
      } else if (isBucketBits(tableAnswer?.bits) && round === 0) {
        ownBuckets.set(tableId, computeTableBuckets(ownRowHashes[tableId]!, tableAnswer.bits));
      } else {
        throw new Error(`${BUCKETS_FEATURE}: no bucket diff for table ${JSON.stringify(tableId)}`);
      }
    }
  }

  const fetch: RowHashes = {};
  const push: RowHashes = {};
  const mark = (target: RowHashes, tableId: Id, rowId: Id, hash: number) => {
    if (getOwn(target, tableId) === undefined) {
      setOwn(target, tableId, {});
    }
    setOwn(getOwn(target, tableId)!, rowId, hash);
  };
  // Row hashes of the differing buckets, in batches of about ROWS_PER_QUESTION rows.
  let batch = new Map<Id, number[]>();
  let batchRows = 0;
  const askBatch = async () => {
    const question: Record<Id, unknown> = {};
    for (const [tableId, indices] of batch) {
      setOwn(question, tableId, {bits: ownBuckets.get(tableId)!.bits, buckets: indices});
    }
    const answer = await buckets.request('rows', {tables: question}, timeoutMs);
    for (const [tableId, indices] of batch) {
      const storeRows = getOwn(answer.tables as Record<Id, unknown>, tableId);
      if (!isHashMap(storeRows)) {
        throw new Error(`${BUCKETS_FEATURE}: no row hashes for table ${JSON.stringify(tableId)}`);
      }
      const ownRows = ownRowHashes[tableId]!;
      const {rowIds} = ownBuckets.get(tableId)!;
      for (const rowId of Object.keys(storeRows)) {
        if (getOwn(ownRows, rowId) !== storeRows[rowId]) {
          mark(fetch, tableId, rowId, storeRows[rowId]!);
        }
      }
      for (const bucket of indices) {
        for (const rowId of rowIds[bucket]!) {
          if (getOwn(storeRows, rowId) !== ownRows[rowId]) {
            mark(push, tableId, rowId, ownRows[rowId]!);
          }
        }
      }
    }
    batch = new Map();
    batchRows = 0;
  };
  for (const [tableId, counts] of differing) {
    const {rowIds} = ownBuckets.get(tableId)!;
    for (const [bucket, storeRows] of counts) {
      const rows = storeRows + rowIds[bucket]!.length;
      if (batchRows > 0 && batchRows + rows > ROWS_PER_QUESTION) {
        await askBatch();
      }
      batch.set(tableId, [...(batch.get(tableId) ?? []), bucket]);
      batchRows += rows;
    }
  }
  if (batchRows > 0 || batch.size > 0) {
    await askBatch();
  }
  return {fetch, push};
};

const parseBucketCounts = (
  counts: unknown[],
  {hashes}: TableBuckets,
): [bucket: number, storeRows: number][] => {
  for (const entry of counts) {
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      !Number.isInteger(entry[0]) ||
      entry[0] < 0 ||
      entry[0] >= hashes.length ||
      !Number.isInteger(entry[1]) ||
      entry[1] < 0
    ) {
      throw new Error(`${BUCKETS_FEATURE}: invalid differing bucket ${JSON.stringify(entry)}`);
    }
  }
  return counts as [number, number][];
};

/** The cell question that makes the client's own store list whole rows: no cells known. */
const pushQuestion = (rows: RowHashes) => {
  const question: {[tableId: Id]: {[rowId: Id]: {}}} = {};
  for (const tableId of Object.keys(rows)) {
    const rowsQuestion: {[rowId: Id]: {}} = {};
    for (const rowId of Object.keys(rows[tableId]!)) {
      setOwn(rowsQuestion, rowId, {});
    }
    setOwn(question, tableId, rowsQuestion);
  }
  return question;
};

/**
 * Sends the rows the store lacks to it, a part at a time, each acknowledged before the next. A room
 * that checks every write (authorization, §6.8) takes none: it then pulls them as usual after this
 * client's announcement.
 */
const pushRows = async (buckets: ExtensionRequests, tables: TablesStamp, timeoutMs: number) => {
  const changes: MergeableChanges = [tables, [{}], 1];
  const parts = Math.ceil(countChangesLeaves(changes) / LEAVES_PER_PUSH);
  for (const part of parts > 1 ? splitChanges(changes, parts) : [changes]) {
    const answer = await buckets.request('push', {changes: part}, timeoutMs);
    if (answer.merged !== true) {
      return;
    }
  }
};
