// UTF-8 byte length of a JS string, without encoding it. Lone surrogates count 3 bytes, as the
// encoder would replace them with U+FFFD.

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
  for (let index = firstNonAscii; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
};

export const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

export const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
