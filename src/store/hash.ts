// 32-bit FNV-1a over UTF-8, the hash TinyBase uses for every stamp and container (docs/protocol.md §3).
// The state is kept as a signed 32-bit integer while hashing and made unsigned at the end.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 16777619;

/** Continues an FNV-1a state over the UTF-8 bytes of `text` (lone surrogates as U+FFFD). */
const fnvUpdate = (state: number, text: string): number => {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    let code = text.charCodeAt(index);
    if (code < 0x80) {
      state = Math.imul(state ^ code, FNV_PRIME);
      continue;
    }
    if (code < 0x800) {
      state = Math.imul(state ^ (0xc0 | (code >> 6)), FNV_PRIME);
      state = Math.imul(state ^ (0x80 | (code & 63)), FNV_PRIME);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const low = index + 1 < length ? text.charCodeAt(index + 1) : 0;
      if (code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const codePoint = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        index++;
        state = Math.imul(state ^ (0xf0 | (codePoint >> 18)), FNV_PRIME);
        state = Math.imul(state ^ (0x80 | ((codePoint >> 12) & 63)), FNV_PRIME);
        state = Math.imul(state ^ (0x80 | ((codePoint >> 6) & 63)), FNV_PRIME);
        state = Math.imul(state ^ (0x80 | (codePoint & 63)), FNV_PRIME);
        continue;
      }
      code = 0xfffd; // A lone surrogate is encoded as the replacement character, as TextEncoder does.
    }
    state = Math.imul(state ^ (0xe0 | (code >> 12)), FNV_PRIME);
    state = Math.imul(state ^ (0x80 | ((code >> 6) & 63)), FNV_PRIME);
    state = Math.imul(state ^ (0x80 | (code & 63)), FNV_PRIME);
  }
  return state;
};

export const fnv1a32 = (text: string): number => fnvUpdate(FNV_OFFSET_BASIS, text) >>> 0;

/** Continues a state over one ASCII character. */
const fnvByte = (state: number, code: number): number => Math.imul(state ^ code, FNV_PRIME);

/** Decimal digits of the integer being hashed, least significant first (no string per number). */
const digits = new Uint8Array(16);

/**
 * Continues a state over `String(number)` (also `JSON.stringify(number)` for finite numbers).
 * Integers below 2^53 are hashed digit by digit, without making the string.
 */
const fnvUpdateNumber = (state: number, number: number): number => {
  if (!Number.isSafeInteger(number)) {
    return fnvUpdate(state, String(number));
  }
  let rest = number;
  if (rest < 0) {
    state = fnvByte(state, 0x2d); // '-'
    rest = -rest;
  }
  let count = 0;
  do {
    const quotient = Math.floor(rest / 10);
    digits[count++] = rest - quotient * 10;
    rest = quotient;
  } while (rest > 0);
  while (count > 0) {
    state = fnvByte(state, 0x30 + digits[--count]!);
  }
  return state;
};

/** Whether JSON writes `text` other than as it is: a quote, backslash, control character or surrogate. */
const needsJsonEscaping = (text: string): boolean => {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return true;
    }
  }
  return false;
};

/**
 * Continues a state over `JSON.stringify(text)`. Strings that JSON writes as they are are hashed
 * in place between quotes; any other over its JSON.
 */
const fnvUpdateJsonString = (state: number, text: string): number =>
  needsJsonEscaping(text)
    ? fnvUpdate(state, JSON.stringify(text))
    : fnvByte(fnvUpdate(fnvByte(state, 0x22), text), 0x22);

/** Continues a state over `JSON.stringify(thing ?? null)`, without the string for common things. */
const fnvUpdateJson = (state: number, thing: unknown): number => {
  switch (typeof thing) {
    case 'string':
      return fnvUpdateJsonString(state, thing);
    case 'number':
      return Number.isFinite(thing) ? fnvUpdateNumber(state, thing) : fnvUpdate(state, 'null');
    case 'boolean':
      return fnvUpdate(state, thing ? 'true' : 'false');
    case 'undefined':
      return fnvUpdate(state, 'null');
    default:
      return fnvUpdate(state, JSON.stringify(thing ?? null));
  }
};

/** Continues a state over `":" + String(hash)`, the tail of a child's term. */
const fnvUpdateColonAndNumber = (state: number, hash: number): number =>
  fnvUpdateNumber(fnvByte(state, 0x3a), hash);

/** Hash of a cell or value stamp: fnv(JSON(thing ?? null) + ":" + hlc). */
export const getLeafHash = (thing: unknown, hlc: string): number =>
  fnvUpdate(fnvByte(fnvUpdateJson(FNV_OFFSET_BASIS, thing), 0x3a), hlc) >>> 0;

/** fnv(id + ":" + hash), the contribution of one child to its container's hash. */
export const getChildHashTerm = (id: string, hash: number): number =>
  fnvUpdateColonAndNumber(fnvUpdate(FNV_OFFSET_BASIS, id), hash) >>> 0;

/**
 * fnv(id) and fnv(id + ":" + hash) in one pass over the id: the row's bucket and its term in the
 * bucket's hash (hash buckets, docs/protocol.md §8.5).
 */
export const getIdHashAndChildTerm = (id: string, hash: number): [idHash: number, term: number] => {
  const idState = fnvUpdate(FNV_OFFSET_BASIS, id);
  return [idState >>> 0, fnvUpdateColonAndNumber(idState, hash) >>> 0];
};

/**
 * The term a leaf-level container (row, values) adds per child: fnv(id:hash) ^ fnv(id:0), the id
 * hashed once for both.
 */
export const getLeafChildHashTerm = (id: string, hash: number): number => {
  const idState = fnvUpdate(FNV_OFFSET_BASIS, id);
  return (fnvUpdateColonAndNumber(idState, hash) ^ fnvUpdateColonAndNumber(idState, 0)) >>> 0;
};

/** The extra term for a container stamp that carries its own (non-empty) HLC. */
export const getContainerHlcTerm = (hlc: string): number => (hlc === '' ? 0 : fnv1a32(hlc));
