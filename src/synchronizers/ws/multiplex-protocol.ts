// The multiplexed mode of the wire format (docs/protocol.md §6.5): several channels over one socket opened
// with the `tinybase` subprotocol. Control messages travel as `S\n[id, -1, [control, arg]]`;
// channel traffic as `M\n<channelId>\n<legacy payload>`.
import {MAX_CHANNEL_ID_BYTES} from './limits.js';
import {utf8ByteLength} from './utf8.js';

export const MULTIPLEX_SUBPROTOCOL = 'tinybase';
export const CONTROL_MESSAGE = -1;
export const MULTIPLEX_VERSION = 1;

export const Control = {Hello: 0, Subscribe: 1, Unsubscribe: 2} as const;
export type Control = (typeof Control)[keyof typeof Control];

export type ControlMessage =
  | {control: typeof Control.Hello; requestId: string; arg: typeof MULTIPLEX_VERSION}
  | {control: typeof Control.Subscribe; requestId: string; arg: string}
  | {control: typeof Control.Unsubscribe; requestId: null; arg: string};

const CONTROL_PREFIX = 'S\n';
const CHANNEL_PREFIX = 'M\n';

export const encodeControl = (
  requestId: string | null,
  control: Control,
  arg: string | number,
): string => `${CONTROL_PREFIX}${JSON.stringify([requestId, CONTROL_MESSAGE, [control, arg]])}`;

/** Parses a control payload (`S\n...`); undefined when its shape is not one of the three. */
export const parseControl = (payload: string): ControlMessage | undefined => {
  if (!payload.startsWith(CONTROL_PREFIX)) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.slice(CONTROL_PREFIX.length));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[1] !== CONTROL_MESSAGE) {
    return undefined;
  }
  const [requestId, , body] = parsed as [unknown, number, unknown];
  if (!Array.isArray(body) || body.length !== 2) {
    return undefined;
  }
  const [control, arg] = body as [unknown, unknown];
  if (control === Control.Hello && typeof requestId === 'string' && arg === MULTIPLEX_VERSION) {
    return {control, requestId, arg};
  }
  if (control === Control.Subscribe && typeof requestId === 'string' && typeof arg === 'string') {
    return {control, requestId, arg};
  }
  if (control === Control.Unsubscribe && requestId === null && typeof arg === 'string') {
    return {control, requestId, arg};
  }
  return undefined;
};

export const encodeChannelFrame = (channelId: string, innerPayload: string): string =>
  `${CHANNEL_PREFIX}${channelId}\n${innerPayload}`;

/** UTF-8 bytes a channel frame adds to its inner payload: `M\n<channelId>\n`. */
export const channelFrameOverhead = (channelId: string): number =>
  CHANNEL_PREFIX.length + utf8ByteLength(channelId) + 1;

export const isChannelPayload = (payload: string): boolean => payload.startsWith(CHANNEL_PREFIX);

/** Splits `M\n<channelId>\n<inner>`; undefined when the payload is not a channel frame. */
export const parseChannelFrame = (
  payload: string,
): [channelId: string, innerPayload: string] | undefined => {
  if (!isChannelPayload(payload)) {
    return undefined;
  }
  const channelEnd = payload.indexOf('\n', CHANNEL_PREFIX.length);
  return channelEnd === -1
    ? undefined
    : [payload.slice(CHANNEL_PREFIX.length, channelEnd), payload.slice(channelEnd + 1)];
};

export type ChannelIdCheck = 'valid' | 'invalid' | 'oversized';

/**
 * Channel ids are relative paths: non-empty, at most 1024 UTF-8 bytes, no newline, carriage
 * return, `?` or `#`, and no empty, `.` or `..` segment.
 */
export const checkChannelId = (channelId: unknown): ChannelIdCheck => {
  if (typeof channelId !== 'string' || channelId === '') {
    return 'invalid';
  }
  if (channelId.length > MAX_CHANNEL_ID_BYTES || utf8ByteLength(channelId) > MAX_CHANNEL_ID_BYTES) {
    return 'oversized';
  }
  if (/[\n\r?#]/.test(channelId)) {
    return 'invalid';
  }
  for (const segment of channelId.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      return 'invalid';
    }
  }
  return 'valid';
};

/** The room (path) of a channel below a socket's base path. */
export const channelPath = (basePath: string, channelId: string): string =>
  basePath === '' ? channelId : `${basePath}/${channelId}`;
