// Tells when a socket has handed buffered bytes on, so that frames waiting for room in its buffer
// (multiplexer.ts, docs/protocol.md §6.7) are retried on an event rather than on a polling timer.
// A `ws` socket (Node) calls back each send once its bytes are written out: each callback is a
// moment its bufferedAmount has fallen. A browser WebSocket has no such event (bufferedAmount
// falls silently), so there, and only there, the watch looks at bufferedAmount on a timer while
// someone waits, owned by the watch and cleared once the wait ends or the watch is closed.
//
// It also tells when every frame sent so far has been written out (afterWritten), which starts a
// request's deadline (outbound.ts). `ws` calls back each send in order, so a count of the
// callbacks says how many frames are out; a browser socket reports only bufferedAmount, so there
// the watch counts the bytes it handed over: those not still buffered have been sent.
import {utf8ByteLength} from './utf8.js';
import {isPingable, type WebSocketLike} from './web-socket.js';

/** How often a browser socket's bufferedAmount is looked at while frames wait for room. */
const BROWSER_DRAIN_CHECK_MS = 10;

type WrittenCallback = (error?: Error) => void;
/** `ws` sockets take a callback for when a send is written out. */
type CallbackSocket = WebSocketLike & {send(data: string, callback: WrittenCallback): void};

export class DrainWatch {
  readonly #socket: WebSocketLike;
  readonly #reportsWrites: boolean;
  /** Sends whose bytes have not been written out yet (`ws` sockets only). */
  #unwritten = 0;
  /** Frames sent (`ws` sockets) or bytes sent (browser sockets), counted from the watch's start. */
  #handed = 0;
  readonly #waiters = new Set<() => void>();
  /** afterWritten callbacks, each with the #handed count it waits to see written out. */
  readonly #writeWaiters = new Set<{until: number; callback: () => void}>();
  /** While write waiters remain: cancels the drain wait that re-checks them. */
  #writeLoop: (() => void) | undefined;
  #checkTimer: ReturnType<typeof setTimeout> | undefined;
  #lastBuffered = 0;
  #closed = false;

  constructor(socket: WebSocketLike) {
    this.#socket = socket;
    this.#reportsWrites = isPingable(socket);
  }

  /** Sends a frame, noting when it is written out. */
  send(frame: string): void {
    if (!this.#reportsWrites) {
      // (Counted only while someone waits for writes: measuring costs a pass over the frame.)
      this.#handed += this.#writeWaiters.size > 0 ? utf8ByteLength(frame) : 0;
      this.#socket.send(frame);
      return;
    }
    this.#unwritten++;
    this.#handed++;
    (this.#socket as CallbackSocket).send(frame, () => {
      this.#unwritten--;
      this.#notify();
    });
  }

  /**
   * Calls `callback` once every frame sent so far has been written out, or the socket is gone (at
   * once if nothing is waiting). Returns a function that cancels it.
   */
  afterWritten(callback: () => void): () => void {
    if (this.#closed || this.#allWrittenOut()) {
      callback();
      return () => {};
    }
    // (Browser: the bytes buffered now are out once bytes handed since exceed what is buffered.)
    const waiter = {until: this.#handed, callback};
    this.#writeWaiters.add(waiter);
    this.#writeLoop ??= this.#onNextWrite(() => this.#onWriteProgress());
    return () => {
      this.#writeWaiters.delete(waiter);
      if (this.#writeWaiters.size === 0) {
        this.#writeLoop?.();
        this.#writeLoop = undefined;
      }
    };
  }

  /**
   * Calls `callback` once, the next time the socket has handed bytes on (at once if it holds
   * none). Returns a function that cancels it.
   */
  whenDrained(callback: () => void): () => void {
    if (this.#closed || this.#buffered() === 0 || (this.#reportsWrites && this.#unwritten === 0)) {
      callback();
      return () => {};
    }
    return this.#onNextWrite(callback);
  }

  /** Calls `callback` the next time the socket hands bytes on or closes; never at once. */
  #onNextWrite(callback: () => void): () => void {
    this.#waiters.add(callback);
    if (!this.#reportsWrites) {
      this.#lastBuffered = this.#buffered();
      this.#checkTimer ??= setTimeout(() => this.#check(), BROWSER_DRAIN_CHECK_MS);
    }
    return () => {
      this.#waiters.delete(callback);
      if (this.#waiters.size === 0) {
        this.#stopChecking();
      }
    };
  }

  /** The socket is gone: whoever waits is told at once (and finds it closed). */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  /** What the socket holds; one that does not say (happy-dom, some embedded runtimes) holds nothing. */
  #buffered(): number {
    return this.#socket.bufferedAmount ?? 0;
  }

  #allWrittenOut(): boolean {
    return this.#reportsWrites ? this.#unwritten === 0 : this.#buffered() === 0;
  }

  /** How far writes have got, in the units of #handed. */
  #writtenOut(): number {
    return this.#reportsWrites ? this.#handed - this.#unwritten : this.#handed - this.#buffered();
  }

  /** The socket handed bytes on (or closed): tells the write waiters now passed, waits again. */
  #onWriteProgress(): void {
    this.#writeLoop = undefined;
    const written = this.#writtenOut();
    const allOut = this.#closed || this.#allWrittenOut();
    for (const waiter of [...this.#writeWaiters]) {
      if (allOut || written >= waiter.until) {
        this.#writeWaiters.delete(waiter);
        waiter.callback();
      }
    }
    if (this.#writeWaiters.size > 0) {
      this.#writeLoop ??= this.#onNextWrite(() => this.#onWriteProgress());
    }
  }

  #check(): void {
    this.#checkTimer = undefined;
    const buffered = this.#buffered();
    if (buffered < this.#lastBuffered || buffered === 0) {
      this.#notify();
    }
    this.#lastBuffered = buffered;
    // (Waiters added again while being told have already set the timer again.)
    if (this.#waiters.size > 0) {
      this.#checkTimer ??= setTimeout(() => this.#check(), BROWSER_DRAIN_CHECK_MS);
    }
  }

  #notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    this.#stopChecking();
    for (const waiter of waiters) {
      waiter();
    }
  }

  #stopChecking(): void {
    if (this.#checkTimer !== undefined) {
      clearTimeout(this.#checkTimer);
      this.#checkTimer = undefined;
    }
  }
}
