// Choosing a socket's subprotocol (docs/protocol.md §8.1): a syncstore client offers the plain
// decoy first and the extension second; this server chooses the extension, where a server that
// takes the first offer (TinyBase's, or `ws` by default) would choose the decoy.
import type {IncomingMessage} from 'node:http';
import type {WebSocketServer} from 'ws';
import {EXTENSION_SUBPROTOCOL} from '../synchronizers/extensions/wire.js';
import {MULTIPLEX_SUBPROTOCOL} from '../synchronizers/ws/multiplex-protocol.js';

type ChooseProtocol = (protocols: Set<string>, request: IncomingMessage) => string | false;

/**
 * Makes `webSocketServer` choose the extension subprotocol when offered; any other choice is left
 * to the app's own `handleProtocols`, or to `ws`'s default (the first offer). Returns the undo.
 */
export const chooseExtensionSubprotocol = (webSocketServer: WebSocketServer): (() => void) => {
  const options = webSocketServer.options as {handleProtocols?: ChooseProtocol | null};
  const appChoice = options.handleProtocols ?? undefined;
  const choose: ChooseProtocol = (protocols, request) => {
    if (protocols.has(EXTENSION_SUBPROTOCOL) && !protocols.has(MULTIPLEX_SUBPROTOCOL)) {
      return EXTENSION_SUBPROTOCOL;
    }
    return appChoice !== undefined
      ? appChoice(protocols, request)
      : (protocols.values().next().value ?? false);
  };
  options.handleProtocols = choose;
  return () => {
    if (options.handleProtocols === choose) {
      options.handleProtocols = appChoice ?? null;
    }
  };
};
