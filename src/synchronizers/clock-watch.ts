// Turns the ClockSkewDetector's readings into the synchronizer's clock warning: local edits tell
// it this peer's clock, peers' ContentDiffs tell it theirs. The warning stays in the status across
// successful syncs (markSynced keeps it) and clears only when a peer's edit shows the clocks agree
// again, because nothing else proves the problem went away.

import type {Id, MergeableChanges} from '../store/types.js';
import {newestLeafHlc} from './change-trees.js';
import {ClockSkewDetector} from './clock-skew.js';
import type {EngineContext} from './engine-context.js';
import {ErrorCode, SyncError} from './errors.js';

export class ClockWatch {
  readonly #context: EngineContext;
  readonly #clockSkew = new ClockSkewDetector();

  constructor(context: EngineContext) {
    this.#context = context;
  }

  /** Records this peer's clock from the changes of a local transaction. */
  noteLocalChanges(changes: MergeableChanges): void {
    const newest = newestLeafHlc(changes);
    if (newest) {
      this.#clockSkew.noteLocalHlc(newest);
    }
  }

  /** Compares this peer's clock with the one that stamped a peer's ContentDiff. */
  checkPeerChanges(changes: MergeableChanges, peerId: Id): void {
    const newest = newestLeafHlc(changes);
    if (!newest) {
      return;
    }
    const context = this.#context;
    const aheadMs = this.#clockSkew.checkPeerHlc(newest);
    if (aheadMs > 0) {
      const minutes = Math.round(aheadMs / 60_000);
      context.clockWarning = new SyncError(
        ErrorCode.InvalidMessage,
        `clock ahead of peers by ~${minutes} min (peer ${JSON.stringify(peerId)} stamps its edits ` +
          `${minutes} min earlier); your edits will be rejected by peers, which accept at most 5 min ` +
          'ahead of their own clock: check this device’s time',
      );
      context.reportError(context.clockWarning);
    } else if (context.clockWarning !== null) {
      const stale = context.clockWarning;
      context.clockWarning = null;
      if (context.syncStatus.current.error === stale) {
        context.syncStatus.update({error: null});
      }
    }
  }
}
