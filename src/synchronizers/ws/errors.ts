// Errors of the WebSocket transports and the close codes they map to (docs/protocol.md §7.3, §6.6). Each
// error's message is exactly TinyBase's code string (`tinybase:5`, `tinybase:7:<channelId>`, ...),
// so apps that match on TinyBase's codes keep working; syncstore's explanation of what happened
// travels separately, in `detail`.
import {ErrorCode, SyncError} from '../errors.js';

/** Close code for invalid traffic. */
const CLOSE_INVALID = 1007;
/** Close code for traffic beyond a limit ("try again later"). */
const CLOSE_OVERFLOW = 1013;
/** Close code when a server shuts down. */
export const CLOSE_GOING_AWAY = 1001;

/** What overflowed: the detail part of a `tinybase:15:<detail>` error. */
export type OverflowDetail =
  | 'requests'
  | 'controls'
  | 'socket'
  | 'fragments'
  | 'channels'
  | 'client'
  | 'server';

/** An error whose message is exactly a TinyBase code, with syncstore's explanation in `detail`. */
export class WsError extends SyncError {
  constructor(code: string, detail?: string) {
    super(code, detail);
    this.name = 'WsError';
  }
}

export const invalidMessageError = (detail?: string): Error =>
  new WsError(ErrorCode.InvalidMessage, detail);

export const overflowError = (what: OverflowDetail, detail?: string): Error =>
  new WsError(`${ErrorCode.Overflow}:${what}`, detail);

/** A transport failure: the link is down (`tinybase:5`; `reason` goes to `detail`). */
export const transportError = (reason?: string): Error =>
  new WsError(ErrorCode.TransportFailure, reason);

/** An error as a link reports it: one with a TinyBase code stays; any other becomes `tinybase:5`. */
export const asTransportError = (error: Error): Error =>
  error.message.startsWith('tinybase:') ? error : transportError(error.message);

/** Multiplex control codes in `tinybase:4:<control>` (Hello 0, Subscribe 1). */
export const controlTimeoutError = (control: number, detail: string): Error =>
  new WsError(`tinybase:4:${control}`, detail);

/** `tinybase:6:<channelId>`: the channel id is not a valid (or is an oversized) relative path. */
export const invalidChannelError = (channelId: string): Error =>
  new WsError(
    `tinybase:6:${channelId}`,
    'channel ids are non-empty relative paths of at most 1024 bytes',
  );

/** `tinybase:7:<channelId>`: the channel is already used on this socket. */
export const duplicateChannelError = (channelId: string): Error =>
  new WsError(`tinybase:7:${channelId}`, 'a channel id can be used once per socket');

/** `tinybase:9`: a multiplexed call on a socket already used in legacy mode. */
export const legacySocketError = (): Error =>
  new WsError('tinybase:9', 'this WebSocket is already used in legacy mode');

/** `tinybase:10`: a legacy call on a socket already used in multiplexed mode. */
export const multiplexedSocketError = (): Error =>
  new WsError('tinybase:10', 'this WebSocket is already used in multiplexed mode');

/** The close code a socket gets when its traffic caused `error`. */
export const closeCodeFor = (error: Error): number =>
  error.message.startsWith(ErrorCode.Overflow) ? CLOSE_OVERFLOW : CLOSE_INVALID;
