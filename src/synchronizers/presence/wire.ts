// Presence frames on a WebSocket (docs/protocol.md §8.2), inside the extension frames of §8.1:
//
//   client -> server  ["presence","set",state | null]
//   server -> client  ["presence","snapshot",{peers: {clientId: state}}]   answers the first set
//                     ["presence","peer",{clientId, state | null}]          null: the peer is gone
import type {Id} from '../../store/types.js';
import {parsePeersPresence, parsePresenceState} from './state.js';
import type {PeersPresence, PresenceState} from './types.js';

export const PRESENCE_FEATURE = 'presence';

export const PresenceFrame = {Set: 'set', Snapshot: 'snapshot', Peer: 'peer'} as const;

export type PeerBody = {clientId: Id; state: PresenceState | null};
export type SnapshotBody = {peers: PeersPresence};

export const parsePeerBody = (body: unknown): PeerBody | undefined => {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const {clientId, state} = body as Record<string, unknown>;
  const parsed = parsePresenceState(state);
  return typeof clientId === 'string' && parsed !== undefined
    ? {clientId, state: parsed}
    : undefined;
};

export const parseSnapshotBody = (body: unknown): SnapshotBody | undefined => {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const peers = parsePeersPresence((body as Record<string, unknown>).peers);
  return peers === undefined ? undefined : {peers};
};
