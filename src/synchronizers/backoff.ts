// The one backoff every retry uses (docs/protocol.md §7.3): reconnecting a socket
// (reconnecting-link.ts), retrying a failed pull (pull-runner.ts) and subscribing a channel again
// (synchronizer-ws-client.ts). The n-th retry (n = 1, 2, …) waits a delay drawn uniformly from
// [c/2, c], c = min(maxMs, minMs × 2^(n − 1)): exponential so that a peer that stays away is asked
// less and less often, jittered so that many clients of a restarted server do not all come back
// in the same instant. `random` is injectable; by default it draws from the same source as the
// ids (ids.ts), which the simulation seeds, so that a replay by seed has the same delays.
import {randomFraction} from './ids.js';

export type BackoffOptions = {
  /** The ceiling of the first retry's delay. */
  minMs: number;
  /** The largest ceiling. */
  maxMs: number;
  /** A number in [0, 1); default randomFraction (ids.ts). */
  random?: () => number;
};

/** Counts failed attempts and gives each retry its delay; reset once an attempt succeeds. */
export class Backoff {
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #failures = 0;

  constructor({minMs, maxMs, random = randomFraction}: BackoffOptions) {
    if (!(minMs >= 0) || !(maxMs >= minMs)) {
      throw new RangeError(`backoff needs 0 <= minMs <= maxMs, got ${minMs} and ${maxMs}`);
    }
    this.#minMs = minMs;
    this.#maxMs = maxMs;
    this.#random = random;
  }

  /** Failed attempts since the last reset. */
  get failures(): number {
    return this.#failures;
  }

  /** The ceiling of the delay before retry number `retry` (1 for the first). */
  ceilingFor(retry: number): number {
    return Math.min(this.#maxMs, this.#minMs * 2 ** Math.max(0, retry - 1));
  }

  /** A delay before retry number `retry` (1 for the first), drawn from [ceiling / 2, ceiling]. */
  delayFor(retry: number): number {
    const ceiling = this.ceilingFor(retry);
    return ceiling / 2 + (this.#random() * ceiling) / 2;
  }

  /** Another attempt failed: the delay to wait before the next one. */
  nextDelay(): number {
    this.#failures++;
    return this.delayFor(this.#failures);
  }

  /** An attempt succeeded: the next failure starts again from the shortest delay. */
  reset(): void {
    this.#failures = 0;
  }
}
