// What an in-process transport (synchronizer-local.ts, a test bus) has queued for one synchronizer
// and not yet delivered. Peers in one thread share its event loop: while one computes a large
// diff, the other's request timer cannot fire, and once it does the answer is already queued
// behind it. A request whose deadline passes while messages are queued for its synchronizer
// therefore waits for exactly those messages (not for later ones) before its timeout is final
// (docs/protocol.md §7.3). Transports across threads or networks have no such queue.

/** What the engine may ask of an in-process transport's queue of messages for it. */
export interface InboundQueue {
  /**
   * Calls `callback` once every message queued for this synchronizer so far has been delivered
   * or dropped: at once (synchronously) when none is queued. Returns a function that cancels it.
   */
  afterQueued(callback: () => void): () => void;
}

type Waiter = {waitingFor: Set<number>; callback: () => void};

/** An InboundQueue that the transport keeps: enqueue when sending, settle when delivered. */
export class DeliveryQueue implements InboundQueue {
  #nextId = 0;
  readonly #queued = new Set<number>();
  readonly #waiters = new Set<Waiter>();

  get size(): number {
    return this.#queued.size;
  }

  /** A message for this synchronizer was queued; returns its id, for settle. */
  enqueue(): number {
    const id = this.#nextId++;
    this.#queued.add(id);
    return id;
  }

  /** The message was delivered (after its receive returned) or dropped. */
  settle(id: number): void {
    if (!this.#queued.delete(id)) {
      return;
    }
    for (const waiter of [...this.#waiters]) {
      waiter.waitingFor.delete(id);
      if (waiter.waitingFor.size === 0) {
        this.#waiters.delete(waiter);
        waiter.callback();
      }
    }
  }

  afterQueued(callback: () => void): () => void {
    if (this.#queued.size === 0) {
      callback();
      return () => {};
    }
    const waiter: Waiter = {waitingFor: new Set(this.#queued), callback};
    this.#waiters.add(waiter);
    return () => this.#waiters.delete(waiter);
  }
}
