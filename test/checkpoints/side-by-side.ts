// Runs the same operations on TinyBase's checkpoints and on syncstore's, recording everything
// observable: what each call returns, the checkpoint ids and the store's content after it, and
// every call of the checkpoints' listeners.
import * as tinybase from 'tinybase';
import type {Checkpoints, Store} from '../../src/index.js';
import {createCheckpoints, createMergeableStore, createStore} from '../../src/index.js';

/** The part of both libraries' checkpoints and stores that the operations use. */
export type Pair = {store: Store; checkpoints: Checkpoints};
export type Step = (pair: Pair) => unknown;
export type Kind = 'store' | 'mergeable';

const createTinyBasePair = (kind: Kind): Pair => {
  const store = kind === 'store' ? tinybase.createStore() : tinybase.createMergeableStore('a');
  return {
    store: store as unknown as Store,
    checkpoints: tinybase.createCheckpoints(store) as unknown as Checkpoints,
  };
};

const createSyncstorePair = (kind: Kind): Pair => {
  const store = kind === 'store' ? createStore() : createMergeableStore('a');
  return {store, checkpoints: createCheckpoints(store)};
};

/** Calls made to the checkpoints' listeners, and what each step returned and left. */
const runSteps = (pair: Pair, steps: Step[]): unknown[] => {
  const {checkpoints, store} = pair;
  const log: unknown[] = [];
  checkpoints.addCheckpointIdsListener((given) => log.push(['ids', given.getCheckpointIds()]));
  checkpoints.addCheckpointListener(null, (given, checkpointId) =>
    log.push(['label', checkpointId, given.getCheckpoint(checkpointId)]),
  );
  for (const step of steps) {
    const returned = step(pair);
    const labels: unknown[] = [];
    checkpoints.forEachCheckpoint((checkpointId, label) => labels.push([checkpointId, label]));
    log.push([
      'after',
      returned === checkpoints ? 'checkpoints' : returned === store ? 'store' : returned,
      checkpoints.getCheckpointIds(),
      labels,
      store.getContent(),
    ]);
  }
  return log;
};

/** The two records, TinyBase's first, to be compared with toEqual. */
export const runBoth = (kind: Kind, steps: Step[]): [tinybase: unknown[], syncstore: unknown[]] => [
  runSteps(createTinyBasePair(kind), steps),
  runSteps(createSyncstorePair(kind), steps),
];

/** The store's content after each step, from a record. */
export const contentsAfterSteps = (record: unknown[]): unknown[] =>
  record
    .filter((entry) => (entry as unknown[])[0] === 'after')
    .map((entry) => (entry as unknown[])[4]);
