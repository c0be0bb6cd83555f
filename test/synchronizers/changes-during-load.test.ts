// A local change made while startSync's first load still runs (auto-saving not started yet) is
// held back and counted in pendingChanges, then announced by the save that starts auto-saving, so
// peers pull it (broadcaster.ts). Real local synchronizers, real timers.
import {afterEach, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup();
  }
});

test('a change made during the first load is held back, counted pending, and reaches a peer', async () => {
  const store = createMergeableStore('a');
  const synchronizer = createLocalSynchronizer(store);
  cleanups.push(() => synchronizer.destroy());
  // Alone, its first load waits for an answer nobody sends (its request timeout).
  const started = synchronizer.startSync();
  store.setCell('t', 'r', 'c', 'during load');
  await Promise.resolve();
  expect(synchronizer.getSyncStatus().pendingChanges).toBe(1);
  await started;

  const other = createMergeableStore('b');
  const otherSynchronizer = createLocalSynchronizer(other);
  cleanups.push(() => otherSynchronizer.destroy());
  await otherSynchronizer.startSync();
  await expect.poll(() => other.getCell('t', 'r', 'c'), {interval: 5}).toBe('during load');
});
