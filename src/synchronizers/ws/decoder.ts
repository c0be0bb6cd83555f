// Turns incoming legacy payloads (docs/protocol.md §6.2, §6.3) into validated protocol messages. Used by the
// client transports and by the server, which both close a socket on the first invalid payload.
import {validateMessage} from '../messages.js';
import {invalidMessageError, overflowError} from './errors.js';
import {looksLikeFragment, parseFragment} from './fragments.js';
import {decodeRemainder, splitPrefix} from './frames.js';
import {MAX_WEBSOCKET_BUFFER_SIZE} from './limits.js';
import {FragmentReassembler} from './reassembly.js';
import {utf8ByteLength} from './utf8.js';

export type DecodedMessage = {
  status: 'message';
  prefix: string;
  requestId: string | null;
  message: number;
  body: unknown;
  /** The remainder(s) as received: one, or the fragments in index order. */
  remainders: string[];
  /** UTF-8 size of each remainder. */
  remainderBytes: number[];
};

/** `pending`: a fragment was taken in, of a message from `prefix` not yet complete. */
export type DecodeResult =
  | DecodedMessage
  | {status: 'pending'; prefix: string}
  | {status: 'error'; error: Error};

export class PayloadDecoder {
  readonly #reassembler: FragmentReassembler;

  /** `fragmentExpiryMs`: how long the fragments of an incomplete message are kept. */
  constructor(fragmentExpiryMs: number) {
    this.#reassembler = new FragmentReassembler({expiryMs: fragmentExpiryMs});
  }

  /** Forgets partially received messages (a new connection starts afresh). */
  reset(): void {
    this.#reassembler.clear();
  }

  /**
   * Decodes one payload. `byteLength` is the frame's size when the caller already knows it.
   * `scope` separates reassembly of messages that share a reassembler (a channel id).
   */
  decode(payload: string, byteLength?: number, scope = ''): DecodeResult {
    const split = splitPrefix(payload);
    const payloadBytes = byteLength ?? utf8ByteLength(payload);
    // Size comes first, as with TinyBase: an oversized frame is an overflow whatever it holds.
    if (payloadBytes > MAX_WEBSOCKET_BUFFER_SIZE) {
      const isFragment = split !== undefined && looksLikeFragment(split[1]);
      return {status: 'error', error: overflowError(isFragment ? 'fragments' : 'socket')};
    }
    if (split === undefined) {
      return {status: 'error', error: invalidMessageError()};
    }
    const [prefix, remainder] = split;
    const isFragment = looksLikeFragment(remainder);
    const remainderBytes = payloadBytes - utf8ByteLength(prefix) - 1;
    if (!isFragment) {
      return this.#decodeWhole(prefix, remainder, [remainder], [remainderBytes]);
    }
    const fragment = parseFragment(remainder);
    if (fragment === undefined) {
      return {status: 'error', error: invalidMessageError()};
    }
    const key = `${scope}\n${prefix}\n${fragment.messageId}`;
    const result = this.#reassembler.add(key, fragment, remainder, remainderBytes);
    if (result.status === 'pending') {
      return {status: 'pending', prefix};
    }
    if (result.status === 'error') {
      return result;
    }
    return this.#decodeWhole(prefix, result.text, result.remainders, result.remainderBytes);
  }

  #decodeWhole(
    prefix: string,
    text: string,
    remainders: string[],
    remainderBytes: number[],
  ): DecodeResult {
    const decoded = decodeRemainder(text);
    if (decoded === undefined) {
      return {status: 'error', error: invalidMessageError()};
    }
    const [requestId, message, body] = decoded;
    if (validateMessage(requestId, message, body) !== undefined) {
      return {status: 'error', error: invalidMessageError()};
    }
    return {status: 'message', prefix, requestId, message, body, remainders, remainderBytes};
  }
}
