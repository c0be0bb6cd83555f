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

/** Hash of a cell or value stamp: fnv(JSON(thing ?? null) + ":" + hlc). */
export const getLeafHash = (thing: unknown, hlc: string): number =>
  fnvUpdate(fnvUpdate(FNV_OFFSET_BASIS, JSON.stringify(thing ?? null)), `:${hlc}`) >>> 0;

/** fnv(id + ":" + hash), the contribution of one child to its container's hash. */
export const getChildHashTerm = (id: string, hash: number): number =>
  fnvUpdate(fnvUpdate(FNV_OFFSET_BASIS, id), `:${hash}`) >>> 0;

/**
 * fnv(id) and fnv(id + ":" + hash) in one pass over the id: the row's bucket and its term in the
 * bucket's hash (hash buckets, docs/protocol.md §8.5).
 */
export const getIdHashAndChildTerm = (id: string, hash: number): [idHash: number, term: number] => {
  const idState = fnvUpdate(FNV_OFFSET_BASIS, id);
  return [idState >>> 0, fnvUpdate(idState, `:${hash}`) >>> 0];
};

/** The term a leaf-level container (row, values) adds per child: fnv(id:hash) ^ fnv(id:0). */
export const getLeafChildHashTerm = (id: string, hash: number): number =>
  (getChildHashTerm(id, hash) ^ getChildHashTerm(id, 0)) >>> 0;

/** The extra term for a container stamp that carries its own (non-empty) HLC. */
export const getContainerHlcTerm = (hlc: string): number => (hlc === '' ? 0 : fnv1a32(hlc));
