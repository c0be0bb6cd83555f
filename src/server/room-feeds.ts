// What a node has applied of each room it serves, as the room's sequence number in the shared
// storage (docs/protocol.md §7.8). Catching up reads the rows stored since then and hands them to
// the room; one catch-up per room runs at a time, and a request arriving meanwhile runs another
// right after, so nothing stored before a notice is missed and no rows are read twice at once.
import type {Id, MergeableChanges} from '../store/types.js';

/**
 * The rows of a room stored after `sinceSeq`, as change sets; returns a sequence number up to
 * which everything was read.
 */
export type ReadSince = (pathId: Id, sinceSeq: number) => AsyncGenerator<MergeableChanges, number>;

type Feed = {
  readonly pathId: Id;
  lastSeq: number;
  readonly listener: (changes: MergeableChanges) => void;
  readonly onError: (error: Error) => void;
  running: boolean;
  again: boolean;
  stopped: boolean;
};

export class RoomFeeds {
  readonly #readSince: ReadSince;
  readonly #feeds = new Map<Id, Set<Feed>>();

  constructor(readSince: ReadSince) {
    this.#readSince = readSince;
  }

  /** Feeds `listener` with what is stored in the room after `fromSeq`, starting now. */
  watch(
    pathId: Id,
    fromSeq: number,
    listener: (changes: MergeableChanges) => void,
    onError: (error: Error) => void,
  ): () => void {
    const feed: Feed = {
      pathId,
      lastSeq: fromSeq,
      listener,
      onError,
      running: false,
      again: false,
      stopped: false,
    };
    const feeds = this.#feeds.get(pathId) ?? new Set();
    feeds.add(feed);
    this.#feeds.set(pathId, feeds);
    // What was stored between the load and now.
    this.#catchUp(feed);
    return () => {
      feed.stopped = true;
      feeds.delete(feed);
      if (feeds.size === 0 && this.#feeds.get(pathId) === feeds) {
        this.#feeds.delete(pathId);
      }
    };
  }

  /** Rooms being fed, with how far each has been applied (the least, if fed twice). */
  positions(): Map<Id, number> {
    const positions = new Map<Id, number>();
    for (const [pathId, feeds] of this.#feeds) {
      positions.set(pathId, Math.min(...[...feeds].map((feed) => feed.lastSeq)));
    }
    return positions;
  }

  /** Catches up the feeds of `pathId` (every room if undefined) that are behind `seq`. */
  catchUp(pathId: Id | undefined, seq = Number.POSITIVE_INFINITY): void {
    const rooms = pathId === undefined ? [...this.#feeds.values()] : [this.#feeds.get(pathId)];
    for (const feeds of rooms) {
      for (const feed of feeds ?? []) {
        if (feed.lastSeq < seq) {
          this.#catchUp(feed);
        }
      }
    }
  }

  /**
   * This node stored `seq` itself: a room that had applied everything before it already has it,
   * so it need not read its own rows back.
   */
  stored(pathId: Id, seq: number): void {
    for (const feed of this.#feeds.get(pathId) ?? []) {
      if (!feed.running && feed.lastSeq === seq - 1) {
        feed.lastSeq = seq;
      } else if (feed.lastSeq < seq) {
        this.#catchUp(feed);
      }
    }
  }

  /** Every feed reports `error` (each distinct handler once). */
  reportToAll(error: Error): void {
    const handlers = new Set<(error: Error) => void>();
    for (const feeds of this.#feeds.values()) {
      for (const feed of feeds) {
        handlers.add(feed.onError);
      }
    }
    for (const handler of handlers) {
      handler(error);
    }
  }

  #catchUp(feed: Feed): void {
    if (feed.running) {
      feed.again = true;
      return;
    }
    feed.running = true;
    void this.#run(feed);
  }

  async #run(feed: Feed): Promise<void> {
    try {
      do {
        feed.again = false;
        const rows = this.#readSince(feed.pathId, feed.lastSeq);
        let step = await rows.next();
        while (!step.done) {
          if (!feed.stopped) {
            feed.listener(step.value);
          }
          step = await rows.next();
        }
        feed.lastSeq = Math.max(feed.lastSeq, step.value);
      } while (feed.again && !feed.stopped);
    } catch (error) {
      // The next notice, reconnection or periodic check tries again from the same place.
      if (!feed.stopped) {
        feed.onError(
          new Error(
            `room ${JSON.stringify(feed.pathId)}: could not read changes from other nodes: ${(error as Error).message}`,
          ),
        );
      }
    } finally {
      feed.running = false;
    }
  }
}
