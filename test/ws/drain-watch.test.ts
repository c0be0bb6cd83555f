// DrainWatch.afterWritten (docs/protocol.md §7.3): when every frame sent so far has left the
// socket. A browser WebSocket reports only bufferedAmount, which cannot be driven by a real socket
// in Node, so this socket is an object whose bufferedAmount the test sets, as the browser would.
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {DrainWatch} from '../../src/synchronizers/ws/drain-watch.js';
import type {WebSocketLike} from '../../src/synchronizers/ws/web-socket.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A browser-like socket: send adds the frame's bytes to bufferedAmount; `flush` takes some out. */
const createBrowserSocket = () => {
  const socket = {
    readyState: 1,
    bufferedAmount: 0,
    send(frame: string) {
      socket.bufferedAmount += new TextEncoder().encode(frame).length;
    },
    close() {},
    addEventListener() {},
    removeEventListener() {},
  };
  return socket;
};

test('a browser socket: afterWritten waits until the bytes buffered before it and sent with it have gone', async () => {
  const socket = createBrowserSocket();
  const watch = new DrainWatch(socket as unknown as WebSocketLike);
  watch.send('a'.repeat(1000));
  let written = false;
  watch.afterWritten(() => {
    written = true;
  });
  // Later frames do not hold it back, but the 1,000 bytes before it must go.
  watch.send('b'.repeat(500));
  socket.bufferedAmount = 1200; // 300 bytes out
  await vi.advanceTimersByTimeAsync(50);
  expect(written).toBe(false);
  socket.bufferedAmount = 500; // the first 1,000 bytes are out; the later frame is not
  await vi.advanceTimersByTimeAsync(50);
  expect(written).toBe(true);
  expect(vi.getTimerCount()).toBe(0);
});

test('nothing buffered: afterWritten calls back at once; a closed socket releases every waiter', () => {
  const socket = createBrowserSocket();
  const watch = new DrainWatch(socket as unknown as WebSocketLike);
  let now = false;
  watch.afterWritten(() => {
    now = true;
  });
  expect(now).toBe(true);
  watch.send('frame');
  let released = false;
  watch.afterWritten(() => {
    released = true;
  });
  expect(released).toBe(false);
  watch.close();
  expect(released).toBe(true);
  expect(vi.getTimerCount()).toBe(0);
});

test('a cancelled afterWritten is never called and leaves no timer', async () => {
  const socket = createBrowserSocket();
  const watch = new DrainWatch(socket as unknown as WebSocketLike);
  watch.send('frame');
  let called = false;
  const cancel = watch.afterWritten(() => {
    called = true;
  });
  cancel();
  expect(vi.getTimerCount()).toBe(0);
  socket.bufferedAmount = 0;
  await vi.advanceTimersByTimeAsync(100);
  expect(called).toBe(false);
});

test('a socket that does not report bufferedAmount (happy-dom) counts as holding nothing', () => {
  const {bufferedAmount: _ignored, ...socket} = createBrowserSocket();
  const watch = new DrainWatch({...socket, send() {}} as unknown as WebSocketLike);
  watch.send('frame');
  let written = false;
  watch.afterWritten(() => {
    written = true;
  });
  expect(written).toBe(true);
  let drained = false;
  watch.whenDrained(() => {
    drained = true;
  });
  expect(drained).toBe(true);
  expect(vi.getTimerCount()).toBe(0);
});
