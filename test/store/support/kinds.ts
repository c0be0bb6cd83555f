// Both kinds of store, Store and MergeableStore, each as syncstore's and TinyBase's side by side,
// for tests that compare the two kinds alike.
import type {Store} from '../../../src/store/types.js';
import type {Operation} from './arbitraries.js';
import {expectSame} from './compare.js';
import {type CallLogs, sortedLogs} from './listeners.js';
import {applyOperation, expectSameStores} from './operations.js';
import {
  createPlainStore,
  createStore,
  createTinyBasePlainStore,
  createTinyBaseStore,
} from './stores.js';
import {ManualClock} from './wire.js';

/** Two stores of a kind, syncstore's and TinyBase's, each on its own clock (ticks move it). */
export type Kind = {name: string; make: (clocks: ManualClock[]) => [ours: Store, theirs: Store]};

export const kinds: Kind[] = [
  {name: 'Store', make: () => [createPlainStore(), createTinyBasePlainStore()]},
  {
    name: 'MergeableStore',
    make: ([ourClock, theirClock]) => [
      createStore('me', ourClock.getNow),
      createTinyBaseStore('me', theirClock.getNow),
    ],
  },
];

export const twoClocks = (): ManualClock[] => [new ManualClock(), new ManualClock()];

/** Applies the operations to both stores, each on its own clock. */
export const applyToBoth = (
  [ours, theirs]: [Store, Store],
  clocks: ManualClock[],
  operations: readonly Operation[],
): void => {
  for (const step of operations) {
    applyOperation(ours, clocks[0]!, step);
    applyOperation(theirs, clocks[1]!, step);
  }
};

/** Both stores made the same listener calls and, when mergeable, hold the same content. */
export const expectSameCallsAndStores = (
  [ours, theirs]: [Store, Store],
  ourLogs: CallLogs,
  theirLogs: CallLogs,
): void => {
  expectSame(sortedLogs(ourLogs), sortedLogs(theirLogs), 'listener calls');
  if (ours.isMergeable()) {
    expectSameStores(ours as never, theirs as never);
  }
};
