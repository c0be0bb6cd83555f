// How two syncstore peers recognise each other on a WebSocket and what their extension frames look
// like (docs/protocol.md §8.1). Nothing here ever reaches a TinyBase peer: a client only sends
// extension frames on a socket whose server chose the extension subprotocol, and the server only
// sends them to sockets that chose it.
import {setOwn} from '../../store/objects.js';
import {parseWithMarker, stringifyWithMarker} from '../ws/frames.js';

/**
 * The subprotocol a syncstore server chooses when a client offers it. A client offers it second,
 * after {@link PLAIN_SUBPROTOCOL}: a server that simply takes the first offer (TinyBase's, and
 * `ws` by default) then chooses the plain one, and the client knows at once, from the socket's
 * `protocol`, that it must speak TinyBase's protocol alone.
 */
export const EXTENSION_SUBPROTOCOL = 'syncstore.1';
/** The decoy offered first: it means "TinyBase's protocol, nothing more". */
export const PLAIN_SUBPROTOCOL = 'syncstore.0';
/** What a multiplexed syncstore client offers second, after TinyBase's `tinybase`. */
export const MULTIPLEX_EXTENSION_SUBPROTOCOL = 'syncstore.1.tinybase';

/** The subprotocols a syncstore client offers when the app gave none. */
export const LEGACY_OFFER = [PLAIN_SUBPROTOCOL, EXTENSION_SUBPROTOCOL];

/**
 * The prefix of every extension payload. Client ids on a syncstore server are `Sec-WebSocket-Key`
 * headers (base64, never `~`), the server's own id is `S` and a broadcast is empty, so no base
 * protocol payload starts this way.
 */
const EXTENSION_PREFIX = '~\n';

/** The feature every extension link speaks: the handshake. */
export const HANDSHAKE_FEATURE = 'syncstore';

/** One extension frame: which feature it belongs to, what kind of message it is, and its body. */
export type ExtensionFrame = {feature: string; type: string; body: unknown};

export const isExtensionPayload = (payload: string): boolean =>
  payload.startsWith(EXTENSION_PREFIX);

/**
 * A body field that is already JSON (written by stringifyWithMarker): a large part of an answer
 * that was encoded once, to measure it, goes into the frame as it is.
 */
export class EncodedJson {
  constructor(readonly json: string) {}
}

/**
 * `~\n[feature, type, body]`, with `undefined` travelling as in the base protocol (§6.2). Fields
 * of an object body that are EncodedJson are written from their JSON, after the others.
 */
export const encodeExtensionFrame = (feature: string, type: string, body: unknown): string => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return EXTENSION_PREFIX + stringifyWithMarker([feature, type, body]);
  }
  const plain: Record<string, unknown> = {};
  let encoded = '';
  for (const [key, value] of Object.entries(body)) {
    if (value instanceof EncodedJson) {
      encoded += `,${JSON.stringify(key)}:${value.json}`;
    } else {
      setOwn(plain, key, value);
    }
  }
  const text = stringifyWithMarker([feature, type, plain]);
  if (encoded === '') {
    return EXTENSION_PREFIX + text;
  }
  // text ends with the body's closing "}]": the encoded fields go in before it.
  const fields = text.endsWith('{}]') ? encoded.slice(1) : encoded;
  return `${EXTENSION_PREFIX}${text.slice(0, -2)}${fields}}]`;
};

/** The frame in an extension payload, or undefined when the payload is not a valid one. */
export const decodeExtensionFrame = (payload: string): ExtensionFrame | undefined => {
  if (!isExtensionPayload(payload)) {
    return undefined;
  }
  const parsed = parseWithMarker(payload.slice(EXTENSION_PREFIX.length))?.value;
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string'
  ) {
    return undefined;
  }
  return {feature: parsed[0], type: parsed[1], body: parsed[2]};
};

/** The handshake body: the features the sender speaks (the server's answer: those both speak). */
export type HelloBody = {features: string[]; nodeId?: string};

export const parseHelloBody = (body: unknown): HelloBody | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return undefined;
  }
  const {features, nodeId} = body as Record<string, unknown>;
  if (!Array.isArray(features) || !features.every((feature) => typeof feature === 'string')) {
    return undefined;
  }
  return typeof nodeId === 'string' ? {features, nodeId} : {features};
};
