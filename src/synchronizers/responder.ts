// Answers peers' requests (spec §3.4): their GetContentHashes, and the diff requests of their pulls.
// Answering the last diff request of a pull of what this peer announced is also how this peer
// learns that the other has caught up, so it then counts itself 'synced'.

import type {Id, MergeableStore} from '../store/types.js';
import type {Broadcaster} from './broadcaster.js';
import {isEmptyObject} from './change-trees.js';
import type {EngineContext} from './engine-context.js';
import {toError} from './errors.js';
import {getTransactionIdOf} from './ids.js';
import type {PullRunner} from './pull-runner.js';
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

export class Responder {
  readonly #context: EngineContext;
  readonly #broadcaster: Broadcaster;
  readonly #pulls: PullRunner;

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
    try {
      context.sendMessage(fromClientId, requestId, Message.Response, response);
    } catch (error) {
      context.reportError(toError(error));
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
