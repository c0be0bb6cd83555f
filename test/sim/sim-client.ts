// A client of the simulated server: a syncstore store and createCustomSynchronizer, or the real
// TinyBase package's, over a connection made of two seeded lanes (sim-links.ts). Each connection
// is a new room member with a new client id, as each WebSocket gets a new Sec-WebSocket-Key.
// Payloads are framed exactly as on the WebSocket wire (prefix, newline, JSON remainder).
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createCustomSynchronizer as createTinyBaseSynchronizer} from 'tinybase/synchronizers';
import {createMergeableStore} from '../../src/index.js';
import {WRITABLE} from '../../src/server/authorization.js';
import type {RoomMember} from '../../src/server/room.js';
import type {MergeableStore} from '../../src/store/types.js';
import {DeltaResync} from '../../src/synchronizers/extensions/delta-client.js';
import {ExtensionLink} from '../../src/synchronizers/extensions/extension-link.js';
import {
  decodeExtensionFrame,
  encodeExtensionFrame,
} from '../../src/synchronizers/extensions/wire.js';
import {type CustomSynchronizer, createCustomSynchronizer} from '../../src/synchronizers/index.js';
import type {ResyncStrategy} from '../../src/synchronizers/resync.js';
import type {Receive} from '../../src/synchronizers/types.js';
import {decodeRemainder, encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import type {EditableStore} from '../synchronizers/scenario.js';
import {Lane, type LinkConditions, type LinkStats} from './sim-links.js';
import {PATH_ID, type SimServer} from './sim-server.js';

/** What the simulation reads of any client's store. */
export type SimStore = EditableStore & {
  getMergeableContentHashes(): unknown;
  getContent(): unknown;
  getMergeableContent(): unknown;
};

type Connection = {member: RoomMember; toServer: Lane; toClient: Lane; open: boolean};

export type SimEnvironment = {
  server: SimServer;
  random: () => number;
  conditions: () => LinkConditions;
  stats: LinkStats;
  /** Whether this client is currently cut off from the server (messages vanish both ways). */
  isPartitioned: (client: SimClient) => boolean;
  /** A problem an honest system must never have (e.g. the server closed a socket for bad traffic). */
  problem: (description: string) => void;
  /** Logs a line when SIM_TRACE is set (replaying one seed). */
  trace: (line: string) => void;
};

let connectionCount = 0;

export abstract class SimClient {
  #connection: Connection | undefined;
  #receive: Receive | undefined;
  ignoredErrors = 0;

  constructor(
    readonly name: string,
    protected readonly environment: SimEnvironment,
  ) {}

  abstract readonly store: SimStore;
  abstract readonly kind: 'syncstore' | 'tinybase';

  isConnected(): boolean {
    return this.#connection?.open === true;
  }

  /** Opens a new connection (a new room member) and tells the synchronizer it is online. */
  connect(): void {
    if (this.isConnected()) {
      return;
    }
    const {server, random, conditions, stats, isPartitioned} = this.environment;
    const clientId = `${this.name}-${++connectionCount}`;
    const connection: Connection = {
      member: {
        clientId,
        pathId: PATH_ID,
        access: WRITABLE,
        buffered: {messages: 0, bytes: 0},
        sendRemainder: (sourceId, remainder) =>
          connection.toClient.send(() => this.#deliverToClient(sourceId, remainder)),
        fail: (error) => {
          this.environment.problem(`server closed ${clientId}: ${error.message}`);
          this.disconnect();
        },
        extensions: this.memberExtensions((deliver) => connection.toClient.send(deliver)),
      },
      toServer: undefined as unknown as Lane,
      toClient: undefined as unknown as Lane,
      open: true,
    };
    const canDeliver = () => connection.open && !isPartitioned(this);
    connection.toServer = new Lane(random, conditions, stats, canDeliver);
    connection.toClient = new Lane(random, conditions, stats, canDeliver);
    this.#connection = connection;
    this.environment.trace(`${clientId} connects`);
    server.join(connection.member);
    this.onOnline();
  }

  /** Closes the connection: in-flight messages are lost; the server sees the member leave. */
  disconnect(): void {
    const connection = this.#connection;
    if (connection === undefined || !connection.open) {
      return;
    }
    connection.open = false;
    this.#connection = undefined;
    this.environment.server.leave(connection.member);
    this.onOffline();
  }

  /** The server went away under this client (a restart): the socket closes. */
  dropConnection(): void {
    this.disconnect();
  }

  abstract destroy(): void;

  /**
   * The member's extension channel (docs/protocol.md §8.1), for clients that speak extensions:
   * `toClient` carries a delivery on the connection's lane to this client.
   */
  protected memberExtensions(
    _toClient: (deliver: () => void) => void,
  ): RoomMember['extensions'] | undefined {
    return undefined;
  }

  /** Carries an extension payload on the current connection's lane to the server. */
  protected sendExtension(payload: string): void {
    const connection = this.#connection;
    connection?.toServer.send(() => {
      this.environment.trace(`${connection.member.clientId} -> ${payload.replace('\n', ' ')}`);
      this.environment.server.deliverExtension(connection.member, payload);
    });
  }
  protected abstract onOnline(): void;
  protected abstract onOffline(): void;

  /** The transport's send: a framed payload on the current connection's lane to the server. */
  protected send(
    toClientId: string | null,
    requestId: string | null,
    message: number,
    body: unknown,
  ): void {
    const connection = this.#connection;
    if (connection === undefined) {
      // A closed socket: the message is lost (syncstore does not send while not online).
      return;
    }
    const payload = `${toClientId ?? ''}\n${encodeRemainder(requestId, message, body)}`;
    connection.toServer.send(() => {
      this.environment.trace(`${connection.member.clientId} -> ${payload.replace('\n', ' ')}`);
      this.environment.server.deliver(connection.member, payload);
    });
  }

  /** A syncstore engine over this client's lanes, as both kinds of syncstore client use. */
  protected startSyncstoreEngine(
    store: MergeableStore,
    requestTimeoutSeconds: number,
    resync?: ResyncStrategy,
  ): CustomSynchronizer {
    return createCustomSynchronizer(
      store,
      (...args) => this.send(...args),
      (receive) => this.registerReceive(receive),
      () => {},
      requestTimeoutSeconds,
      undefined,
      undefined,
      () => this.ignoredErrors++,
      {initialConnection: 'connecting', resync},
    );
  }

  protected registerReceive(receive: Receive): void {
    this.#receive = receive;
  }

  #deliverToClient(sourceId: string, remainder: string): void {
    const decoded = decodeRemainder(remainder);
    if (decoded === undefined) {
      this.environment.problem(`${this.name} got an undecodable remainder`);
      return;
    }
    const [requestId, message, body] = decoded;
    this.environment.trace(`${this.#connection?.member.clientId} <- ${sourceId} ${remainder}`);
    this.#receive?.(sourceId, requestId, message as Parameters<Receive>[2], body);
  }
}

export class SyncstoreClient extends SimClient {
  readonly kind = 'syncstore';
  readonly store: MergeableStore;
  readonly synchronizer: CustomSynchronizer;

  constructor(name: string, environment: SimEnvironment, requestTimeoutSeconds: number) {
    super(name, environment);
    this.store = createMergeableStore(name);
    this.synchronizer = this.startSyncstoreEngine(this.store, requestTimeoutSeconds);
    void this.synchronizer.startSync();
  }

  protected onOnline(): void {
    this.synchronizer.setConnection('online');
  }

  protected onOffline(): void {
    this.synchronizer.setConnection('connecting');
  }

  destroy(): void {
    this.disconnect();
    this.synchronizer.destroy();
  }
}

/**
 * TinyBase's own client, as an app would run it over a reconnecting transport: TinyBase does not
 * resync by itself after a reconnect, so the app restarts its sync (load, then announce).
 */
export class TinyBaseClient extends SimClient {
  readonly kind = 'tinybase';
  readonly store: SimStore;
  readonly #synchronizer;

  constructor(name: string, environment: SimEnvironment, requestTimeoutSeconds: number) {
    super(name, environment);
    const store = createTinyBaseStore(name);
    this.store = store as unknown as SimStore;
    this.#synchronizer = createTinyBaseSynchronizer(
      store,
      (toClientId, requestId, message, body) =>
        this.send(toClientId, requestId, message as number, body),
      (receive) => this.registerReceive(receive as unknown as Receive),
      () => {},
      requestTimeoutSeconds,
      undefined,
      undefined,
      () => this.ignoredErrors++,
    );
  }

  protected onOnline(): void {
    void this.#synchronizer
      .stopSync()
      .then((synchronizer) => synchronizer.startSync())
      .catch(() => this.ignoredErrors++);
  }

  protected onOffline(): void {
    void this.#synchronizer.stopSync();
  }

  destroy(): void {
    this.disconnect();
    void this.#synchronizer.destroy();
  }
}

/**
 * A syncstore client on a socket that negotiated the extensions (docs/protocol.md §8.1), with
 * delta resync (§8.8): its ExtensionLink says hello when it connects, and its resync strategy
 * replaces the hash walk where it can. Extension frames travel the same lanes as the rest.
 */
/** A member's extension channel in the simulation, where the sim server plays the connection. */
export type SimMemberExtensions = NonNullable<RoomMember['extensions']> & {
  /** The features the connection's handshake agreed on. */
  negotiate(features: string[]): void;
};

export class DeltaClient extends SimClient {
  readonly kind = 'syncstore';
  readonly store: MergeableStore;
  readonly synchronizer: CustomSynchronizer;
  readonly #link: ExtensionLink;
  readonly #delta: DeltaResync;
  /** The delta answers this client received, by type: shows what the runs exercised. */
  readonly deltaAnswers: Record<string, number> = {};
  /** The features this connection negotiated, as the server's connection keeps them. */
  #negotiated = new Set<string>();

  constructor(name: string, environment: SimEnvironment, requestTimeoutSeconds: number) {
    super(name, environment);
    this.store = createMergeableStore(name);
    this.#link = new ExtensionLink(() => this.ignoredErrors++);
    this.#delta = new DeltaResync(this.#link, undefined, () => this.ignoredErrors++);
    this.synchronizer = this.startSyncstoreEngine(this.store, requestTimeoutSeconds, this.#delta);
    void this.synchronizer.startSync();
  }

  protected override memberExtensions(
    toClient: (deliver: () => void) => void,
  ): SimMemberExtensions {
    const negotiated = new Set<string>();
    this.#negotiated = negotiated;
    return {
      has: (feature) => negotiated.has(feature),
      send: (feature, type, body) => {
        const payload = encodeExtensionFrame(feature, type, body);
        toClient(() => this.#receiveExtension(negotiated, payload));
      },
      negotiate: (features) => {
        for (const feature of features) {
          negotiated.add(feature);
        }
      },
    };
  }

  #receiveExtension(negotiated: Set<string>, payload: string): void {
    const frame = decodeExtensionFrame(payload);
    this.environment.trace(`${this.name} <- S ${payload.replace('\n', ' ')}`);
    // Frames of a connection that is gone are gone with it.
    if (frame !== undefined && negotiated === this.#negotiated && this.isConnected()) {
      if (frame.feature === 'delta') {
        this.deltaAnswers[frame.type] = (this.deltaAnswers[frame.type] ?? 0) + 1;
      }
      this.#link.receive(frame);
    }
  }

  protected onOnline(): void {
    // As the WebSocket client does: the handshake starts before the engine hears 'online'.
    this.#link.open((payload) => {
      this.sendExtension(payload);
      return true;
    });
    this.synchronizer.setConnection('online');
  }

  protected onOffline(): void {
    this.#link.close();
    this.synchronizer.setConnection('connecting');
  }

  destroy(): void {
    this.disconnect();
    this.synchronizer.destroy();
    this.#delta.destroy();
  }
}
