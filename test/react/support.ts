// Shared helpers for the React tests: syncstore's store and local synchronizer, counting of
// created and destroyed synchronizers, and listener totals.
import {cleanup} from '@testing-library/react';
import {afterEach} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';

export {createLocalSynchronizer};

// vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
});

export const createStore = (uniqueId?: string): MergeableStore => createMergeableStore(uniqueId);

/** Sum of all listener counts of a store: 0 when nothing listens any more. */
export function totalListeners(store: MergeableStore): number {
  return Object.values(store.getListenerStats()).reduce((total, count) => total + count, 0);
}

/**
 * A stand-in for a synchronizer that counts calls to its methods and otherwise delegates to it.
 * (Synchronizer objects may be frozen, so their methods cannot be replaced or spied on in place.)
 */
export function instrument(synchronizer: Synchronizer) {
  const calls: {[method: string]: number} = {};
  const stand = {} as {[method: string]: unknown};
  for (
    let object: object | null = synchronizer;
    object !== null && object !== Object.prototype;
    object = Object.getPrototypeOf(object)
  ) {
    for (const name of Object.getOwnPropertyNames(object)) {
      const method = (synchronizer as unknown as {[name: string]: unknown})[name];
      if (typeof method === 'function' && name !== 'constructor' && !(name in stand)) {
        stand[name] = (...args: unknown[]) => {
          calls[name] = (calls[name] ?? 0) + 1;
          return method.apply(synchronizer, args);
        };
      }
    }
  }
  return {synchronizer: stand as unknown as Synchronizer, calls};
}

/**
 * Wraps a synchronizer factory to count how many synchronizers it created and how many are still
 * alive (created and not yet destroyed).
 */
export function trackSynchronizers(create: (store: MergeableStore) => Synchronizer) {
  const created: ReturnType<typeof instrument>[] = [];
  const factory = (store: MergeableStore): Synchronizer => {
    const instrumented = instrument(create(store));
    created.push(instrumented);
    return instrumented.synchronizer;
  };
  return {
    factory,
    created: () => created.map(({synchronizer}) => synchronizer),
    live: () => created.filter(({calls}) => !calls.destroy).map(({synchronizer}) => synchronizer),
  };
}
