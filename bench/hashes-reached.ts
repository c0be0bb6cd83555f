// Waiting for a store to reach given content hashes, checked after each of its transactions: a
// measurement that waits without polling. (A setImmediate poll keeps the process runnable the
// whole time; on a loaded machine the scheduler then takes the CPU from it for tens of ms at
// random points of the exchange being timed.)

export type Hashed = {
  getMergeableContentHashes(): [number, number];
  addDidFinishTransactionListener(listener: () => void): string;
  delListener(listenerId: string): unknown;
};

/** Resolves once `store`'s content hashes, joined by a comma, are `target`. */
export const reached = (store: Hashed, target: string): Promise<void> =>
  new Promise((resolve) => {
    const check = () => {
      if (store.getMergeableContentHashes().join(',') === target) {
        store.delListener(listenerId);
        resolve();
      }
    };
    const listenerId = store.addDidFinishTransactionListener(() => queueMicrotask(check));
    check();
  });
