// A hub (checksPullers, puller-check.ts) asks a peer for its hashes once the peer's pull from it
// has ended, and pulls what the peer never announced (docs/protocol.md §7.7). Here the peer's
// announcements and ContentDiffs are lost on the way, as a TinyBase client's are when it edits
// while not syncing: the only way its edit reaches the hub is the hub's question.
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {Message, type Synchronizer} from '../../src/synchronizers/types.js';
import {joinBus, TestBus} from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers({now: Date.UTC(2024, 0, 1)});
});
afterEach(() => {
  vi.useRealTimers();
});

/** Hub "h" and peer "p", each with a row of its own; p's unrequested messages are all lost. */
function createSystem(checksPullers: boolean) {
  const bus = new TestBus();
  const hubStore = createMergeableStore('h').setCell('t', 'fromHub', 'c', 1);
  const hub = joinBus(bus, 'h', hubStore, {
    onIgnoredError: () => {},
    options: {announcesPulledChanges: true, checksPullers},
  });
  const peerStore = createMergeableStore('p').setCell('t', 'fromPeer', 'c', 2);
  const {send, registerReceive, destroy, inbound} = bus.join('p');
  const peer = createCustomSynchronizer(
    peerStore,
    (to, requestId, message, body) => {
      // Answers travel; announcements and ContentDiffs are lost.
      if (message !== Message.ContentHashes && message !== Message.ContentDiff) {
        send(to, requestId, message, body);
      }
    },
    registerReceive,
    destroy,
    1,
    undefined,
    undefined,
    () => {},
    {inbound},
  );
  return {bus, hub, hubStore, peer, peerStore};
}

/** Starts the hub, lets it settle alone, then starts the peer and lets everything settle. */
async function startHubThenPeer(hub: Synchronizer, peer: Synchronizer): Promise<void> {
  for (const synchronizer of [hub, peer]) {
    const started = synchronizer.startSync();
    await vi.runAllTimersAsync();
    await started;
  }
}

/** The directed GetContentHashes the hub sent the peer. */
const hubQuestionsToPeer = (bus: TestBus) =>
  bus.log.filter(
    ({from, to, message}) => from === 'h' && to === 'p' && message === Message.GetContentHashes,
  );

test('the hub pulls what a peer never announced once the peer has pulled from it, asking once', async () => {
  const {bus, hub, hubStore, peer, peerStore} = createSystem(true);
  await startHubThenPeer(hub, peer);
  expect(peerStore.getTables()).toEqual({t: {fromHub: {c: 1}, fromPeer: {c: 2}}});
  expect(hubStore.getTables()).toEqual({t: {fromHub: {c: 1}, fromPeer: {c: 2}}});
  expect(hubStore.getMergeableContentHashes()).toEqual(peerStore.getMergeableContentHashes());
  // One question after the peer's pull; the peer's pull of what the hub then announced is
  // answered by no diff request (equal hashes), so nothing more is asked.
  expect(hubQuestionsToPeer(bus)).toHaveLength(1);
  expect(hub.getSyncStatus().phase).toBe('synced');
  hub.destroy();
  peer.destroy();
  expect(vi.getTimerCount()).toBe(0);
});

test('without checksPullers the peer keeps its edit (what the test above relies on)', async () => {
  const {bus, hub, hubStore, peer, peerStore} = createSystem(false);
  await startHubThenPeer(hub, peer);
  expect(peerStore.getTables()).toEqual({t: {fromHub: {c: 1}, fromPeer: {c: 2}}});
  expect(hubStore.getTables()).toEqual({t: {fromHub: {c: 1}}});
  expect(hubQuestionsToPeer(bus)).toEqual([]);
  hub.destroy();
  peer.destroy();
});

test('stopping the hub while it waits for the peer to be quiet clears the wait', async () => {
  const {bus, hub, hubStore, peer, peerStore} = createSystem(true);
  const hubStarted = hub.startSync();
  await vi.runAllTimersAsync();
  await hubStarted;
  void peer.startSync();
  // Until the peer's pull from the hub has merged: the hub then waits (250 ms) for it to be quiet.
  for (let step = 0; step < 100 && !peerStore.hasRow('t', 'fromHub'); step++) {
    await vi.advanceTimersByTimeAsync(1);
  }
  expect(peerStore.hasRow('t', 'fromHub')).toBe(true);
  expect(hubQuestionsToPeer(bus)).toEqual([]);
  await hub.stopSync();
  peer.destroy();
  // At once: the hub's wait is cleared, not merely about to find it has nothing to do.
  expect(vi.getTimerCount()).toBe(0);
  await vi.runAllTimersAsync();
  expect(hubQuestionsToPeer(bus)).toEqual([]);
  expect(hubStore.getTables()).toEqual({t: {fromHub: {c: 1}}});
  hub.destroy();
});
