// A hub's question after a peer's pull (docs/protocol.md §7.7). A peer may hold changes it never
// announces: a TinyBase peer sends no ContentDiff for an edit made while not syncing, none whose
// ContentDiff was lost, and does not announce after pulling; a syncstore peer that pulled such a
// change from it does not relay it either. Such a change would stay with them. So once a peer's
// pull from this one has ended (quiet-wait.ts), this peer asks it for its hashes, once per pull,
// and pulls from it if they differ from its own, as if it had announced. Peers need nothing new
// for this: every peer answers a directed GetContentHashes and the diff requests of a pull.

import type {ContentHashes, Id} from '../store/types.js';
import type {EngineContext} from './engine-context.js';
import {type PullRequest, requestPeerHashes} from './pull.js';
import {afterPeerStopsPulling} from './quiet-wait.js';

/** What the check needs of the pull runner. */
export type PullerCheckPulls = {
  /** Pulls from `peerId`, whose hashes are `peerHashes`, as after its announcement. */
  pullFrom(peerId: Id, peerHashes: ContentHashes): void;
  request: PullRequest;
};

export class PullerCheck {
  readonly #context: EngineContext;
  readonly #baseTimeoutMs: number;
  readonly #pulls: PullerCheckPulls;
  /** The peers whose pull is waited for to end, each with the function that cancels the wait. */
  readonly #waiting = new Map<Id, () => void>();

  constructor(context: EngineContext, baseTimeoutMs: number, pulls: PullerCheckPulls) {
    this.#context = context;
    this.#baseTimeoutMs = baseTimeoutMs;
    this.#pulls = pulls;
  }

  /**
   * `peerId` has had the last answer of a pull (or of one branch of it): asks for its hashes once
   * it is quiet. A wait already running for it covers this pull too.
   */
  afterPullOf(peerId: Id): void {
    if (this.#waiting.has(peerId)) {
      return;
    }
    const cancel = afterPeerStopsPulling(this.#context, peerId, this.#baseTimeoutMs, () => {
      this.#waiting.delete(peerId);
      void this.#check(peerId);
    });
    this.#waiting.set(peerId, cancel);
  }

  /** Stops every wait (sync stopped, or destroyed). */
  cancel(): void {
    for (const cancel of this.#waiting.values()) {
      cancel();
    }
    this.#waiting.clear();
  }

  #stillWanted(): boolean {
    const context = this.#context;
    return !context.destroyed && context.syncing && context.loadsFromPeers() && context.isOnline();
  }

  async #check(peerId: Id): Promise<void> {
    if (!this.#stillWanted()) {
      return;
    }
    let peerHashes: ContentHashes;
    try {
      peerHashes = await requestPeerHashes(this.#pulls.request, peerId, this.#baseTimeoutMs);
    } catch {
      // The peer has gone (or does not answer directed questions): it has nothing to pull.
      return;
    }
    if (!this.#stillWanted()) {
      return;
    }
    const [tablesHash, valuesHash] = this.#context.store.getMergeableContentHashes();
    if (peerHashes[0] !== tablesHash || peerHashes[1] !== valuesHash) {
      this.#pulls.pullFrom(peerId, peerHashes);
    }
  }
}
