// UTF-8 sizes of JS strings, without encoding them. Lone surrogates count 3 bytes, as the encoder
// would replace them with U+FFFD.

// Sync payloads are mostly ASCII: a native regular-expression scan finds the first other character
// far faster than a loop over every code unit, and an all-ASCII string is one byte per unit.
const NON_ASCII = /[\u0080-\uffff]/;

export const utf8ByteLength = (text: string): number => {
  const firstNonAscii = text.search(NON_ASCII);
  if (firstNonAscii === -1) {
    return text.length;
  }
  let bytes = firstNonAscii;
  const length = text.length;
  for (let index = firstNonAscii; index < length; ) {
    const size = utf8BytesAt(text, index);
    bytes += size;
    index += size === 4 ? 2 : 1;
  }
  return bytes;
};

/**
 * Whether `text` takes at most `budget` UTF-8 bytes. Three bytes per UTF-16 unit is an upper bound,
 * so most texts need no exact count.
 */
export const fitsInUtf8Bytes = (text: string, budget: number): boolean =>
  text.length * 3 <= budget || (text.length <= budget && utf8ByteLength(text) <= budget);

/**
 * UTF-8 size of the code point that starts at `index`. 4 means a surrogate pair: the code point
 * takes two UTF-16 units.
 */
export const utf8BytesAt = (text: string, index: number): 1 | 2 | 3 | 4 => {
  const code = text.charCodeAt(index);
  if (code < 0x80) {
    return 1;
  }
  if (code < 0x800) {
    return 2;
  }
  if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) {
    return 4;
  }
  return 3;
};

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
