// The small exports of syncstore/synchronizers that apps match on or build with: the error codes
// (TinyBase's, so code written for TinyBase keeps working), the error classes, random ids and
// message names; and stopping one direction of a synchronizer (stopAutoLoad, stopAutoSave).
import {describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {
  createRandomId,
  describeError,
  ErrorCode,
  getMessageName,
  Message,
  MessageTooLarge,
  NoPeerAnswered,
  SyncError,
} from '../../src/synchronizers/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {waitUntil} from './helpers.js';

describe('errors', () => {
  test("ErrorCode holds TinyBase's codes", () => {
    expect(ErrorCode).toEqual({
      ResponseTimeout: 'tinybase:3',
      TransportFailure: 'tinybase:5',
      InvalidMessage: 'tinybase:14',
      Overflow: 'tinybase:15',
    });
  });

  test("a SyncError's message is its code alone; the reason is in detail", () => {
    const error = new SyncError(`${ErrorCode.InvalidMessage}`, 'rejected changes');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SyncError');
    expect(error.code).toBe('tinybase:14');
    expect(error.message).toBe('tinybase:14');
    expect(error.detail).toBe('rejected changes');
    expect(describeError(error)).toBe('tinybase:14 rejected changes');
    // Without a reason there is no detail.
    const bare = new SyncError(ErrorCode.TransportFailure, '');
    expect([bare.message, bare.detail, describeError(bare)]).toEqual([
      'tinybase:5',
      undefined,
      'tinybase:5',
    ]);
  });

  test('MessageTooLarge is an overflow that says what, how big and the limit', () => {
    const error = new MessageTooLarge('ContentDiff', 20, 10);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.code).toBe('tinybase:15:message');
    expect([error.bytes, error.limit]).toEqual([20, 10]);
    expect(error.message).toBe('tinybase:15:message');
    expect(error.detail).toBe(
      "ContentDiff of 20 bytes exceeds the transport's 10 bytes per message",
    );
  });

  test('NoPeerAnswered keeps the timeout it stands for, as message and cause', () => {
    const timeout = new SyncError('tinybase:3:.abc.1', 'no response to GetContentHashes');
    const error = new NoPeerAnswered(timeout);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.name).toBe('NoPeerAnswered');
    expect(error.message).toBe(timeout.message);
    expect(error.detail).toBe(timeout.detail);
    expect(error.cause).toBe(timeout);
  });
});

test('createRandomId gives ids of the asked length from the HLC alphabet, each different', () => {
  expect(createRandomId()).toMatch(/^[-0-9A-Z_a-z]{16}$/);
  expect(createRandomId(5)).toMatch(/^[-0-9A-Z_a-z]{5}$/);
  const ids = new Set(Array.from({length: 100}, () => createRandomId()));
  expect(ids.size).toBe(100);
});

test('getMessageName names each message number, and says so for an unknown one', () => {
  expect(
    Object.keys(Message).map((name) => getMessageName(Message[name as keyof typeof Message])),
  ).toEqual(Object.keys(Message));
  expect(getMessageName(8)).toBe('message 8');
  expect(getMessageName('x')).toBe('message x');
});

test('stopAutoLoad stops taking in what peers send, stopAutoSave stops sending; restarting resyncs', async () => {
  const store = createMergeableStore('a');
  const peer = createMergeableStore('b');
  const synchronizer = createLocalSynchronizer(store);
  const peerSynchronizer = createLocalSynchronizer(peer);
  await synchronizer.startSync();
  await peerSynchronizer.startSync();

  synchronizer.stopAutoLoad();
  expect(synchronizer.isAutoLoading()).toBe(false);
  const received = synchronizer.getSynchronizerStats().receives;
  peer.setCell('t', 'r', 'fromPeer', 1);
  // The peer's change reached this synchronizer (it counts it) and was not merged.
  await waitUntil(() => synchronizer.getSynchronizerStats().receives > received);
  expect(store.hasCell('t', 'r', 'fromPeer')).toBe(false);
  // Saving still works: this store's change reaches the peer.
  store.setCell('t', 'r', 'fromStore', 1);
  await waitUntil(() => peer.hasCell('t', 'r', 'fromStore'));

  synchronizer.stopAutoSave();
  expect(synchronizer.isAutoSaving()).toBe(false);
  const peerReceived = peerSynchronizer.getSynchronizerStats().receives;
  const sent = synchronizer.getSynchronizerStats().sends;
  store.setCell('t', 'r', 'unsent', 1);
  peer.setCell('t', 'r', 'probe', 1);
  // The peer's probe got here (counted), and nothing more was sent from here meanwhile.
  await waitUntil(() => synchronizer.getSynchronizerStats().receives > received + 1);
  expect(synchronizer.getSynchronizerStats().sends).toBe(sent);
  expect(peerSynchronizer.getSynchronizerStats().receives).toBe(peerReceived);
  expect(peer.hasCell('t', 'r', 'unsent')).toBe(false);

  // Both directions again: a load pulls what was missed, a save announces what was not sent.
  await synchronizer.startSync();
  await waitUntil(
    () =>
      JSON.stringify(store.getMergeableContentHashes()) ===
      JSON.stringify(peer.getMergeableContentHashes()),
  );
  expect(store.getRow('t', 'r')).toEqual({fromPeer: 1, fromStore: 1, unsent: 1, probe: 1});
  synchronizer.destroy();
  peerSynchronizer.destroy();
});
