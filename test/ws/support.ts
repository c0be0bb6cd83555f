// Helpers for the WebSocket tests: servers on 127.0.0.1 with a free port, raw `ws` clients that
// record what they receive, and waiting for a condition instead of sleeping for a fixed time.

import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {MergeableStore as TinyBaseStore} from 'tinybase';
import {createWsSynchronizer as createTinyBaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {afterAll, afterEach, expect} from 'vitest';
import {WebSocket, WebSocketServer} from 'ws';
import {createWsServer} from '../../src/server/index.js';
import type {WsServer, WsServerOptions} from '../../src/server/types.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';

export type TestServer = {wsServer: WsServer; port: number; url: (path?: string) => string};

export const listen = async (): Promise<[WebSocketServer, number]> => {
  const webSocketServer = new WebSocketServer({port: 0, host: '127.0.0.1'});
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  return [webSocketServer, (webSocketServer.address() as {port: number}).port];
};

/** A server on a free port; with `cleanups`, destroyed after the test. */
export const startServer = async (
  options: WsServerOptions = {},
  cleanups?: Cleanups,
): Promise<TestServer> => {
  const [webSocketServer, port] = await listen();
  const wsServer = createWsServer(webSocketServer, options);
  cleanups?.push(() => wsServer.destroy());
  return {wsServer, port, url: (path = '') => `ws://127.0.0.1:${port}/${path}`};
};

/** Reconnection delays for URL-given clients in tests: 10-20 ms at first, at most 200 ms. */
export const FAST_RECONNECT = {minReconnectDelayMs: 20, maxReconnectDelayMs: 200};

/**
 * A temporary directory for the calling test file, removed after its last test: `path`, and
 * `write(name, text)`, which writes a file there and returns its path.
 */
export const createTempDirectory = (prefix: string) => {
  const path = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(path, {recursive: true, force: true}));
  return {
    path,
    write: (name: string, text: string): string => {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
  };
};

export type Cleanups = (() => unknown)[];

/** Teardown steps that run after each test of the calling file, the last added first. */
export const createCleanups = (): Cleanups => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });
  return cleanups;
};

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export const waitUntil = async (
  condition: () => boolean,
  what = 'condition',
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A raw `ws` socket, once open (rejects if it fails to open). */
export const openSocket = async (url: string, protocols?: string): Promise<WebSocket> => {
  const socket = new WebSocket(url, protocols);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
};

/**
 * Clients for a test file, each destroyed (or closed) by `cleanups` after the test: `track` adds
 * any destroyable thing; `tinyBaseClient` and `syncstoreClient` start syncing `store` at `url`
 * with the given request timeout (seconds); `rawClient` is an open {@link RawClient}.
 */
export const testClients = (cleanups: Cleanups, timeout: number) => {
  const track = <Thing extends {destroy(): unknown}>(thing: Thing): Thing => {
    cleanups.push(() => thing.destroy());
    return thing;
  };
  return {
    track,
    tinyBaseClient: async (store: TinyBaseStore, url: string) => {
      const synchronizer = track(
        await createTinyBaseWsSynchronizer(store, await openSocket(url), timeout),
      );
      await synchronizer.startSync();
      return synchronizer;
    },
    syncstoreClient: async (store: MergeableStore, url: string) => {
      const synchronizer = track(await createWsSynchronizer(store, url, timeout));
      await synchronizer.startSync();
      return synchronizer;
    },
    rawClient: async (url: string, protocols?: string | string[]) => {
      const client = await RawClient.open(url, protocols);
      cleanups.push(() => client.close());
      return client;
    },
  };
};

/** A syncstore or TinyBase store, as far as convergence checks go. */
export type AnyStore = {
  getTables(): unknown;
  getValues(): unknown;
  getMergeableContentHashes(): [number, number];
};

const hashesOf = (store: AnyStore) => JSON.stringify(store.getMergeableContentHashes());

/** Waits until every store has the same hashes, then checks they hold the same content. */
export const expectConverged = async (stores: AnyStore[], what = 'convergence') => {
  await waitUntil(() => stores.every((store) => hashesOf(store) === hashesOf(stores[0]!)), what);
  const contents = stores.map((store) => [store.getTables(), store.getValues()]);
  for (const content of contents.slice(1)) {
    expect(content).toEqual(contents[0]);
  }
};

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw client: sends frames as given and records every frame and the close code. */
export class RawClient {
  readonly socket: WebSocket;
  /** The id the server gives this client: its Sec-WebSocket-Key. */
  readonly key: string;
  readonly received: string[] = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, protocols?: string | string[]) {
    this.socket = new WebSocket(url, protocols);
    this.key = (this.socket as unknown as {_req: {getHeader(name: string): string}})._req.getHeader(
      'sec-websocket-key',
    );
    this.socket.on('message', (data) => this.received.push(data.toString()));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      }),
    );
    this.socket.on('error', () => {});
  }

  static async open(url: string, protocols?: string | string[]): Promise<RawClient> {
    const client = new RawClient(url, protocols);
    await client.opened;
    return client;
  }

  send(frame: string): void {
    this.socket.send(frame);
  }

  async waitForFrame(
    predicate: (frame: string) => boolean = () => true,
    what = 'a frame',
  ): Promise<string> {
    let found: string | undefined;
    await waitUntil(() => (found = this.received.find(predicate)) !== undefined, what);
    return found!;
  }

  close(): void {
    this.socket.close();
  }

  /**
   * Resolves once the server has handled every frame this client sent before, and every frame
   * it sent to this client before that has arrived: the client asks the server itself ("S") for
   * its content hashes and waits for the answer, which travels behind everything earlier on the
   * same connection. A way to check that something did *not* happen without a fixed wait. The
   * answer is taken out of `received`. (Legacy path connections only.)
   */
  async roundTrip(): Promise<void> {
    const requestId = `rt${String(roundTrips++).padStart(8, '0')}.rtrt`;
    this.send(`S\n["${requestId}",1,""]`);
    const answer = await this.waitForFrame(
      (frame) => frame.startsWith(`S\n["${requestId}",0,`),
      'the server to answer a round trip',
    );
    this.received.splice(this.received.indexOf(answer), 1);
  }
}

let roundTrips = 0;

/**
 * A TCP proxy in front of a server, to take one client's network away: `cut` drops its connections
 * and refuses new ones until `restore`; `freeze` silently stops forwarding on open connections (a
 * dead path that still looks open) while new connections work.
 */
export class TcpProxy {
  readonly port: number;
  readonly #targetPort: number;
  #server: import('node:net').Server;
  readonly #connections = new Set<[import('node:net').Socket, import('node:net').Socket]>();
  readonly #frozen = new Set<[import('node:net').Socket, import('node:net').Socket]>();

  private constructor(server: import('node:net').Server, port: number, targetPort: number) {
    this.#server = server;
    this.port = port;
    this.#targetPort = targetPort;
  }

  static async start(targetPort: number, port = 0): Promise<TcpProxy> {
    const net = await import('node:net');
    let proxy: TcpProxy | undefined;
    const server = net.createServer((client) => proxy!.accept(client));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as {port: number}).port, targetPort);
    return proxy;
  }

  accept(client: import('node:net').Socket): void {
    void import('node:net').then((net) => {
      const upstream = net.connect(this.#targetPort, '127.0.0.1');
      const pair: [import('node:net').Socket, import('node:net').Socket] = [client, upstream];
      this.#connections.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = () => {
        if (!this.#connections.has(pair)) {
          return; // frozen: stays silent until the proxy closes
        }
        this.#connections.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', drop).on('error', drop);
      upstream.on('close', drop).on('error', drop);
    });
  }

  async cut(): Promise<void> {
    // close() waits for open connections, so they go first.
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const [client, upstream] of this.#connections) {
      client.destroy();
      upstream.destroy();
    }
    this.#connections.clear();
    await closed;
  }

  async restore(): Promise<void> {
    const net = await import('node:net');
    this.#server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.#server.listen(this.port, '127.0.0.1', resolve));
  }

  freeze(): void {
    for (const [client, upstream] of this.#connections) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
      this.#frozen.add([client, upstream]);
    }
    this.#connections.clear();
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.#frozen) {
      client.destroy();
      upstream.destroy();
    }
    if (this.#server.listening) {
      await this.cut();
    }
  }
}
