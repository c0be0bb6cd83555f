// The per-message limit on what this side sends (limits.ts, MAX_MESSAGE_BYTES), checked before a
// message is framed or fragmented, so that an oversized change set is handed back to the engine
// to send in pieces instead of closing the socket.
import {MessageTooLarge} from '../errors.js';
import {getMessageName} from '../messages.js';
import {MAX_MESSAGE_BYTES} from './limits.js';
import {fitsInUtf8Bytes, utf8ByteLength} from './utf8.js';

/** Throws MessageTooLarge if the encoded message (its remainder) is over the limit. */
export function checkMessageSize(message: number, remainder: string): void {
  if (!fitsInUtf8Bytes(remainder, MAX_MESSAGE_BYTES)) {
    const bytes = utf8ByteLength(remainder);
    throw new MessageTooLarge(getMessageName(message), bytes, MAX_MESSAGE_BYTES);
  }
}
