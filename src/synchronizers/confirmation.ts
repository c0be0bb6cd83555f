// Confirming 'synced'. A pull compares this peer's hashes, once merged, with the hashes the other
// peer had when the pull began. Those may be stale by then: the other peer may meanwhile have
// pulled from this one (answering this peer's announcement), or the pull may have answered an
// announcement that was already out of date. Then the pull ends unequal although both hold the
// same content, and nothing else would ever tell. So a pull that ends unequal is followed, once
// things are quiet (QUIET_DELAY_MS of quiet-wait.ts, and only if the phase is still 'syncing'), by a directed
// GetContentHashes to that peer: equal hashes mean 'synced'; hashes that moved mean the peer has
// something new, so pull again; unchanged hashes mean the peer still lacks what this one has, so
// announce it (once) and look again later; no answer means the peer is gone, so pull from any
// peer. At most MAX_CONFIRM_ROUNDS rounds in a row; after them
// (say a peer that rejects this peer's changes) the phase settles to 'idle'. Between peers that
// settle by themselves, as TinyBase's do, no confirmation is sent.

import type {ContentHashes, Id} from '../store/types.js';
import type {Broadcaster} from './broadcaster.js';
import type {EngineContext} from './engine-context.js';
import {type PullRequest, requestPeerHashes} from './pull.js';
import {afterPeerStopsPulling} from './quiet-wait.js';

const MAX_CONFIRM_ROUNDS = 3;

/** What the confirmation needs of the pull runner. */
export type ConfirmationPulls = {
  /** No pull runs and no retry waits. */
  isIdle(): boolean;
  /** Pulls from `peerId` again, whose hashes are now `peerHashes`. */
  pullAgain(peerId: Id, peerHashes: ContentHashes): void;
  /** Pulls from whichever peer answers first, as a round of this confirmation. */
  pullFromAnyPeer(): void;
  request: PullRequest;
};

export class Confirmation {
  readonly #context: EngineContext;
  readonly #broadcaster: Broadcaster;
  readonly #baseTimeoutMs: number;
  readonly #pulls: ConfirmationPulls;
  /** Cancels the wait for the peer to be quiet, while one runs. */
  #cancelWait: (() => void) | undefined;
  #rounds = 0;
  /**
   * Counts confirmations scheduled and cancelled: an answer (or timeout) to a question asked before
   * the latest one was scheduled is stale, and must not settle the phase (the newer one will).
   */
  #generation = 0;

  constructor(
    context: EngineContext,
    broadcaster: Broadcaster,
    baseTimeoutMs: number,
    pulls: ConfirmationPulls,
  ) {
    this.#context = context;
    this.#broadcaster = broadcaster;
    this.#baseTimeoutMs = baseTimeoutMs;
    this.#pulls = pulls;
  }

  /** A new exchange begins: it gets its own rounds. */
  resetRounds(): void {
    this.#rounds = 0;
  }

  /** A successful sync ends any confirmation in progress. */
  markSynced(): void {
    this.cancel();
    this.#rounds = 0;
    this.#context.markSynced();
  }

  /** Confirms with `peerId` after the delay; after MAX_CONFIRM_ROUNDS in a row, gives up. */
  schedule(peerId: Id, peerHashes: ContentHashes | undefined): void {
    this.cancel();
    this.#generation++;
    if (this.#rounds >= MAX_CONFIRM_ROUNDS) {
      this.#rounds = 0;
      this.#context.syncStatus.update({phase: 'idle'});
      return;
    }
    this.#rounds++;
    this.#wait(peerId, peerHashes);
  }

  /**
   * Confirms after the delay, unless the peer is meanwhile pulling from this one (it asked for
   * diffs, or it is fetching a large diff part by part): then this peer waits on, since the peer's
   * pull, not a pull of its own, will settle it (the responder counts this peer synced when the
   * peer's pull of what it announced completes). See quiet-wait.ts.
   */
  #wait(peerId: Id, peerHashes: ContentHashes | undefined): void {
    this.#cancelWait = afterPeerStopsPulling(this.#context, peerId, this.#baseTimeoutMs, () => {
      this.#cancelWait = undefined;
      void this.#confirm(peerId, peerHashes);
    });
  }

  cancel(): void {
    this.#generation++;
    this.#cancelWait?.();
    this.#cancelWait = undefined;
  }

  /** Asks `peerId` for its hashes now, and acts on them (see the top of this module). */
  async #confirm(peerId: Id, lastPeerHashes: ContentHashes | undefined): Promise<void> {
    const context = this.#context;
    const generation = this.#generation;
    const stillUnsure = () =>
      generation === this.#generation &&
      !context.destroyed &&
      context.syncing &&
      context.isOnline() &&
      this.#pulls.isIdle() &&
      context.syncStatus.current.phase === 'syncing';
    if (!stillUnsure()) {
      return;
    }
    let peerHashes: ContentHashes;
    try {
      peerHashes = await requestPeerHashes(this.#pulls.request, peerId, this.#baseTimeoutMs);
    } catch {
      if (!stillUnsure()) {
        // Settled meanwhile (say a later pull ended equal): this unanswered question changes
        // nothing.
        return;
      }
      // The peer is gone (say it reconnected under a new id) or does not answer directed
      // questions. Nothing else may ever settle the phase: a peer that comes back by delta
      // resync (docs/protocol.md §8.8) announces nothing. So, as a failed pull from an announcing
      // peer does (§5.6), this peer pulls from any peer instead; that pull counts as a round of
      // this confirmation, so a peer that never agrees still settles to 'idle'.
      if (!context.destroyed && this.#pulls.isIdle()) {
        this.#pulls.pullFromAnyPeer();
      }
      return;
    }
    if (!stillUnsure()) {
      return;
    }
    const [tablesHash, valuesHash] = context.store.getMergeableContentHashes();
    if (peerHashes[0] === tablesHash && peerHashes[1] === valuesHash) {
      this.markSynced();
    } else if (
      lastPeerHashes !== undefined &&
      (peerHashes[0] !== lastPeerHashes[0] || peerHashes[1] !== lastPeerHashes[1])
    ) {
      this.#pulls.pullAgain(peerId, peerHashes);
    } else {
      if (context.savesToPeers()) {
        this.#broadcaster.announceAheadOnce(
          `${peerHashes[0]},${peerHashes[1]}>${tablesHash},${valuesHash}`,
        );
      }
      this.schedule(peerId, peerHashes);
    }
  }
}
