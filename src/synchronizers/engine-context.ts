// What every part of one synchronizer shares: its flags and counters, the persister Status and the
// SyncStatus with their listeners, the one way to send a message, the pending requests, error
// reporting, and merging what peers sent.
//
// Echo suppression: what peers sent is merged while on the merging stack, and the broadcaster
// sends from a transaction finishing then only what listeners wrote during the merge (see
// writesBesides), so nothing received is re-broadcast and nothing written in reaction is lost.

import {isRowList, type RowList, rowListToChanges} from '../store/row-list.js';
import type {Content, Id, MergeableChanges, MergeableStore} from '../store/types.js';
import {writesBesides} from './change-trees.js';
import type {InboundQueue} from './delivery-queue.js';
import {describeError, ErrorCode, SyncError, toError} from './errors.js';
import {getMessageName} from './messages.js';
import type {OutboundQueue} from './outbound.js';
import {PendingRequests} from './requests.js';
import {createStoreAccess, type StoreAccess} from './store-access.js';
import {INITIAL_SYNC_STATUS, SyncStatusHolder} from './sync-status.js';
import {
  type Connection,
  type IgnoredErrorListener,
  type Message,
  type MessageDirection,
  type MessageListener,
  type Send,
  Status,
  type StatusListener,
  type Synchronizer,
  type SyncStatusListener,
} from './types.js';

/** Runs a listener or callback given by the user: whatever it throws must not break syncing. */
export function callSafely(action: () => void): void {
  try {
    action();
  } catch {
    // A throwing listener must not break synchronization.
  }
}

export class EngineContext {
  readonly store: MergeableStore;
  /** The store's changes in wire form, and merging what peers sent (see store-access.ts). */
  readonly access: StoreAccess;
  /** startSync ran and stopSync has not: both directions, and answering GetContentHashes. */
  syncing = false;
  autoLoading = false;
  autoSaving = false;
  destroyed = false;
  status: Status = Status.Idle;
  loads = 0;
  saves = 0;
  sends = 0;
  receives = 0;
  /** Diff requests answered, per peer: shows that a peer is pulling from this one. */
  readonly #requestsAnswered = new Map<Id, number>();
  readonly #partialAnswersTo = new Set<Id>();
  /**
   * What is being merged from peers, innermost last (null for default content), with the store's
   * local stamp count when it began: a transaction finishing while this is not empty came from
   * the network (echo suppression), apart from what listeners wrote during it.
   */
  readonly #merging: {
    changes: MergeableChanges | RowList | null;
    stampsBefore: number | undefined;
  }[] = [];
  /** The standing "this clock runs ahead of its peers" warning; see clock-watch.ts. */
  clockWarning: Error | null = null;
  /** The synchronizer handed to listeners; set by createCustomSynchronizer once it is built. */
  synchronizer!: Synchronizer;

  readonly statusListeners = new Map<Id, StatusListener>();
  readonly syncStatusListeners = new Map<Id, SyncStatusListener>();
  readonly messageListeners = new Map<Id, MessageListener>();
  readonly syncStatus: SyncStatusHolder;
  readonly requests: PendingRequests;

  readonly #send: Send;
  /** What an in-process transport has queued for this synchronizer (see delivery-queue.ts). */
  readonly #inbound: InboundQueue | undefined;
  readonly #onSend: Send | undefined;
  readonly #onIgnoredError: IgnoredErrorListener | undefined;
  /** Status is Loading while any load or merge runs; they may overlap. */
  #loadingCount = 0;

  constructor(
    store: MergeableStore,
    send: Send,
    onSend: Send | undefined,
    onIgnoredError: IgnoredErrorListener | undefined,
    initialConnection: Connection,
    inbound?: InboundQueue,
    outbound?: OutboundQueue,
  ) {
    this.store = store;
    this.access = createStoreAccess(store);
    this.#send = send;
    this.#inbound = inbound;
    this.#onSend = onSend;
    this.#onIgnoredError = onIgnoredError;
    this.syncStatus = new SyncStatusHolder(
      {...INITIAL_SYNC_STATUS, connection: initialConnection},
      (current) => {
        for (const listener of [...this.syncStatusListeners.values()]) {
          callSafely(() => listener(current, this.synchronizer));
        }
      },
    );
    // Requests fail at once rather than time out when the transport says it cannot carry them.
    this.requests = new PendingRequests(
      (toClientId, requestId, message, body) => {
        if (!this.isOnline()) {
          throw new SyncError(
            ErrorCode.TransportFailure,
            `cannot send ${getMessageName(message)}: connection is ${this.syncStatus.current.connection}`,
          );
        }
        this.sendMessage(toClientId, requestId, message, body);
      },
      inbound,
      outbound,
    );
  }

  /**
   * Counts a diff request answered: `partly` when the answer was a part of a large diff (the peer
   * has more to pull), `endsPull` when it answered the last request of the peer's pull in full.
   */
  noteRequestAnswered(peerId: Id, partly: boolean, endsPull: boolean): void {
    this.#requestsAnswered.set(peerId, (this.#requestsAnswered.get(peerId) ?? 0) + 1);
    if (partly) {
      this.#partialAnswersTo.add(peerId);
    } else if (endsPull) {
      this.#partialAnswersTo.delete(peerId);
    }
  }

  /** Whether the last diff this peer asked for was answered only in part (it has more to pull). */
  isPullingPartsFromThis(peerId: Id): boolean {
    return this.#partialAnswersTo.has(peerId);
  }

  requestsAnsweredFrom(peerId: Id): number {
    return this.#requestsAnswered.get(peerId) ?? 0;
  }

  /**
   * Calls `callback` once the messages already queued for this synchronizer by an in-process
   * transport have been delivered; at once when there are none or the transport queues nothing
   * (a network transport's next message cannot be waited for). Returns a function that cancels it.
   */
  afterQueuedDeliveries(callback: () => void): () => void {
    if (this.#inbound === undefined) {
      callback();
      return () => {};
    }
    return this.#inbound.afterQueued(callback);
  }

  isActive(): boolean {
    return this.syncing || this.autoLoading || this.autoSaving;
  }

  /**
   * Takes in what peers announce and broadcast: only while auto-loading, as TinyBase's does (so
   * stopAutoLoad after startSync stops merging what peers send).
   */
  loadsFromPeers(): boolean {
    return this.autoLoading;
  }

  /** Offers this peer's content to others' pulls: syncing, or auto-saving. */
  savesToPeers(): boolean {
    return this.syncing || this.autoSaving;
  }

  isOnline(): boolean {
    return this.syncStatus.current.connection === 'online';
  }

  sendMessage(toClientId: Id | null, requestId: Id | null, message: Message, body: unknown): void {
    this.sends++;
    this.#onSend?.(toClientId, requestId, message, body);
    this.notifyMessage('sent', toClientId, requestId, message, body);
    this.#send(toClientId, requestId, message, body);
  }

  /** Tells the message listeners (addMessageListener) about a message sent or received. */
  notifyMessage(
    direction: MessageDirection,
    peerId: Id | null,
    requestId: Id | null,
    message: Message,
    body: unknown,
  ): void {
    // Most synchronizers have no message listener: then no info object is made at all.
    if (this.messageListeners.size === 0) {
      return;
    }
    const info = {direction, peerId, requestId, message, body};
    for (const listener of [...this.messageListeners.values()]) {
      callSafely(() => listener(info, this.synchronizer));
    }
  }

  /** Every rejected or failed thing ends here: onIgnoredError, and the status unless told not to. */
  reportError(error: Error, intoStatus = true): void {
    const onIgnoredError = this.#onIgnoredError;
    if (onIgnoredError) {
      callSafely(() => onIgnoredError(error));
    }
    if (intoStatus) {
      this.syncStatus.update({error});
    }
  }

  setStatus(next: Status): void {
    if (this.status !== next) {
      this.status = next;
      for (const listener of [...this.statusListeners.values()]) {
        callSafely(() => listener(this.synchronizer, next));
      }
    }
  }

  beginLoading(): void {
    this.#loadingCount++;
    this.setStatus(Status.Loading);
  }

  endLoading(): void {
    this.#loadingCount--;
    if (this.#loadingCount === 0) {
      this.setStatus(Status.Idle);
    }
  }

  markSynced(): void {
    // A successful sync clears a past error, but not a standing clock warning.
    this.syncStatus.update({phase: 'synced', lastSyncedAt: Date.now(), error: this.clockWarning});
  }

  /**
   * Merges changes that came from `peerId`; returns false (and reports why) if rejected. Each
   * merge counts as a load in getStats, unless `countAsLoad` is false (load() counts itself).
   */
  applyRemote(
    changes: MergeableChanges | RowList,
    what: string,
    peerId: Id,
    countAsLoad = true,
  ): boolean {
    this.#beginMerge(changes);
    this.beginLoading();
    if (countAsLoad) {
      this.loads++;
    }
    let rejection: string | undefined;
    try {
      rejection = this.access.applyChanges(changes);
    } catch (error) {
      rejection = describeError(toError(error));
    } finally {
      this.#merging.pop();
      this.endLoading();
    }
    if (rejection !== undefined) {
      this.reportError(
        new SyncError(
          ErrorCode.InvalidMessage,
          `rejected ${what} from peer ${JSON.stringify(peerId)}: ${rejection}`,
        ),
      );
      return false;
    }
    return true;
  }

  /** Applies content defaults without broadcasting them (they carry empty HLCs, docs/protocol.md §1.2). */
  applyDefaultContent(initialContent: Content | (() => Content)): void {
    this.#beginMerge(null);
    try {
      this.store.setDefaultContent(initialContent);
    } finally {
      this.#merging.pop();
    }
  }

  #beginMerge(changes: MergeableChanges | RowList | null): void {
    this.#merging.push({changes, stampsBefore: this.access.getLocalStampCount()});
  }

  isMerging(): boolean {
    return this.#merging.length > 0;
  }

  /**
   * During a merge, what listeners wrote in reaction to it (see writesBesides), or undefined when
   * nothing. When the store's stamp count has not moved, no listener wrote, and the merged
   * changes are not even looked at: merges of large diffs pay nothing for this.
   */
  writesDuringMerge(): MergeableChanges | undefined {
    const merge = this.#merging[this.#merging.length - 1];
    if (
      merge.stampsBefore !== undefined &&
      merge.stampsBefore === this.access.getLocalStampCount()
    ) {
      return undefined;
    }
    const merged = isRowList(merge.changes) ? rowListToChanges(merge.changes) : merge.changes;
    return writesBesides(this.access.getTransactionChanges(), merged);
  }
}
