// The transport-independent synchronizer engine (docs/protocol.md §5; the Persister methods are TinyBase's): TinyBase's protocol, message for
// message, over any `send` / `registerReceive` pair, plus syncstore's sync status, connection
// handling and retries.
//
// Sync status transitions (getSyncStatus / addSyncStatusListener; listeners fire only when a field
// changes):
//
//   connection  starts as `link.initialConnection` (default 'online'); then whatever the transport
//               reports through setConnection(). destroy() sets 'offline'.
//   phase       'idle'    before startSync, after stopSync/destroy, while the connection is not
//                         'online', when a pull found no peer to answer its GetContentHashes (a
//                         lone peer is not an error), and when confirming (below) gave up: the
//                         peer did not answer, or its hashes stayed different for 3 rounds (say it
//                         rejects this peer's changes because this clock runs ahead).
//               'syncing' while a pull runs (startSync's load, a pull triggered by a peer's
//                         ContentHashes, the pull after a reconnect), while a retry of a failed pull
//                         is scheduled, and after a pull that ended with hashes different from the
//                         peer's, until that is settled: the peer pulls what this one announced, or
//                         a directed GetContentHashes shortly after finds equal hashes (see
//                         confirmation.ts).
//               'synced'  when a pull ends with this peer's content hashes equal to the other's,
//                         when a peer finished pulling what this peer announced (confirmed by
//                         asking it while this clock runs ahead), or when confirming finds equal
//                         hashes.
//   pendingChanges  grows with each distinct cell/value changed locally while auto-saving but not
//               'online' (or when a ContentDiff could not be sent); back to 0 when this peer
//               announces its content (ContentHashes) on an open transport, i.e. on reconnect.
//   lastSyncedAt   Date.now() whenever phase becomes (or is confirmed) 'synced'.
//   error       the last problem: an invalid or rejected message, a rejected change set, a timeout,
//               an overflow, a transport failure, or this peer's clock running ahead of its peers.
//               A later successful sync clears it, except the clock warning, which only clears
//               when a peer's edit shows the clocks agree again.
//   node, unconfirmedChanges  only what the transport reports (setLinkDetails): the WebSocket
//               client's node, and its changes the server has not yet confirmed stored
//               (docs/protocol.md §7.4, §8.7). Absent otherwise.
//
// The engine's parts, each in its own module: engine-context.ts (shared state, reporting, echo
// suppression), broadcaster.ts (local changes and announcements), pull.ts and pull-runner.ts (the
// pull, its timeouts and retries), confirmation.ts (confirming 'synced'), splitting.ts (change
// sets too large for one message), responder.ts (answers), receiver.ts (incoming messages),
// clock-watch.ts (clock skew) and lifecycle.ts (the public surface). This module wires them.

import type {MergeableStoreLike} from '../store/schema-types.js';
import type {MergeableStore} from '../store/types.js';
import {Broadcaster, type LocalChangesOut} from './broadcaster.js';
import {ClockWatch} from './clock-watch.js';
import type {InboundQueue} from './delivery-queue.js';
import {EngineContext} from './engine-context.js';
import {toError} from './errors.js';
import {createSynchronizerSurface} from './lifecycle.js';
import type {OutboundQueue} from './outbound.js';
import {Presence} from './presence/presence.js';
import type {PresenceChannel} from './presence/types.js';
import {type PullChanges, PullRunner} from './pull-runner.js';
import {createReceiver} from './receiver.js';
import {Responder} from './responder.js';
import type {ResyncStrategy} from './resync.js';
import type {
  Connection,
  IgnoredErrorListener,
  Receive,
  RegisterReceive,
  Send,
  Synchronizer,
  TransportLink,
} from './types.js';

/**
 * syncstore's optional 9th argument to createCustomSynchronizer, for transports that know more
 * about their link than TinyBase's transports do.
 */
export type CustomSynchronizerOptions = {
  /**
   * The transport's link state at creation (default 'online'); later changes are reported
   * through the synchronizer's setConnection.
   */
  initialConnection?: Connection;
  /**
   * The transport hands over only messages it has already checked with validateMessage (the
   * WebSocket decoder does, to close offending sockets with 1007), so the engine need not check
   * them again: a large diff is then walked once, not twice.
   */
  validatedByTransport?: boolean;
  /**
   * Announce (ContentHashes to everyone) whatever a pull brought, once merged. For a hub that
   * relays between peers, such as a server room's store: content it pulled from one client is
   * never relayed, and a TinyBase client does not announce again after pulling, so without this
   * a client that missed the first announcement (it was reconnecting) is never told. Peers that
   * already hold it see equal hashes and do nothing. docs/protocol.md §7.7.
   */
  announcesPulledChanges?: boolean;
  /**
   * Once a peer's pull from this one has ended, ask it for its hashes (one GetContentHashes per
   * pull) and pull from it if they differ. For a hub such as a server room's store: a peer may
   * hold changes it never announces (a TinyBase peer's edit whose ContentDiff was lost, or made
   * while it was not syncing, or one a syncstore peer pulled from such a peer), and only the hub
   * relays to everyone. docs/protocol.md §7.7.
   */
  checksPullers?: boolean;
  /**
   * How the transport carries presence (docs/protocol.md §8.2). Without one, setPresence keeps
   * the state local and getPeersPresence stays empty.
   */
  presence?: PresenceChannel;
  /**
   * For in-process transports (peers sharing this thread's event loop): the messages queued for
   * this synchronizer and not yet delivered. A request whose timeout passes while some are queued
   * waits for them before failing, since a peer busy computing a large diff blocked the loop and
   * its answer is most likely among them (docs/protocol.md §7.3). See DeliveryQueue.
   */
  inbound?: InboundQueue;
  /**
   * For transports that queue outgoing frames (the WebSocket client): when what was handed over
   * has been written out. A request's deadline starts then (docs/protocol.md §7.3, outbound.ts).
   */
  outbound?: OutboundQueue;
  /**
   * Told which local changes left this peer and how (a transport confirming what its server
   * stored counts them, docs/protocol.md §8.7).
   */
  onLocalChangesOut?: LocalChangesOut;
  /**
   * Pulls in place of the base protocol's pull, for a transport whose peer speaks protocol
   * extensions (the WebSocket client's, docs/protocol.md §8.5, §8.6). It falls back to the base
   * pull itself whenever the extensions cannot serve.
   */
  pull?: PullChanges;
  /**
   * Replaces the base protocol's resync after a reconnect, and load()'s pull, when it can (delta
   * resync between syncstore peers, docs/protocol.md §8.8); the base protocol otherwise.
   */
  resync?: ResyncStrategy;
};

/** A Synchronizer whose transport can report its link. */
export type CustomSynchronizer = Synchronizer & TransportLink;

/**
 * Creates a synchronizer over a transport given as functions (docs/protocol.md §5.1): `send` a message to a
 * peer (or `null` for all), `registerReceive` to be handed the function that takes incoming ones
 * (and a `fail` function to report a broken transport), and `destroy` to tear the transport down.
 *
 * `requestTimeoutSeconds` bounds how long a request waits for its answer; a pull that times out
 * is retried with backoff. `onSend` and `onReceive` see every message (for logging), and
 * `onIgnoredError` every rejected message or failure. The result is not started: call startSync.
 * It also has setConnection, through which the transport reports its link.
 *
 * @example
 * const synchronizer = createCustomSynchronizer(store, relay.send, relay.listen, relay.close, 1);
 * await synchronizer.startSync(); // relay: a transport with the three functions above
 */
export function createCustomSynchronizer(
  store: MergeableStoreLike,
  send: Send,
  registerReceive: RegisterReceive,
  destroyTransport: () => void,
  requestTimeoutSeconds: number,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
  link?: CustomSynchronizerOptions,
): CustomSynchronizer {
  const context = new EngineContext(
    store as MergeableStore,
    send,
    onSend,
    onIgnoredError,
    link?.initialConnection ?? 'online',
    link?.inbound,
    link?.outbound,
  );
  const clockWatch = new ClockWatch(context);
  const broadcaster = new Broadcaster(context, clockWatch, link?.onLocalChangesOut);
  const pulls = new PullRunner(
    context,
    broadcaster,
    Math.max(0, requestTimeoutSeconds * 1000),
    link?.announcesPulledChanges ?? false,
    link?.pull,
    link?.checksPullers ?? false,
  );
  const responder = new Responder(context, broadcaster, pulls);
  const receiver = createReceiver(
    context,
    clockWatch,
    pulls,
    responder,
    onReceive,
    link?.validatedByTransport ?? false,
  );
  const presence = new Presence<Synchronizer>(
    link?.presence,
    () => context.synchronizer,
    (error) => context.reportError(toError(error), false),
  );
  const synchronizer = createSynchronizerSurface(
    context,
    broadcaster,
    pulls,
    presence,
    destroyTransport,
    link?.resync,
  );
  context.synchronizer = synchronizer;
  registerReceive(receiver.receive, receiver.fail);
  return synchronizer;
}
