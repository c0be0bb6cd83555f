// Presence over a WebSocket to the syncstore server (docs/protocol.md §8.2): a feature of the
// socket's ExtensionLink. Once the link is ready the current state goes out (the server answers
// the first one with a snapshot of the room); when the link is lost every peer is forgotten,
// since the snapshot on the next socket rebuilds them. On a server that does not negotiate
// presence nothing is sent and no peer appears.
import type {ExtensionLink} from '../extensions/extension-link.js';
import type {PresenceChannel, PresenceSink} from './types.js';
import {PRESENCE_FEATURE, PresenceFrame, parsePeerBody, parseSnapshotBody} from './wire.js';

export const createWsPresenceChannel = (
  link: ExtensionLink,
  onInvalid: (error: Error) => void,
): PresenceChannel => {
  let unregister: (() => void) | undefined;
  return {
    open: (sink: PresenceSink) => {
      unregister = link.register({
        name: PRESENCE_FEATURE,
        onReady: () => sink.resend(),
        onLost: () => sink.onPeersReplaced({}),
        onMessage: (type, body) => {
          if (type === PresenceFrame.Peer) {
            const peer = parsePeerBody(body);
            if (peer !== undefined) {
              sink.onPeerState(peer.clientId, peer.state);
              return;
            }
          } else if (type === PresenceFrame.Snapshot) {
            const snapshot = parseSnapshotBody(body);
            if (snapshot !== undefined) {
              sink.onPeersReplaced(snapshot.peers);
              return;
            }
          }
          onInvalid(new Error(`invalid presence frame from the server: ${type}`));
        },
      });
    },
    send: (state) => {
      link.send(PRESENCE_FEATURE, PresenceFrame.Set, state);
    },
    close: () => {
      // The socket closing tells the server, which tells the room (§8.2).
      unregister?.();
      unregister = undefined;
    },
  };
};
