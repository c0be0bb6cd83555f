// Hooks over a synchronizer's presence (docs/protocol.md §8.2): this client's own state with its
// setter, and the other peers with theirs. Each re-renders only when what it returns changes.
import {useCallback} from 'react';
import type {PeersPresence, PresenceState, Synchronizer} from '../synchronizers/types.js';
import {type SynchronizerOrSynchronizerId, useSynchronizerOrSynchronizerById} from './context.js';
import {type Reader, useListenable} from './listenable.js';

/** One other peer and its presence, as useOthers lists them. */
export type PeerPresence = {readonly peerId: string; readonly state: PresenceState};

const NO_OTHERS: readonly PeerPresence[] = Object.freeze([]);

// The synchronizer keeps its peers object while no peer changes, so one list per object will do.
const othersByPeers = new WeakMap<PeersPresence, readonly PeerPresence[]>();
const othersOf = (peers: PeersPresence): readonly PeerPresence[] => {
  let others = othersByPeers.get(peers);
  if (others === undefined) {
    others = Object.freeze(Object.entries(peers).map(([peerId, state]) => ({peerId, state})));
    othersByPeers.set(peers, others);
  }
  return others;
};

// A provider may hold a synchronizer from elsewhere (TinyBase's) that has no presence at all.
const hasPresence = (synchronizer: Synchronizer | undefined): synchronizer is Synchronizer =>
  typeof synchronizer?.addPresenceListener === 'function';

const listenToPresence = (synchronizer: Synchronizer, onChange: () => void) =>
  hasPresence(synchronizer) ? synchronizer.addPresenceListener(onChange) : '';

const myPresenceReader: Reader<Synchronizer, [], PresenceState | null> = {
  read: (synchronizer) => (hasPresence(synchronizer) ? synchronizer.getPresence() : null),
  listen: listenToPresence,
  empty: null,
};

const othersReader: Reader<Synchronizer, [], readonly PeerPresence[]> = {
  read: (synchronizer) =>
    hasPresence(synchronizer) ? othersOf(synchronizer.getPeersPresence()) : NO_OTHERS,
  listen: listenToPresence,
  empty: NO_OTHERS,
};

/**
 * This client's presence on the provider's synchronizer (or the one given, or with this id), and
 * a stable function that sets it (null clears it). Re-renders only when this client's presence
 * changes. Without a synchronizer the state is null and setting it does nothing.
 *
 * @example
 * function Cursor() {
 *   const [presence, setPresence] = useMyPresence();
 *   return <div onPointerMove={(event) => setPresence({x: event.clientX, y: event.clientY})} />;
 * }
 */
export function useMyPresence(
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): [PresenceState | null, (state: PresenceState | null) => void] {
  const synchronizer = useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId);
  const state = useListenable(synchronizer, myPresenceReader);
  const setState = useCallback(
    (next: PresenceState | null) => {
      if (hasPresence(synchronizer)) {
        synchronizer.setPresence(next);
      }
    },
    [synchronizer],
  );
  return [state, setState];
}

/**
 * The other peers that have a presence, each `{peerId, state}`: the same array while none of them
 * changes, so a component re-renders only on a presence change. Empty without a synchronizer.
 *
 * @example
 * function Avatars() {
 *   return useOthers().map(({peerId, state}) => <span key={peerId}>{String(state.name)}</span>);
 * }
 */
export function useOthers(
  synchronizerOrSynchronizerId?: SynchronizerOrSynchronizerId,
): readonly PeerPresence[] {
  return useListenable(
    useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId),
    othersReader,
  );
}
