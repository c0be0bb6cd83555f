// Presence between BroadcastChannel synchronizers (docs/protocol.md §8.2), on a channel of its
// own, `${name}\u001fpresence`, so that TinyBase's BroadcastChannel synchronizers on `name` never
// see it. Each post is [kind, fromClientId, state]:
//
//   'join'   a newcomer's state (or null); every peer with a state answers with its 'state'
//   'state'  a peer's state, on every change and again every heartbeat; null clears it
//   'bye'    the peer is destroyed
//
// A peer not heard from for TIMEOUT_HEARTBEATS heartbeats (a tab that was killed) is dropped.
import type {Id} from '../../store/types.js';
import {parsePresenceState} from './state.js';
import type {PresenceChannel, PresenceSink, PresenceState} from './types.js';

/** How often a peer with a state repeats it. */
export const PRESENCE_HEARTBEAT_MS = 5_000;
/** Heartbeats without a word after which a peer is dropped. */
export const TIMEOUT_HEARTBEATS = 3;

/**
 * The presence channel's name. The separator is U+001F, not U+0000: Node cuts a BroadcastChannel
 * name at a NUL, which would put presence on `channelName` itself, in front of TinyBase peers.
 */
export const presenceChannelName = (channelName: string): string => `${channelName}\u001fpresence`;

type Kind = 'join' | 'state' | 'bye';
const KINDS: ReadonlySet<unknown> = new Set<Kind>(['join', 'state', 'bye']);

export const createBroadcastPresenceChannel = (
  channelName: string,
  clientId: Id,
  onInvalid: (reason: string) => void,
): PresenceChannel => {
  let channel: BroadcastChannel | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Heartbeats since each known peer was last heard from. */
  const silence = new Map<Id, number>();

  const post = (kind: Kind, state: PresenceState | null) =>
    channel?.postMessage([kind, clientId, state]);

  const onMessage = (sink: PresenceSink, data: unknown) => {
    if (!Array.isArray(data) || data.length !== 3 || !KINDS.has(data[0])) {
      onInvalid('expected [kind, fromClientId, state]');
      return;
    }
    const [kind, fromClientId, body] = data as [Kind, unknown, unknown];
    const state = parsePresenceState(body);
    if (typeof fromClientId !== 'string' || state === undefined) {
      onInvalid('the sender id is not a string or the state is not an object or null');
      return;
    }
    if (kind === 'join') {
      const mine = sink.current();
      if (mine !== null) {
        post('state', mine);
      }
    }
    if (kind === 'bye' || state === null) {
      silence.delete(fromClientId);
      sink.onPeerState(fromClientId, null);
    } else {
      silence.set(fromClientId, 0);
      sink.onPeerState(fromClientId, state);
    }
  };

  const onHeartbeat = (sink: PresenceSink) => {
    const mine = sink.current();
    if (mine !== null) {
      post('state', mine);
    }
    for (const [peerId, beats] of silence) {
      if (beats + 1 >= TIMEOUT_HEARTBEATS) {
        silence.delete(peerId);
        sink.onPeerState(peerId, null);
      } else {
        silence.set(peerId, beats + 1);
      }
    }
  };

  return {
    open: (sink) => {
      channel = new BroadcastChannel(presenceChannelName(channelName));
      channel.onmessage = (event: MessageEvent) => onMessage(sink, event.data);
      heartbeat = setInterval(() => onHeartbeat(sink), PRESENCE_HEARTBEAT_MS);
      post('join', sink.current());
    },
    send: (state) => post('state', state),
    close: () => {
      clearInterval(heartbeat);
      heartbeat = undefined;
      post('bye', null);
      if (channel !== undefined) {
        channel.onmessage = null;
        channel.close();
        channel = undefined;
      }
      silence.clear();
    },
  };
};
