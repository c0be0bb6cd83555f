// Random identifiers used on the wire (docs/protocol.md §5.2): transaction ids, request ids and the client ids
// that in-process transports give themselves. All are drawn from the HLC alphabet, so they are
// URL- and JSON-safe and look like TinyBase's own.

const ID_ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

const TRANSACTION_ID_LENGTH = 11;
const REQUEST_SUFFIX_LENGTH = 4;

function fillRandomBytes(bytes: Uint8Array): Uint8Array {
  // Web Crypto exists in browsers, workers, Node >= 19 and React Native with a polyfill; fall back
  // to Math.random where it does not (ids need to be unique, not secret).
  const webCrypto = (globalThis as {crypto?: {getRandomValues?: (array: Uint8Array) => Uint8Array}})
    .crypto;
  if (webCrypto?.getRandomValues) {
    return webCrypto.getRandomValues(bytes);
  }
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Math.floor(Math.random() * 256);
  }
  return bytes;
}

/**
 * A random number in [0, 1) from the same source as the ids (so a simulation that seeds Web
 * Crypto replays it too): the jitter of backoff.ts.
 */
export function randomFraction(): number {
  const bytes = fillRandomBytes(new Uint8Array(4));
  return (((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0) / 2 ** 32;
}

/** A random id of `length` characters from the 64-character HLC alphabet. */
export function createRandomId(length = 16): string {
  const bytes = fillRandomBytes(new Uint8Array(length));
  let id = '';
  for (const byte of bytes) {
    id += ID_ALPHABET[byte & 63];
  }
  return id;
}

/** An 11-character transaction id, used bare on ContentHashes and ContentDiff broadcasts. */
export function createTransactionId(): string {
  return createRandomId(TRANSACTION_ID_LENGTH);
}

/** A request id: the transaction it belongs to, a dot, and four random characters. */
export function createRequestId(transactionId: string): string {
  return `${transactionId}.${createRandomId(REQUEST_SUFFIX_LENGTH)}`;
}

/** The transaction part of a request id (everything before the last dot), or the id itself. */
export function getTransactionIdOf(requestId: string): string {
  const dot = requestId.lastIndexOf('.');
  return dot === -1 ? requestId : requestId.slice(0, dot);
}
