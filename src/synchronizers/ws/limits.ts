// Limits of the WebSocket wire format (docs/protocol.md §6.3, §6.6, §6.7). They match TinyBase's so that a
// peer accepted by one side is accepted by the other.

/** Largest frame, and largest amount of retained fragment text, in UTF-8 bytes (16 MiB). */
export const MAX_WEBSOCKET_BUFFER_SIZE = 16 * 1024 * 1024;
/**
 * Largest message this side generates, in UTF-8 bytes. Larger change sets go out in pieces
 * (splitting.ts). Half the socket limit, so that a message still fits while the socket has up to
 * 8 MiB of earlier frames waiting.
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Most payloads a client queue (or a server pre-readiness buffer) may hold. */
export const MAX_WEBSOCKET_QUEUE_SIZE = 1000;
/** Most fragments a single message may be split into. */
export const MAX_FRAGMENTS_PER_MESSAGE = 1000;
/** Most partially received fragmented messages a decoder buffers at once. */
export const MAX_PARTIAL_MESSAGES = 100;
/** Most channels one multiplexed socket may subscribe. */
export const MAX_CHANNELS_PER_SOCKET = 100;
/** Longest channel id, in UTF-8 bytes. */
export const MAX_CHANNEL_ID_BYTES = 1024;
/** Length of random ids (fragment message ids, multiplex control ids). */
export const RANDOM_ID_LENGTH = 16;
