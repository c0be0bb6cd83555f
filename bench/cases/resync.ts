// Resync cases (issue 10): a client that was away comes back to a room of N cells in which k
// cells changed elsewhere while it was away. Timed from the moment its new socket opens until it
// and the room hold the same content; extras: payload KiB (frames both ways on its socket, from
// the open on) and round trips (requests it sent and had to wait for).
//
//   syncstore (delta)            syncstore's client and server, delta resync (docs/protocol.md §8.8)
//   syncstore (TinyBase protocol) the same client offering only the plain subprotocol: a hash walk
//   tinybase                     TinyBase's client reconnecting on a new socket to TinyBase's relay,
//                                where a peer holds the room: startSync pulls and announces
//
// The syncstore server runs in this process with a room store (memory storage, so the room keeps
// its change sequence while a raw socket keeps the room open) and a mirror of what it stores, to
// tell when the room has the client's content. Yjs is not measured here: it is not installed in
// this checkout (see the report).
import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createWsSynchronizer as createTinybaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {createWsServer as createTinybaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {WebSocket, WebSocketServer} from 'ws';
import {createWsServer} from '../../src/server/index.js';
import type {RoomStorage} from '../../src/server/types.js';
import type {FullMergeableStore} from '../../src/store/mergeable-store.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges, MergeableContent, MergeableStore} from '../../src/store/types.js';
import {PLAIN_SUBPROTOCOL} from '../../src/synchronizers/extensions/wire.js';
import {createTransactionId} from '../../src/synchronizers/ids.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import {type BenchCase, type CaseOptions, defineCase, type Sample} from '../harness.js';
import {type Hashed, reached} from '../hashes-reached.js';
import {fillCells, TABLE_ID} from '../workload.js';

const GROUP = 'resync';
const TIMEOUT_SECONDS = 10;
const KIB = 1024;

type Counter = {
  bytes: number;
  roundTrips: number;
  openedAt: number;
  /** Called when a counted socket opens (a measurement waits for it without polling). */
  onOpen?: () => void;
};

/** Requests a client sends and waits for: base-protocol questions and delta syncs. */
const isRequest = (frame: string) =>
  /^[^\n~]*\n\["[^"]*",[14567],/.test(frame) || frame.startsWith('~\n["delta","sync"');

/** A `ws` class counting its instances' frames into `counter`, refusing to connect while `gate.closed`. */
const countingWebSocket = (counter: Counter, gate: {closed: boolean}) =>
  class CountingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      // A closed gate sends the attempt to a port nobody listens on: it fails at once.
      super(gate.closed ? 'ws://127.0.0.1:1/' : url, protocols);
      this.on('open', () => {
        counter.openedAt = performance.now();
        counter.bytes = 0;
        counter.roundTrips = 0;
        counter.onOpen?.();
      });
      this.on('message', (data: Buffer) => {
        counter.bytes += data.length;
      });
      this.on('error', () => {});
    }

    override send(data: unknown, ...rest: unknown[]): void {
      const frame = String(data);
      counter.bytes += Buffer.byteLength(frame);
      if (isRequest(frame)) {
        counter.roundTrips++;
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };

/** Resolves once `done()` holds, checking after every turn of the event loop (no timer slack). */
const whenTrue = (done: () => boolean, what: string, limitMs = 120_000): Promise<void> =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const check = () => {
      if (done()) {
        resolve();
      } else if (performance.now() - start > limitMs) {
        reject(new Error(`timed out waiting for ${what}`));
      } else {
        setImmediate(check);
      }
    };
    check();
  });

const hashesOf = (store: {getMergeableContentHashes(): [number, number]}) =>
  store.getMergeableContentHashes().join(',');

/** Resolves once `store` holds `target`'s content hashes (see hashes-reached.ts). */
const whenSameHashes = (store: Hashed, target: Hashed): Promise<void> =>
  reached(store, hashesOf(target));

/** Resolves when the next counted socket opens. */
const whenOpened = (counter: Counter): Promise<void> =>
  new Promise((resolve) => {
    counter.onOpen = () => {
      counter.onOpen = undefined;
      resolve();
    };
  });

const listen = async (): Promise<[WebSocketServer, number]> => {
  const server = new WebSocketServer({port: 0, host: '127.0.0.1'});
  await new Promise((resolve) => server.once('listening', resolve));
  return [server, (server.address() as {port: number}).port];
};

/** The unhashed changes that give `count` cells new values, written with `writer`'s clock. */
const changesBy = (writer: MergeableStore, count: number, round: number): MergeableChanges => {
  let changes: MergeableChanges | undefined;
  const id = writer.addDidFinishTransactionListener(() => {
    changes = writer.getTransactionMergeableChanges() as MergeableChanges;
  });
  writer.transaction(() => {
    for (let index = 0; index < count; index++) {
      writer.setCell(TABLE_ID, `r${index * 7}`, 'c0', `round ${round} cell ${index}`);
    }
  });
  writer.delListener(id);
  return changes!;
};

// --- syncstore ----------------------------------------------------------------------------------

/** A room store's storage in memory that mirrors what it stores, to tell when the room has it. */
const mirroredStorage = (content: MergeableContent, mirror: FullMergeableStore): RoomStorage => ({
  loadRoom: () => [content as unknown as MergeableChanges],
  saveChanges: (_pathId, changes) => {
    mirror.applyEncodedMergeableChanges(changes);
  },
  getStoredPathIds: () => ['room'],
  close: () => {},
});

type SyncstoreRig = {
  client: MergeableStore;
  mirror: FullMergeableStore;
  counter: Counter;
  gate: {closed: boolean};
  disconnect(): Promise<void>;
  writeElsewhere(changes: MergeableChanges): Promise<void>;
  destroy(): Promise<void>;
};

const startSyncstoreRig = async (
  content: MergeableContent,
  delta: boolean,
): Promise<SyncstoreRig> => {
  const mirror = createMergeableStore('mirror');
  mirror.setMergeableContent(content);
  const [webSocketServer, port] = await listen();
  const server = createWsServer(webSocketServer, {storage: mirroredStorage(content, mirror)});
  const url = `ws://127.0.0.1:${port}/room`;
  // Another member keeps the room (and its change sequence) alive, and writes as the others do.
  const writer = new WebSocket(url);
  await new Promise((resolve) => writer.once('open', resolve));
  const client = createMergeableStore('client');
  client.setMergeableContent(content);
  const counter: Counter = {bytes: 0, roundTrips: 0, openedAt: 0};
  const gate = {closed: false};
  const synchronizer = await createWsSynchronizer(
    client,
    {
      url,
      WebSocket: countingWebSocket(counter, gate),
      minReconnectDelayMs: 5,
      maxReconnectDelayMs: 20,
      heartbeatSeconds: 0,
      ...(delta ? {} : {protocols: [PLAIN_SUBPROTOCOL]}),
    },
    TIMEOUT_SECONDS,
  );
  await synchronizer.startSync();
  await whenTrue(() => hashesOf(client) === hashesOf(mirror), 'the first sync');
  // What the room should hold after each write elsewhere, kept up to date change by change: a
  // fresh copy of the room per sample would leave a room-sized store of garbage, whose collection
  // (the harness's full GC before each sample, swept by background threads) then competes with
  // the measured exchange for the machine's cores.
  const expected = createMergeableStore('expected');
  expected.setMergeableContent(content);
  return {
    client,
    mirror,
    counter,
    gate,
    disconnect: async () => {
      gate.closed = true;
      synchronizer.getWebSocket()?.close();
      await whenTrue(() => synchronizer.getSyncStatus().connection !== 'online', 'offline');
    },
    writeElsewhere: async (changes) => {
      expected.applyEncodedMergeableChanges(changes);
      writer.send(`\n${encodeRemainder(createTransactionId(), 3, changes)}`);
      await whenTrue(() => hashesOf(mirror) === hashesOf(expected), 'the room to take the change');
    },
    destroy: async () => {
      synchronizer.destroy();
      writer.close();
      await server.destroy();
    },
  };
};

// --- TinyBase -----------------------------------------------------------------------------------

type TinybaseRig = {
  client: ReturnType<typeof createTinybaseStore>;
  peer: ReturnType<typeof createTinybaseStore>;
  counter: Counter;
  reconnect(): Promise<void>;
  disconnect(): void;
  destroy(): Promise<void>;
};

const startTinybaseRig = async (content: MergeableContent): Promise<TinybaseRig> => {
  const [webSocketServer, port] = await listen();
  const server = createTinybaseWsServer(webSocketServer);
  const url = `ws://127.0.0.1:${port}/room`;
  const peer = createTinybaseStore();
  peer.setMergeableContent(content as never);
  const peerSocket = new WebSocket(url);
  await new Promise((resolve) => peerSocket.once('open', resolve));
  const peerSynchronizer = await createTinybaseWsSynchronizer(peer, peerSocket, TIMEOUT_SECONDS);
  await peerSynchronizer.startSync();
  const client = createTinybaseStore();
  client.setMergeableContent(content as never);
  const counter: Counter = {bytes: 0, roundTrips: 0, openedAt: 0};
  const gate = {closed: false};
  const CountingSocket = countingWebSocket(counter, gate);
  let synchronizer: Awaited<ReturnType<typeof createTinybaseWsSynchronizer>> | undefined;
  const reconnect = async () => {
    const socket = new CountingSocket(url);
    await new Promise((resolve) => socket.once('open', resolve));
    synchronizer = await createTinybaseWsSynchronizer(client, socket as never, TIMEOUT_SECONDS);
    await synchronizer.startSync();
  };
  await reconnect();
  await whenTrue(() => hashesOf(client) === hashesOf(peer), 'the first sync');
  return {
    client,
    peer,
    counter,
    reconnect,
    disconnect: () => {
      synchronizer?.destroy();
      synchronizer = undefined;
    },
    destroy: async () => {
      synchronizer?.destroy();
      peerSynchronizer.destroy();
      await server.destroy();
    },
  };
};

// --- the cases ----------------------------------------------------------------------------------

type Input = {syncstore: SyncstoreRig; tinybase: TinybaseRig; content: MergeableContent};

const contentOf = (cells: number): MergeableContent => {
  const store = createMergeableStore('seed');
  fillCells(store, cells);
  return store.getMergeableContent();
};

const sample = (counter: Counter, finishedAt: number): Sample => ({
  value: finishedAt - counter.openedAt,
  extras: {'payload KiB': counter.bytes / KIB, 'round trips': counter.roundTrips},
});

const resyncCase = (
  cells: number,
  changed: number,
  delta: boolean,
  contents: Map<number, MergeableContent>,
): BenchCase => {
  let round = 0;
  const other = createMergeableStore('other');
  return defineCase<Input, undefined>({
    group: GROUP,
    name: `reconnect, ${changed.toLocaleString('en-US')} cell${changed === 1 ? '' : 's'} changed elsewhere, ${
      delta ? 'syncstore delta' : 'syncstore TinyBase protocol'
    } vs TinyBase`,
    size: cells,
    samples: 5,
    warmup: 1,
    // A few ms of work beside several GB of stores (both libraries' rooms and clients).
    sweepBeforeSample: true,
    setup: async () => {
      if (!contents.has(cells)) {
        contents.set(cells, contentOf(cells));
      }
      const content = contents.get(cells)!;
      return {
        content,
        syncstore: await startSyncstoreRig(content, delta),
        tinybase: await startTinybaseRig(content),
      };
    },
    teardown: async ({syncstore, tinybase}) => {
      await syncstore.destroy();
      await tinybase.destroy();
    },
    syncstore: {
      prepare: async ({syncstore}) => {
        await syncstore.disconnect();
        await syncstore.writeElsewhere(changesBy(other, changed, round++));
        return undefined;
      },
      measure: async (_prepared, {syncstore}) => {
        const opened = whenOpened(syncstore.counter);
        syncstore.gate.closed = false;
        await opened;
        await whenSameHashes(syncstore.client, syncstore.mirror as Hashed);
        return sample(syncstore.counter, performance.now());
      },
    },
    tinybase: {
      prepare: async ({tinybase}) => {
        tinybase.disconnect();
        const changes = changesBy(other, changed, round++);
        tinybase.peer.applyMergeableChanges(changes as never);
        return undefined;
      },
      measure: async (_prepared, {tinybase}) => {
        await tinybase.reconnect();
        await whenSameHashes(tinybase.client as Hashed, tinybase.peer as Hashed);
        return sample(tinybase.counter, performance.now());
      },
    },
  });
};

export function cases(options: CaseOptions): BenchCase[] {
  const contents = new Map<number, MergeableContent>();
  const sizes = options.quick ? [1_000] : [100_000, 1_000_000];
  const thousand = options.quick ? 100 : 1_000;
  const list: BenchCase[] = [];
  for (const delta of [true, false]) {
    for (const cells of sizes) {
      list.push(resyncCase(cells, 1, delta, contents));
    }
    list.push(resyncCase(sizes[0]!, thousand, delta, contents));
  }
  return list;
}
