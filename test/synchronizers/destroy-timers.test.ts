// Every timer the engine sets (request timeouts, confirmation delays, retry backoff) is owned
// and cleared on destroy, and so is every wait on a transport's queue.
// Peers talk over a bus that delivers in microtasks and loses messages by a seeded rule, so the
// only timers are the engine's; each run destroys every synchronizer at a different moment.
import {afterAll, beforeAll, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {type CustomSynchronizer, createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import type {Receive} from '../../src/synchronizers/types.js';
import {wireCopy} from './helpers.js';
import {createRandom} from './sim-network.js';

beforeAll(() => {
  vi.useFakeTimers({now: Date.UTC(2024, 0, 1)});
});
afterAll(() => {
  vi.useRealTimers();
});

function createPeers(seed: number): CustomSynchronizer[] {
  const random = createRandom(seed);
  const receivers = new Map<string, Receive>();
  const synchronizers: CustomSynchronizer[] = [];
  for (const id of ['a', 'b', 'c']) {
    const store = createMergeableStore(id);
    store.setCell('t', id, 'c', id);
    const synchronizer = createCustomSynchronizer(
      store,
      (to, requestId, message, body) => {
        for (const [peer, receive] of receivers) {
          // A third of the messages are lost: requests time out, pulls fail and are retried.
          if (peer !== id && (to === null || to === peer) && random() > 1 / 3) {
            const copy = wireCopy(body);
            queueMicrotask(() => receive(id, requestId, message, copy));
          }
        }
      },
      (receive) => {
        receivers.set(id, receive);
      },
      () => receivers.delete(id),
      0.05,
      undefined,
      undefined,
      () => {},
    );
    synchronizers.push(synchronizer);
  }
  return synchronizers;
}

test('destroying synchronizers mid-flight leaves no timer behind', async () => {
  let sawTimers = 0;
  for (let run = 0; run < 40; run++) {
    const synchronizers = createPeers(run);
    for (const synchronizer of synchronizers) {
      void synchronizer.startSync();
    }
    // Some edits and some virtual time: the destroy lands at a different point of each run.
    for (let step = 0; step < run % 10; step++) {
      synchronizers[step % 3]!.getStore().setCell('t', 'r', 'c', step);
      await vi.advanceTimersByTimeAsync(7 * (run % 4) + 3);
    }
    if (vi.getTimerCount() > 0) {
      sawTimers++;
    }
    for (const synchronizer of synchronizers) {
      synchronizer.destroy();
    }
    // At once: a timer merely about to fire would be fired by advancing the clock, not cleared.
    expect(vi.getTimerCount()).toBe(0);
  }
  // The destroys really did interrupt work in flight.
  expect(sawTimers).toBeGreaterThan(20);
});

test('local synchronizers destroyed mid-flight leave no timer: deliveries, deadlines and waits on queued messages', async () => {
  let sawTimers = 0;
  for (let run = 0; run < 20; run++) {
    const stores = ['a', 'b', 'c'].map((id) => createMergeableStore(id));
    const synchronizers = stores.map((store) => createLocalSynchronizer(store));
    for (const synchronizer of synchronizers) {
      void synchronizer.startSync();
    }
    for (let step = 0; step < run % 7; step++) {
      stores[step % 3]!.setCell('t', `r${step}`, 'c', run);
      await vi.advanceTimersByTimeAsync(run % 3);
    }
    if (vi.getTimerCount() > 0) {
      sawTimers++;
    }
    // In an order that leaves deliveries queued for peers still alive.
    for (const synchronizer of synchronizers.reverse()) {
      synchronizer.destroy();
    }
    expect(vi.getTimerCount()).toBe(0);
  }
  expect(sawTimers).toBeGreaterThan(10);
});
