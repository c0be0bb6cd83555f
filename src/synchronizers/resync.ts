// The one hook by which a transport's extension may replace the base protocol's resync (docs/
// protocol.md §7.4, §8.8): the pull and announcement after the link comes back online, and the
// pull of load(). Without a strategy, or whenever the strategy gives up, the engine resyncs with
// the base protocol, which always converges.
import type {Id, MergeableChanges, MergeableStore} from '../store/types.js';

/** What a resync strategy may use of the engine. */
export interface ResyncEngine {
  readonly store: MergeableStore;
  isOnline(): boolean;
  /** Syncing both ways: taking in what peers send and offering local changes. */
  syncsBothWays(): boolean;
  /** Whether the store is merging what peers sent (its transactions are not local writes). */
  isMerging(): boolean;
  /** The base reconnect resync: a pull from anyone and an announcement. */
  resyncWithBase(): void;
  /** The base load's pull; resolves with whether it applied content. */
  pullWithBase(): Promise<boolean>;
  /** Phase 'syncing', while the strategy's exchange runs. */
  beginSyncing(): void;
  /** Merges changes from `peerId` as a pull's result would be; false when rejected (reported). */
  applyRemote(changes: MergeableChanges, what: string, peerId: Id): boolean;
  /** Both sides are known to hold the same content: phase 'synced', pending changes delivered. */
  markSynced(): void;
  /** Phase back to 'idle' unless a pull runs. */
  settle(): void;
  reportError(error: Error): void;
}

/** A transport's way to resync, replacing the base protocol's when it can. */
export interface ResyncStrategy {
  /** Called once, when the engine is built. */
  attach(engine: ResyncEngine): void;
  /** The link came back online while syncing both ways. */
  onReconnect(): void;
  /** load()'s pull, while online; resolves with whether content was applied. */
  load(): Promise<boolean>;
}
