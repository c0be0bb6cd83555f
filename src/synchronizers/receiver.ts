// The two functions a synchronizer hands its transport (docs/protocol.md §5.5): `receive`, which validates
// every incoming message and dispatches it, and `fail`, by which the transport reports that it
// broke. Whatever goes wrong while handling a message is reported, never thrown at the transport.

import type {ContentHashes, Id, MergeableChanges} from '../store/types.js';
import type {ClockWatch} from './clock-watch.js';
import type {EngineContext} from './engine-context.js';
import {ErrorCode, SyncError, toError} from './errors.js';
import {validateMessage} from './messages.js';
import type {PullRunner} from './pull-runner.js';
import type {Responder} from './responder.js';
import {Message, type Receive} from './types.js';

export type Receiver = {receive: Receive; fail: (error: Error) => void};

export function createReceiver(
  context: EngineContext,
  clockWatch: ClockWatch,
  pulls: PullRunner,
  responder: Responder,
  onReceive: Receive | undefined,
  validatedByTransport: boolean,
): Receiver {
  function handleMessage(
    fromClientId: Id,
    requestId: Id | null,
    message: Message,
    body: unknown,
  ): void {
    const problem = validatedByTransport ? undefined : validateMessage(requestId, message, body);
    if (problem !== undefined) {
      context.reportError(
        new SyncError(
          ErrorCode.InvalidMessage,
          `invalid ${problem} (from peer ${JSON.stringify(fromClientId)})`,
        ),
      );
      return;
    }
    context.receives++;
    // Whatever the peer sends shows it is there: its pending requests wait their full time again.
    context.requests.noteTrafficFrom(fromClientId);
    onReceive?.(fromClientId, requestId, message, body);
    context.notifyMessage('received', fromClientId, requestId, message, body);
    // A peer that only saves does not take in what others announce or broadcast.
    const listening = context.loadsFromPeers();
    switch (message) {
      case Message.Response:
        context.requests.handleResponse(fromClientId, requestId, body);
        return;
      case Message.ContentHashes:
        if (listening) {
          pulls.onAnnouncement(fromClientId, body as ContentHashes, requestId ?? undefined);
        }
        return;
      case Message.ContentDiff:
        if (listening) {
          const changes = body as MergeableChanges;
          clockWatch.checkPeerChanges(changes, fromClientId);
          context.applyRemote(changes, 'ContentDiff', fromClientId);
        }
        return;
      default:
        responder.answer(fromClientId, requestId, message, body);
    }
  }

  return {
    receive: (fromClientId, requestId, message, body) => {
      if (context.destroyed) {
        return;
      }
      try {
        handleMessage(fromClientId, requestId, message, body);
      } catch (error) {
        context.reportError(toError(error));
      }
    },
    fail: (error) => {
      const failure =
        error instanceof Error ? error : new SyncError(ErrorCode.TransportFailure, String(error));
      context.requests.rejectAll(failure);
      context.reportError(failure);
    },
  };
}
