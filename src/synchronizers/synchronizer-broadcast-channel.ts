// syncstore/synchronizers/synchronizer-broadcast-channel: synchronizes stores in the browser tabs,
// workers (or Node threads) of one origin over a BroadcastChannel (docs/protocol.md §6.1). Each message is
// posted as the structured-clone array [fromClientId, toClientId | null, requestId, message, body];
// every peer sees every message and keeps those addressed to it or to all.
import type {MergeableStoreLike} from '../store/schema-types.js';
import {ErrorCode, SyncError} from './errors.js';
import {createRandomId} from './ids.js';
import {createBroadcastPresenceChannel} from './presence/broadcast-channel.js';
import {type CustomSynchronizer, createCustomSynchronizer} from './synchronizer.js';
import type {IgnoredErrorListener, Message, Receive, Send} from './types.js';

/**
 * Tabs have their own event loops, so a peer busy with a large diff does not block this one's
 * timer; a failed pull is retried with a doubled timeout (pull-runner.ts), so this only sets how
 * long a lone tab's startSync waits and where the doubling starts.
 */
const BROADCAST_CHANNEL_REQUEST_TIMEOUT_SECONDS = 0.25;

/** A synchronizer whose peers are the other synchronizers on the same BroadcastChannel. */
export type BroadcastChannelSynchronizer = CustomSynchronizer & {
  /** The name of the BroadcastChannel this synchronizer talks on. */
  getChannelName(): string;
};

/**
 * Creates a synchronizer that syncs `store` with the stores of every other synchronizer on the
 * BroadcastChannel `channelName`: other tabs, windows and workers of the same origin. Malformed
 * messages on the channel are reported to `onIgnoredError` and in the sync status, never thrown.
 * Presence (setPresence, getPeersPresence) travels on the channel `${channelName}\u001fpresence`,
 * repeated every 5 s; a peer not heard from for three of those (10 to 15 s) is dropped, and a
 * destroyed one says goodbye.
 * `onSend` and `onReceive` are as in createCustomSynchronizer. Call startSync to begin; destroy()
 * closes the channel.
 *
 * @example
 * const synchronizer = createBroadcastChannelSynchronizer(store, 'todos');
 * await synchronizer.startSync();
 */
export function createBroadcastChannelSynchronizer(
  store: MergeableStoreLike,
  channelName: string,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
): BroadcastChannelSynchronizer {
  const clientId = createRandomId(16);
  const channel = new BroadcastChannel(channelName);

  const send: Send = (toClientId, requestId, message, body) => {
    channel.postMessage([clientId, toClientId, requestId, message, body]);
  };

  // An envelope that is not ours to parse is reported like any invalid message: to onIgnoredError
  // and in the status (setConnection with an unchanged connection does both). The message inside
  // a well-formed envelope is validated by the engine.
  const reportInvalid = (reason: string) => {
    synchronizer.setConnection(
      synchronizer.getSyncStatus().connection,
      new SyncError(
        ErrorCode.InvalidMessage,
        `invalid BroadcastChannel message on ${JSON.stringify(channelName)}: ${reason}`,
      ),
    );
  };

  const registerReceive = (receive: Receive) => {
    channel.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (!Array.isArray(data) || data.length !== 5) {
        reportInvalid('expected [fromClientId, toClientId, requestId, message, body]');
        return;
      }
      const [fromClientId, toClientId, requestId, message, body] = data;
      if (typeof fromClientId !== 'string') {
        reportInvalid('the sender id is not a string');
        return;
      }
      if (toClientId !== null && typeof toClientId !== 'string') {
        reportInvalid('the recipient id is neither null nor a string');
        return;
      }
      if (toClientId !== null && toClientId !== clientId) {
        return; // addressed to another peer on the channel
      }
      receive(fromClientId, requestId as string | null, message as Message, body);
    };
  };

  const destroy = () => {
    channel.onmessage = null;
    channel.close();
  };

  const synchronizer = createCustomSynchronizer(
    store,
    send,
    registerReceive,
    destroy,
    BROADCAST_CHANNEL_REQUEST_TIMEOUT_SECONDS,
    onSend,
    onReceive,
    onIgnoredError,
    {
      // On a channel of its own, so that TinyBase peers on channelName never see it (§8.2).
      presence: createBroadcastPresenceChannel(channelName, clientId, (reason) =>
        reportInvalid(`presence: ${reason}`),
      ),
    },
  );
  return Object.assign(synchronizer, {getChannelName: () => channelName});
}
