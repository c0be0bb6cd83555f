// Errors of the WebSocket transports and the close codes they map to (spec §3.7, §4.5). The
// messages use the engine's codes (errors.ts) so that logs and onIgnoredError handlers read the
// same whichever side produced them.
import {ErrorCode} from '../errors.js';

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

export const invalidMessageError = (): Error => new Error(ErrorCode.InvalidMessage);

export const overflowError = (detail: OverflowDetail): Error =>
  new Error(`${ErrorCode.Overflow}:${detail}`);

/** A transport failure: the link is down (`tinybase:5 <reason>`). */
export const transportError = (reason: string): Error =>
  new Error(`${ErrorCode.TransportFailure} ${reason}`);

/** The close code a socket gets when its traffic caused `error`. */
export const closeCodeFor = (error: Error): number =>
  error.message.startsWith(ErrorCode.Overflow) ? CLOSE_OVERFLOW : CLOSE_INVALID;
