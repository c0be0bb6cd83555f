// Fragmentation of large messages (docs/protocol.md §6.3). Only the remainder (the JSON text) is split; each
// fragment frame is
//   prefix + "\n" + messageId + "\n" + index + "\n" + total + "\n" + fragmentText
// and a message that fits in one fragment is sent in the plain format.
import {createRandomId} from '../ids.js';
import {MAX_FRAGMENTS_PER_MESSAGE, RANDOM_ID_LENGTH} from './limits.js';
import {utf8ByteLength, utf8BytesAt} from './utf8.js';

/** A parsed fragment remainder. `text` is this fragment's slice of the message's JSON. */
export type Fragment = {messageId: string; index: number; total: number; text: string};

/**
 * Splits `remainder` into fragment remainders (without prefix) of at most `fragmentSize` UTF-8
 * bytes of text each, never splitting a code point. The size is raised when needed so that a
 * message never needs more fragments than receivers accept. Returns `[remainder]` when one frame
 * is enough, or when `fragmentSize` is undefined (fragmentation off).
 */
export const fragmentRemainder = (
  remainder: string,
  fragmentSize: number | undefined,
): string[] => {
  if (fragmentSize === undefined) {
    return [remainder];
  }
  const totalBytes = utf8ByteLength(remainder);
  const target = Math.max(
    Math.floor(fragmentSize),
    Math.ceil(totalBytes / MAX_FRAGMENTS_PER_MESSAGE) + 3,
  );
  if (totalBytes <= target) {
    return [remainder];
  }
  const texts = splitByUtf8Bytes(remainder, target);
  if (texts.length === 1) {
    return [remainder];
  }
  const messageId = createRandomId(RANDOM_ID_LENGTH);
  const total = texts.length;
  return texts.map((text, index) => `${messageId}\n${index}\n${total}\n${text}`);
};

/** Cuts `text` into pieces of at most `maxBytes` UTF-8 bytes (maxBytes >= 4). */
const splitByUtf8Bytes = (text: string, maxBytes: number): string[] => {
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  const length = text.length;
  for (let index = 0; index < length; ) {
    const size = utf8BytesAt(text, index);
    if (bytes + size > maxBytes) {
      pieces.push(text.slice(start, index));
      start = index;
      bytes = 0;
    }
    bytes += size;
    index += size === 4 ? 2 : 1;
  }
  pieces.push(text.slice(start));
  return pieces;
};

/** Whether a remainder has the shape of a fragment header (cheap check before parsing). */
export const looksLikeFragment = (remainder: string): boolean =>
  remainder.charCodeAt(RANDOM_ID_LENGTH) === 10 && isRandomIdAt(remainder, 0, RANDOM_ID_LENGTH);

/**
 * Parses a fragment remainder; undefined when it is not one. Index and total are checked for
 * being decimal numbers only; range rules are the reassembler's.
 */
export const parseFragment = (remainder: string): Fragment | undefined => {
  if (!looksLikeFragment(remainder)) {
    return undefined;
  }
  const indexStart = RANDOM_ID_LENGTH + 1;
  const indexEnd = remainder.indexOf('\n', indexStart);
  if (indexEnd === -1) {
    return undefined;
  }
  const totalEnd = remainder.indexOf('\n', indexEnd + 1);
  if (totalEnd === -1) {
    return undefined;
  }
  const indexText = remainder.slice(indexStart, indexEnd);
  const totalText = remainder.slice(indexEnd + 1, totalEnd);
  if (!isDecimal(indexText) || !isDecimal(totalText)) {
    return undefined;
  }
  return {
    messageId: remainder.slice(0, RANDOM_ID_LENGTH),
    index: Number(indexText),
    total: Number(totalText),
    text: remainder.slice(totalEnd + 1),
  };
};

const DECIMAL = /^\d+$/;
const isDecimal = (text: string): boolean => DECIMAL.test(text);

const ID_CHARACTER = /^[-0-9A-Z_a-z]$/;

/** Whether `text` holds `length` id-alphabet characters from `start`. */
const isRandomIdAt = (text: string, start: number, length: number): boolean => {
  if (text.length < start + length) {
    return false;
  }
  for (let index = start; index < start + length; index++) {
    if (!ID_CHARACTER.test(text[index]!)) {
      return false;
    }
  }
  return true;
};
