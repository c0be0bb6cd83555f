// Runs pulls (pull.ts) for the synchronizer: the phase while they run, applying what they fetched,
// announcing when this peer turns out to be ahead, announcements that arrive while a pull from
// the same peer runs, and what happens when one fails.
//
// Timeouts and retries (large content always syncs): a request waits as long as its peer could
// still be answering (requests.ts). A pull that fails for any other
// reason than "no peer answered GetContentHashes" is retried, while syncing and online, after the
// shared backoff (backoff.ts) from max(100 ms, timeout) to 30 s, and each retry's request timeout is the
// base timeout x 2^attempt (at most 10 min), so some attempt outlasts whatever a large diff needs.
// Meanwhile the status shows phase 'syncing' with the error. A pull triggered by a peer's
// ContentHashes that fails first falls back at once to a pull from any peer (docs/protocol.md §5.6).
//
// A pull that ends with hashes different from the peer's is confirmed later (confirmation.ts).

import type {ContentHashes, Id} from '../store/types.js';
import {Backoff} from './backoff.js';
import type {Broadcaster} from './broadcaster.js';
import {Confirmation} from './confirmation.js';
import type {EngineContext} from './engine-context.js';
import {toError} from './errors.js';
import {createTransactionId} from './ids.js';
import {isEmptyPull, NoPeerAnswered, type PullResult, pullChanges} from './pull.js';
import {PullerCheck} from './puller-check.js';
import {Message} from './types.js';

/** How a pull is done: the base protocol's pullChanges, or a transport's own (see below). */
export type PullChanges = typeof pullChanges;

/** The backoff of a failed pull's retries starts at max(this, timeout), and stays under 30 s. */
const MIN_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 30_000;
/** A retried pull's request timeout doubles each attempt, up to this. */
const MAX_REQUEST_TIMEOUT_MS = 10 * 60_000;

const isContentHashes = (body: unknown): body is ContentHashes =>
  Array.isArray(body) &&
  body.length === 2 &&
  typeof body[0] === 'number' &&
  typeof body[1] === 'number';

/** Why a pull runs: it decides what follows its success or failure. */
export type PullTrigger = 'load' | 'announcement' | 'fallback' | 'retry' | 'reconnect' | 'confirm';

type UnequalPull = {peerId: Id; peerHashes: ContentHashes; trigger: PullTrigger};

export class PullRunner {
  readonly #context: EngineContext;
  readonly #broadcaster: Broadcaster;
  readonly #baseTimeoutMs: number;
  #activePulls = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryAttempt = 0;
  readonly #retryBackoff: Backoff;
  /** Peers that running pulls fetch from, with how many pulls each. */
  readonly #pullingFrom = new Map<Id, number>();
  /** The latest announcement from each peer that came while a pull from it ran. */
  readonly #deferredAnnouncements = new Map<
    Id,
    {peerHashes: ContentHashes; transactionId: string | undefined}
  >();
  readonly #confirmation: Confirmation;
  /** Announce what each pull brought (a hub's store, see CustomSynchronizerOptions). */
  readonly #announcesPulledChanges: boolean;
  /**
   * Announcements after an unequal pull, each waiting for the messages already queued for this
   * peer to be delivered (cancelled when work stops): see #announceAheadSoon.
   */
  readonly #pendingAnnouncements = new Set<() => void>();
  /** Pulls that ended unequal while other pulls still ran, by peer, until the last one ends. */
  readonly #endedUnequal = new Map<Id, {peerHashes: ContentHashes; trigger: PullTrigger}>();
  /**
   * The pull itself. A transport with protocol extensions may pull its own way from the peer that
   * speaks them (docs/protocol.md §8.5, §8.6); everything around the pull stays the same.
   */
  readonly #pull: PullChanges;
  /** Asks each peer for its hashes after its pull from this one (a hub's store), if it does. */
  readonly #pullerCheck: PullerCheck | undefined;

  constructor(
    context: EngineContext,
    broadcaster: Broadcaster,
    baseTimeoutMs: number,
    announcesPulledChanges = false,
    pull: PullChanges = pullChanges,
    checksPullers = false,
  ) {
    this.#pull = pull;
    this.#announcesPulledChanges = announcesPulledChanges;
    this.#pullerCheck = checksPullers
      ? new PullerCheck(context, baseTimeoutMs, {
          pullFrom: (peerId, peerHashes) => this.onAnnouncement(peerId, peerHashes),
          request: this.#request,
        })
      : undefined;
    this.#context = context;
    this.#broadcaster = broadcaster;
    this.#baseTimeoutMs = baseTimeoutMs;
    const minRetryDelayMs = Math.min(
      MAX_RETRY_DELAY_MS,
      Math.max(MIN_RETRY_DELAY_MS, baseTimeoutMs),
    );
    this.#retryBackoff = new Backoff({minMs: minRetryDelayMs, maxMs: MAX_RETRY_DELAY_MS});
    this.#confirmation = new Confirmation(context, broadcaster, baseTimeoutMs, {
      isIdle: () => this.isIdle,
      pullAgain: (peerId, peerHashes) => void this.run('confirm', 0, peerId, peerHashes),
      pullFromAnyPeer: () => void this.run('confirm', 0),
      request: this.#request,
    });
  }

  /** No pull runs and no retry waits. */
  get isIdle(): boolean {
    return this.#activePulls === 0 && this.#retryTimer === undefined;
  }

  /** The phase once nothing is running: keeps 'synced', otherwise back to 'idle'. */
  settlePhase(): void {
    if (this.isIdle && this.#context.syncStatus.current.phase === 'syncing') {
      this.#context.syncStatus.update({phase: 'idle'});
    }
  }

  /** Stops retrying and confirming and forgets past attempts; the phase goes back to 'idle'. */
  stopBackgroundWork(): void {
    this.cancelRetry();
    this.#confirmation.cancel();
    this.#pullerCheck?.cancel();
    for (const cancel of this.#pendingAnnouncements) {
      cancel();
    }
    this.#pendingAnnouncements.clear();
    this.#endedUnequal.clear();
    this.#retryAttempt = 0;
    this.#context.syncStatus.update({phase: 'idle'});
  }

  cancelRetry(): void {
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
  }

  /** A successful sync ends any confirmation in progress. */
  markSynced(): void {
    this.#confirmation.markSynced();
  }

  /** `peerId` has had the last answer of (a branch of) its pull from this peer: see puller-check.ts. */
  afterPullOf(peerId: Id): void {
    this.#pullerCheck?.afterPullOf(peerId);
  }

  /**
   * Runs one pull with its bookkeeping: phase, application of the result, and what happens on
   * failure (the fallback of docs/protocol.md §5.6, then retries with backoff). Resolves with whether content
   * was applied (for load's initialContent rule); never rejects.
   */
  async run(
    trigger: PullTrigger,
    attempt: number,
    peerId: Id | null = null,
    peerHashes?: ContentHashes,
    transactionId: string = createTransactionId(),
  ): Promise<boolean> {
    const context = this.#context;
    if (trigger !== 'confirm') {
      // A new exchange begins: it gets its own confirmation rounds.
      this.#confirmation.resetRounds();
    }
    this.#activePulls++;
    context.syncStatus.update({phase: 'syncing'});
    // The peer this pull fetches from, once known (at once, or from its first directed request).
    let source: Id | null = null;
    const fetchingFrom = (peer: Id | null) => {
      if (source === null && peer !== null) {
        source = peer;
        this.#pullingFrom.set(peer, (this.#pullingFrom.get(peer) ?? 0) + 1);
      }
    };
    fetchingFrom(peerId);
    let result: PullResult | undefined;
    let failure: Error | undefined;
    try {
      result = await this.#pull(
        context.store,
        (toClientId, ...rest) => {
          fetchingFrom(toClientId);
          return this.#request(toClientId, ...rest);
        },
        peerId,
        peerHashes,
        transactionId,
        this.#timeoutForAttempt(attempt),
      );
    } catch (error) {
      failure = toError(error);
    }
    this.#activePulls--;
    let applied = false;
    if (context.destroyed) {
      // Nothing more to do.
    } else if (result !== undefined) {
      applied = this.#finish(trigger, result);
    } else {
      this.#handleFailure(trigger, attempt, failure!);
    }
    this.#doneFetchingFrom(source);
    return applied;
  }

  /**
   * A peer's announcement (ContentHashes): pulls from it at once, or, while a pull from that peer
   * is running, once that pull has ended and merged, so the new pull asks for what is still missing
   * (a peer that answered with part of a large diff announces again right away, see responder.ts).
   */
  onAnnouncement(peerId: Id, peerHashes: ContentHashes, transactionId?: string): void {
    if (this.#pullingFrom.has(peerId)) {
      this.#deferredAnnouncements.set(peerId, {peerHashes, transactionId});
      return;
    }
    void this.run('announcement', 0, peerId, peerHashes, transactionId);
  }

  #doneFetchingFrom(peer: Id | null): void {
    if (peer === null) {
      return;
    }
    const pulls = this.#pullingFrom.get(peer)! - 1;
    if (pulls > 0) {
      this.#pullingFrom.set(peer, pulls);
      return;
    }
    this.#pullingFrom.delete(peer);
    const deferred = this.#deferredAnnouncements.get(peer);
    if (deferred !== undefined) {
      this.#deferredAnnouncements.delete(peer);
      if (!this.#context.destroyed && this.#context.loadsFromPeers()) {
        this.onAnnouncement(peer, deferred.peerHashes, deferred.transactionId);
      }
    }
  }

  /** One request of a pull, answered by the peer's Response. */
  readonly #request = async <Body>(
    toClientId: Id | null,
    message: Message,
    body: unknown,
    transactionId: string,
    timeoutMs: number,
  ): Promise<{body: Body; fromClientId: Id}> => {
    const asksEveryone = toClientId === null && message === Message.GetContentHashes;
    const response = await this.#context.requests.request(
      toClientId,
      message,
      body,
      transactionId,
      timeoutMs,
      asksEveryone ? this.#onLaterHashes : undefined,
    );
    return response as {body: Body; fromClientId: Id};
  };

  /**
   * Another peer's answer to a GetContentHashes asked of everyone, after the first (which the pull
   * took): if its hashes differ from this peer's, it holds something this one lacks, or lacks
   * something, and may never say so (a TinyBase peer announces only its own edits, and none it
   * made while pulling itself). So it is pulled from as if it had announced.
   */
  readonly #onLaterHashes = ({body, fromClientId}: {body: unknown; fromClientId: Id}): void => {
    const context = this.#context;
    if (context.destroyed || !context.loadsFromPeers() || !isContentHashes(body)) {
      return;
    }
    const [tablesHash, valuesHash] = context.store.getMergeableContentHashes();
    if (body[0] !== tablesHash || body[1] !== valuesHash) {
      this.onAnnouncement(fromClientId, body);
    }
  };

  #timeoutForAttempt(attempt: number): number {
    const base = this.#baseTimeoutMs;
    return Math.min(base * 2 ** attempt, Math.max(base, MAX_REQUEST_TIMEOUT_MS));
  }

  #finish(trigger: PullTrigger, result: PullResult): boolean {
    const context = this.#context;
    this.cancelRetry();
    this.#retryAttempt = 0;
    if (trigger !== 'load' && !context.loadsFromPeers()) {
      // Stopped while this pull ran: what it fetched is no longer wanted.
      this.settlePhase();
      return false;
    }
    let applied = false;
    // load() counts itself, whatever its pull brings (TinyBase counts every load).
    const countAsLoad = trigger !== 'load';
    if (isEmptyPull(result.changes)) {
      if (countAsLoad) {
        // Nothing to merge, but a load all the same: TinyBase's status goes Loading and back.
        context.beginLoading();
        context.loads++;
        context.endLoading();
      }
    } else {
      applied = context.applyRemote(result.changes, 'changes pulled', result.peerId, countAsLoad);
      if (!applied) {
        this.settlePhase();
        return false;
      }
    }
    if (applied && this.#announcesPulledChanges && trigger !== 'load' && context.savesToPeers()) {
      // (After a load the caller announces anyway.)
      this.#broadcaster.announce();
    }
    const [tablesHash, valuesHash] = context.store.getMergeableContentHashes();
    const own = `${tablesHash},${valuesHash}`;
    const equal = tablesHash === result.peerHashes[0] && valuesHash === result.peerHashes[1];
    if (this.#activePulls > 0) {
      // Settled once the last running pull ends, against the hashes this peer has by then: a
      // pull that ended unequal meanwhile must not be forgotten, or the peer it came from (which
      // may lack what this one has) is never told.
      this.#endedUnequal.set(result.peerId, {peerHashes: result.peerHashes, trigger});
      return applied;
    }
    this.#endedUnequal.delete(result.peerId);
    // Peers whose pulls ended unequal meanwhile may lack what this one has: told by an
    // announcement. The phase follows this last pull only; a peer that pulls what was announced
    // confirms it (responder.ts), and the peers may have left since.
    for (const peer of this.#takePeersEndedUnequal(own)) {
      this.#announceAheadSoon(peer.peerId, peer.peerHashes, peer.trigger, own);
    }
    if (equal) {
      this.markSynced();
      return applied;
    }
    if (this.#deferredAnnouncements.has(result.peerId)) {
      // The peer has announced again meanwhile (say it answered with part of a large diff): this
      // peer is behind, not ahead, and pulls again as soon as this pull is done.
      return applied;
    }
    this.#announceAheadSoon(result.peerId, result.peerHashes, trigger, own);
    this.#confirmation.schedule(result.peerId, result.peerHashes);
    return applied;
  }

  /**
   * The peers whose pulls ended unequal while other pulls ran, and whose hashes still differ from
   * this peer's now that all have ended (forgetting them all).
   */
  #takePeersEndedUnequal(own: string): UnequalPull[] {
    const unequal: UnequalPull[] = [];
    for (const [peerId, {peerHashes, trigger}] of this.#endedUnequal) {
      if (`${peerHashes[0]},${peerHashes[1]}` !== own) {
        unequal.push({peerId, peerHashes, trigger});
      }
    }
    this.#endedUnequal.clear();
    return unequal;
  }

  /**
   * After a pull from `peerId` that ended with this peer's hashes `own` unlike the peer's
   * `peerHashes`, this peer may hold content the other lacks: it announces, so the other pulls it.
   * (After a load or a reconnect the caller announces anyway.) Phase stays 'syncing' until it has.
   * But a peer that answered with part of a large diff sends its directed ContentHashes right
   * behind that answer: then this peer is behind, not ahead, and pulls again instead. So the
   * announcement waits for what an in-process transport has already queued for this peer (that
   * ContentHashes among it); a network transport's next message cannot be waited for, and there
   * an announcement made while behind only costs the peer a pull that brings it nothing.
   */
  #announceAheadSoon(
    peerId: Id,
    peerHashes: ContentHashes,
    trigger: PullTrigger,
    own: string,
  ): void {
    const context = this.#context;
    if (trigger === 'load' || trigger === 'reconnect' || !context.savesToPeers()) {
      return;
    }
    const [peerTablesHash, peerValuesHash] = peerHashes;
    // Called at once when nothing is queued; otherwise kept (to cancel) until it is called.
    const pending = {waiting: true, cancel: () => {}};
    pending.cancel = context.afterQueuedDeliveries(() => {
      pending.waiting = false;
      this.#pendingAnnouncements.delete(pending.cancel);
      if (!this.#pullingFrom.has(peerId) && !context.destroyed) {
        this.#broadcaster.announceAheadOnce(`${peerTablesHash},${peerValuesHash}>${own}`);
      }
    });
    if (pending.waiting) {
      this.#pendingAnnouncements.add(pending.cancel);
    }
  }

  /**
   * Confirms with `peerId` soon that both hold the same content, rather than assuming it (used when
   * this peer's clock runs ahead, so the peer may have rejected what it pulled).
   */
  confirmSoon(peerId: Id): void {
    this.#confirmation.schedule(peerId, undefined);
  }

  #handleFailure(trigger: PullTrigger, attempt: number, failure: Error): void {
    const context = this.#context;
    // No answer to a broadcast GetContentHashes means no peer is there: not an error in the status
    // (still reported to onIgnoredError as a NoPeerAnswered, as TinyBase reports its timeout), and
    // nothing to retry.
    const nobodyThere = failure instanceof NoPeerAnswered;
    const offline = !context.isOnline();
    context.reportError(failure, !nobodyThere && !offline);
    if (offline || !context.loadsFromPeers()) {
      this.settlePhase();
      return;
    }
    if (trigger === 'announcement') {
      // docs/protocol.md §5.6 fallback: a failed pull from an announcing peer becomes a pull from any peer.
      void this.run('fallback', 0);
    } else if (!nobodyThere) {
      this.#scheduleRetry(Math.max(attempt, this.#retryAttempt) + 1);
    } else {
      this.settlePhase();
    }
  }

  #scheduleRetry(attempt: number): void {
    const context = this.#context;
    if (this.#retryTimer !== undefined || context.destroyed) {
      return;
    }
    this.#retryAttempt = attempt;
    const delay = this.#retryBackoff.delayFor(attempt);
    context.syncStatus.update({phase: 'syncing'});
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!context.destroyed && context.loadsFromPeers() && context.isOnline()) {
        void this.run('retry', attempt);
      } else {
        this.settlePhase();
      }
    }, delay);
  }
}
