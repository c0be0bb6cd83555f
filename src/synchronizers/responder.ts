// Answers peers' requests (docs/protocol.md §5.5): their GetContentHashes, and the diff requests of their pulls.
// Answering the last diff request of a pull of what this peer announced is also how this peer
// learns that the other has caught up, so it then counts itself 'synced'.
//
// A diff too large for one message of the transport (MessageTooLarge: over the WebSocket wire's
// limit, about 470k cells) is answered with its first part only, sized to fit, and the peer is then
// sent this peer's ContentHashes so that it pulls again: each pull brings the next part, since the
// peer now holds the earlier ones. Peers that know nothing of this (TinyBase's) work the same way,
// because a part of a diff is a valid diff and an announcement makes any peer pull.

import type {Id, MergeableStore, TablesStamp, ValuesStamp} from '../store/types.js';
import type {Broadcaster} from './broadcaster.js';
import {isEmptyObject} from './change-trees.js';
import type {EngineContext} from './engine-context.js';
import {MessageTooLarge, toError} from './errors.js';
import {getTransactionIdOf} from './ids.js';
import type {PullRunner} from './pull-runner.js';
import {
  countTablesLeaves,
  countValuesLeaves,
  piecesFor,
  sliceTablesStamp,
  sliceValuesStamp,
} from './splitting.js';
import {Message} from './types.js';

/** The store's answer to a diff request, or undefined when `message` is not one. */
function getDiffResponse(store: MergeableStore, message: Message, body: unknown): unknown {
  switch (message) {
    case Message.GetTableDiff:
      return store.getMergeableTableDiff(body as {[tableId: Id]: number});
    case Message.GetRowDiff:
      return store.getMergeableRowDiff(body as {[tableId: Id]: {[rowId: Id]: number}});
    case Message.GetCellDiff:
      return store.getMergeableCellDiff(
        body as {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: number}}},
      );
    case Message.GetValueDiff:
      return store.getMergeableValueDiff(body as {[valueId: Id]: number});
    default:
      return undefined;
  }
}

/**
 * Whether a diff request's response ends the asking peer's pull: a table or row diff that leaves
 * no deeper level to ask about, or a cell or value diff, which are always the last of their branch.
 */
function isLastOfPull(message: Message, response: unknown): boolean {
  switch (message) {
    case Message.GetTableDiff:
    case Message.GetRowDiff:
      return isEmptyObject((response as [unknown, object])[1]);
    default:
      return true;
  }
}

/** How many leaves (splitting.ts) a diff response carries; 0 when `message` is not a diff. */
function countDiffLeaves(message: Message, response: unknown): number {
  switch (message) {
    case Message.GetTableDiff:
    case Message.GetRowDiff:
      return countTablesLeaves((response as [TablesStamp, object])[0]);
    case Message.GetCellDiff:
      return countTablesLeaves(response as TablesStamp);
    case Message.GetValueDiff:
      return countValuesLeaves(response as ValuesStamp);
    default:
      return 0;
  }
}

/** The first part of a diff response: its first `leaves` leaves. */
function trimDiffResponse(message: Message, response: unknown, leaves: number): unknown {
  const range = {from: 0, to: leaves};
  switch (message) {
    case Message.GetTableDiff:
    case Message.GetRowDiff: {
      const [tables, differingHashes] = response as [TablesStamp, object];
      return [sliceTablesStamp(tables, range), differingHashes];
    }
    case Message.GetCellDiff:
      return sliceTablesStamp(response as TablesStamp, range);
    default:
      return sliceValuesStamp(response as ValuesStamp, range);
  }
}

export class Responder {
  readonly #context: EngineContext;
  readonly #broadcaster: Broadcaster;
  readonly #pulls: PullRunner;
  /** Bytes per leaf of the last response too large to send, and the limit it exceeded. */
  #bytesPerLeaf: {bytesPerLeaf: number; limit: number} | undefined;

  constructor(context: EngineContext, broadcaster: Broadcaster, pulls: PullRunner) {
    this.#context = context;
    this.#broadcaster = broadcaster;
    this.#pulls = pulls;
  }

  /** Answers a request from `fromClientId`; messages that are not requests are ignored. */
  answer(fromClientId: Id, requestId: Id | null, message: Message, body: unknown): void {
    const context = this.#context;
    let response: unknown;
    if (message === Message.GetContentHashes) {
      // Only a peer that syncs both ways takes part in others' pulls of everything.
      if (!context.savesToPeers()) {
        return;
      }
      response = context.store.getMergeableContentHashes();
    } else {
      response = getDiffResponse(context.store, message, body);
      if (response === undefined) {
        return;
      }
    }
    let trimmed: boolean;
    try {
      trimmed = this.#sendResponse(fromClientId, requestId, message, response);
    } catch (error) {
      context.reportError(toError(error));
      return;
    }
    if (message !== Message.GetContentHashes) {
      const endsPull = isLastOfPull(message, response);
      context.noteRequestAnswered(fromClientId, trimmed, endsPull);
      if (endsPull && !trimmed) {
        this.#pulls.afterPullOf(fromClientId);
      }
    }
    if (trimmed) {
      // The peer got part of the diff: tell it to pull the rest once it has merged this part.
      this.#broadcaster.announce(fromClientId);
      return;
    }
    if (
      message !== Message.GetContentHashes &&
      this.#completesPullOfAnnouncement(requestId, message, response) &&
      this.#pulls.isIdle &&
      context.syncing
    ) {
      if (context.clockWarning === null) {
        this.#pulls.markSynced();
      } else {
        // With this clock ahead, the peer may have rejected what it pulled: ask, don't assume.
        this.#pulls.confirmSoon(fromClientId);
      }
    }
  }

  /**
   * Sends the Response, trimmed to its first part if it is too large for one message; returns
   * whether it was trimmed. Throws what sending throws otherwise.
   */
  #sendResponse(
    toClientId: Id,
    requestId: Id | null,
    message: Message,
    response: unknown,
  ): boolean {
    let body = response;
    // Leaves are counted only once a transport has refused a message as too large: transports
    // without a limit never pay for it.
    let leaves: number | undefined;
    let trimmed = false;
    // What an oversized message taught: trim before serializing, not after (a large diff is
    // answered part by part, and serializing all of what remains each time would cost the most).
    const learned = this.#bytesPerLeaf;
    if (learned !== undefined) {
      leaves = countDiffLeaves(message, body);
      if (leaves * learned.bytesPerLeaf > learned.limit) {
        leaves = Math.max(1, Math.floor((learned.limit * 0.8) / learned.bytesPerLeaf));
        body = trimDiffResponse(message, body, leaves);
        trimmed = true;
      }
    }
    for (;;) {
      try {
        this.#context.sendMessage(toClientId, requestId, Message.Response, body);
        return trimmed;
      } catch (error) {
        if (!(error instanceof MessageTooLarge)) {
          throw error;
        }
        leaves ??= countDiffLeaves(message, body);
        if (leaves <= 1) {
          throw error;
        }
        this.#bytesPerLeaf = {bytesPerLeaf: error.bytes / leaves, limit: error.limit};
        leaves = Math.max(1, Math.floor(leaves / piecesFor(error.bytes, error.limit)));
        body = trimDiffResponse(message, body, leaves);
        trimmed = true;
      }
    }
  }

  /** Whether answering this diff request completes a peer's pull of what this peer announced. */
  #completesPullOfAnnouncement(requestId: Id | null, message: Message, response: unknown): boolean {
    if (
      requestId === null ||
      !this.#broadcaster.isRecentAnnouncement(getTransactionIdOf(requestId))
    ) {
      return false;
    }
    return isLastOfPull(message, response);
  }
}
