// A SocketLink is what the client transports talk through: the current socket, whether it is
// open, and events when it opens, closes or brings a frame. Two kinds exist: an adopted socket
// (the app's own WebSocket object, which may be reopened by a wrapper) and a reconnecting link
// that owns its sockets (reconnecting-link.ts).
import {DrainWatch} from './drain-watch.js';
import {transportError} from './errors.js';
import {
  closeQuietly,
  listenToSocket,
  OPEN,
  textOfMessageData,
  type WebSocketLike,
} from './web-socket.js';

export interface LinkListener {
  /** An owned link started a connection attempt. */
  onConnecting?(): void;
  onOpen(): void;
  onClose(error?: Error): void;
  onMessage(payload: string): void;
}

export interface SocketLink {
  /** The current socket (for getWebSocket()); undefined before an owned link's first attempt. */
  getWebSocket(): WebSocketLike | undefined;
  /** The URL an owned link is connected or connecting to (it may move between nodes). */
  getUrl?(): string;
  isOpen(): boolean;
  /** Sends a frame on the open socket. */
  send(frame: string): void;
  getBufferedAmount(): number;
  /**
   * Calls `callback` once, when the current socket has next handed buffered bytes on, or has
   * closed (at once if it holds nothing, or there is none). Returns a function that cancels it.
   */
  whenDrained(callback: () => void): () => void;
  /**
   * Calls `callback` once every frame sent on the current socket so far has been written out, or
   * the socket has closed (at once if none waits, or there is no socket). Returns a canceller.
   */
  afterWritten(callback: () => void): () => void;
  /** Closes the current socket; an owned link then reconnects. */
  closeSocket(code: number, reason: string): void;
  /**
   * Sets how the link checks a silent connection (owned links only): `probe` sends a frame that the
   * server answers. Without one, `ws` sockets use WebSocket pings and others are not checked.
   */
  setProbe(probe: (() => void) | undefined): void;
  addListener(listener: LinkListener): () => void;
  /** Resolves once the link has opened, or failed for the first time. */
  whenSettled(): Promise<void>;
  /** Stops the link for good and closes its socket. */
  destroy(): void;
}

/** Fans link events out to listeners; each listener's failure is isolated. */
export class LinkListeners {
  readonly #listeners = new Set<LinkListener>();

  add(listener: LinkListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  connecting(): void {
    for (const listener of [...this.#listeners]) {
      listener.onConnecting?.();
    }
  }

  open(): void {
    for (const listener of [...this.#listeners]) {
      listener.onOpen();
    }
  }

  close(error?: Error): void {
    for (const listener of [...this.#listeners]) {
      listener.onClose(error);
    }
  }

  message(payload: string): void {
    for (const listener of [...this.#listeners]) {
      listener.onMessage(payload);
    }
  }
}

/**
 * A link over a WebSocket the app created. It never reconnects by itself, but if the same object
 * fires `open` again (a reconnecting wrapper), the link is back and the transports resync.
 */
export const adoptWebSocket = (webSocket: WebSocketLike): SocketLink => {
  const listeners = new LinkListeners();
  let destroyed = false;
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  if (webSocket.readyState === OPEN || webSocket.readyState > OPEN) {
    settle();
  }
  // A reopened object (a reconnecting wrapper) starts with nothing written out of its own.
  let drain = new DrainWatch(webSocket);

  const stopListening = listenToSocket(webSocket, {
    open: () => {
      settle();
      listeners.open();
    },
    close: (event) => {
      settle();
      drain.close();
      drain = new DrainWatch(webSocket);
      listeners.close(transportError(`the WebSocket closed (${event.code ?? 'no code'})`));
    },
    error: () => settle(),
    message: (event) => listeners.message(textOfMessageData(event.data) ?? ''),
  });

  return {
    getWebSocket: () => webSocket,
    isOpen: () => !destroyed && webSocket.readyState === OPEN,
    send: (frame) => drain.send(frame),
    getBufferedAmount: () => webSocket.bufferedAmount ?? 0,
    whenDrained: (callback) => drain.whenDrained(callback),
    afterWritten: (callback) => drain.afterWritten(callback),
    closeSocket: (code, reason) =>
      closeWithCode((...args) => webSocket.close(...args), code, reason),
    setProbe: () => {},
    addListener: (listener) => listeners.add(listener),
    whenSettled: () => settled,
    destroy: () => {
      if (destroyed) {
        return;
      }
      destroyed = true;
      stopListening();
      drain.close();
      closeQuietly(webSocket);
    },
  };
};

/**
 * Closes a socket with a protocol close code. Browsers only let scripts use 1000 and 3000-4999, so
 * there the code falls back to 1000 (the reason still says why).
 */
export const closeWithCode = (
  close: (code?: number, reason?: string) => void,
  code: number,
  reason: string,
): void => {
  try {
    close(code, reason);
  } catch {
    close(1000, reason);
  }
};
