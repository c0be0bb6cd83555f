// At most one send per interval (docs/protocol.md §8.2): the first value goes out at once (leading
// edge); values pushed while waiting are coalesced and the last one goes out when the interval
// ends (trailing edge), so a cursor moving at 60 Hz costs 20 messages a second and the final
// position always arrives.

export class Throttle<Value> {
  readonly #intervalMs: number;
  readonly #send: (value: Value) => void;
  /** Running from a send until the interval after it ends; nothing is sent meanwhile. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: {value: Value} | undefined;

  constructor(intervalMs: number, send: (value: Value) => void) {
    this.#intervalMs = intervalMs;
    this.#send = send;
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
    this.#timer = setTimeout(() => this.#onIntervalEnd(), this.#intervalMs);
    this.#send(value);
  }

  #onIntervalEnd(): void {
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) {
      this.#sendNow(pending.value);
    }
  }
}
