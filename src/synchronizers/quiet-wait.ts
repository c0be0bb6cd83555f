// Waiting until a peer has stopped pulling from this one. A pull is a run of diff requests with no
// message marking its end, so "stopped" means a delay passed with none of its requests answered
// and no part of a large diff left for it to fetch (engine-context.ts counts both). Used by the
// confirmation of 'synced' (confirmation.ts) and by the hub's question after a peer's pull
// (puller-check.ts).

import type {Id} from '../store/types.js';
import type {EngineContext} from './engine-context.js';

/** How long a peer must be quiet, at most (less for shorter request timeouts). */
export const QUIET_DELAY_MS = 250;
/** How many delays to wait at most while the peer is still pulling (it may be gone mid-transfer). */
const MAX_QUIET_WAITS = 120;

/**
 * Calls `onQuiet` once `peerId` has been quiet for one delay (or after MAX_QUIET_WAITS delays of
 * pulling). Returns a function that cancels the wait; the one timer it runs at a time is cleared.
 */
export function afterPeerStopsPulling(
  context: EngineContext,
  peerId: Id,
  baseTimeoutMs: number,
  onQuiet: () => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = (waits: number): void => {
    const answeredBefore = context.requestsAnsweredFrom(peerId);
    timer = setTimeout(
      () => {
        timer = undefined;
        const peerIsPulling =
          context.requestsAnsweredFrom(peerId) !== answeredBefore ||
          context.isPullingPartsFromThis(peerId);
        if (peerIsPulling && waits < MAX_QUIET_WAITS) {
          wait(waits + 1);
        } else {
          onQuiet();
        }
      },
      Math.min(QUIET_DELAY_MS, baseTimeoutMs),
    );
  };
  wait(0);
  return () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}
