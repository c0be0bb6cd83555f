// Errors of the WebSocket transports and the close codes they map to (spec §3.7, §4.5). The
// messages follow TinyBase's `tinybase:<code>[:<details>]` convention so that logs and
// onIgnoredError handlers read the same whichever side produced them.

/** Close code for invalid traffic. */
export const CLOSE_INVALID = 1007;
/** Close code for traffic beyond a limit ("try again later"). */
export const CLOSE_OVERFLOW = 1013;
/** Close code when a server shuts down. */
export const CLOSE_GOING_AWAY = 1001;

export const INVALID_MESSAGE = 'tinybase:14';
export const TRANSPORT_FAILURE = 'tinybase:5';

/** What overflowed: the detail part of a `tinybase:15:<detail>` error. */
export type OverflowDetail =
  | 'requests'
  | 'controls'
  | 'socket'
  | 'fragments'
  | 'channels'
  | 'client'
  | 'server';

export const invalidMessageError = (): Error => new Error(INVALID_MESSAGE);

export const overflowError = (detail: OverflowDetail): Error => new Error(`tinybase:15:${detail}`);

export const transportError = (): Error => new Error(TRANSPORT_FAILURE);

export const isOverflowError = (error: Error): boolean => error.message.startsWith('tinybase:15');

/** The close code a socket gets when its traffic caused `error`. */
export const closeCodeFor = (error: Error): number =>
  isOverflowError(error) ? CLOSE_OVERFLOW : CLOSE_INVALID;
