// The Presence object over a hand-driven channel: what it sends, what it keeps of peers, what its
// listeners hear, and that it stays local without a channel.
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {Presence} from '../../../src/synchronizers/presence/presence.js';
import type {
  PresenceChannel,
  PresenceSink,
  PresenceState,
} from '../../../src/synchronizers/presence/types.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const fakeChannel = () => {
  const sent: (PresenceState | null)[] = [];
  let sink: PresenceSink | undefined;
  let closed = false;
  const channel: PresenceChannel = {
    open: (given) => {
      sink = given;
    },
    send: (state) => sent.push(state),
    close: () => {
      closed = true;
    },
  };
  return {channel, sent, sink: () => sink!, isClosed: () => closed};
};

const OWNER = {name: 'owner'};

const createPresence = (channel?: PresenceChannel) => {
  const errors: unknown[] = [];
  const heard: unknown[] = [];
  const presence = new Presence(
    channel,
    () => OWNER,
    (error) => errors.push(error),
  );
  presence.addListener('0', (owner, peerId, state) => heard.push([owner, peerId, state]));
  return {presence, errors, heard};
};

describe('Presence', () => {
  test('set keeps the state, tells listeners and sends it through the throttle', () => {
    const fake = fakeChannel();
    const {presence, heard} = createPresence(fake.channel);
    presence.set({x: 1});
    presence.set({x: 2});
    expect(presence.get()).toEqual({x: 2});
    expect(Object.isFrozen(presence.get())).toBe(true);
    expect(heard).toEqual([
      [OWNER, null, {x: 1}],
      [OWNER, null, {x: 2}],
    ]);
    expect(fake.sent).toEqual([{x: 1}]);
    vi.advanceTimersByTime(50);
    expect(fake.sent).toEqual([{x: 1}, {x: 2}]);
  });

  test('peers arrive, change, go, and are replaced by snapshots; identity changes only then', () => {
    const fake = fakeChannel();
    const {presence, heard} = createPresence(fake.channel);
    const empty = presence.getPeers();
    expect(empty).toEqual({});
    fake.sink().onPeerState('p1', {name: 'a'});
    const one = presence.getPeers();
    expect(one).toEqual({p1: {name: 'a'}});
    expect(presence.getPeers()).toBe(one);
    fake.sink().onPeerState('p2', null); // an unknown peer going changes nothing
    expect(presence.getPeers()).toBe(one);
    fake.sink().onPeersReplaced({p2: {name: 'b'}});
    expect(presence.getPeers()).toEqual({p2: {name: 'b'}});
    fake.sink().onPeerState('p2', null);
    expect(presence.getPeers()).toEqual({});
    expect(heard).toEqual([
      [OWNER, 'p1', {name: 'a'}],
      [OWNER, 'p1', null],
      [OWNER, 'p2', {name: 'b'}],
      [OWNER, 'p2', null],
    ]);
  });

  test('resend sends the current state again, as after a reconnect', () => {
    const fake = fakeChannel();
    const {presence} = createPresence(fake.channel);
    fake.sink().resend();
    expect(fake.sent).toEqual([null]);
    presence.set({x: 1});
    vi.advanceTimersByTime(50);
    expect(fake.sent).toEqual([null, {x: 1}]);
    fake.sink().resend(); // within the interval after the last send: held until it ends
    vi.advanceTimersByTime(50);
    expect(fake.sent).toEqual([null, {x: 1}, {x: 1}]);
    expect(fake.sink().current()).toEqual({x: 1});
  });

  test('a throwing listener is reported and the others still hear', () => {
    const {presence, errors, heard} = createPresence();
    presence.addListener('1', () => {
      throw new Error('listener fault');
    });
    presence.set({x: 1});
    expect(heard).toHaveLength(1);
    expect(errors).toEqual([new Error('listener fault')]);
  });

  test('without a channel presence stays local', () => {
    const {presence} = createPresence();
    presence.set({x: 1});
    expect(presence.get()).toEqual({x: 1});
    expect(presence.getPeers()).toEqual({});
    vi.runAllTimers();
  });

  test('destroy closes the channel, forgets peers, and leaves no timer', () => {
    const fake = fakeChannel();
    const {presence, heard} = createPresence(fake.channel);
    fake.sink().onPeerState('p1', {name: 'a'});
    presence.set({x: 1});
    presence.set({x: 2});
    presence.destroy();
    expect(fake.isClosed()).toBe(true);
    expect(presence.getPeers()).toEqual({});
    expect(heard.at(-1)).toEqual([OWNER, 'p1', null]);
    expect(vi.getTimerCount()).toBe(0);
    presence.set({x: 3});
    expect(presence.get()).toEqual({x: 2});
    expect(fake.sent).toEqual([{x: 1}]);
  });

  test('delListener stops a listener', () => {
    const {presence, heard} = createPresence();
    presence.delListener('0');
    presence.set({x: 1});
    expect(heard).toEqual([]);
  });
});
