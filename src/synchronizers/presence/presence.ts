// One synchronizer's presence (docs/protocol.md §8.2): its own state, its peers' states and the
// listeners. The transport's PresenceChannel carries states; the throttle keeps this client to
// at most one update per PRESENCE_INTERVAL_MS on it. Without a channel presence stays local:
// getPresence returns what was set and no peer ever appears.
import type {Id} from '../../store/types.js';
import {checkPresenceState} from './state.js';
import {Throttle} from './throttle.js';
import type {
  PeersPresence,
  PresenceChannel,
  PresenceListenerOf,
  PresenceSink,
  PresenceState,
} from './types.js';

/** The shortest time between two presence updates from one client, on any transport. */
export const PRESENCE_INTERVAL_MS = 50;

const NO_PEERS: PeersPresence = Object.freeze({});

export class Presence<Owner> {
  readonly #listeners = new Map<Id, PresenceListenerOf<Owner>>();
  readonly #channel: PresenceChannel | undefined;
  readonly #throttle: Throttle<PresenceState | null>;
  readonly #getOwner: () => Owner;
  readonly #onError: (error: unknown) => void;
  #mine: PresenceState | null = null;
  /** A new frozen object on every change, so it can be compared by reference. */
  #peers: PeersPresence = NO_PEERS;
  #destroyed = false;

  /** `getOwner` gives the synchronizer handed to listeners; a listener that throws goes to `onError`. */
  constructor(
    channel: PresenceChannel | undefined,
    getOwner: () => Owner,
    onError: (error: unknown) => void,
  ) {
    this.#channel = channel;
    this.#getOwner = getOwner;
    this.#onError = onError;
    this.#throttle = new Throttle(PRESENCE_INTERVAL_MS, (state) => channel?.send(state));
    const sink: PresenceSink = {
      current: () => this.#mine,
      resend: () => this.#throttle.push(this.#mine),
      onPeerState: (peerId, state) => this.#setPeer(peerId, state),
      onPeersReplaced: (peers) => this.#replacePeers(peers),
    };
    channel?.open(sink);
  }

  get(): PresenceState | null {
    return this.#mine;
  }

  getPeers(): PeersPresence {
    return this.#peers;
  }

  /** Sets this client's state (null clears it); peers see it within PRESENCE_INTERVAL_MS. */
  set(state: unknown): void {
    const checked = checkPresenceState(state);
    if (this.#destroyed) {
      return;
    }
    this.#mine = checked === null ? null : Object.freeze({...checked});
    this.#throttle.push(this.#mine);
    this.#notify(null, this.#mine);
  }

  addListener(listenerId: Id, listener: PresenceListenerOf<Owner>): void {
    this.#listeners.set(listenerId, listener);
  }

  delListener(listenerId: Id): void {
    this.#listeners.delete(listenerId);
  }

  /** Tells peers this client is gone (where the transport can) and forgets every peer. */
  destroy(): void {
    if (this.#destroyed) {
      return;
    }
    this.#destroyed = true;
    this.#throttle.destroy();
    this.#channel?.close();
    this.#replacePeers(NO_PEERS);
    this.#listeners.clear();
  }

  #setPeer(peerId: Id, state: PresenceState | null): void {
    if (this.#destroyed || (state === null && !(peerId in this.#peers))) {
      return;
    }
    const peers: Record<Id, PresenceState> = {...this.#peers};
    if (state === null) {
      delete peers[peerId];
    } else {
      peers[peerId] = Object.freeze({...state});
    }
    this.#peers = Object.freeze(peers);
    this.#notify(peerId, state);
  }

  #replacePeers(next: PeersPresence): void {
    const before = this.#peers;
    const peers: Record<Id, PresenceState> = {};
    for (const [peerId, state] of Object.entries(next)) {
      peers[peerId] = Object.freeze({...state});
    }
    this.#peers = Object.keys(peers).length === 0 ? NO_PEERS : Object.freeze(peers);
    for (const peerId of Object.keys(before)) {
      if (!(peerId in peers)) {
        this.#notify(peerId, null);
      }
    }
    for (const [peerId, state] of Object.entries(peers)) {
      if (before[peerId] !== undefined && sameJson(before[peerId], state)) {
        continue;
      }
      this.#notify(peerId, state);
    }
  }

  #notify(peerId: Id | null, state: PresenceState | null): void {
    if (this.#listeners.size === 0) {
      return;
    }
    const owner = this.#getOwner();
    for (const listener of [...this.#listeners.values()]) {
      try {
        listener(owner, peerId, state);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

const sameJson = (a: PresenceState, b: PresenceState): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
