// The server's end of presence (docs/protocol.md §8.2): each room member's last state, in memory
// only (never stored, never merged into the room's store), relayed to the room's other presence
// members and to no one else: TinyBase clients and plain sockets never see it. A member joins
// presence with its first `set`, which is answered with a snapshot of the others; when it leaves
// (its socket closed, or was cut by the heartbeat) the others hear it is gone.

import type {Id} from '../store/types.js';
import {parsePresenceState} from '../synchronizers/presence/state.js';
import type {PresenceState} from '../synchronizers/presence/types.js';
import {PRESENCE_FEATURE, PresenceFrame} from '../synchronizers/presence/wire.js';
import {invalidMessageError} from '../synchronizers/ws/errors.js';
import {utf8ByteLength} from '../synchronizers/ws/utf8.js';
import {jsonDepth, LimitError, type ResolvedLimits} from './client-limits.js';
import type {RoomContext, ServerFeature} from './extensions.js';
import type {RoomMember} from './room.js';

/** The members of one room that joined presence, with their states (null: none set). */
type RoomPresence = Map<Id, {member: RoomMember; state: PresenceState | null}>;

export const createPresenceFeature = (limits: ResolvedLimits): ServerFeature => {
  const rooms = new Map<Id, RoomPresence>();

  /** The state in a `set` body, or the error to close the member's socket with. */
  const checkSet = (body: unknown): PresenceState | null | Error => {
    const state = parsePresenceState(body);
    if (state === undefined) {
      return invalidMessageError('a presence state must be an object or null');
    }
    if (state === null) {
      return null;
    }
    // A state is bounded as one cell or value is (§6.9).
    const json = JSON.stringify(state);
    if (utf8ByteLength(json) > limits.maxValueBytes) {
      return new LimitError('value', `a presence state of over ${limits.maxValueBytes} bytes`);
    }
    if (jsonDepth(json) > limits.maxDepth) {
      return new LimitError('depth', `a presence state nested over ${limits.maxDepth} deep`);
    }
    return state;
  };

  const tellOthers = (room: RoomPresence, from: RoomMember, state: PresenceState | null) => {
    for (const {member} of room.values()) {
      if (member !== from) {
        member.extensions?.send(PRESENCE_FEATURE, PresenceFrame.Peer, {
          clientId: from.clientId,
          state,
        });
      }
    }
  };

  const onSet = (context: RoomContext, member: RoomMember, body: unknown) => {
    const state = checkSet(body);
    if (state instanceof Error) {
      member.fail(state);
      return;
    }
    let room = rooms.get(context.pathId);
    if (room === undefined) {
      room = new Map();
      rooms.set(context.pathId, room);
    }
    const entry = room.get(member.clientId);
    if (entry?.member !== member) {
      const peers: Record<Id, PresenceState> = {};
      for (const [clientId, other] of room) {
        if (other.state !== null) {
          peers[clientId] = other.state;
        }
      }
      member.extensions?.send(PRESENCE_FEATURE, PresenceFrame.Snapshot, {peers});
    }
    room.set(member.clientId, {member, state});
    // Clearing a state nobody saw tells nobody.
    if (state !== null || (entry?.member === member && entry.state !== null)) {
      tellOthers(room, member, state);
    }
  };

  return {
    name: PRESENCE_FEATURE,
    onMessage: (context, member, type, body) => {
      if (type !== PresenceFrame.Set) {
        member.fail(invalidMessageError(`no presence frame ${JSON.stringify(type)} from clients`));
        return;
      }
      onSet(context, member, body);
    },
    onLeave: (context, member) => {
      const room = rooms.get(context.pathId);
      const entry = room?.get(member.clientId);
      if (room === undefined || entry?.member !== member) {
        return;
      }
      room.delete(member.clientId);
      if (entry.state !== null) {
        tellOthers(room, member, null);
      }
      if (room.size === 0) {
        rooms.delete(context.pathId);
      }
    },
  };
};
