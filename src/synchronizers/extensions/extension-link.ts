// The client's end of the extension channel on one transport (docs/protocol.md §8.1). Features
// (presence, delta resync, acknowledgements, ...) register here; the transport opens the link when
// its socket opens with the extension subprotocol and closes it when the socket closes.
//
// States, and what each waits for:
// - 'unavailable': no socket, or the peer speaks TinyBase's protocol only. Waits for a socket that
//   opens with the extension subprotocol.
// - 'negotiating': our hello is sent. Waits for the server's hello, which a syncstore server sends
//   once this client is admitted to the room (after authorize), or for the socket to close.
// - 'ready': the features both ends speak are known; features may send.
import {toError} from '../errors.js';
import {
  type ExtensionFrame,
  encodeExtensionFrame,
  HANDSHAKE_FEATURE,
  parseHelloBody,
} from './wire.js';

export type ExtensionLinkState = 'unavailable' | 'negotiating' | 'ready';

/** A feature's end of the link. */
export interface ExtensionFeature {
  /** The feature's name on the wire; both ends must speak it for it to be used. */
  readonly name: string;
  /** The link became ready and the peer speaks this feature: it may send from now on. */
  onReady?(): void;
  /** A frame of this feature arrived. */
  onMessage(type: string, body: unknown): void;
  /** The link is gone (socket closed or destroyed); nothing more can be sent until onReady. */
  onLost?(): void;
}

/** What a negotiated peer told about itself in its hello. */
export type PeerInfo = {features: ReadonlySet<string>; nodeId: string | undefined};

/**
 * Writes one payload on the socket; false when the socket is closing (its close event, which
 * closes this link, has not come yet): the frame is dropped, as the socket would drop it.
 */
export type SendPayload = (payload: string) => boolean;

export class ExtensionLink {
  readonly #features = new Map<string, ExtensionFeature>();
  readonly #stateListeners = new Set<(state: ExtensionLinkState) => void>();
  readonly #onError: (error: Error) => void;
  #state: ExtensionLinkState = 'unavailable';
  #sendPayload: SendPayload | undefined;
  #peer: PeerInfo | undefined;

  /** `onError` receives a feature's own faults and invalid frames, which never escape. */
  constructor(onError: (error: Error) => void) {
    this.#onError = onError;
  }

  getState(): ExtensionLinkState {
    return this.#state;
  }

  /** The features both ends speak, once ready (empty before). */
  getFeatures(): string[] {
    return this.#peer === undefined ? [] : [...this.#peer.features];
  }

  getPeer(): PeerInfo | undefined {
    return this.#peer;
  }

  /** Whether `feature` may be used now. */
  has(feature: string): boolean {
    return this.#state === 'ready' && this.#peer?.features.has(feature) === true;
  }

  /** Adds a feature; it is offered in the next hello (a link already open renegotiates). */
  register(feature: ExtensionFeature): () => void {
    if (feature.name === HANDSHAKE_FEATURE || this.#features.has(feature.name)) {
      throw new Error(`extension feature ${feature.name} is already registered`);
    }
    this.#features.set(feature.name, feature);
    if (this.#sendPayload !== undefined) {
      this.#sendHello();
    }
    return () => {
      if (this.#features.get(feature.name) === feature) {
        this.#features.delete(feature.name);
      }
    };
  }

  addStateListener(listener: (state: ExtensionLinkState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** The socket opened with the extension subprotocol: say hello. */
  open(sendPayload: SendPayload): void {
    this.#sendPayload = sendPayload;
    this.#setState('negotiating');
    this.#sendHello();
  }

  /** The socket closed, or the link is destroyed. */
  close(): void {
    const wasReady = this.#state === 'ready';
    const features = this.#peer?.features;
    this.#sendPayload = undefined;
    this.#peer = undefined;
    this.#setState('unavailable');
    if (wasReady) {
      for (const feature of this.#features.values()) {
        if (features?.has(feature.name)) {
          this.#call(() => feature.onLost?.());
        }
      }
    }
  }

  /** Sends one frame of a ready feature; false when the feature cannot be used now. */
  send(feature: string, type: string, body: unknown): boolean {
    if (!this.has(feature) || this.#sendPayload === undefined) {
      return false;
    }
    return this.#sendPayload(encodeExtensionFrame(feature, type, body));
  }

  /** Handles an incoming extension frame. */
  receive(frame: ExtensionFrame): void {
    if (frame.feature === HANDSHAKE_FEATURE) {
      this.#onHello(frame);
      return;
    }
    const feature = this.#features.get(frame.feature);
    if (feature !== undefined && this.has(frame.feature)) {
      this.#call(() => feature.onMessage(frame.type, frame.body));
    }
  }

  #onHello(frame: ExtensionFrame): void {
    const hello = frame.type === 'hello' ? parseHelloBody(frame.body) : undefined;
    if (hello === undefined || this.#sendPayload === undefined) {
      this.#onError(new Error(`invalid extension handshake: ${frame.type}`));
      return;
    }
    const features = new Set(hello.features.filter((name) => this.#features.has(name)));
    // A renegotiation (a feature registered while open) readies only what is new.
    const before = this.#state === 'ready' ? this.#peer?.features : undefined;
    this.#peer = {features, nodeId: hello.nodeId};
    this.#setState('ready');
    for (const name of features) {
      if (before?.has(name) !== true) {
        const feature = this.#features.get(name)!;
        this.#call(() => feature.onReady?.());
      }
    }
  }

  #sendHello(): void {
    this.#sendPayload?.(
      encodeExtensionFrame(HANDSHAKE_FEATURE, 'hello', {features: [...this.#features.keys()]}),
    );
  }

  #setState(state: ExtensionLinkState): void {
    if (state === this.#state) {
      return;
    }
    this.#state = state;
    for (const listener of [...this.#stateListeners]) {
      this.#call(() => listener(state));
    }
  }

  #call(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#onError(toError(error));
    }
  }
}
