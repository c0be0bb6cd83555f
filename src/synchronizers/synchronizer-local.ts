// syncstore/synchronizers/synchronizer-local: synchronizes stores in the same JavaScript context,
// as TinyBase's LocalSynchronizer does (docs/protocol.md §6.1): peers meet in a module-level registry, each
// under a random 16-character client id, and every message is delivered with setTimeout(0).
import type {MergeableStoreLike} from '../store/schema-types.js';
import {DeliveryQueue} from './delivery-queue.js';
import {createRandomId} from './ids.js';
import {createLocalPresenceBus} from './presence/local-channel.js';
import {type CustomSynchronizer, createCustomSynchronizer} from './synchronizer.js';
import type {IgnoredErrorListener, Receive, Send} from './types.js';

/**
 * In-process messages cross no wire, and a blocked event loop (the peer computing a large diff)
 * does not count against a request (its answer is queued when the timeout is seen, and queued
 * messages are delivered first, see delivery-queue.ts), so a short timeout is safe: it only
 * decides how long a lone peer's startSync waits for an answer.
 */
const LOCAL_REQUEST_TIMEOUT_SECONDS = 0.05;

/** Presence between the same peers (docs/protocol.md §8.2). */
const localPresence = createLocalPresenceBus();
/** Every local synchronizer's receive function and queue of messages for it, by client id. */
const localPeers = new Map<string, {receive: Receive; inbound: DeliveryQueue}>();

/** A synchronizer whose peers are the other local synchronizers of this JavaScript realm. */
export type LocalSynchronizer = CustomSynchronizer;

/**
 * Creates a synchronizer that syncs `store` with every other store given a local synchronizer in
 * the same JavaScript realm: handy for tests and for stores shared between parts of one app.
 * Messages are delivered asynchronously (on the next macrotask), as over a network; destroy()
 * drops the ones still in flight. Presence (setPresence, getPeersPresence) reaches the same
 * peers, under their client ids, and is gone for them at once on destroy. `onSend`, `onReceive` and `onIgnoredError` are as in
 * createCustomSynchronizer. Call startSync to begin.
 *
 * @example
 * const synchronizer1 = createLocalSynchronizer(store1);
 * const synchronizer2 = createLocalSynchronizer(store2);
 * await synchronizer1.startSync();
 * await synchronizer2.startSync(); // store1 and store2 now stay merged
 */
export function createLocalSynchronizer(
  store: MergeableStoreLike,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
): LocalSynchronizer {
  const clientId = createRandomId(16);
  const inbound = new DeliveryQueue();
  /** Deliveries this synchronizer sent that have not run yet, each with its place in the queues. */
  const scheduledDeliveries = new Map<
    ReturnType<typeof setTimeout>,
    {queue: DeliveryQueue; id: number}[]
  >();

  const send: Send = (toClientId, requestId, message, body) => {
    // The recipients are fixed when sending, as they would be on a network.
    const recipients = (
      toClientId === null ? [...localPeers.keys()].filter((id) => id !== clientId) : [toClientId]
    ).flatMap((id) => {
      const peer = localPeers.get(id);
      return peer === undefined ? [] : [{peer, id: peer.inbound.enqueue()}];
    });
    const delivery = setTimeout(() => {
      scheduledDeliveries.delete(delivery);
      for (const {peer, id} of recipients) {
        try {
          peer.receive(clientId, requestId, message, body);
        } finally {
          peer.inbound.settle(id);
        }
      }
    }, 0);
    scheduledDeliveries.set(
      delivery,
      recipients.map(({peer, id}) => ({queue: peer.inbound, id})),
    );
  };

  const registerReceive = (receive: Receive) => {
    localPeers.set(clientId, {receive, inbound});
  };

  const destroy = () => {
    for (const [delivery, places] of scheduledDeliveries) {
      clearTimeout(delivery);
      for (const {queue, id} of places) {
        queue.settle(id);
      }
    }
    scheduledDeliveries.clear();
    localPeers.delete(clientId);
  };

  return createCustomSynchronizer(
    store,
    send,
    registerReceive,
    destroy,
    LOCAL_REQUEST_TIMEOUT_SECONDS,
    onSend,
    onReceive,
    onIgnoredError,
    {presence: localPresence.createChannel(clientId), inbound},
  );
}
