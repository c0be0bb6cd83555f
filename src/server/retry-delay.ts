// TODO(backoff): replace with the shared jittered backoff helper (src/synchronizers/backoff.ts)
// once it lands; until then, the smallest retry delay the server's storage needs.

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 5000;

/** Milliseconds to wait after `failures` consecutive failures: doubling, capped, half jitter. */
export const retryDelay = (failures: number): number => {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 16));
  return ceiling / 2 + Math.random() * (ceiling / 2);
};
