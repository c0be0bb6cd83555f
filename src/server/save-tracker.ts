// A room's saves in the order they were queued, so that a durable acknowledgement
// (docs/protocol.md §8.7) can wait for every save queued before it. A save may finish at once
// (SQLite, written inside the call) or return a promise (an asynchronous storage); either way the
// acknowledgement waits for all earlier ones, in order.

export class SaveTracker {
  #settled: Promise<void> = Promise.resolve();
  #failures = 0;
  readonly #reportError: (error: unknown) => void;

  /** `reportError` receives each failed save; the failure is also counted (see whenSettled). */
  constructor(reportError: (error: unknown) => void) {
    this.#reportError = reportError;
  }

  /** Runs one save now and remembers it until it has finished. */
  track(save: () => unknown): void {
    let result: unknown;
    try {
      result = save();
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (result instanceof Promise) {
      const finished = result.then(
        () => {},
        (error: unknown) => this.#fail(error),
      );
      const before = this.#settled;
      this.#settled = Promise.all([before, finished]).then(() => {});
    }
  }

  /**
   * Resolves, once every save tracked so far has finished, with the number of saves that ever
   * failed: a caller comparing it with the count it saw last knows whether one failed meanwhile.
   */
  whenSettled(): Promise<number> {
    return this.#settled.then(() => this.#failures);
  }

  #fail(error: unknown): void {
    this.#failures++;
    this.#reportError(error);
  }
}
