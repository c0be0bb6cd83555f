// PendingRequests (docs/protocol.md §7.3): what a pending request waits for. Fake timers only
// count time here; whatever order timers fire in, the rules are about messages, not lateness.
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {DeliveryQueue} from '../../src/synchronizers/delivery-queue.js';
import {createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {PendingRequests} from '../../src/synchronizers/requests.js';
import {Message, type Receive} from '../../src/synchronizers/types.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Requests over a transport that only records what was sent. */
function setUp(inbound?: DeliveryQueue) {
  const sent: {to: string | null; requestId: string}[] = [];
  const requests = new PendingRequests((to, requestId) => {
    sent.push({to, requestId});
  }, inbound);
  const ask = (to: string | null, timeoutMs = 100) => {
    const outcome: {settled?: 'answered' | 'timed out'; error?: Error; body?: unknown} = {};
    requests.request(to, Message.GetContentHashes, '', 'tx', timeoutMs).then(
      ({body}) => Object.assign(outcome, {settled: 'answered', body}),
      (error: Error) => Object.assign(outcome, {settled: 'timed out', error}),
    );
    return {outcome, requestId: () => sent[sent.length - 1]!.requestId};
  };
  return {requests, ask};
}

test('a request times out after its timeout, and leaves no timer', async () => {
  const {requests, ask} = setUp();
  const {outcome} = ask('p');
  await vi.advanceTimersByTimeAsync(99);
  expect(outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(outcome.settled).toBe('timed out');
  expect(outcome.error?.message).toMatch(/^tinybase:3:p\./);
  expect(requests.size).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
});

test('an answer from the addressee resolves it; one from another peer does not', async () => {
  const {requests, ask} = setUp();
  const {outcome, requestId} = ask('p');
  expect(requests.handleResponse('q', requestId(), 'wrong')).toBe(false);
  expect(requests.handleResponse('p', requestId(), 'right')).toBe(true);
  await vi.advanceTimersByTimeAsync(0);
  expect(outcome).toMatchObject({settled: 'answered', body: 'right'});
  expect(vi.getTimerCount()).toBe(0);
});

test('traffic from the addressee gives its requests their full timeout again', async () => {
  const {ask, requests} = setUp();
  const toP = ask('p');
  const toQ = ask('q');
  await vi.advanceTimersByTimeAsync(90);
  requests.noteTrafficFrom('p');
  await vi.advanceTimersByTimeAsync(10);
  // Traffic from p says nothing about q.
  expect(toQ.outcome.settled).toBe('timed out');
  expect(toP.outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(89);
  expect(toP.outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(toP.outcome.settled).toBe('timed out');
});

test('a broadcast, which any peer may answer, gets its full timeout again on traffic from any peer', async () => {
  const {ask, requests} = setUp();
  const toAnyone = ask(null);
  await vi.advanceTimersByTimeAsync(90);
  requests.noteTrafficFrom('q');
  await vi.advanceTimersByTimeAsync(99);
  expect(toAnyone.outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(toAnyone.outcome.settled).toBe('timed out');
  expect(toAnyone.outcome.error?.message).toMatch(/^tinybase:3:\./);
});

test('a broadcast waits twice as long as the slowest peer lately heard took to answer', async () => {
  const {requests, ask} = setUp();
  const first = ask('p');
  await vi.advanceTimersByTimeAsync(300);
  expect(requests.handleResponse('p', first.requestId(), 'late')).toBe(false);
  const toAnyone = ask(null);
  await vi.advanceTimersByTimeAsync(599);
  expect(toAnyone.outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(toAnyone.outcome.settled).toBe('timed out');
});

/** An outbound queue the test empties by hand, as a socket writing its buffer out would. */
function createOutbound() {
  const waiting = new Set<() => void>();
  let queued = 0;
  return {
    queue: {
      afterSent: (callback: () => void) => {
        if (queued === 0) {
          callback();
          return () => {};
        }
        waiting.add(callback);
        return () => waiting.delete(callback);
      },
    },
    hold: () => {
      queued++;
    },
    writeOut: () => {
      queued = 0;
      for (const callback of [...waiting]) {
        waiting.delete(callback);
        callback();
      }
    },
    waiters: () => waiting.size,
  };
}

test("a request's deadline starts once its frame has been written out, and traffic cannot start it early", async () => {
  const outbound = createOutbound();
  const requests = new PendingRequests(() => {}, undefined, outbound.queue);
  const outcome: {settled?: string} = {};
  outbound.hold(); // megabytes wait before the request in the socket
  requests.request('p', Message.GetContentHashes, '', 'tx', 100).then(
    () => (outcome.settled = 'answered'),
    () => (outcome.settled = 'timed out'),
  );
  expect(vi.getTimerCount()).toBe(0);
  await vi.advanceTimersByTimeAsync(5_000);
  requests.noteTrafficFrom('p');
  expect(vi.getTimerCount()).toBe(0);
  expect(outcome.settled).toBeUndefined();
  outbound.writeOut();
  await vi.advanceTimersByTimeAsync(99);
  expect(outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(outcome.settled).toBe('timed out');
  expect(vi.getTimerCount()).toBe(0);
});

test('a request answered or rejected while its frame waits to be written out stops waiting for it', async () => {
  const outbound = createOutbound();
  const sent: string[] = [];
  const requests = new PendingRequests(
    (_to, requestId) => {
      sent.push(requestId);
    },
    undefined,
    outbound.queue,
  );
  outbound.hold();
  const answered = requests.request('p', Message.GetContentHashes, '', 'tx', 100);
  const rejected = requests.request('p', Message.GetContentHashes, '', 'tx', 100);
  expect(outbound.waiters()).toBe(2);
  expect(requests.handleResponse('p', sent[0]!, 'early')).toBe(true);
  await expect(answered).resolves.toMatchObject({body: 'early'});
  requests.rejectAll(new Error('gone'));
  await expect(rejected).rejects.toThrow('gone');
  expect(outbound.waiters()).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
});

test('a deadline seen while messages are queued for this peer waits for them: the answer among them wins', async () => {
  const inbound = new DeliveryQueue();
  const {requests, ask} = setUp(inbound);
  const {outcome, requestId} = ask('p');
  const queued = inbound.enqueue(); // the answer is queued, not yet delivered
  await vi.advanceTimersByTimeAsync(1000);
  expect(outcome.settled).toBeUndefined();
  expect(vi.getTimerCount()).toBe(0); // waiting for the delivery, not for a timer
  requests.handleResponse('p', requestId(), 'late but queued');
  inbound.settle(queued);
  await vi.advanceTimersByTimeAsync(0);
  expect(outcome).toMatchObject({settled: 'answered', body: 'late but queued'});
});

test('once the messages queued at the deadline are delivered without an answer, it times out, whatever is queued later', async () => {
  const inbound = new DeliveryQueue();
  const {ask} = setUp(inbound);
  const {outcome} = ask('p');
  const first = inbound.enqueue();
  await vi.advanceTimersByTimeAsync(100);
  const later = inbound.enqueue(); // queued after the deadline: not waited for
  expect(outcome.settled).toBeUndefined();
  inbound.settle(first);
  await vi.advanceTimersByTimeAsync(0);
  expect(outcome.settled).toBe('timed out');
  inbound.settle(later);
});

test('nothing queued at the deadline: the timeout is final at once', async () => {
  const inbound = new DeliveryQueue();
  const {ask} = setUp(inbound);
  const {outcome} = ask('p');
  inbound.settle(inbound.enqueue()); // delivered before the deadline
  await vi.advanceTimersByTimeAsync(100);
  expect(outcome.settled).toBe('timed out');
});

test('traffic from the addressee while its deadline waits for queued messages re-arms it', async () => {
  const inbound = new DeliveryQueue();
  const {ask, requests} = setUp(inbound);
  const {outcome} = ask('p');
  const queued = inbound.enqueue();
  await vi.advanceTimersByTimeAsync(100);
  requests.noteTrafficFrom('p'); // say the queued message was a part of a large answer
  inbound.settle(queued);
  await vi.advanceTimersByTimeAsync(99);
  expect(outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(outcome.settled).toBe('timed out');
});

test('rejectAll rejects every pending request, and leaves no timer and no waiter', async () => {
  const inbound = new DeliveryQueue();
  const {ask, requests} = setUp(inbound);
  const waitingForTimer = ask('p');
  const waitingForQueue = ask('q', 10);
  const queued = inbound.enqueue();
  await vi.advanceTimersByTimeAsync(10);
  requests.rejectAll(new Error('gone'));
  await vi.advanceTimersByTimeAsync(0);
  expect(waitingForTimer.outcome.error?.message).toBe('gone');
  expect(waitingForQueue.outcome.error?.message).toBe('gone');
  expect(vi.getTimerCount()).toBe(0);
  inbound.settle(queued); // the cancelled waiter is not called back
  expect(requests.size).toBe(0);
});

test('a peer that once took long to answer is given twice as long next time, even when its answer came too late', async () => {
  const {requests, ask} = setUp();
  const first = ask('p');
  await vi.advanceTimersByTimeAsync(100);
  expect(first.outcome.settled).toBe('timed out');
  await vi.advanceTimersByTimeAsync(200);
  // The answer, 300 ms after the request: too late, but it says how slow p is.
  expect(requests.handleResponse('p', first.requestId(), 'late')).toBe(false);
  const second = ask('p');
  const toOther = ask('q');
  await vi.advanceTimersByTimeAsync(100);
  expect(toOther.outcome.settled).toBe('timed out'); // q has not been slow
  await vi.advanceTimersByTimeAsync(499);
  expect(second.outcome.settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(second.outcome.settled).toBe('timed out');
  expect((second.outcome.error as {detail?: string}).detail).toContain('within 0.6 s');
});

test('a late answer from another peer than the addressee teaches nothing', async () => {
  const {requests, ask} = setUp();
  const first = ask('p');
  await vi.advanceTimersByTimeAsync(300);
  expect(requests.handleResponse('q', first.requestId(), 'forged')).toBe(false);
  const second = ask('p');
  await vi.advanceTimersByTimeAsync(100);
  expect(second.outcome.settled).toBe('timed out');
});

test("a broadcast's later answers, from other peers, go to onLaterAnswer; a directed request's do not", async () => {
  const {requests} = setUp();
  const later: {body: unknown; fromClientId: string}[] = [];
  const sentIds: string[] = [];
  const recording = new PendingRequests((_to, requestId) => {
    sentIds.push(requestId);
  });
  const broadcast = recording.request(null, Message.GetContentHashes, '', 'tx', 100, (answer) =>
    later.push(answer),
  );
  expect(recording.handleResponse('p', sentIds[0]!, [1, 2])).toBe(true);
  await expect(broadcast).resolves.toEqual({body: [1, 2], fromClientId: 'p'});
  expect(recording.handleResponse('q', sentIds[0]!, [3, 4])).toBe(true);
  expect(later).toEqual([{body: [3, 4], fromClientId: 'q'}]);
  const directed = recording.request('p', Message.GetContentHashes, '', 'tx', 100, (answer) =>
    later.push(answer),
  );
  recording.handleResponse('p', sentIds[1]!, [5, 6]);
  await directed;
  expect(recording.handleResponse('p', sentIds[1]!, [7, 8])).toBe(false);
  expect(later).toHaveLength(1);
  // A broken transport forgets them.
  recording.rejectAll(new Error('gone'));
  expect(recording.handleResponse('r', sentIds[0]!, [9, 9])).toBe(false);
  expect(requests.size).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
});

test("a transport's report of fragments arriving from the addressee keeps a pull's request waiting", async () => {
  const sent: {to: string | null; requestId: string | null; message: number}[] = [];
  let receive: Receive = () => {};
  const errors: Error[] = [];
  const synchronizer = createCustomSynchronizer(
    createMergeableStore('s1'),
    (to, requestId, message) => {
      sent.push({to, requestId, message});
    },
    (registered) => {
      receive = registered;
    },
    () => {},
    0.1,
    undefined,
    undefined,
    (error) => errors.push(error),
  );
  const started = synchronizer.startAutoLoad();
  await vi.advanceTimersByTimeAsync(200); // alone: the first pull found nobody
  await started;
  errors.length = 0;
  // Peer p announces other content: the pull asks p for its table diff.
  receive('p', null, Message.ContentHashes, [1, 0]);
  await vi.advanceTimersByTimeAsync(0);
  const question = sent.at(-1)!;
  expect(question).toMatchObject({to: 'p', message: Message.GetTableDiff});
  // The answer comes in fragments, for five timeouts; each one reported keeps the request alive.
  for (let fragment = 0; fragment < 5; fragment++) {
    await vi.advanceTimersByTimeAsync(90);
    synchronizer.notePeerActivity('p');
  }
  receive('p', question.requestId, Message.Response, [[{}], {}]);
  await vi.advanceTimersByTimeAsync(0);
  expect(errors).toEqual([]);
  // Without reports, a wait times out (after twice the 450 ms p took: it has been slow).
  receive('p', null, Message.ContentHashes, [2, 0]);
  await vi.advanceTimersByTimeAsync(800);
  expect(errors).toEqual([]);
  await vi.advanceTimersByTimeAsync(100);
  expect(errors.map(({message}) => message.split('.')[0])).toContain('tinybase:3:p');
  synchronizer.destroy();
  expect(vi.getTimerCount()).toBe(0);
});
