// The server's end of durable acknowledgements (docs/protocol.md §8.7). A client follows what it
// sends with a mark; the room answers the mark once every save queued before it has finished,
// which covers everything that client sent before the mark: frames of one socket are handled in
// order, and a room store merges (and queues the save of) a change set as it handles it. The
// feature is only offered by servers whose rooms have durable storage (feature-registry.ts).
import {
  ACK_FAILED,
  ACK_FEATURE,
  ACK_MARK,
  ACK_STORED,
  parseAckBody,
} from '../synchronizers/extensions/ack-wire.js';
import {invalidMessageError} from '../synchronizers/ws/errors.js';
import type {ServerFeature} from './extensions.js';
import type {RoomMember} from './room.js';

export const createAckFeature = (): ServerFeature => {
  /** Per member, the room's failed saves already told to it (with a `failed` answer). */
  const failuresTold = new WeakMap<RoomMember, number>();
  return {
    name: ACK_FEATURE,
    onMessage: (room, member, type, body) => {
      const mark = type === ACK_MARK ? parseAckBody(body) : undefined;
      if (mark === undefined) {
        member.fail(invalidMessageError(`invalid ${ACK_FEATURE} frame: ${type}`));
        return;
      }
      const saved = room.whenSaved();
      if (saved === undefined) {
        member.extensions?.send(ACK_FEATURE, ACK_FAILED, mark);
        return;
      }
      void saved.then((failures) => {
        if (!room.getMembers().includes(member)) {
          return;
        }
        // Any failed save since this member's last answer may have been one of its changes.
        const told = failuresTold.get(member) ?? 0;
        failuresTold.set(member, failures);
        member.extensions?.send(ACK_FEATURE, failures > told ? ACK_FAILED : ACK_STORED, mark);
      });
    },
  };
};
