// Every timer of the WebSocket client's parts is owned and cleared when they stop: the drain
// watch's browser check, the multiplexer's control timeouts and queue, the reconnecting link's
// backoff and heartbeat. Sockets here are scripted fakes, so the only timers are the client's,
// counted with vitest's fake timers.
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {DrainWatch} from '../../src/synchronizers/ws/drain-watch.js';
import {Multiplexer} from '../../src/synchronizers/ws/multiplexer.js';
import {createReconnectingLink} from '../../src/synchronizers/ws/reconnecting-link.js';
import {adoptWebSocket} from '../../src/synchronizers/ws/socket-link.js';
import type {WebSocketConstructor, WebSocketLike} from '../../src/synchronizers/ws/web-socket.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A browser-like socket (no write callbacks) whose buffer the test fills and drains. */
class ScriptedSocket implements WebSocketLike {
  static created: ScriptedSocket[] = [];
  readyState = 0;
  protocol = 'tinybase';
  bufferedAmount = 0;
  binaryType = 'blob';
  readonly sent: string[] = [];
  readonly #listeners = new Map<string, Set<(event: unknown) => void>>();

  constructor() {
    ScriptedSocket.created.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.fire('close', {code: 1000});
  }
  addEventListener(type: string, listener: never): void {
    if (!this.#listeners.has(type)) {
      this.#listeners.set(type, new Set());
    }
    this.#listeners.get(type)!.add(listener as (event: unknown) => void);
  }
  removeEventListener(type: string, listener: never): void {
    this.#listeners.get(type)?.delete(listener as (event: unknown) => void);
  }
  fire(type: string, event: unknown = {}): void {
    if (type === 'open') {
      this.readyState = 1;
    } else if (type === 'close') {
      this.readyState = 3;
    }
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      listener(event);
    }
  }
}

const channel = (channelId: string) => ({
  channelId,
  requestTimeoutMs: 1000,
  onConnecting: () => {},
  onSubscribed: () => {},
  onLost: () => {},
  onControlTimeout: () => {},
  onMessage: () => {},
  onProgress: () => {},
});

test("a browser socket's drain check runs only while someone waits, and stops on cancel and close", async () => {
  const socket = new ScriptedSocket();
  socket.fire('open');
  const drain = new DrainWatch(socket);
  // Nothing buffered: told at once, no timer.
  const told: string[] = [];
  drain.whenDrained(() => told.push('empty'));
  expect(told).toEqual(['empty']);
  expect(vi.getTimerCount()).toBe(0);

  socket.bufferedAmount = 5000;
  const cancel = drain.whenDrained(() => told.push('cancelled'));
  expect(vi.getTimerCount()).toBe(1);
  await vi.advanceTimersByTimeAsync(100);
  expect(told).toEqual(['empty']); // still full
  cancel();
  expect(vi.getTimerCount()).toBe(0);

  drain.whenDrained(() => told.push('drained'));
  socket.bufferedAmount = 1000;
  await vi.advanceTimersByTimeAsync(10);
  expect(told).toEqual(['empty', 'drained']);
  expect(vi.getTimerCount()).toBe(0);

  drain.whenDrained(() => told.push('closed'));
  drain.close();
  expect(told).toEqual(['empty', 'drained', 'closed']);
  expect(vi.getTimerCount()).toBe(0);
});

test("a ws socket's drain is its write callbacks: no timer at all", () => {
  const written: (() => void)[] = [];
  const socket = Object.assign(new ScriptedSocket(), {
    ping() {},
    on() {},
    off() {},
    terminate() {},
    bufferedAmount: 100,
  });
  socket.send = ((_data: string, callback: () => void) => {
    written.push(callback);
  }) as never;
  socket.fire('open');
  const drain = new DrainWatch(socket);
  drain.send('frame');
  const told: string[] = [];
  drain.whenDrained(() => told.push('written'));
  expect(vi.getTimerCount()).toBe(0);
  written[0]!();
  expect(told).toEqual(['written']);
});

/** A multiplexer on an open scripted socket, with one channel. */
function openMultiplexer() {
  const socket = new ScriptedSocket();
  socket.fire('open');
  const multiplexer = new Multiplexer(adoptWebSocket(socket), 1, () => {});
  const handler = channel('c1');
  return {socket, multiplexer, handler, outlet: multiplexer.add(handler)};
}

test('a multiplexer with frames queued for a full socket and a control pending leaves no timer once removed', async () => {
  const {socket, multiplexer, handler, outlet} = openMultiplexer();
  expect(vi.getTimerCount()).toBe(1); // the Hello's timeout
  // The socket is full: a channel frame waits in the queue, for the drain signal.
  socket.bufferedAmount = 16 * 1024 * 1024;
  expect(() => outlet.sendPayload('\n["x",3,[[{}],[{}],1]]')).not.toThrow();
  expect(vi.getTimerCount()).toBe(2); // and the browser socket's drain check
  multiplexer.remove(handler);
  expect(vi.getTimerCount()).toBe(0);
});

test('the queue is sent once the socket drains, in order, and not before', async () => {
  const {socket, multiplexer, handler, outlet} = openMultiplexer();
  socket.bufferedAmount = 16 * 1024 * 1024 - 10;
  outlet.sendPayload('\nfirst');
  outlet.sendPayload('\nsecond');
  const frames = () =>
    socket.sent.filter((frame) => frame.includes('first') || frame.includes('second'));
  await vi.advanceTimersByTimeAsync(100);
  expect(frames()).toEqual([]);
  socket.bufferedAmount = 0;
  await vi.advanceTimersByTimeAsync(10);
  expect(frames()).toHaveLength(2);
  expect(frames()[0]).toContain('first');
  multiplexer.remove(handler);
  expect(vi.getTimerCount()).toBe(0);
});

test('a reconnecting link destroyed while waiting to reconnect, or while its heartbeat runs, leaves no timer', async () => {
  ScriptedSocket.created = [];
  const WebSocket = ScriptedSocket as unknown as WebSocketConstructor;
  const link = createReconnectingLink('ws://nowhere', {WebSocket, heartbeatSeconds: 1});
  await vi.advanceTimersByTimeAsync(0);
  const first = ScriptedSocket.created[0]!;
  first.fire('open');
  expect(vi.getTimerCount()).toBe(1); // the heartbeat
  first.fire('close', {code: 1006});
  expect(vi.getTimerCount()).toBe(1); // the reconnect backoff
  link.destroy();
  expect(vi.getTimerCount()).toBe(0);

  const other = createReconnectingLink('ws://nowhere', {WebSocket, heartbeatSeconds: 1});
  await vi.advanceTimersByTimeAsync(0);
  ScriptedSocket.created.at(-1)!.fire('open');
  other.destroy();
  expect(vi.getTimerCount()).toBe(0);
});
