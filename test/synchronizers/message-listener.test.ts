// addMessageListener: sees every message sent and received, exactly as onSend and onReceive do,
// changes nothing about the traffic, survives a throwing listener, and stops after delListener.
import {afterEach, describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import type {MessageInfo, Synchronizer} from '../../src/synchronizers/types.js';

type Seen = [direction: string, peerId: string | null, message: number];

const started: Synchronizer[] = [];
afterEach(async () => {
  for (const synchronizer of started.splice(0)) {
    await synchronizer.destroy();
  }
});

/** Two synced local peers; the first logs through onSend/onReceive into `viaOptions`. */
async function twoPeers() {
  const viaOptions: Seen[] = [];
  const store1 = createMergeableStore('s1');
  const store2 = createMergeableStore('s2');
  const synchronizer1 = createLocalSynchronizer(
    store1,
    (toClientId, _requestId, message) => viaOptions.push(['sent', toClientId, message]),
    (fromClientId, _requestId, message) => viaOptions.push(['received', fromClientId, message]),
  );
  const synchronizer2 = createLocalSynchronizer(store2);
  started.push(synchronizer1, synchronizer2);
  return {store1, store2, synchronizer1, synchronizer2, viaOptions};
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('addMessageListener', () => {
  test('sees the same messages as onSend and onReceive, with the synchronizer', async () => {
    const {store1, store2, synchronizer1, synchronizer2, viaOptions} = await twoPeers();
    const seen: Seen[] = [];
    const infos: MessageInfo[] = [];
    synchronizer1.addMessageListener((info, synchronizer) => {
      expect(synchronizer).toBe(synchronizer1);
      infos.push(info);
      seen.push([info.direction, info.peerId, info.message]);
    });
    await synchronizer1.startSync();
    await synchronizer2.startSync();
    store1.setCell('t', 'r', 'c', 1);
    await waitUntil(() => store2.getCell('t', 'r', 'c') === 1);
    await waitUntil(() => synchronizer1.getSyncStatus().phase === 'synced');

    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(viaOptions);
    expect(seen.some(([direction]) => direction === 'sent')).toBe(true);
    expect(seen.some(([direction]) => direction === 'received')).toBe(true);
    const stats = synchronizer1.getSynchronizerStats();
    expect(infos.filter((info) => info.direction === 'sent')).toHaveLength(stats.sends);
    expect(infos.filter((info) => info.direction === 'received')).toHaveLength(stats.receives);
  });

  test('a throwing listener breaks nothing; after delListener nothing more is heard', async () => {
    const {store1, store2, synchronizer1, synchronizer2} = await twoPeers();
    let heard = 0;
    const throwingId = synchronizer1.addMessageListener(() => {
      heard++;
      throw new Error('listener bug');
    });
    await synchronizer1.startSync();
    await synchronizer2.startSync();
    store1.setCell('t', 'r', 'c', 1);
    await waitUntil(() => store2.getCell('t', 'r', 'c') === 1);
    expect(heard).toBeGreaterThan(0);

    expect(synchronizer1.delListener(throwingId)).toBe(synchronizer1);
    const heardBefore = heard;
    const sendsBefore = synchronizer1.getSynchronizerStats().sends;
    store1.setCell('t', 'r', 'c', 2);
    await waitUntil(() => store2.getCell('t', 'r', 'c') === 2);
    expect(synchronizer1.getSynchronizerStats().sends).toBeGreaterThan(sendsBefore);
    expect(heard).toBe(heardBefore);
  });
});
