// What this peer tells its peers unasked: its local changes, and its content hashes.
//
// Local changes: each finished local transaction's changes are collected and sent as one
// ContentDiff in a microtask, so several transactions in one tick travel as one message. Changes
// that cannot be sent (not 'online', startSync's first load still running, or sending threw) are
// counted in the status's pendingChanges and reach peers with the next announcement instead,
// which makes them pull everything that differs.
//
// Announcements (ContentHashes, "pull from me", docs/protocol.md §5.7) are remembered by transaction id,
// so the responder can tell when a peer's diff requests complete a pull of one of them.
//
// A change set too large for one message of the transport (MessageTooLarge) goes out as several
// ContentDiffs, each a slice of it (splitting.ts).

import type {Id, MergeableChanges} from '../store/types.js';
import {ChangeCoalescer, isEmptyChanges, leafKeysOf, PendingChangeSet} from './change-trees.js';
import type {ClockWatch} from './clock-watch.js';
import type {EngineContext} from './engine-context.js';
import {toError} from './errors.js';
import {createTransactionId} from './ids.js';
import {sendChangesInParts} from './splitting.js';
import {Message, Status} from './types.js';

/**
 * Told which local changes (leaf keys, change-trees.ts leafKeysOf) left this peer, and how:
 * 'sent' in a ContentDiff just handed to the transport, or 'announced', held back while offline
 * and now announced, so that peers pull them (durable acknowledgements, docs/protocol.md §8.7).
 */
export type LocalChangesOut = (leafKeys: string[], how: 'sent' | 'announced') => void;

/** How many recent ContentHashes announcements to recognise peers' pulls of. */
const RECENT_ANNOUNCEMENTS = 16;

/** The last RECENT_ANNOUNCEMENTS keys added, oldest dropped first. */
class RecentKeys {
  readonly #keys: string[] = [];

  add(key: string): void {
    this.#keys.push(key);
    if (this.#keys.length > RECENT_ANNOUNCEMENTS) {
      this.#keys.shift();
    }
  }

  has(key: string): boolean {
    return this.#keys.includes(key);
  }
}

export class Broadcaster {
  readonly #context: EngineContext;
  readonly #clockWatch: ClockWatch;
  readonly #outgoing = new ChangeCoalescer();
  #flushScheduled = false;
  readonly #pendingChanges = new PendingChangeSet();
  readonly #recentAnnouncements = new RecentKeys();
  /** `peerHashes>ownHashes` pairs after which this peer announced being ahead. */
  readonly #aheadAnnouncements = new RecentKeys();
  readonly #transactionListenerId: Id;
  readonly #onChangesOut: LocalChangesOut | undefined;

  /** Starts listening to the store's local transactions; detach() stops. */
  constructor(context: EngineContext, clockWatch: ClockWatch, onChangesOut?: LocalChangesOut) {
    this.#context = context;
    this.#clockWatch = clockWatch;
    this.#onChangesOut = onChangesOut;
    this.#transactionListenerId = context.store.addDidFinishTransactionListener(() =>
      this.#onLocalTransaction(),
    );
  }

  detach(): void {
    this.#context.store.delListener(this.#transactionListenerId);
  }

  /**
   * Sends this peer's content hashes, "pull from me" (docs/protocol.md §5.7): to every peer, or to the
   * one peer `toClientId` (which has more to pull after a trimmed response, see responder.ts).
   */
  announce(toClientId: Id | null = null): boolean {
    const context = this.#context;
    if (!context.isOnline() || context.destroyed) {
      return false;
    }
    const transactionId = createTransactionId();
    try {
      context.sendMessage(
        toClientId,
        transactionId,
        Message.ContentHashes,
        context.store.getMergeableContentHashes(),
      );
    } catch (error) {
      context.reportError(toError(error));
      return false;
    }
    this.#recentAnnouncements.add(transactionId);
    if (toClientId === null) {
      const announced = this.#pendingChanges.take();
      context.syncStatus.update({pendingChanges: 0});
      if (announced.length > 0) {
        this.#tellChangesOut(announced, 'announced');
      }
    }
    return true;
  }

  /** Changes held back have reached peers (announced, or delivered by an extension). */
  forgetPendingChanges(): void {
    const delivered = this.#pendingChanges.take();
    this.#context.syncStatus.update({pendingChanges: 0});
    if (delivered.length > 0) {
      this.#tellChangesOut(delivered, 'sent');
    }
  }

  /**
   * Announces that this peer is ahead after a pull that ended with `hashPair` (the peer's hashes >
   * ours), once per pair: should two stores' hashes never agree (a peer whose hashes differ for
   * equal content), this stops instead of bouncing announcements forever.
   */
  announceAheadOnce(hashPair: string): void {
    if (!this.#aheadAnnouncements.has(hashPair)) {
      this.#aheadAnnouncements.add(hashPair);
      this.announce();
    }
  }

  /** Whether `transactionId` is one of this peer's recent announcements. */
  isRecentAnnouncement(transactionId: string): boolean {
    return this.#recentAnnouncements.has(transactionId);
  }

  /** Sends the collected local changes now (also run by the microtask onLocalTransaction queues). */
  flush(): void {
    const context = this.#context;
    this.#flushScheduled = false;
    const changes = this.#outgoing.take();
    if (changes === undefined || context.destroyed) {
      return;
    }
    if (!context.isOnline()) {
      this.#holdBack(changes);
      return;
    }
    context.setStatus(Status.Saving);
    context.saves++;
    try {
      this.#sendChanges(changes);
    } catch (error) {
      this.#holdBack(changes);
      context.reportError(toError(error));
    } finally {
      context.setStatus(Status.Idle);
    }
  }

  /** Sends a ContentDiff, in slices if it is too large for one message. */
  #sendChanges(changes: MergeableChanges): void {
    sendChangesInParts(changes, (piece) => {
      this.#context.sendMessage(null, createTransactionId(), Message.ContentDiff, piece);
      if (this.#onChangesOut !== undefined) {
        this.#tellChangesOut(leafKeysOf(piece), 'sent');
      }
    });
  }

  #tellChangesOut(leafKeys: string[], how: 'sent' | 'announced'): void {
    try {
      this.#onChangesOut?.(leafKeys, how);
    } catch (error) {
      this.#context.reportError(toError(error), false);
    }
  }

  #onLocalTransaction(): void {
    const context = this.#context;
    // startSync's first load may still run (auto-saving not started yet): what is written
    // meanwhile is held back, and the save that starts auto-saving announces it.
    if ((!context.autoSaving && !context.syncing) || context.destroyed) {
      return;
    }
    // A merge of what peers sent: send back only what listeners wrote in reaction to it.
    const changes = context.isMerging()
      ? context.writesDuringMerge()
      : context.access.getTransactionChanges();
    if (changes === undefined || isEmptyChanges(changes)) {
      return;
    }
    this.#clockWatch.noteLocalChanges(changes);
    if (!context.autoSaving || !context.isOnline()) {
      this.#holdBack(changes);
      return;
    }
    this.#outgoing.add(changes);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Counts changes that could not be sent; they reach peers with the next announcement. */
  #holdBack(changes: MergeableChanges): void {
    this.#pendingChanges.add(changes);
    this.#context.syncStatus.update({pendingChanges: this.#pendingChanges.count});
  }
}
