// The simulated wire between one client and the server: every message is a setTimeout (so the
// virtual clock of vitest's fake timers drives it) with a delay drawn from the case's seeded
// generator. Two kinds of link:
// - 'ordered': what a WebSocket gives (TCP): delivery in send order, nothing lost or duplicated
//   while the connection lives; loss only as a closed connection or a partition.
// - 'lossy': what a custom transport may give (a datagram bus): each message may be dropped,
//   duplicated or overtaken by a later one.
// Either way a message is delivered only if its connection is still the current one and the
// client is not partitioned from the server when it arrives, as bytes in flight on a closed
// socket are lost.

export type LinkKind = 'ordered' | 'lossy';

export type LinkConditions = {
  kind: LinkKind;
  minDelayMs: number;
  maxDelayMs: number;
  /** Lossy links only: probability that a message is lost. */
  dropRate: number;
  /** Lossy links only: probability that a message arrives twice. */
  duplicateRate: number;
};

export const RELIABLE_LINK: LinkConditions = {
  kind: 'ordered',
  minDelayMs: 0,
  maxDelayMs: 5,
  dropRate: 0,
  duplicateRate: 0,
};

export type LinkStats = {sent: number; delivered: number; dropped: number; duplicated: number};

/** One direction of one connection. */
export class Lane {
  /** Virtual time of the last scheduled delivery: an ordered lane never delivers before it. */
  #lastDeliveryAt = 0;

  constructor(
    private readonly random: () => number,
    private readonly conditions: () => LinkConditions,
    private readonly stats: LinkStats,
    /** Whether a message may still arrive (connection current, no partition). */
    private readonly canDeliver: () => boolean,
  ) {}

  send(deliver: () => void): void {
    const {kind, minDelayMs, maxDelayMs, dropRate, duplicateRate} = this.conditions();
    this.stats.sent++;
    let copies = 1;
    if (kind === 'lossy') {
      if (this.random() < dropRate) {
        this.stats.dropped++;
        return;
      }
      if (this.random() < duplicateRate) {
        this.stats.duplicated++;
        copies = 2;
      }
    }
    for (let copy = 0; copy < copies; copy++) {
      const delay = minDelayMs + Math.floor(this.random() * (maxDelayMs - minDelayMs + 1));
      let at = Date.now() + delay;
      if (kind === 'ordered') {
        at = Math.max(at, this.#lastDeliveryAt);
        this.#lastDeliveryAt = at;
      }
      setTimeout(() => {
        if (!this.canDeliver()) {
          this.stats.dropped++;
          return;
        }
        this.stats.delivered++;
        deliver();
      }, at - Date.now());
    }
  }
}
