// Payload framing of the WebSocket wire format (docs/protocol.md §6.2):
//   payload   = prefix + "\n" + remainder
//   remainder = JSON of [requestId, message, body], where every `undefined` travels as the
//               string "\uFFFC" (written raw, not escaped).
// The prefix is the destination client id on the way to a server and the source client id on the
// way back ("" = broadcast, "S" = the server's own store).
import {UNDEFINED_MARKER} from '../../store/cell.js';

/** A decoded protocol message: `[requestId, message, body]`. */
export type WireMessage = [requestId: string | null, message: number, body: unknown];

/** Splits a payload on its first newline. Undefined when there is none (invalid payload). */
export const splitPrefix = (payload: string): [prefix: string, remainder: string] | undefined => {
  const newline = payload.indexOf('\n');
  return newline === -1 ? undefined : [payload.slice(0, newline), payload.slice(newline + 1)];
};

/** JSON of `[requestId, message, body]` with `undefined` written as the marker string. */
export const encodeRemainder = (
  requestId: string | null,
  message: number,
  body: unknown,
): string => {
  const triple = [requestId, message, body];
  return stringifyWithMarker(triple);
};

/** JSON of `value` with every `undefined` written as the marker string (docs/protocol.md §6.2). */
export const stringifyWithMarker = (value: unknown): string =>
  // The native serializer is much faster without a replacer, and most bodies hold no tombstone.
  containsUndefined(value) ? JSON.stringify(value, replaceUndefined) : JSON.stringify(value);

/** Parses JSON, turning marker strings back into `undefined`; undefined when it is not JSON. */
export const parseWithMarker = (text: string): {value: unknown} | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return {value: text.includes(UNDEFINED_MARKER) ? restoreUndefined(parsed) : parsed};
};

/**
 * Parses a remainder into `[requestId, message, body]`, turning marker strings back into
 * `undefined`. Undefined when the text is not JSON or not a three-element array; the shape of
 * the body is checked later by the protocol validator.
 */
export const decodeRemainder = (remainder: string): WireMessage | undefined => {
  const parsed = parseWithMarker(remainder)?.value;
  return Array.isArray(parsed) && parsed.length === 3 ? (parsed as WireMessage) : undefined;
};

const replaceUndefined = (_key: string, value: unknown): unknown =>
  value === undefined ? UNDEFINED_MARKER : value;

const containsUndefined = (value: unknown): boolean => {
  if (value === undefined) {
    return true;
  }
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (containsUndefined(value[index])) {
        return true;
      }
    }
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && containsUndefined((value as Record<string, unknown>)[key])) {
      return true;
    }
  }
  return false;
};

/** Replaces, in place, every string exactly equal to the marker with `undefined`. */
const restoreUndefined = (value: unknown): unknown => {
  if (value === UNDEFINED_MARKER) {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      value[index] = restoreUndefined(value[index]);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const restored = restoreUndefined(record[key]);
    if (restored !== record[key]) {
      // A plain assignment to "__proto__" would hit the prototype setter instead of the own key
      // that JSON.parse created.
      Object.defineProperty(record, key, {
        value: restored,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return record;
};
