// The little of the WebSocket API the client uses, satisfied by the browser's WebSocket and by
// `ws` in Node, and how to find a WebSocket constructor without making the browser bundle depend on
// Node: the global one when there is one, else `ws`, imported only at run time.

export type WebSocketEventType = 'open' | 'message' | 'close' | 'error';

/** A WebSocket as the browser defines it (which `ws` also implements). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  readonly bufferedAmount: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // Listeners are typed `never` so that the browser's, `ws`'s and any EventTarget-based socket all
  // fit; the client only registers handlers for the four events above.
  addEventListener(type: WebSocketEventType, listener: never): void;
  removeEventListener(type: WebSocketEventType, listener: never): void;
}

export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

/** Handlers of the four events the client listens to. */
export type SocketHandlers = {
  open: () => void;
  message: (event: {data: unknown}) => void;
  error: (event: {message?: string; error?: unknown}) => void;
  close: (event: {code?: number; reason?: string}) => void;
};

/** Adds the handlers to a socket; returns a function that removes them again. */
export const listenToSocket = (
  webSocket: WebSocketLike,
  handlers: SocketHandlers,
): (() => void) => {
  const types = Object.keys(handlers) as WebSocketEventType[];
  for (const type of types) {
    webSocket.addEventListener(type, handlers[type] as never);
  }
  return () => {
    for (const type of types) {
      webSocket.removeEventListener(type, handlers[type] as never);
    }
  };
};

/**
 * Closes a socket this side has stopped listening to. `ws` emits 'error' when a socket that is still
 * connecting is closed, and an EventEmitter error nobody listens to kills a Node process: a no-op
 * listener takes it. A close that throws (some implementations, a code a browser refuses) falls
 * back to a plain close, and failing that is ignored: the socket is being given up anyway.
 */
export const closeQuietly = (webSocket: WebSocketLike, code?: number, reason?: string): void => {
  webSocket.addEventListener('error', ignoreEvent as never);
  try {
    if (code === undefined) {
      webSocket.close();
    } else {
      webSocket.close(code, reason);
    }
  } catch {
    try {
      webSocket.close();
    } catch {
      // nothing more to do
    }
  }
};

const ignoreEvent = (): void => {};

export const CONNECTING = 0;
export const OPEN = 1;

/** `ws` sockets also speak the WebSocket ping/pong frames, which the browser hides. */
export interface PingableWebSocket extends WebSocketLike {
  ping(): void;
  on(event: 'pong', listener: () => void): void;
  off(event: 'pong', listener: () => void): void;
  terminate(): void;
}

export const isPingable = (socket: WebSocketLike): socket is PingableWebSocket => {
  const candidate = socket as Partial<PingableWebSocket>;
  return (
    typeof candidate.ping === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.off === 'function' &&
    typeof candidate.terminate === 'function'
  );
};

/** The text of a message event's data; undefined for data the client cannot read as text. */
export const textOfMessageData = (data: unknown): string | undefined => {
  if (typeof data === 'string') {
    return data;
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(data as ArrayBuffer | ArrayBufferView);
  }
  return undefined;
};

// A variable specifier keeps bundlers from resolving `ws` into a browser build.
const WS_MODULE = 'ws';

let nodeWebSocket: Promise<WebSocketConstructor> | undefined;

/** The platform's WebSocket, or `ws`'s in Node versions without a global one. */
export const getWebSocketConstructor = (): Promise<WebSocketConstructor> => {
  const globalWebSocket = (globalThis as {WebSocket?: WebSocketConstructor}).WebSocket;
  if (globalWebSocket !== undefined) {
    return Promise.resolve(globalWebSocket);
  }
  nodeWebSocket ??= import(/* @vite-ignore */ WS_MODULE).then(
    (module: {WebSocket?: WebSocketConstructor; default?: WebSocketConstructor}) =>
      (module.WebSocket ?? module.default) as WebSocketConstructor,
  );
  return nodeWebSocket;
};
