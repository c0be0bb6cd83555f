// A bounded, observable log of one synchronizer's protocol messages and of the peers they came
// from or went to: the Inspector's data, with no React in it. It listens to the synchronizer
// (addMessageListener) only while something subscribes to it, so creating one during a render
// has no effect, and it only reads what passes: it never sends, writes or changes a message.
import type {Id} from '../store/types.js';
import {getMessageName} from '../synchronizers/messages.js';
import type {MessageDirection, MessageInfo, Synchronizer} from '../synchronizers/types.js';

/** How many messages the log keeps unless told otherwise: the newest ones. */
export const DEFAULT_MESSAGE_LIMIT = 200;

/** One logged message. */
export type MessageEntry = {
  /** Counts up from 1 for each message logged, so rows keep their keys as old ones drop out. */
  sequence: number;
  /** When it was sent or received (`Date.now()` milliseconds). */
  time: number;
  direction: MessageDirection;
  /** The peer it came from or went to; null when sent to every peer. */
  peerId: Id | null;
  /** The message type's name, such as 'ContentDiff'. */
  name: string;
  /** UTF-8 bytes of the message as JSON ([requestId, message, body]); NaN if not JSON-able. */
  bytes: number;
};

/** What the log saw of one peer. */
export type PeerSummary = {
  peerId: Id;
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  /** When a message last came from or went to it. */
  lastSeenAt: number;
};

export type MessageLogSnapshot = {
  /** The newest messages, oldest first, at most the log's limit. */
  entries: readonly MessageEntry[];
  /** Every peer seen since the log started listening, by id. */
  peers: readonly PeerSummary[];
  /** Messages seen in all, including those that dropped out of `entries`. */
  total: number;
};

export type MessageLog = {
  getSnapshot(): MessageLogSnapshot;
  /** Starts listening with the first subscriber, stops with the last; returns an unsubscribe. */
  subscribe(onChange: () => void): () => void;
};

const encoder = new TextEncoder();

/**
 * The size of a message as JSON, close to what the WebSocket transport sends (it adds the
 * client id). A body that cannot be serialized counts as NaN rather than breaking the log.
 */
export function messageBytes(info: Pick<MessageInfo, 'requestId' | 'message' | 'body'>): number {
  try {
    return encoder.encode(JSON.stringify([info.requestId, info.message, info.body])).length;
  } catch {
    return Number.NaN;
  }
}

const EMPTY_SNAPSHOT: MessageLogSnapshot = Object.freeze({entries: [], peers: [], total: 0});

export function createMessageLog(
  synchronizer: Synchronizer,
  limit: number = DEFAULT_MESSAGE_LIMIT,
): MessageLog {
  let snapshot = EMPTY_SNAPSHOT;
  const peers = new Map<Id, PeerSummary>();
  const subscribers = new Set<() => void>();
  let listenerId: Id | undefined;

  const notePeer = (entry: MessageEntry) => {
    if (entry.peerId === null) {
      return;
    }
    const peer = peers.get(entry.peerId) ?? {
      peerId: entry.peerId,
      sent: 0,
      received: 0,
      bytesSent: 0,
      bytesReceived: 0,
      lastSeenAt: entry.time,
    };
    const bytes = Number.isNaN(entry.bytes) ? 0 : entry.bytes;
    // Summaries are replaced, not changed, so a snapshot already handed out stays as it was.
    peers.set(
      entry.peerId,
      entry.direction === 'sent'
        ? {...peer, sent: peer.sent + 1, bytesSent: peer.bytesSent + bytes, lastSeenAt: entry.time}
        : {
            ...peer,
            received: peer.received + 1,
            bytesReceived: peer.bytesReceived + bytes,
            lastSeenAt: entry.time,
          },
    );
  };

  const onMessage = (info: MessageInfo) => {
    const entry: MessageEntry = {
      sequence: snapshot.total + 1,
      time: Date.now(),
      direction: info.direction,
      peerId: info.peerId,
      name: getMessageName(info.message),
      bytes: messageBytes(info),
    };
    notePeer(entry);
    const entries = [...snapshot.entries, entry];
    snapshot = {
      entries: entries.length > limit ? entries.slice(entries.length - limit) : entries,
      peers: [...peers.values()],
      total: entry.sequence,
    };
    for (const onChange of [...subscribers]) {
      onChange();
    }
  };

  return {
    getSnapshot: () => snapshot,
    subscribe: (onChange) => {
      subscribers.add(onChange);
      listenerId ??= synchronizer.addMessageListener(onMessage);
      return () => {
        subscribers.delete(onChange);
        if (subscribers.size === 0 && listenerId !== undefined) {
          synchronizer.delListener(listenerId);
          listenerId = undefined;
        }
      };
    },
  };
}
