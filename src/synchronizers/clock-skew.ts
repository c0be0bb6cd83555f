// Detects that this peer's clock runs ahead of its peers' by more than the 5-minute window in
// which receivers accept HLCs (docs/protocol.md §2, §7.6). Receivers drop such change sets without a word
// on TinyBase's wire, so the sender has to work it out by itself:
//
// A ContentDiff carries the HLCs a peer stamped on an edit it has just made, so the newest of them
// is a reading of that peer's clock. This peer's own clock is read the same way: the HLC of its
// latest local edit, advanced by the wall time elapsed since (using HLC times rather than
// Date.now() keeps this right for stores created with their own `getNow`). When our estimate
// exceeds the peer's reading by more than the window, the peer rejects whatever we stamp now.
// The check needs a local edit to compare with, which is exactly when it matters: a peer that
// has not edited has nothing that could be rejected.

import {getHlcTime, MAX_FUTURE_OFFSET_MS} from '../store/hlc.js';

export class ClockSkewDetector {
  #lastLocalHlcTime: number | undefined;
  #lastLocalWallTime = 0;
  readonly #wallNow: () => number;

  constructor(wallNow: () => number = Date.now) {
    this.#wallNow = wallNow;
  }

  /** Records the newest HLC of a local transaction. */
  noteLocalHlc(hlc: string): void {
    this.#lastLocalHlcTime = getHlcTime(hlc);
    this.#lastLocalWallTime = this.#wallNow();
  }

  /**
   * Given the newest HLC of a change set a peer just made, returns by how many ms this peer's clock
   * is ahead of that peer's beyond the accepted window, or 0 when it is not (or cannot be told).
   */
  checkPeerHlc(peerNewestHlc: string): number {
    if (this.#lastLocalHlcTime === undefined) {
      return 0;
    }
    const ownClockEstimate = this.#lastLocalHlcTime + (this.#wallNow() - this.#lastLocalWallTime);
    const ahead = ownClockEstimate - getHlcTime(peerNewestHlc);
    return ahead > MAX_FUTURE_OFFSET_MS ? ahead : 0;
  }
}
