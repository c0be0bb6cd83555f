// The pull (docs/protocol.md §5.6): how one peer fetches what another holds and it lacks, descending the hash
// trees only where hashes differ: content hashes, then tables -> rows -> cells, and values. A pure
// function of the store and a `request` function, so it knows nothing of transports, timers or
// status; pull-runner.ts adds those.

import {getOwn, setOwn} from '../store/objects.js';
import {isRowList, type RowList} from '../store/row-list.js';
import type {
  ContentHashes,
  Id,
  MergeableChanges,
  MergeableStore,
  TablesStamp,
  ValuesStamp,
} from '../store/types.js';
import {isEmptyChanges, isEmptyObject, mergeTablesStampInto} from './change-trees.js';
import {ErrorCode, isSyncErrorWithCode, MessageTooLarge, SyncError, toError} from './errors.js';
import {createTransactionId} from './ids.js';
import {piecesFor} from './splitting.js';
import {Message} from './types.js';

/** Sends one request of the pull and resolves with the answering peer's Response. */
export type PullRequest = <Body>(
  toClientId: Id | null,
  message: Message,
  body: unknown,
  transactionId: string,
  timeoutMs: number,
) => Promise<{body: Body; fromClientId: Id}>;

/** Asks `peerId` alone for its hashes (a directed GetContentHashes); rejects if it does not answer. */
export async function requestPeerHashes(
  request: PullRequest,
  peerId: Id,
  timeoutMs: number,
): Promise<ContentHashes> {
  const response = await request<ContentHashes>(
    peerId,
    Message.GetContentHashes,
    '',
    createTransactionId(),
    timeoutMs,
  );
  return response.body;
}

/** What a pull fetched, and from whom: `peerHashes` are that peer's hashes when it started. */
export type PullResult = {
  changes: MergeableChanges | RowList;
  peerHashes: ContentHashes;
  peerId: Id;
};

/** Whether pulled changes hold nothing at all (no table, not even an empty one, and no value). */
export const isEmptyPull = (changes: MergeableChanges | RowList): boolean =>
  isRowList(changes)
    ? changes.tables.length === 0 && changes.values.length === 0
    : isEmptyChanges(changes);

/**
 * A broadcast GetContentHashes that nobody answered: no peer is reachable right now. It is still
 * the request's timeout (same code and message, the timeout as its cause), so code that matches
 * TinyBase's `tinybase:3` keeps working, while callers can tell "alone" from a real failure.
 */
export class NoPeerAnswered extends SyncError {
  constructor(timeout: Error) {
    super(ErrorCode.ResponseTimeout, (timeout as {detail?: string}).detail);
    this.name = 'NoPeerAnswered';
    this.message = timeout.message;
    this.cause = timeout;
  }
}

type RowHashes = {[tableId: Id]: {[rowId: Id]: number}};

/**
 * This peer's cell hashes of the given rows, which differ from the peer's. A row missing from them
 * is one this peer lacks: it is asked about with no cells, so the answer brings all of it (a
 * bucketed diff, docs/protocol.md §8.5, learns of such rows by their hashes only).
 */
function cellQuestion(store: MergeableStore, rowHashes: RowHashes) {
  const question = store.getMergeableCellHashes(rowHashes);
  for (const tableId of Object.keys(rowHashes)) {
    for (const rowId of Object.keys(getOwn(rowHashes, tableId)!)) {
      if (getOwn(question, tableId) === undefined) {
        setOwn(question, tableId, {});
      }
      if (getOwn(getOwn(question, tableId)!, rowId) === undefined) {
        setOwn(getOwn(question, tableId)!, rowId, {});
      }
    }
  }
  return question;
}

/**
 * The peer's cells that differ in the given rows. A question about many rows may be too large for
 * one message of the transport (MessageTooLarge); then it is asked in parts, a few rows each: the
 * peer answers about the rows it is asked about only, so any subset of rows is a valid question.
 * (The table and row questions cannot be split so: rows or tables left out of them would count as
 * missing.)
 */
export async function requestCellDiff(
  store: MergeableStore,
  request: PullRequest,
  peerId: Id,
  rowHashes: RowHashes,
  transactionId: string,
  timeoutMs: number,
): Promise<TablesStamp> {
  try {
    const response = await request<TablesStamp>(
      peerId,
      Message.GetCellDiff,
      cellQuestion(store, rowHashes),
      transactionId,
      timeoutMs,
    );
    return response.body;
  } catch (error) {
    const parts =
      error instanceof MessageTooLarge
        ? splitRowHashes(rowHashes, piecesFor(error.bytes, error.limit))
        : [];
    if (parts.length < 2) {
      throw error;
    }
    const tables: TablesStamp = [{}];
    for (const part of parts) {
      const cells = await requestCellDiff(store, request, peerId, part, transactionId, timeoutMs);
      mergeTablesStampInto(tables, cells);
    }
    return tables;
  }
}

/** Splits row hashes into up to `parts` groups of about equal numbers of rows. */
function splitRowHashes(rowHashes: RowHashes, parts: number): RowHashes[] {
  const rows: [Id, Id, number][] = [];
  for (const tableId of Object.keys(rowHashes)) {
    const hashes = getOwn(rowHashes, tableId)!;
    for (const rowId of Object.keys(hashes)) {
      rows.push([tableId, rowId, getOwn(hashes, rowId)!]);
    }
  }
  const count = Math.min(parts, rows.length);
  const groups: RowHashes[] = [];
  for (let part = 0; part < count; part++) {
    const group: RowHashes = {};
    const from = Math.floor((rows.length * part) / count);
    const to = Math.floor((rows.length * (part + 1)) / count);
    for (const [tableId, rowId, hash] of rows.slice(from, to)) {
      if (getOwn(group, tableId) === undefined) {
        setOwn(group, tableId, {});
      }
      setOwn(getOwn(group, tableId)!, rowId, hash);
    }
    groups.push(group);
  }
  return groups;
}

/**
 * Pulls from `peerId`, whose content hashes are `peerHashes`; when either is not known (this peer
 * starts the pull), first asks all peers for their hashes and pulls from the first to answer.
 * Every request carries `transactionId` and waits at most `timeoutMs`. Rejects with NoPeerAnswered
 * when no peer answered that first question, and with the request's error for any other failure.
 */
export async function pullChanges(
  store: MergeableStore,
  request: PullRequest,
  peerId: Id | null,
  peerHashes: ContentHashes | undefined,
  transactionId: string,
  timeoutMs: number,
): Promise<PullResult> {
  if (peerHashes === undefined || peerId === null) {
    let response: {body: ContentHashes; fromClientId: Id};
    try {
      response = await request<ContentHashes>(
        null,
        Message.GetContentHashes,
        '',
        transactionId,
        timeoutMs,
      );
    } catch (error) {
      throw isSyncErrorWithCode(error, ErrorCode.ResponseTimeout)
        ? new NoPeerAnswered(toError(error))
        : error;
    }
    peerHashes = response.body;
    peerId = response.fromClientId;
  }
  const [peerTablesHash, peerValuesHash] = peerHashes;
  const [tablesHash, valuesHash] = store.getMergeableContentHashes();
  let tables: TablesStamp = [{}];
  if (tablesHash !== peerTablesHash) {
    const tableDiff = await request<[TablesStamp, {[tableId: Id]: number}]>(
      peerId,
      Message.GetTableDiff,
      store.getMergeableTableHashes(),
      transactionId,
      timeoutMs,
    );
    const [newTables, differingTableHashes] = tableDiff.body;
    tables = newTables;
    if (!isEmptyObject(differingTableHashes)) {
      const rowDiff = await request<[TablesStamp, {[tableId: Id]: {[rowId: Id]: number}}]>(
        peerId,
        Message.GetRowDiff,
        store.getMergeableRowHashes(differingTableHashes),
        transactionId,
        timeoutMs,
      );
      const [newRows, differingRowHashes] = rowDiff.body;
      mergeTablesStampInto(tables, newRows);
      if (!isEmptyObject(differingRowHashes)) {
        const cellDiff = await requestCellDiff(
          store,
          request,
          peerId,
          differingRowHashes,
          transactionId,
          timeoutMs,
        );
        mergeTablesStampInto(tables, cellDiff);
      }
    }
  }
  let values: ValuesStamp = [{}];
  if (valuesHash !== peerValuesHash) {
    const valueDiff = await request<ValuesStamp>(
      peerId,
      Message.GetValueDiff,
      store.getMergeableValueHashes(),
      transactionId,
      timeoutMs,
    );
    values = valueDiff.body;
  }
  return {changes: [tables, values, 1], peerHashes, peerId};
}
