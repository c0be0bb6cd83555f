// SOCKET_INBOUND (docs/protocol.md §7.3): a deadline that fires after a peer in this process held
// the event loop is judged only once the sockets have been read, so an answer that arrived in time
// wins. Real sockets on 127.0.0.1: the server computes (holds the loop) past the client's
// deadline, then answers; Node then runs the due deadline before it reads the answer.
import {afterEach, expect, test} from 'vitest';
import {WebSocket, WebSocketServer} from 'ws';
import {PendingRequests} from '../../src/synchronizers/requests.js';
import {Message} from '../../src/synchronizers/types.js';
import {SOCKET_INBOUND} from '../../src/synchronizers/ws/socket-inbound.js';

const DEADLINE_MS = 20;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) {
    cleanup();
  }
});

/** Holds the event loop, as a peer computing a large diff in this process would. */
const holdLoop = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
};

/** A client whose requests a real server answers only after holding the loop past the deadline. */
async function askSlowServer(inbound?: typeof SOCKET_INBOUND) {
  const server = new WebSocketServer({host: '127.0.0.1', port: 0});
  cleanups.push(() => server.close());
  server.on('connection', (socket) =>
    socket.on('message', (data) => {
      holdLoop(DEADLINE_MS * 5);
      socket.send(String(data));
    }),
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const {port} = server.address() as {port: number};
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  cleanups.push(() => client.close());
  await new Promise((resolve) => client.once('open', resolve));
  const requests = new PendingRequests((_to, requestId) => client.send(requestId), inbound);
  client.on('message', (data) => requests.handleResponse('server', String(data), 'answer'));
  return requests.request('server', Message.GetContentHashes, '', 'tx', DEADLINE_MS).then(
    () => 'answered',
    (error: Error) => error.message,
  );
}

test('an answer received while this process was held beats the deadline that fired meanwhile', async () => {
  expect(await askSlowServer(SOCKET_INBOUND)).toBe('answered');
});

test('without it, the same answer loses to the deadline (what SOCKET_INBOUND is for)', async () => {
  expect(await askSlowServer()).toMatch(/^tinybase:3:server\./);
});
