// The per-message limit on what this side sends (limits.ts, MAX_MESSAGE_BYTES), checked before a
// message is framed or fragmented, so that an oversized change set is handed back to the engine
// to send in pieces instead of closing the socket.
import {MessageTooLarge} from '../errors.js';
import {getMessageName} from '../messages.js';
import {MAX_MESSAGE_BYTES} from './limits.js';
import {fitsInUtf8Bytes, utf8ByteLength} from './utf8.js';

/**
 * Throws MessageTooLarge if the encoded message (its remainder) is over the limit: 8 MiB, or a
 * lower one a client was given (WsConnectOptions.maxMessageBytes).
 */
export function checkMessageSize(
  message: number,
  remainder: string,
  maxBytes: number = MAX_MESSAGE_BYTES,
): void {
  if (!fitsInUtf8Bytes(remainder, maxBytes)) {
    const bytes = utf8ByteLength(remainder);
    throw new MessageTooLarge(getMessageName(message), bytes, maxBytes);
  }
}

/** A client's own message limit: a whole number of bytes, at least 1 and at most 8 MiB. */
export function checkMaxMessageBytes(maxBytes: unknown): number {
  if (
    !Number.isInteger(maxBytes) ||
    (maxBytes as number) < 1 ||
    (maxBytes as number) > MAX_MESSAGE_BYTES
  ) {
    throw new RangeError(
      `maxMessageBytes must be a whole number of bytes from 1 to ${MAX_MESSAGE_BYTES}, not ${String(maxBytes)}`,
    );
  }
  return maxBytes as number;
}
