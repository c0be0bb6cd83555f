// Presence over the in-process transports (docs/protocol.md §8.2): the local synchronizers of one
// realm, and BroadcastChannel synchronizers (Node has a global BroadcastChannel), where presence
// has a channel of its own that TinyBase peers on the same name never see.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createBroadcastChannelSynchronizer as createTinyBaseBroadcastSynchronizer} from 'tinybase/synchronizers/synchronizer-broadcast-channel';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../../src/store/mergeable-store.js';
import {describeError} from '../../../src/synchronizers/errors.js';
import {
  PRESENCE_HEARTBEAT_MS,
  presenceChannelName,
} from '../../../src/synchronizers/presence/broadcast-channel.js';
import {createBroadcastChannelSynchronizer} from '../../../src/synchronizers/synchronizer-broadcast-channel.js';
import {createLocalSynchronizer} from '../../../src/synchronizers/synchronizer-local.js';
import type {Synchronizer} from '../../../src/synchronizers/types.js';
import {createCleanups, expectConverged, waitUntil} from '../../ws/support.js';

const cleanups = createCleanups();
const track = <Thing extends {destroy(): unknown}>(thing: Thing): Thing => {
  cleanups.push(() => thing.destroy());
  return thing;
};
afterEach(() => vi.useRealTimers());

const peerStates = (synchronizer: Synchronizer) => Object.values(synchronizer.getPeersPresence());
let channelNumber = 0;
const freshChannelName = () => `presence-test-${process.pid}-${channelNumber++}`;

describe('local synchronizers', () => {
  test('see each other, a late joiner included, and a destroyed one is gone at once', async () => {
    const a = track(createLocalSynchronizer(createMergeableStore()));
    const b = createLocalSynchronizer(createMergeableStore());
    a.setPresence({name: 'Ada'});
    b.setPresence({name: 'Bob'});
    await waitUntil(() => peerStates(a).length === 1 && peerStates(b).length === 1, 'peers');
    expect(peerStates(a)).toEqual([{name: 'Bob'}]);
    expect(peerStates(b)).toEqual([{name: 'Ada'}]);
    const late = track(createLocalSynchronizer(createMergeableStore()));
    await waitUntil(() => peerStates(late).length === 2, 'the late joiner’s view');
    expect(peerStates(late)).toEqual(expect.arrayContaining([{name: 'Ada'}, {name: 'Bob'}]));
    await b.destroy();
    expect(peerStates(a)).toEqual([]);
    expect(peerStates(late)).toEqual([{name: 'Ada'}]);
  });
});

describe('BroadcastChannel synchronizers', () => {
  test('see each other and hear a goodbye on destroy', async () => {
    const name = freshChannelName();
    const a = track(createBroadcastChannelSynchronizer(createMergeableStore(), name));
    a.setPresence({name: 'Ada'});
    const b = createBroadcastChannelSynchronizer(createMergeableStore(), name);
    b.setPresence({name: 'Bob'});
    await waitUntil(() => peerStates(a).length === 1 && peerStates(b).length === 1, 'peers');
    expect(peerStates(a)).toEqual([{name: 'Bob'}]);
    expect(peerStates(b)).toEqual([{name: 'Ada'}]);
    await b.destroy();
    await waitUntil(() => peerStates(a).length === 0, 'the goodbye');
  });

  test('a peer that stops answering is dropped after three heartbeats', async () => {
    vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
    const name = freshChannelName();
    const a = track(createBroadcastChannelSynchronizer(createMergeableStore(), name));
    const ghost = new BroadcastChannel(presenceChannelName(name));
    cleanups.push(() => ghost.close());
    ghost.postMessage(['state', 'ghost', {name: 'gone soon'}]);
    await waitUntil(() => peerStates(a).length === 1, 'the ghost seen');
    vi.advanceTimersByTime(PRESENCE_HEARTBEAT_MS * 2);
    expect(peerStates(a)).toEqual([{name: 'gone soon'}]);
    vi.advanceTimersByTime(PRESENCE_HEARTBEAT_MS);
    expect(peerStates(a)).toEqual([]);
  });

  test('a live peer repeats its state every heartbeat, so it is never dropped', async () => {
    vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
    const name = freshChannelName();
    const a = track(createBroadcastChannelSynchronizer(createMergeableStore(), name));
    const b = track(createBroadcastChannelSynchronizer(createMergeableStore(), name));
    b.setPresence({name: 'Bob'});
    await waitUntil(() => peerStates(a).length === 1, 'b seen');
    const heard: unknown[] = [];
    const listener = new BroadcastChannel(presenceChannelName(name));
    cleanups.push(() => listener.close());
    listener.onmessage = (event) => heard.push(event.data);
    for (let beat = 0; beat < 6; beat++) {
      vi.advanceTimersByTime(PRESENCE_HEARTBEAT_MS);
      const beats = beat + 1;
      await waitUntil(
        () => heard.filter((data) => JSON.stringify(data).includes('Bob')).length >= beats,
        'the heartbeat',
      );
    }
    expect(peerStates(a)).toEqual([{name: 'Bob'}]);
  });

  test('invalid presence posts are reported, never thrown', async () => {
    const name = freshChannelName();
    const errors: Error[] = [];
    track(
      createBroadcastChannelSynchronizer(
        createMergeableStore(),
        name,
        undefined,
        undefined,
        (error) => errors.push(error),
      ),
    );
    const intruder = new BroadcastChannel(presenceChannelName(name));
    cleanups.push(() => intruder.close());
    intruder.postMessage(['state', 'x', [1]]);
    intruder.postMessage('nonsense');
    await waitUntil(() => errors.length === 2, `two reports, got ${JSON.stringify(errors)}`);
    expect(errors.map(describeError)).toEqual([
      expect.stringMatching(
        /^tinybase:14 invalid BroadcastChannel message .*: presence: the sender/,
      ),
      expect.stringMatching(/^tinybase:14 invalid BroadcastChannel message .*: presence: expected/),
    ]);
  });

  test('a TinyBase peer on the same name never sees presence and keeps syncing', async () => {
    const name = freshChannelName();
    const seen: unknown[] = [];
    const observer = new BroadcastChannel(name);
    cleanups.push(() => observer.close());
    observer.onmessage = (event) => seen.push(event.data);
    const tinyBase = createTinyBaseStore().setCell('t', 'tb', 'c', 1);
    const tinyBaseSynchronizer = createTinyBaseBroadcastSynchronizer(tinyBase, name);
    cleanups.push(() => tinyBaseSynchronizer.destroy());
    await tinyBaseSynchronizer.startSync();
    const store = createMergeableStore().setCell('t', 'ss', 'c', 2);
    const a = track(createBroadcastChannelSynchronizer(store, name));
    const b = track(createBroadcastChannelSynchronizer(createMergeableStore(), name));
    await a.startSync();
    a.setPresence({cursor: 1});
    await waitUntil(() => peerStates(b).length === 1, 'a seen by b');
    await expectConverged([tinyBase, store]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((data) => !Array.isArray(data) || data.length !== 5)).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('cursor');
    expect(tinyBase.getTables()).toEqual({t: {tb: {c: 1}, ss: {c: 2}}});
  });
});

describe('timers', () => {
  test('destroy leaves no presence timer behind: throttle, heartbeat, pending deliveries', async () => {
    vi.useFakeTimers();
    const name = freshChannelName();
    const synchronizers = [
      createBroadcastChannelSynchronizer(createMergeableStore(), name),
      createBroadcastChannelSynchronizer(createMergeableStore(), name),
      createLocalSynchronizer(createMergeableStore()),
      createLocalSynchronizer(createMergeableStore()),
    ];
    for (const synchronizer of synchronizers) {
      synchronizer.setPresence({cursor: 1});
      synchronizer.setPresence({cursor: 2}); // held by the throttle
    }
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    for (const synchronizer of synchronizers) {
      await synchronizer.destroy();
    }
    expect(vi.getTimerCount()).toBe(0);
  });
});
