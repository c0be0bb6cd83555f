// Sync status, errors that are never silent, bounds, timeouts and retries, link changes, and the
// clock-ahead warning.

import fc from 'fast-check';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {describeError, type SyncError} from '../../src/synchronizers/errors.js';
import type {
  CustomSynchronizer,
  CustomSynchronizerOptions,
  SyncStatus,
} from '../../src/synchronizers/index.js';
import {joinBus, type LoggedMessage, runAllTimers as run, TestBus} from './helpers.js';
import {applyEdit, editArbitrary} from './scenario.js';

const T0 = Date.UTC(2024, 0, 1);
let bus: TestBus;
const created: CustomSynchronizer[] = [];

function join(
  name: string,
  store: MergeableStore,
  {
    timeout = 1,
    errors = [] as Error[],
    options,
  }: {timeout?: number; errors?: Error[]; options?: CustomSynchronizerOptions} = {},
) {
  const synchronizer = joinBus(bus, name, store, {
    timeoutSeconds: timeout,
    onIgnoredError: (error) => errors.push(error),
    options,
  });
  created.push(synchronizer);
  return synchronizer;
}

/** Two started peers A and B on the bus. */
async function startPair() {
  const storeA = createMergeableStore('s1');
  const storeB = createMergeableStore('s2');
  const a = join('A', storeA);
  const b = join('B', storeB);
  await run(() => b.startSync());
  await run(() => a.startSync());
  return {storeA, storeB, a, b};
}

/** Cuts A off the bus (nothing reaches it, its status goes offline); returns the reconnection. */
function disconnectA(a: CustomSynchronizer): () => void {
  a.setConnection('offline');
  const receiveA = bus.peers.get('A')!;
  bus.peers.delete('A');
  return () => {
    bus.peers.set('A', receiveA);
    a.setConnection('online');
  };
}

/** A raw peer on the bus that records what reaches it and can send anything. */
function probe(name = 'P') {
  const received: LoggedMessage[] = [];
  const transport = bus.join(name);
  transport.registerReceive((from, requestId, message, body) =>
    received.push({from, to: name, requestId, message, body}),
  );
  return {received, send: transport.send};
}

function recordStatuses(synchronizer: CustomSynchronizer): SyncStatus[] {
  const statuses: SyncStatus[] = [];
  synchronizer.addSyncStatusListener((status) => statuses.push(status));
  return statuses;
}

beforeEach(() => {
  vi.useFakeTimers({now: T0});
  bus = new TestBus();
});
afterEach(() => {
  for (const synchronizer of created.splice(0)) {
    synchronizer.destroy();
  }
  vi.useRealTimers();
});

describe('sync status', () => {
  test('starts idle and online, syncs, and listeners fire only on real changes', async () => {
    const storeA = createMergeableStore('s1');
    storeA.setCell('t1', 'r1', 'c1', 1);
    const a = join('A', storeA);
    const b = join('B', createMergeableStore('s2'));
    expect(a.getSyncStatus()).toEqual({
      connection: 'online',
      phase: 'idle',
      pendingChanges: 0,
      lastSyncedAt: null,
      error: null,
    });
    const statusesA = recordStatuses(a);
    const statusesB = recordStatuses(b);
    await run(() => a.startSync());
    // Alone: a pull that nobody answers is not an error, and leaves A idle.
    expect(statusesA.map(({phase}) => phase)).toEqual(['syncing', 'idle']);
    expect(a.getSyncStatus().error).toBeNull();

    await run(() => b.startSync());
    expect(statusesB.map(({phase}) => phase)).toEqual(['syncing', 'synced']);
    expect(b.getSyncStatus().lastSyncedAt).toBe(Date.now());
    // B's announcement makes A pull; equal hashes: A is synced too.
    expect(statusesA.map(({phase}) => phase)).toEqual(['syncing', 'idle', 'syncing', 'synced']);
    for (const statuses of [statusesA, statusesB]) {
      for (let index = 1; index < statuses.length; index++) {
        expect(statuses[index]).not.toEqual(statuses[index - 1]);
      }
    }
    // Local edits while synced change nothing in the status.
    const before = statusesA.length;
    await run(() => storeA.setCell('t1', 'r1', 'c1', 2));
    expect(statusesA.length).toBe(before);
    expect(a.getSyncStatus()).toBe(statusesA.at(-1));

    a.stopSync();
    expect(a.getSyncStatus().phase).toBe('idle');
    a.destroy();
    expect(a.getSyncStatus().connection).toBe('offline');
  });

  test('a peer that was ahead is synced once the other has pulled what it announced', async () => {
    const storeA = createMergeableStore('s1');
    storeA.setCell('t1', 'r1', 'c1', 1);
    const storeB = createMergeableStore('s2');
    storeB.setCell('t1', 'r2', 'c1', 2);
    const a = join('A', storeA);
    const b = join('B', storeB);
    await run(() => a.startSync());
    const statusesB = recordStatuses(b);
    await run(() => b.startSync());
    // B's own pull leaves it ahead of A: still syncing until A has pulled B's row.
    expect(statusesB.map(({phase}) => phase)).toEqual(['syncing', 'synced']);
    expect(b.getSyncStatus().phase).toBe('synced');
    expect(a.getSyncStatus().phase).toBe('synced');
    expect(storeA.getTables()).toEqual(storeB.getTables());
  });

  test('the Persister status goes Loading and Saving, with stats', async () => {
    const storeA = createMergeableStore('s1');
    const a = join('A', storeA);
    const statuses: number[] = [];
    a.addStatusListener((_synchronizer, status) => statuses.push(status));
    await run(() => a.startSync());
    expect(statuses).toEqual([1, 0, 2, 0]);
    expect(a.getStats()).toEqual({loads: 1, saves: 1});
    await run(() => storeA.setCell('t1', 'r1', 'c1', 1));
    expect(a.getStats()).toEqual({loads: 1, saves: 2});
    expect(a.getSynchronizerStats()).toEqual({sends: 3, receives: 0});
    expect(a.isAutoLoading() && a.isAutoSaving()).toBe(true);
    a.stopSync();
    expect(a.isAutoLoading() || a.isAutoSaving()).toBe(false);
  });
});

describe('never silent', () => {
  test('an invalid message reaches onIgnoredError with its reason and sets the status error', async () => {
    const errors: Error[] = [];
    const a = join('A', createMergeableStore('s1'), {errors});
    await run(() => a.startSync());
    errors.length = 0;
    const {send} = probe();
    await run(() => send('A', 'x', 3, [[{t1: [{r1: [{c1: [1, 'not-an-hlc']}]}]}], [{}], 1]));
    expect(errors).toHaveLength(1);
    expect(describeError(errors[0])).toBe(
      'tinybase:14 invalid ContentDiff body: tables: table "t1" > row "r1" > cell "c1": HLC "not-an-hlc" ' +
        'is not "" or 16 characters of [-0-9A-Z_a-z] (from peer "P")',
    );
    // The message is TinyBase's code alone, as apps match on it; the reason is in `detail`.
    expect(errors[0].message).toBe('tinybase:14');
    expect((errors[0] as SyncError).detail).toMatch(/^invalid ContentDiff body: /);
    expect(a.getSyncStatus().error).toBe(errors[0]);
    expect(a.getSynchronizerStats().receives).toBe(0);
  });

  test('a change set with a far-future clock is rejected with the reason', async () => {
    const errors: Error[] = [];
    const store = createMergeableStore('s1');
    const a = join('A', store, {errors});
    await run(() => a.startSync());
    errors.length = 0;
    const {send} = probe();
    await run(() => send(null, 'x', 3, [[{t1: [{r1: [{c1: [1, 'zzzzzzz----7JQY8']}]}]}], [{}], 1]));
    expect(store.getTables()).toEqual({});
    expect(errors).toHaveLength(1);
    expect(describeError(errors[0])).toMatch(/^tinybase:14 rejected ContentDiff from peer "P": .+/);
    expect(a.getSyncStatus().error).toBe(errors[0]);
  });

  test('the 101st concurrent request is refused with tinybase:15:requests', async () => {
    const errors: Error[] = [];
    const a = join('A', createMergeableStore('s1'), {errors, timeout: 60});
    const started = a.startSync();
    await vi.advanceTimersByTimeAsync(60_001);
    await started;
    errors.length = 0;
    // 101 announcements from peers that never answer: 101 pulls, each waiting on GetTableDiff.
    // (One peer's announcements would not do: a peer is pulled from by one pull at a time.)
    const peers = Array.from({length: 101}, (_, index) => probe(`P${index}`));
    for (const [index, {send}] of peers.entries()) {
      send(null, `tx${index}`, 2, [index + 1, 0]);
    }
    await vi.advanceTimersByTimeAsync(10);
    const requests = peers.flatMap(({received}) => received.filter(({message}) => message === 4));
    expect(requests).toHaveLength(100);
    const overflow = errors.find(({message}) => message.startsWith('tinybase:15:requests'));
    expect(overflow && describeError(overflow)).toBe(
      'tinybase:15:requests 100 requests are already awaiting responses; GetTableDiff not sent',
    );
    expect(a.getSyncStatus().error).not.toBeNull();
  });

  test('a request that times out is reported with the peer, the request and the wait', async () => {
    const errors: Error[] = [];
    const a = join('A', createMergeableStore('s1'), {errors});
    await run(() => a.startSync());
    errors.length = 0;
    const {received, send} = probe();
    send(null, 'announce', 2, [7, 0]);
    await vi.advanceTimersByTimeAsync(1010);
    const request = received.find(({message}) => message === 4)!;
    expect(describeError(errors[0])).toBe(
      `tinybase:3:P.${request.requestId}.4 no response to GetTableDiff from peer "P" within 1 s`,
    );
    expect(a.getSyncStatus().error).toBe(errors[0]);
    // The failed pull from an announcing peer falls back to a pull from any peer (docs/protocol.md §5.6).
    expect(received.at(-1)?.message).toBe(1);
  });
});

describe('retries', () => {
  test('a timed-out pull is retried with backoff and a doubled timeout until it succeeds, a late answer extending the retry', async () => {
    const errors: Error[] = [];
    const store = createMergeableStore('s1');
    const a = join('A', store, {errors});
    const source = createMergeableStore('s2');
    source.setTable('t1', {r1: {c1: 1}, r2: {c1: 2}});
    // A peer whose diff responses take 3.5 s to arrive: longer than A's 1 s request timeout.
    const {send, received} = probe('S');
    const answered = new Set<string>();
    const answerTimes: number[] = [];
    const statuses = recordStatuses(a);
    const serve = () => {
      for (const {requestId, message, body} of received) {
        if (answered.has(requestId!)) {
          continue;
        }
        answered.add(requestId!);
        if (message === 1) {
          send('A', requestId, 0, source.getMergeableContentHashes());
        } else if (message === 4) {
          answerTimes.push(Date.now());
          const diff = source.getMergeableTableDiff(body as {});
          setTimeout(() => send('A', requestId, 0, diff), 3500);
        }
      }
    };
    const started = a.startSync();
    for (let step = 0; step < 400 && store.getRowCount('t1') === 0; step++) {
      await vi.advanceTimersByTimeAsync(50);
      serve();
    }
    await started;
    expect(store.getTable('t1')).toEqual({r1: {c1: 1}, r2: {c1: 2}});
    // The attempt with a 1 s timeout failed. The retry (2 s) was still waiting when the first
    // answer came, late: that showed S there and slow, so the retry waited its full time again
    // from then, and got its own answer (docs/protocol.md §7.3).
    expect(answerTimes).toHaveLength(2);
    const timeouts = errors.filter(({message}) => message.startsWith('tinybase:3:S.'));
    expect(timeouts.map((error) => describeError(error).split(' within ')[1])).toEqual(['1 s']);
    // Visible in the status: syncing with the error while retrying, then synced without it.
    const retrying = statuses.find(({error}) => error !== null);
    expect(retrying?.phase).toBe('syncing');
    expect(a.getSyncStatus()).toMatchObject({phase: 'synced', error: null});
  });

  // In-process peers share one event loop: while the responder computes, the requester's timer
  // cannot fire, and when it does the response is already queued behind it.
  test.each([
    ['far longer than the timeout (ten timeouts)', 200],
    ['only a little longer than the timeout (the timer fires a few ms late)', 26],
  ])(
    'a peer busy computing a diff in the same thread %s does not time out the request',
    async (_, busyMs) => {
      vi.useRealTimers();
      const source = createMergeableStore('s1');
      const rows: {[rowId: string]: {[cellId: string]: number}} = {};
      for (let row = 0; row < 200; row++) {
        rows[`r${row}`] = {c1: row};
      }
      source.setTable('t1', rows);
      const errors: Error[] = [];
      const sourceSynchronizer = join('S', source, {timeout: 0.02});
      await sourceSynchronizer.startSync();
      const joiner = createMergeableStore('s2');
      const joinerSynchronizer = join('J', joiner, {timeout: 0.02, errors});
      const getDiff = source.getMergeableTableDiff.bind(source);
      source.getMergeableTableDiff = (hashes) => {
        const until = Date.now() + busyMs;
        while (Date.now() < until) {
          // busy: the shared event loop is blocked
        }
        return getDiff(hashes);
      };
      await joinerSynchronizer.startSync();
      expect(joiner.getRowCount('t1')).toBe(200);
      expect(errors.filter(({message}) => message.startsWith('tinybase:3:S'))).toEqual([]);
    },
  );
});

describe('connection', () => {
  test('while not online, local changes are counted, then announced on reconnect, and both sides catch up', async () => {
    const storeA = createMergeableStore('s1');
    const storeB = createMergeableStore('s2');
    const a = join('A', storeA, {options: {initialConnection: 'connecting'}});
    const b = join('B', storeB);
    await run(() => b.startSync());
    await run(() => a.startSync({t0: {}} as never));
    bus.clear();
    expect(a.getSyncStatus()).toMatchObject({connection: 'connecting', phase: 'idle'});
    // Nothing reaches A while its link is down.
    const receiveA = bus.peers.get('A')!;
    bus.peers.delete('A');

    await run(() => {
      storeA.setCell('t1', 'r1', 'c1', 1);
      storeA.setCell('t1', 'r1', 'c1', 2);
      storeA.setValue('v1', 'x');
    });
    storeB.setCell('t2', 'r1', 'c1', 'from B while apart');
    await vi.runAllTimersAsync();
    expect(bus.log.filter(({from}) => from === 'A')).toEqual([]);
    expect(a.getSyncStatus().pendingChanges).toBe(2);

    const statuses = recordStatuses(a);
    bus.peers.set('A', receiveA);
    bus.clear();
    await run(() => a.setConnection('online'));
    expect(storeA.hasTable('t2')).toBe(true);
    expect(bus.describe().slice(0, 2)).toEqual([
      'A→all GET_CONTENT_HASHES',
      'A→all CONTENT_HASHES',
    ]);
    expect(storeB.getContent()).toEqual([
      {t1: {r1: {c1: 2}}, t2: {r1: {c1: 'from B while apart'}}},
      {v1: 'x'},
    ]);
    expect(storeA.getContent()).toEqual(storeB.getContent());
    expect(statuses[0]).toMatchObject({connection: 'online', pendingChanges: 2});
    expect(a.getSyncStatus()).toMatchObject({
      connection: 'online',
      phase: 'synced',
      pendingChanges: 0,
    });
  });

  // A pull compares with the hashes its peer had when it began; when those went stale meanwhile
  // (the peer pulled from this one, or answered an out-of-date announcement), only asking again
  // tells that both now hold the same content.
  test('after a reconnect with edits on both sides while apart, both statuses end synced', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(editArbitrary, {maxLength: 8}),
        fc.array(editArbitrary, {minLength: 1, maxLength: 6}),
        async (together, apart) => {
          bus = new TestBus();
          const {storeA, storeB, a, b} = await startPair();
          const applyAll = (edits: typeof together) => {
            for (const edit of edits) {
              applyEdit(edit.peer % 2 === 0 ? storeA : storeB, edit);
            }
          };
          await run(() => applyAll(together));
          const reconnectA = disconnectA(a);
          await run(() => applyAll(apart));
          await run(reconnectA);
          expect(storeA.getMergeableContentHashes()).toEqual(storeB.getMergeableContentHashes());
          expect([a.getSyncStatus().phase, b.getSyncStatus().phase]).toEqual(['synced', 'synced']);
          a.destroy();
          b.destroy();
        },
      ),
      {seed: 7, numRuns: 200},
    );
  });

  test('a pull that answered a stale announcement confirms with one directed question', async () => {
    const {storeA, a, b} = await startPair();
    const reconnectA = disconnectA(a);
    // Only B changes while apart, so A's reconnect pull brings A level with B, while B answers
    // A's announcement, made before that pull finished, with a pull that ends unequal.
    await run(() => b.getStore().setCell('t1', 'r1', 'c1', 'from B while apart'));
    bus.clear();
    await run(reconnectA);
    expect(storeA.getTables()).toEqual({t1: {r1: {c1: 'from B while apart'}}});
    expect(bus.describe().filter((line) => line === 'B→A GET_CONTENT_HASHES')).toHaveLength(1);
    expect([a.getSyncStatus().phase, b.getSyncStatus().phase]).toEqual(['synced', 'synced']);
  });

  test('going offline fails pending requests at once and records the transport error', async () => {
    const errors: Error[] = [];
    const a = join('A', createMergeableStore('s1'), {errors});
    await run(() => a.startSync());
    const {send} = probe();
    send(null, 'announce', 2, [7, 0]);
    await vi.advanceTimersByTimeAsync(5);
    const linkError = new Error('socket closed');
    a.setConnection('offline', linkError);
    await vi.advanceTimersByTimeAsync(5);
    expect(a.getSyncStatus()).toMatchObject({connection: 'offline', error: linkError});
    expect(errors).toContain(linkError);
    expect(
      errors.some((error) => describeError(error) === 'tinybase:5 connection is offline'),
    ).toBe(true);
  });
});

describe('clock ahead of peers', () => {
  test('a peer whose clock runs 10 min ahead learns it from its status; the other reports what it rejected', async () => {
    const fastErrors: Error[] = [];
    const slowErrors: Error[] = [];
    const fast = createMergeableStore('s1', () => Date.now() + 10 * 60_000);
    const normal = createMergeableStore('s2');
    const fastSynchronizer = join('F', fast, {errors: fastErrors});
    const normalSynchronizer = join('N', normal, {errors: slowErrors});
    await run(() => fastSynchronizer.startSync());
    await run(() => normalSynchronizer.startSync());

    // The fast peer's edit is rejected by the normal one, which says why.
    await run(() => fast.setCell('t1', 'r1', 'c1', 'fast'));
    expect(normal.getTables()).toEqual({});
    expect(describeError(slowErrors.at(-1) as Error)).toMatch(
      /^tinybase:14 rejected ContentDiff from peer "F": /,
    );
    expect(normalSynchronizer.getSyncStatus().error).toBe(slowErrors.at(-1));

    // The normal peer's next edit tells the fast peer its clock is ahead.
    await vi.advanceTimersByTimeAsync(1000);
    await run(() => normal.setCell('t1', 'r2', 'c1', 'normal'));
    expect(fast.getCell('t1', 'r2', 'c1')).toBe('normal');
    const warning = fastSynchronizer.getSyncStatus().error;
    expect(describeError(warning as Error)).toMatch(
      /clock ahead of peers by ~10 min.*your edits will be rejected/,
    );
    expect(fastErrors).toContain(warning);
    // It stays while the clocks disagree, even through a successful sync.
    fastSynchronizer.setConnection('offline');
    bus.clear();
    await run(() => fastSynchronizer.setConnection('online'));
    expect(fastSynchronizer.getSyncStatus().error).toBe(warning);
    // Their content cannot become equal: the fast peer asks a bounded number of times whether it
    // has, then settles to 'idle' instead of showing 'syncing' forever.
    const confirmations = bus.describe().filter((line) => line === 'F→N GET_CONTENT_HASHES');
    expect(confirmations.length).toBeGreaterThan(0);
    expect(confirmations.length).toBeLessThanOrEqual(3);
    expect(fastSynchronizer.getSyncStatus().phase).toBe('idle');
  });

  test('peers with agreeing clocks get no warning', async () => {
    const errors: Error[] = [];
    const a = createMergeableStore('s1', () => Date.now() + 4 * 60_000);
    const b = createMergeableStore('s2');
    const aSynchronizer = join('A', a, {errors});
    await run(() => aSynchronizer.startSync());
    await run(() => join('B', b).startSync());
    await run(() => a.setCell('t1', 'r1', 'c1', 1));
    await run(() => b.setCell('t1', 'r1', 'c2', 2));
    expect(errors.filter((error) => describeError(error).includes('clock'))).toEqual([]);
    expect(a.getTables()).toEqual(b.getTables());
  });
});
