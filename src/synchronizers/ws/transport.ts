// The engine-facing half of a WebSocket transport, shared by the legacy and the multiplexed
// modes: it turns the engine's send(to, requestId, message, body) into framed (and, if asked,
// fragmented) payloads, hands decoded incoming messages to the engine's receive, and reports the
// link's state to the engine (which pulls and announces whenever the link comes back online).

import type {OutboundQueue} from '../outbound.js';
import type {Connection, LinkDetails} from '../types.js';
import {Message, type Receive, type Send, type TransportLink} from '../types.js';
import type {DecodedMessage} from './decoder.js';
import {transportError} from './errors.js';
import {fragmentRemainder} from './fragments.js';
import {encodeRemainder} from './frames.js';
import {MAX_WEBSOCKET_BUFFER_SIZE} from './limits.js';
import {checkMessageSize} from './message-size.js';
import {fitsInUtf8Bytes} from './utf8.js';

/** Where a transport's payloads go: a legacy socket, or one channel of a multiplexed socket. */
export interface Outlet {
  /** Whether payloads can be sent now. */
  isReady(): boolean;
  /**
   * Sends one payload (`prefix + "\n" + remainder`), or queues it while the socket is full. Throws
   * an overflow error (having given up on the socket) when it can neither send nor queue it.
   */
  sendPayload(payload: string): void;
  /** See OutboundQueue.afterSent: counts the payloads queued in the client as well as the socket's. */
  afterSent(callback: () => void): () => void;
}

/** Whether `payload` fits in a socket that already holds `buffered` bytes (docs/protocol.md §6.7). */
export function payloadFits(buffered: number, payload: string): boolean {
  return fitsInUtf8Bytes(payload, MAX_WEBSOCKET_BUFFER_SIZE - buffered);
}

const isRequest = (message: number): boolean =>
  message !== Message.Response &&
  message !== Message.ContentHashes &&
  message !== Message.ContentDiff;

export class WsTransport {
  readonly #outlet: Outlet;
  readonly #fragmentSize: number | undefined;
  /** This side's message limit (message-size.ts). */
  readonly #maxMessageBytes: number | undefined;
  #receive: Receive | undefined;
  #link: TransportLink | undefined;
  #connection: Connection;
  /** The link details reported so far, handed to the engine when it attaches. */
  #details: LinkDetails = {};
  /** Whether this outage's error was reported: once per outage, not once per retry. */
  #failureReported = false;

  constructor(
    outlet: Outlet,
    fragmentSize: number | undefined,
    initialConnection: Connection,
    maxMessageBytes?: number,
  ) {
    this.#outlet = outlet;
    this.#fragmentSize = fragmentSize;
    this.#maxMessageBytes = maxMessageBytes;
    this.#connection = initialConnection;
  }

  /** The engine's send. Requests fail at once when the link is down; other messages are dropped
   * (the engine announces its content again when the link is back). */
  readonly send: Send = (toClientId, requestId, message, body) => {
    if (!this.#outlet.isReady()) {
      if (isRequest(message)) {
        throw transportError('the connection is not open');
      }
      return;
    }
    const prefix = toClientId ?? '';
    const remainder = encodeRemainder(requestId, message, body);
    checkMessageSize(message, remainder, this.#maxMessageBytes);
    const remainders = fragmentRemainder(remainder, this.#fragmentSize);
    for (const part of remainders) {
      this.#outlet.sendPayload(`${prefix}\n${part}`);
    }
  };

  /** For the engine's requests: when what was handed over has left this client. */
  readonly outbound: OutboundQueue = {afterSent: (callback) => this.#outlet.afterSent(callback)};

  readonly registerReceive = (receive: Receive): void => {
    this.#receive = receive;
  };

  /** Connects the engine's link reporting (the synchronizer, once created). */
  attach(link: TransportLink): void {
    this.#link = link;
    link.setConnection(this.#connection);
    link.setLinkDetails(this.#details);
  }

  /** Reports the node this transport is on and its unconfirmed changes (see TransportLink). */
  setLinkDetails(details: LinkDetails): void {
    this.#details = {...this.#details, ...details};
    this.#link?.setLinkDetails(details);
  }

  /** A fragment of a message from `peerId` arrived: the peer is sending (see notePeerActivity). */
  noteProgress(peerId: string): void {
    this.#link?.notePeerActivity(peerId);
  }

  deliver(decoded: DecodedMessage): void {
    this.#receive?.(decoded.prefix, decoded.requestId, decoded.message as Message, decoded.body);
  }

  /**
   * Reports the link's state. Only the first error after the link was last online reaches the
   * engine: an owned link that keeps failing to reconnect reports its outage once.
   */
  setConnection(connection: Connection, error?: Error): void {
    this.#connection = connection;
    if (connection === 'online') {
      this.#failureReported = false;
    }
    const reportError = error !== undefined && !this.#failureReported;
    if (error !== undefined) {
      this.#failureReported = true;
    }
    this.#link?.setConnection(connection, reportError ? error : undefined);
  }

  getConnection(): Connection {
    return this.#connection;
  }
}
