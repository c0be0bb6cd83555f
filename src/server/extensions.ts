// The server's end of the extension channel (docs/protocol.md §8.1). A client socket that chose the
// extension subprotocol says hello with the features it speaks; the server answers with those both
// speak, and from then on hands each feature's frames to that feature, here, never to the relay:
// extension frames reach no TinyBase client.
import type {FullMergeableStore} from '../store/mergeable-store.js';
import type {Id, MergeableChanges} from '../store/types.js';
import type {RoomChangeLog} from './delta-log.js';
import type {RoomMember} from './room.js';

/** What a feature sees of the room a frame arrived in. */
export interface RoomContext {
  readonly pathId: Id;
  /** Every member now in the room, the sender included. */
  getMembers(): RoomMember[];
  /** The room store, when the room has one (storage, a persister, or authorization). */
  getStore(): FullMergeableStore | undefined;
  /**
   * Rooms with durable storage: resolves once every save queued so far (everything received
   * before this call included) has finished, with how many saves ever failed. Undefined when the
   * room has no durable storage.
   */
  whenSaved(): Promise<number> | undefined;
  /**
   * Merges a client's change set into the room store as the room's own write: stored, and sent to
   * the room's clients by the store's synchronizer. Returns why it was refused, if it was: no
   * store, invalid changes, or a room whose writes must pass authorization's gate (§6.8).
   */
  applyClientChanges(changes: MergeableChanges): string | undefined;
  /** The room store's change sequence (docs/protocol.md §8.8), when the room has a store. */
  getChangeLog(): RoomChangeLog | undefined;
  /** Handles changes from `member` exactly as a ContentDiff it broadcast (gate, merge, relay). */
  mergeFrom(member: RoomMember, changes: MergeableChanges): void;
}

/** A feature's server end. Its calls are synchronous; a throw is reported, never fatal. */
export interface ServerFeature {
  readonly name: string;
  /** A frame of this feature from `member` (who negotiated it), once its room is ready. */
  onMessage(room: RoomContext, member: RoomMember, type: string, body: unknown): void;
  /** `member` left the room (its socket closed or it unsubscribed). */
  onLeave?(room: RoomContext, member: RoomMember): void;
}

/** A member's negotiated extension features, and how to send it a frame. */
export interface MemberExtensions {
  has(feature: string): boolean;
  send(feature: string, type: string, body: unknown): void;
}

/** The features the server answers a hello with: those of `offered` it has. */
export const negotiateFeatures = (
  offered: readonly string[],
  features: ReadonlyMap<string, ServerFeature>,
): Set<string> => new Set(offered.filter((name) => features.has(name)));
