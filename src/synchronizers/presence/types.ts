// Presence's public types and the interface each transport implements (docs/protocol.md §8.2).
import type {Id} from '../../store/types.js';

/**
 * One client's presence: a small JSON object (a name, a colour, a cursor, the row being edited).
 * It is never stored and never merged into the store; peers only ever see the latest one.
 */
export type PresenceState = {readonly [key: string]: unknown};

/** The presence of every peer that has one, by peer id (the peer's client id on the transport). */
export type PeersPresence = Readonly<Record<Id, PresenceState>>;

/**
 * Called when a presence changes (a synchronizer's PresenceListener, for any owner): `peerId` is the peer whose state changed, or null for this
 * synchronizer's own; `state` is null when the peer has left, stopped answering, or cleared it.
 */
export type PresenceListenerOf<SynchronizerType> = (
  synchronizer: SynchronizerType,
  peerId: Id | null,
  state: PresenceState | null,
) => void;

/** What a transport tells about the peers' presence. */
export interface PresenceSink {
  /** This synchronizer's own state now, for transports that repeat or re-announce it. */
  current(): PresenceState | null;
  /** The transport can carry presence again (say after a reconnect): send the current state. */
  resend(): void;
  /** A peer's state arrived; null means it is gone. */
  onPeerState(peerId: Id, state: PresenceState | null): void;
  /** Every peer's state at once, replacing whatever was known (a snapshot, or {} when cut off). */
  onPeersReplaced(peers: PeersPresence): void;
}

/**
 * A transport's presence channel. `send` may be called at any time: a channel that cannot carry
 * it now drops it and calls the sink's resend once it can.
 */
export interface PresenceChannel {
  open(sink: PresenceSink): void;
  send(state: PresenceState | null): void;
  /** Tells peers this client is gone (when the transport can) and clears every owned timer. */
  close(): void;
}
