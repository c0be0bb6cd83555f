// At most one send per interval (docs/protocol.md §8.2): the first value goes out at once (leading
// edge); values pushed while waiting are coalesced and the last one goes out when the interval
// ends (trailing edge), so a cursor moving at 60 Hz costs 20 messages a second and the final
// position always arrives. The interval is measured on a clock, not trusted to the timer: Node
// computes a timer's due time from the event loop's cached time, so a timer set late in a busy
// turn fires less than its delay after the send that set it.

export class Throttle<Value> {
  readonly #intervalMs: number;
  readonly #send: (value: Value) => void;
  readonly #now: () => number;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  /** Running from a send until the interval after it ends; nothing is sent meanwhile. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: {value: Value} | undefined;

  constructor(
    intervalMs: number,
    send: (value: Value) => void,
    now: () => number = () => performance.now(),
  ) {
    this.#intervalMs = intervalMs;
    this.#send = send;
    this.#now = now;
  }

  push(value: Value): void {
    if (this.#timer === undefined) {
      this.#sendNow(value);
    } else {
      this.#pending = {value};
    }
  }

  /** Drops what is pending and clears the timer. */
  destroy(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  #sendNow(value: Value): void {
    this.#wait(this.#intervalMs);
    try {
      this.#send(value);
    } finally {
      // Timed from the end of the send, so that the next one leaves at least an interval later
      // however long encoding and writing this one took.
      this.#lastSentAt = this.#now();
    }
  }

  #wait(delayMs: number): void {
    this.#timer = setTimeout(() => this.#onIntervalEnd(), delayMs);
  }

  #onIntervalEnd(): void {
    const remainingMs = this.#lastSentAt + this.#intervalMs - this.#now();
    if (remainingMs > 0) {
      this.#wait(Math.ceil(remainingMs));
      return;
    }
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) {
      this.#sendNow(pending.value);
    }
  }
}
