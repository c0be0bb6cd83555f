// What a presence state may be (docs/protocol.md §8.2): a plain JSON object, or null for none.
// Checked where it enters: setPresence (a TypeError for the app) and every transport's receiver
// (invalid traffic).
import type {PeersPresence, PresenceState} from './types.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** The state, or undefined when `value` is neither a plain object nor null. */
export const parsePresenceState = (value: unknown): PresenceState | null | undefined =>
  value === null || isPlainObject(value) ? value : undefined;

/**
 * The state an app gave to setPresence, checked: a plain object that JSON can carry, or null.
 * Throws a TypeError saying what is wrong otherwise.
 */
export const checkPresenceState = (value: unknown): PresenceState | null => {
  if (parsePresenceState(value) === undefined) {
    throw new TypeError('a presence state must be a plain object or null');
  }
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`a presence state must be JSON: ${(error as Error).message}`);
  }
  return value as PresenceState | null;
};

/** `{peerId: state}`, or undefined when it is not an object of valid states. */
export const parsePeersPresence = (value: unknown): PeersPresence | undefined => {
  if (!isPlainObject(value)) {
    return undefined;
  }
  for (const state of Object.values(value)) {
    if (state === null || parsePresenceState(state) === undefined) {
      return undefined;
    }
  }
  return value as PeersPresence;
};
