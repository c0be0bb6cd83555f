// Presence between the local synchronizers of one JavaScript realm (docs/protocol.md §8.2): an
// in-process bus. States are delivered on the next macrotask, as the local synchronizer's
// messages are; a newcomer is handed the others' states the same way; a destroyed peer is gone
// for the others at once.
import type {Id} from '../../store/types.js';
import type {PresenceChannel, PresenceSink} from './types.js';

export type LocalPresenceBus = {createChannel(clientId: Id): PresenceChannel};

export const createLocalPresenceBus = (): LocalPresenceBus => {
  const members = new Map<Id, PresenceSink>();

  const createChannel = (clientId: Id): PresenceChannel => {
    const deliveries = new Set<ReturnType<typeof setTimeout>>();
    const later = (deliver: () => void) => {
      const delivery = setTimeout(() => {
        deliveries.delete(delivery);
        deliver();
      }, 0);
      deliveries.add(delivery);
    };
    return {
      open: (sink) => {
        members.set(clientId, sink);
        later(() => {
          for (const [peerId, peer] of members) {
            const state = peer.current();
            if (peerId !== clientId && state !== null) {
              sink.onPeerState(peerId, state);
            }
          }
        });
      },
      send: (state) => {
        // The recipients are fixed when sending, as on a network.
        const recipients = [...members].filter(([peerId]) => peerId !== clientId);
        later(() => {
          for (const [peerId, peer] of recipients) {
            if (members.get(peerId) === peer) {
              peer.onPeerState(clientId, state);
            }
          }
        });
      },
      close: () => {
        for (const delivery of deliveries) {
          clearTimeout(delivery);
        }
        deliveries.clear();
        members.delete(clientId);
        for (const peer of members.values()) {
          peer.onPeerState(clientId, null);
        }
      },
    };
  };
  return {createChannel};
};
