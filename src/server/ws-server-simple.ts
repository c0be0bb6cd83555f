// createWsServerSimple: TinyBase's minimal server, a pure relay. It is syncstore's WsServer with
// no room storage, persisters, authorization, listeners or stats exposed: only
// getWebSocketServer() and destroy(), as TinyBase's has. The relay itself is the full one (same
// framing, validation and close codes, fragments kept 1 s, multiplexing, size limits), so a
// client accepted by one server is accepted by the other.
import type {WebSocketServer} from 'ws';
import type {WsServerSimple} from './types.js';
import {createWsServer} from './ws-server.js';

/**
 * Creates a relay between the WsSynchronizer clients on `webSocketServer`: each URL path is a
 * room, and each client's messages reach the others in its room. Nothing is stored; errors are
 * ignored (use createWsServer for an onIgnoredError handler, listeners, stats and storage).
 * `destroy()` closes every client socket (1001) and the WebSocketServer.
 *
 * One addition to TinyBase's relay: a GetContentHashes addressed to the server ("S") is answered
 * as an empty store would answer it, so that clients whose sockets cannot ping (browsers) can
 * check that the connection is alive.
 *
 * @example
 * const server = createWsServerSimple(new WebSocketServer({port: 8053}));
 * // ... clients sync through ws://localhost:8053/<room>
 * await server.destroy();
 */
export function createWsServerSimple(webSocketServer: WebSocketServer): WsServerSimple {
  const wsServer = createWsServer(webSocketServer);
  return {
    getWebSocketServer: () => webSocketServer,
    destroy: () => wsServer.destroy(),
  };
}
