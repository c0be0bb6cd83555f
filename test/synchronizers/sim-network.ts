// A deterministic simulated network for synchronizer tests. Every message gets a delay drawn from
// a seeded generator (so messages overtake each other), may be duplicated or dropped, and is
// copied as over a JSON wire. Peers can be split into partitions and healed. Deliveries are
// setTimeout calls, so with vitest's fake timers a whole run is reproducible and takes no real time.
import type {Receive, Send} from '../../src/synchronizers/types.js';
import {refuseIfTooLarge, wireCopy} from './helpers.js';

/** mulberry32: a small, fast, seedable pseudo-random generator. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export type NetworkConditions = {
  /** Delivery delay range in ms. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Probability that a delivery is made twice (with its own delay). */
  duplicateRate: number;
  /** Probability that a delivery is lost. */
  dropRate: number;
};

export const RELIABLE: NetworkConditions = {
  minDelayMs: 0,
  maxDelayMs: 5,
  duplicateRate: 0,
  dropRate: 0,
};

export type SimTransport = {
  send: Send;
  registerReceive: (receive: Receive) => void;
  destroy: () => void;
};

export class SimNetwork {
  /** When set, a body longer than this as JSON is refused as a WebSocket transport would. */
  maxMessageBytes: number | undefined;
  /** How many messages maxMessageBytes refused. */
  refusedAsTooLarge = 0;
  readonly #random: () => number;
  readonly #peers = new Map<string, Receive>();
  /** Partition group of each peer; peers in different groups cannot reach each other. */
  readonly #groups = new Map<string, number>();
  conditions: NetworkConditions;
  stats = {sent: 0, delivered: 0, dropped: 0, duplicated: 0};

  constructor(seed: number, conditions: NetworkConditions = RELIABLE) {
    this.#random = createRandom(seed);
    this.conditions = conditions;
  }

  /** A random number in [0, 1) from the network's seeded generator (for scenario choices too). */
  random(): number {
    return this.#random();
  }

  join(peerId: string): SimTransport {
    return {
      send: (toClientId, requestId, message, body) => {
        try {
          refuseIfTooLarge(this.maxMessageBytes, message, body);
        } catch (error) {
          this.refusedAsTooLarge++;
          throw error;
        }
        this.stats.sent++;
        const recipients =
          toClientId === null
            ? [...this.#peers.keys()].filter((id) => id !== peerId)
            : [toClientId];
        for (const recipient of recipients) {
          this.#schedule(peerId, recipient, requestId, message, body);
        }
      },
      registerReceive: (receive) => {
        this.#peers.set(peerId, receive);
      },
      destroy: () => {
        this.#peers.delete(peerId);
      },
    };
  }

  #schedule(
    from: string,
    to: string,
    requestId: string | null,
    message: number,
    body: unknown,
  ): void {
    const {minDelayMs, maxDelayMs, duplicateRate, dropRate} = this.conditions;
    const copies = this.#random() < duplicateRate ? 2 : 1;
    if (copies === 2) {
      this.stats.duplicated++;
    }
    for (let copy = 0; copy < copies; copy++) {
      if (this.#random() < dropRate || !this.#canReach(from, to)) {
        this.stats.dropped++;
        continue;
      }
      const delay = minDelayMs + Math.floor(this.#random() * (maxDelayMs - minDelayMs + 1));
      const delivered = wireCopy(body);
      setTimeout(() => {
        // A partition made while the message was in flight loses it too.
        if (!this.#canReach(from, to)) {
          this.stats.dropped++;
          return;
        }
        this.stats.delivered++;
        this.#peers.get(to)?.(from, requestId, message as never, delivered);
      }, delay);
    }
  }

  readonly #linksDown = new Set<string>();

  #canReach(from: string, to: string): boolean {
    return (
      !this.#linksDown.has(from) &&
      !this.#linksDown.has(to) &&
      (this.#groups.get(from) ?? 0) === (this.#groups.get(to) ?? 0)
    );
  }

  /** Takes one peer's link down (nothing reaches it or leaves it) or brings it back up. */
  setLinkDown(peer: string, down: boolean): void {
    if (down) {
      this.#linksDown.add(peer);
    } else {
      this.#linksDown.delete(peer);
    }
  }

  /** Splits the peers into groups that cannot reach each other. */
  partition(groups: string[][]): void {
    this.#groups.clear();
    groups.forEach((group, index) => {
      for (const peer of group) {
        this.#groups.set(peer, index);
      }
    });
  }

  /** Removes every partition and makes delivery reliable (still delayed and reordered). */
  heal(conditions: NetworkConditions = RELIABLE): void {
    this.#groups.clear();
    this.#linksDown.clear();
    this.conditions = conditions;
  }
}
