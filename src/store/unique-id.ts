// getUniqueId: a random id from the 64 characters HLCs use, as TinyBase's root exports it.
import {HLC_ALPHABET} from './hlc.js';

/** A random id of `length` characters (16 by default), 6 random bits each. */
export const getUniqueId = (length = 16): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.max(0, length)));
  let id = '';
  for (const byte of bytes) {
    id += HLC_ALPHABET[byte & 63];
  }
  return id;
};
