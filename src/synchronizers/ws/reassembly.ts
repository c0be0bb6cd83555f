// Reassembly of fragmented messages (docs/protocol.md §6.3) with the limits that keep a hostile peer from
// exhausting memory: at most 1000 fragments per message, 100 partial messages and 16 MiB of
// retained fragments per reassembler. Partial messages silently expire: a timer drops them even if
// nothing more arrives, so a peer that stops mid-message holds no memory; clear() stops it.
import {invalidMessageError, overflowError} from './errors.js';
import type {Fragment} from './fragments.js';
import {
  MAX_FRAGMENTS_PER_MESSAGE,
  MAX_PARTIAL_MESSAGES,
  MAX_WEBSOCKET_BUFFER_SIZE,
} from './limits.js';

export type ReassemblyResult =
  /** The message is complete: its JSON text and the fragment remainders in index order. */
  | {status: 'complete'; text: string; remainders: string[]; remainderBytes: number[]}
  | {status: 'pending'}
  | {status: 'error'; error: Error};

type PartialMessage = {
  total: number;
  texts: (string | undefined)[];
  remainders: (string | undefined)[];
  remainderBytes: number[];
  received: number;
  bytes: number;
  expiresAt: number;
};

export type ReassemblerOptions = {
  /** How long a partial message is kept, in milliseconds. */
  expiryMs: number;
  now?: () => number;
  /** Timers (tests pass fake ones); default the global setTimeout and clearTimeout. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  maxPartialMessages?: number;
  maxBytes?: number;
};

export class FragmentReassembler {
  readonly #partials = new Map<string, PartialMessage>();
  readonly #expiryMs: number;
  readonly #now: () => number;
  readonly #maxPartialMessages: number;
  readonly #maxBytes: number;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  #bytes = 0;
  /** Fires when the oldest partial message expires; unset while none is buffered. */
  #expiryTimer: unknown;

  constructor(options: ReassemblerOptions) {
    this.#expiryMs = options.expiryMs;
    this.#now = options.now ?? Date.now;
    this.#maxPartialMessages = options.maxPartialMessages ?? MAX_PARTIAL_MESSAGES;
    this.#maxBytes = options.maxBytes ?? MAX_WEBSOCKET_BUFFER_SIZE;
    this.#setTimer = options.setTimer ?? setUnrefTimeout;
    this.#clearTimer =
      options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  /**
   * Adds one fragment. `key` identifies the message (sender id + message id, so two senders can
   * never complete each other's messages); `remainder` is the fragment's full remainder, kept so
   * a relay can forward the original frames; `remainderBytes` is its UTF-8 size, which is what
   * counts against the retained-bytes limit.
   */
  add(
    key: string,
    fragment: Fragment,
    remainder: string,
    remainderBytes: number,
  ): ReassemblyResult {
    const now = this.#now();
    this.#dropExpired(now);
    const {index, total, text} = fragment;
    if (total > MAX_FRAGMENTS_PER_MESSAGE) {
      return {status: 'error', error: overflowError('fragments')};
    }
    if (!(total > 0 && index >= 0 && index < total)) {
      return {status: 'error', error: invalidMessageError()};
    }
    let partial = this.#partials.get(key);
    if (partial === undefined) {
      if (this.#partials.size >= this.#maxPartialMessages) {
        return {status: 'error', error: overflowError('fragments')};
      }
      partial = {
        total,
        texts: new Array(total),
        remainders: new Array(total),
        remainderBytes: new Array(total),
        received: 0,
        bytes: 0,
        expiresAt: now + this.#expiryMs,
      };
      this.#partials.set(key, partial);
      this.#scheduleExpiry();
    } else if (partial.total !== total || partial.texts[index] !== undefined) {
      return {status: 'error', error: invalidMessageError()};
    }
    const bytes = remainderBytes;
    if (this.#bytes + bytes > this.#maxBytes) {
      return {status: 'error', error: overflowError('fragments')};
    }
    partial.texts[index] = text;
    partial.remainders[index] = remainder;
    partial.remainderBytes[index] = remainderBytes;
    partial.received++;
    partial.bytes += bytes;
    this.#bytes += bytes;
    if (partial.received < total) {
      return {status: 'pending'};
    }
    this.#remove(key, partial);
    return {
      status: 'complete',
      text: (partial.texts as string[]).join(''),
      remainders: partial.remainders as string[],
      remainderBytes: partial.remainderBytes,
    };
  }

  /** Bytes of fragment text currently retained. */
  getRetainedBytes(): number {
    return this.#bytes;
  }

  getPartialCount(): number {
    return this.#partials.size;
  }

  /** Drops every partial message and stops the expiry timer (a reset or a destroy). */
  clear(): void {
    this.#partials.clear();
    this.#bytes = 0;
    this.#stopExpiryTimer();
  }

  #dropExpired(now: number): void {
    for (const [key, partial] of this.#partials) {
      if (partial.expiresAt <= now) {
        this.#remove(key, partial);
      }
    }
  }

  #remove(key: string, partial: PartialMessage): void {
    this.#partials.delete(key);
    this.#bytes -= partial.bytes;
    if (this.#partials.size === 0) {
      this.#stopExpiryTimer();
    }
  }

  /** Arms the timer for the oldest partial message (the first in the map: they expire in order). */
  #scheduleExpiry(): void {
    if (this.#expiryTimer !== undefined) {
      return;
    }
    const oldest = this.#partials.values().next().value;
    if (oldest === undefined) {
      return;
    }
    const delay = Math.max(0, oldest.expiresAt - this.#now());
    this.#expiryTimer = this.#setTimer(() => {
      this.#expiryTimer = undefined;
      this.#dropExpired(this.#now());
      this.#scheduleExpiry();
    }, delay);
  }

  #stopExpiryTimer(): void {
    if (this.#expiryTimer !== undefined) {
      this.#clearTimer(this.#expiryTimer);
      this.#expiryTimer = undefined;
    }
  }
}

/** A timeout that does not keep a Node process alive by itself (browsers have no unref). */
const setUnrefTimeout = (callback: () => void, ms: number): unknown => {
  const timer = setTimeout(callback, ms) as {unref?: () => void};
  timer.unref?.();
  return timer;
};
