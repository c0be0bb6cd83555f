// Which server node an owned link connects to next (docs/protocol.md §7.4). Given several URLs
// (nodes serving the same rooms), a failed attempt or a lost connection moves to the next one,
// round robin; only after every node of a round failed does the link wait its backoff delay, so
// a dead node costs one attempt, not a delay. A connection that opens starts a new round there:
// a stable connection stays on its node.

export class UrlRotation {
  readonly #urls: readonly string[];
  #index = 0;
  /** Where the current round began: coming back here means every node was tried. */
  #roundStart = 0;

  /** Throws on an empty list or an empty URL: a link must have somewhere to connect to. */
  constructor(urls: readonly string[]) {
    if (urls.length === 0) {
      throw new Error('createWsSynchronizer needs at least one URL');
    }
    const empty = urls.indexOf('');
    if (empty !== -1) {
      throw new Error(`createWsSynchronizer: URL ${empty} of the list is empty`);
    }
    this.#urls = [...urls];
  }

  /** The URL to connect to now. */
  get current(): string {
    return this.#urls[this.#index];
  }

  /** The connection to the current URL opened: later failures start their round here. */
  connected(): void {
    this.#roundStart = this.#index;
  }

  /**
   * The current URL failed (or its connection was lost): move to the next. Returns true when that
   * completes a round, i.e. every URL failed since the last connection or round.
   */
  advance(): boolean {
    this.#index = (this.#index + 1) % this.#urls.length;
    return this.#index === this.#roundStart;
  }
}
