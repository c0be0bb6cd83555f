// Presence at scale (issue 13): CLIENTS clients in one room of one server, each moving a cursor at
// 60 Hz for a while. syncstore sends it as presence (docs/protocol.md §8.2: throttled to one
// update per 50 ms, relayed by the server, never stored); TinyBase has no presence, so its side
// does what a TinyBase app would: a row per client in a `cursors` table, written on every move
// (stored, merged and relayed as a ContentDiff). The server runs in this process; every client
// has its own `ws` socket on loopback, whose frames are counted as they are sent and received.
//
// Measured per run: frames and bytes per second per client, sent and received, during the moves;
// the delay from each move until each other client sees it or a later move of the same cursor
// (a coalesced move counts until the state that replaced it arrives); and the most frames one
// client sent within any 50 ms.
import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createWsSynchronizer as createTinybaseWsSynchronizer} from 'tinybase/synchronizers/synchronizer-ws-client';
import {createWsServer as createTinybaseWsServer} from 'tinybase/synchronizers/synchronizer-ws-server';
import {WebSocket, WebSocketServer} from 'ws';
import {createMergeableStore} from '../src/index.js';
import {createWsServer} from '../src/server/index.js';
import {createWsSynchronizer} from '../src/synchronizers/synchronizer-ws-client.js';
import type {LibraryName} from './harness.js';

export const CLIENTS = 20;
export const MOVES_PER_SECOND = 60;
const WINDOW_MS = 50;
/** How long to wait after the last move for every client to see every cursor's last one. */
const SETTLE_MS = 5_000;
const ROOM = 'cursors';
/** Short, so that the first client's pull, alone in the fresh room, gives up quickly. */
const REQUEST_TIMEOUT_SECONDS = 0.2;

export type PresenceRunResult = {
  p50DelayMs: number;
  p99DelayMs: number;
  sentPerSecond: number;
  receivedPerSecond: number;
  sentBytesPerSecond: number;
  receivedBytesPerSecond: number;
  maxSentPer50Ms: number;
  /** Moves some other client never saw (a later one neither): 0 when nothing was lost. */
  unseenMoves: number;
};

/** One client's frames on its socket, counted between start() and stop(). */
class FrameCounter {
  sendTimes: number[] = [];
  sent = 0;
  received = 0;
  sentBytes = 0;
  receivedBytes = 0;
  counting = false;

  onSend(data: unknown): void {
    if (this.counting) {
      this.sent++;
      this.sentBytes += Buffer.byteLength(String(data));
      this.sendTimes.push(performance.now());
    }
  }

  onReceive(data: Buffer): void {
    if (this.counting) {
      this.received++;
      this.receivedBytes += data.length;
    }
  }
}

/** A `ws` WebSocket class whose sockets report to `counter`. */
const countingWebSocket = (counter: FrameCounter) =>
  class CountingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => counter.onReceive(data));
    }
    override send(data: unknown, ...rest: unknown[]): void {
      counter.onSend(data);
      (super.send as (data: unknown, ...rest: unknown[]) => void)(data, ...rest);
    }
  };

/** A cursor's moves: when each was made, by sequence number (from 1). */
type Cursor = {moveTimes: number[]};

/** What the run needs of a client, whichever library. */
type Client = {
  counter: FrameCounter;
  /** Makes move `seq` of this client's cursor. */
  move(seq: number): void;
  /** Calls `onSeen(senderIndex, seq)` whenever another client's cursor is seen at `seq`. */
  watch(onSeen: (senderIndex: number, seq: number) => void): void;
  destroy(): unknown;
};

const listen = async (): Promise<[WebSocketServer, string]> => {
  const webSocketServer = new WebSocketServer({port: 0, host: '127.0.0.1'});
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  const {port} = webSocketServer.address() as {port: number};
  return [webSocketServer, `ws://127.0.0.1:${port}/${ROOM}`];
};

const syncstoreClient = async (url: string, index: number): Promise<Client> => {
  const counter = new FrameCounter();
  const synchronizer = await createWsSynchronizer(
    createMergeableStore(),
    {url, WebSocket: countingWebSocket(counter), heartbeatSeconds: 0},
    REQUEST_TIMEOUT_SECONDS,
  );
  await synchronizer.startSync();
  return {
    counter,
    move: (seq) => synchronizer.setPresence({index, seq, x: seq % 800, y: (seq * 7) % 600}),
    watch: (onSeen) =>
      synchronizer.addPresenceListener((_, peerId, state) => {
        if (peerId !== null && state !== null) {
          onSeen(state.index as number, state.seq as number);
        }
      }),
    destroy: () => synchronizer.destroy(),
  };
};

const tinybaseClient = async (url: string, index: number): Promise<Client> => {
  const counter = new FrameCounter();
  const CountingWebSocket = countingWebSocket(counter);
  const socket = new CountingWebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const store = createTinybaseStore();
  const synchronizer = await createTinybaseWsSynchronizer(store, socket, REQUEST_TIMEOUT_SECONDS);
  await synchronizer.startSync();
  const rowId = String(index);
  return {
    counter,
    move: (seq) => store.setRow(ROOM, rowId, {seq, x: seq % 800, y: (seq * 7) % 600}),
    watch: (onSeen) =>
      store.addRowListener(ROOM, null, (_, __, changedRowId) => {
        const seq = store.getCell(ROOM, changedRowId, 'seq');
        if (changedRowId !== rowId && typeof seq === 'number') {
          onSeen(Number(changedRowId), seq);
        }
      }),
    destroy: () => synchronizer.destroy(),
  };
};

const percentile = (sorted: readonly number[], fraction: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

/** The most of `times` (sorted) that fall within any window of `windowMs`. */
const maxInWindow = (times: readonly number[], windowMs: number): number => {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) {
      start++;
    }
    most = Math.max(most, end - start + 1);
  }
  return most;
};

/** One run: CLIENTS clients of `library`, every cursor moving at 60 Hz for `durationMs`. */
export async function runPresenceLoad(
  library: LibraryName,
  durationMs: number,
): Promise<PresenceRunResult> {
  const [webSocketServer, url] = await listen();
  const server =
    library === 'syncstore'
      ? createWsServer(webSocketServer, {heartbeatSeconds: 0})
      : createTinybaseWsServer(webSocketServer);
  const clients: Client[] = [];
  const timers = new Set<ReturnType<typeof setInterval>>();
  try {
    for (let index = 0; index < CLIENTS; index++) {
      clients.push(await (library === 'syncstore' ? syncstoreClient : tinybaseClient)(url, index));
    }
    const cursors: Cursor[] = clients.map(() => ({moveTimes: [Number.NaN]}));
    // lastSeen[receiver][sender]: the latest move of sender's cursor that receiver has seen.
    const lastSeen = clients.map(() => clients.map(() => 0));
    const delays: number[] = [];
    for (const [receiver, client] of clients.entries()) {
      client.watch((sender, seq) => {
        const now = performance.now();
        const moveTimes = cursors[sender]!.moveTimes;
        for (let move = lastSeen[receiver]![sender]! + 1; move <= seq; move++) {
          delays.push(now - moveTimes[move]!);
        }
        lastSeen[receiver]![sender] = Math.max(lastSeen[receiver]![sender]!, seq);
      });
    }

    for (const client of clients) {
      client.counter.counting = true;
    }
    const started = performance.now();
    const intervalMs = 1000 / MOVES_PER_SECOND;
    await Promise.all(
      clients.map(
        (client, index) =>
          new Promise<void>((resolve) => {
            // Staggered, so that the cursors do not all move in the same millisecond.
            const startTimer = setTimeout(
              () => {
                timers.delete(startTimer);
                const moveTimer = setInterval(() => {
                  const cursor = cursors[index]!;
                  if (performance.now() - started >= durationMs) {
                    clearInterval(moveTimer);
                    timers.delete(moveTimer);
                    resolve();
                    return;
                  }
                  cursor.moveTimes.push(performance.now());
                  client.move(cursor.moveTimes.length - 1);
                }, intervalMs);
                timers.add(moveTimer);
              },
              (index * intervalMs) / CLIENTS,
            );
            timers.add(startTimer);
          }),
      ),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    for (const client of clients) {
      client.counter.counting = false;
    }
    const lastMoves = cursors.map(({moveTimes}) => moveTimes.length - 1);
    const allSeen = () =>
      lastSeen.every((seen, receiver) =>
        seen.every((move, sender) => sender === receiver || move === lastMoves[sender]),
      );
    const deadline = performance.now() + SETTLE_MS;
    while (!allSeen() && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let unseenMoves = 0;
    for (const [receiver, seen] of lastSeen.entries()) {
      for (const [sender, move] of seen.entries()) {
        if (sender !== receiver) {
          unseenMoves += lastMoves[sender]! - move;
        }
      }
    }

    delays.sort((a, b) => a - b);
    const perClient = (total: (counter: FrameCounter) => number) =>
      clients.reduce((sum, client) => sum + total(client.counter), 0) / CLIENTS / elapsedSeconds;
    return {
      p50DelayMs: percentile(delays, 0.5),
      p99DelayMs: percentile(delays, 0.99),
      sentPerSecond: perClient((counter) => counter.sent),
      receivedPerSecond: perClient((counter) => counter.received),
      sentBytesPerSecond: perClient((counter) => counter.sentBytes),
      receivedBytesPerSecond: perClient((counter) => counter.receivedBytes),
      maxSentPer50Ms: Math.max(
        ...clients.map((client) => maxInWindow(client.counter.sendTimes, WINDOW_MS)),
      ),
      unseenMoves,
    };
  } finally {
    for (const timer of timers) {
      clearTimeout(timer);
    }
    await Promise.all(clients.map((client) => client.destroy()));
    await server.destroy();
    await new Promise((resolve) => webSocketServer.close(resolve));
  }
}
