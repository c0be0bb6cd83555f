// The simulation's virtual clock: while installed, the global setTimeout, clearTimeout,
// setInterval, clearInterval and Date.now are this clock's, so the engine, the server's room and
// TinyBase all run on it unchanged. Timers fire in order of due time, then of creation. After each
// one every pending microtask runs (a real setImmediate comes only after the microtask queue is
// empty), so promise chains the timer started settle before the next timer, as in a real event
// loop. vitest's fake timers do the same but scan all timers at every step, which costs more than
// the rest of a case when thousands of messages are in flight; this keeps a heap.

type Timer = {id: number; at: number; seq: number; callback: () => void; interval?: number};

const realSetImmediate = globalThis.setImmediate;

export class VirtualClock {
  #now: number;
  #seq = 0;
  #nextId = 1;
  readonly #heap: Timer[] = [];
  readonly #live = new Map<number, Timer>();
  #saved: Record<string, unknown> | undefined;
  /** Timers fired so far. */
  fired = 0;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Timers not yet fired or cleared. */
  get timerCount(): number {
    return this.#live.size;
  }

  install(): void {
    const saved = {
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval,
      clearInterval: globalThis.clearInterval,
      now: Date.now,
    };
    this.#saved = saved;
    const clear = (id: unknown) => {
      this.#live.delete(id as number);
    };
    Object.assign(globalThis, {
      setTimeout: (callback: () => void, ms = 0) => this.#add(callback, ms),
      clearTimeout: clear,
      setInterval: (callback: () => void, ms = 0) => this.#add(callback, ms, Math.max(1, ms)),
      clearInterval: clear,
    });
    Date.now = () => this.#now;
  }

  uninstall(): void {
    const saved = this.#saved as
      | {
          setTimeout: typeof setTimeout;
          clearTimeout: typeof clearTimeout;
          setInterval: typeof setInterval;
          clearInterval: typeof clearInterval;
          now: () => number;
        }
      | undefined;
    if (saved === undefined) {
      return;
    }
    Object.assign(globalThis, {
      setTimeout: saved.setTimeout,
      clearTimeout: saved.clearTimeout,
      setInterval: saved.setInterval,
      clearInterval: saved.clearInterval,
    });
    Date.now = saved.now;
    this.#saved = undefined;
  }

  /** Runs every timer due within `ms`, then moves the clock to the end of it. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await settle();
    while (this.#heap.length > 0 && this.#heap[0]!.at <= until) {
      await this.#fireNext();
    }
    this.#now = until;
  }

  /**
   * Runs timers until none is left. Throws after `limit` timers: an engine that never goes quiet
   * (a retry loop, a timer re-arming itself) is a bug the simulation must report.
   */
  async runUntilQuiet(limit = 100_000): Promise<void> {
    await settle();
    let fired = 0;
    while (this.#heap.length > 0) {
      if (await this.#fireNext()) {
        fired++;
      }
      if (fired > limit) {
        throw new Error(`still not quiet after ${limit} timers`);
      }
    }
  }

  /** Forgets every timer. */
  clear(): void {
    this.#heap.length = 0;
    this.#live.clear();
  }

  #add(callback: () => void, ms: number, interval?: number): number {
    const id = this.#nextId++;
    const timer: Timer = {id, at: this.#now + Math.max(0, ms || 0), seq: this.#seq++, callback};
    if (interval !== undefined) {
      timer.interval = interval;
    }
    this.#live.set(id, timer);
    this.#push(timer);
    return id;
  }

  /** Fires the earliest timer (if it was not cleared); returns whether one fired. */
  async #fireNext(): Promise<boolean> {
    const timer = this.#pop();
    if (this.#live.get(timer.id) !== timer) {
      return false;
    }
    this.#now = Math.max(this.#now, timer.at);
    if (timer.interval === undefined) {
      this.#live.delete(timer.id);
    } else {
      timer.at = this.#now + timer.interval;
      timer.seq = this.#seq++;
      this.#push(timer);
    }
    this.fired++;
    timer.callback();
    await settle();
    return true;
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) {
        break;
      }
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): Timer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) {
          smallest = left;
        }
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) {
          smallest = right;
        }
        if (smallest === index) {
          break;
        }
        [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
        index = smallest;
      }
    }
    return top;
  }
}

const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Resolves once every microtask queued so far, and every one they queue, has run. */
const settle = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));
