// An in-memory network the stories control: each pane's synchronizer is a custom synchronizer on
// this bus, and the story can cut a pane's link, or add latency, loss and duplication. Messages
// are copied with structuredClone, as a real wire would copy them, so stores never share objects.
import type {MergeableStore} from '../../src/store/types.js';
import {type CustomSynchronizer, createCustomSynchronizer} from '../../src/synchronizers/index.js';
import type {Receive, Send} from '../../src/synchronizers/types.js';

export type NetworkConditions = {
  /** Delay of every delivery, in milliseconds. */
  latencyMs: number;
  /** Extra random delay up to this many milliseconds, so messages can overtake each other. */
  jitterMs: number;
  /** Probability (0 to 1) that a message is lost. */
  lossRate: number;
  /** Probability (0 to 1) that a message is delivered twice. */
  duplicationRate: number;
};

export const PERFECT_NETWORK: NetworkConditions = {
  latencyMs: 0,
  jitterMs: 0,
  lossRate: 0,
  duplicationRate: 0,
};

/** What the bus counts, so a story can show what the network did. */
export type NetworkCounts = {sent: number; delivered: number; lost: number; duplicated: number};

type Peer = {receive?: Receive; online: boolean; synchronizer?: CustomSynchronizer};

/** A small seeded random generator (mulberry32): the same seed gives the same losses. */
const createRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
};

export type NetworkBus = ReturnType<typeof createNetworkBus>;

export const createNetworkBus = (
  conditions: NetworkConditions = PERFECT_NETWORK,
  seed = 1,
  requestTimeoutSeconds = 2,
) => {
  const peers = new Map<string, Peer>();
  const random = createRandom(seed);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const counts: NetworkCounts = {sent: 0, delivered: 0, lost: 0, duplicated: 0};
  // A copy that is replaced only when the counts change, so a component can read it with
  // useSyncExternalStore (which wants the same object back until something changed).
  let countsSnapshot: NetworkCounts = {...counts};
  const countListeners = new Set<() => void>();
  let current = {...conditions};

  const countChanged = () => {
    countsSnapshot = {...counts};
    for (const listener of countListeners) listener();
  };

  const deliverLater = (to: Peer, deliver: () => void) => {
    const delay = current.latencyMs + random() * current.jitterMs;
    const timer = setTimeout(() => {
      timers.delete(timer);
      // A link cut while the message was under way loses it.
      if (to.online) {
        counts.delivered++;
        deliver();
      } else {
        counts.lost++;
      }
      countChanged();
    }, delay);
    timers.add(timer);
  };

  const sendFrom =
    (fromId: string): Send =>
    (toId, requestId, message, body) => {
      const from = peers.get(fromId);
      if (from === undefined || !from.online) return;
      const recipientIds =
        toId === null ? [...peers.keys()].filter((peerId) => peerId !== fromId) : [toId];
      for (const recipientId of recipientIds) {
        const to = peers.get(recipientId);
        if (to === undefined) continue;
        counts.sent++;
        if (!to.online || random() < current.lossRate) {
          counts.lost++;
          continue;
        }
        const copies = random() < current.duplicationRate ? 2 : 1;
        if (copies === 2) counts.duplicated++;
        for (let copy = 0; copy < copies; copy++) {
          const wireBody = structuredClone(body);
          deliverLater(to, () => to.receive?.(fromId, requestId, message, wireBody));
        }
      }
      countChanged();
    };

  return {
    /** Creates the synchronizer of the peer `peerId`; it starts online unless told otherwise. */
    connect(store: MergeableStore, peerId: string, online = true): CustomSynchronizer {
      const peer: Peer = {online};
      peers.set(peerId, peer);
      peer.synchronizer = createCustomSynchronizer(
        store,
        sendFrom(peerId),
        (receive) => {
          peer.receive = receive;
        },
        () => {
          if (peers.get(peerId) === peer) peers.delete(peerId);
        },
        requestTimeoutSeconds,
        undefined,
        undefined,
        undefined,
        {initialConnection: online ? 'online' : 'offline'},
      );
      return peer.synchronizer;
    },
    /** Cuts or restores one peer's link; its synchronizer is told, and resyncs when back. */
    setOnline(peerId: string, online: boolean) {
      const peer = peers.get(peerId);
      if (peer === undefined || peer.online === online) return;
      peer.online = online;
      peer.synchronizer?.setConnection(online ? 'online' : 'offline');
    },
    isOnline: (peerId: string) => peers.get(peerId)?.online ?? false,
    setConditions(conditions: Partial<NetworkConditions>) {
      current = {...current, ...conditions};
    },
    getConditions: (): NetworkConditions => ({...current}),
    /** The counts so far; the same object until they change. */
    getCounts: (): NetworkCounts => countsSnapshot,
    addCountsListener(listener: () => void) {
      countListeners.add(listener);
      return () => countListeners.delete(listener);
    },
    /** Drops every message still under way. */
    destroy() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      countListeners.clear();
    },
  };
};
