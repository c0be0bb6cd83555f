// The client end of delta resync (docs/protocol.md §8.8): the engine's resync strategy on a
// socket that negotiated the `delta` feature. After a reconnect (and for load()), instead of
// walking the hash trees it sends one `sync` with its watermark and the writes it made while
// apart, and merges the server's answer: the leaves changed after the watermark. Equal content
// hashes then prove both sides hold the same content (phase 'synced'); otherwise, or when the
// server cannot tell what changed, it resyncs with the base protocol, which always converges.
//
// The watermark only decides how much is sent, never whether the peers converge: every exchange
// ends with the hash comparison. So a watermark is taken from every answer, and a lost or stale
// one costs a hash walk, nothing more.
import type {MergeableChanges} from '../../store/types.js';
import {ChangeCoalescer, isEmptyChanges} from '../change-trees.js';
import {toError} from '../errors.js';
import type {ResyncEngine, ResyncStrategy} from '../resync.js';
import {createStoreAccess, type StoreAccess} from '../store-access.js';
import {type DeltaState, type DeltaStateStorage, isDeltaState} from './delta-state.js';
import {
  DELTA_FEATURE,
  type DeltaSyncBody,
  DeltaType,
  parseDeltaChanges,
  parseDeltaFallback,
  type Watermark,
} from './delta-wire.js';
import type {ExtensionLink} from './extension-link.js';

/** A resync the engine asked for: after a reconnect, or load()'s (which waits for the result). */
type Exchange = {kind: 'load' | 'reconnect'; resolve: (applied: boolean) => void};

/** The server's id in the room, as merged changes are attributed (§6.4). */
const SERVER_ID = 'S';

export class DeltaResync implements ResyncStrategy {
  readonly #link: ExtensionLink;
  readonly #storage: DeltaStateStorage | undefined;
  readonly #onError: (error: Error) => void;
  #engine: ResyncEngine | undefined;
  #access: StoreAccess | undefined;
  #watermark: Watermark | undefined;
  /** Local writes made while not online, coalesced: the next sync carries them. */
  #apart = new ChangeCoalescer();
  /** What the sync in flight carried, until the server answers. */
  #sent: MergeableChanges | undefined;
  /** A resync waiting for the extension handshake to end. */
  #waiting: Exchange | undefined;
  /** The resync whose sync awaits the server's answer. */
  #inFlight: Exchange | undefined;
  readonly #loaded: Promise<void>;
  #saveScheduled = false;
  #destroyed = false;
  readonly #cleanups: (() => void)[] = [];

  constructor(
    link: ExtensionLink,
    storage: DeltaStateStorage | undefined,
    onError: (error: Error) => void,
  ) {
    this.#link = link;
    this.#storage = storage;
    this.#onError = onError;
    this.#loaded = this.#loadState();
    this.#cleanups.push(
      link.register({
        name: DELTA_FEATURE,
        onMessage: (type, body) => this.#onMessage(type, body),
        onLost: () => this.#abandon(),
      }),
      link.addStateListener((state) => {
        if (state !== 'negotiating' && this.#waiting !== undefined) {
          const exchange = this.#waiting;
          this.#waiting = undefined;
          this.#decide(exchange);
        }
      }),
    );
  }

  attach(engine: ResyncEngine): void {
    this.#engine = engine;
    this.#access = createStoreAccess(engine.store);
    const listenerId = engine.store.addDidFinishTransactionListener(() => this.#onTransaction());
    this.#cleanups.push(() => engine.store.delListener(listenerId));
  }

  /** Stops listening; what is unacknowledged stays in the storage for the next session. */
  destroy(): void {
    this.#destroyed = true;
    for (const cleanup of this.#cleanups.splice(0)) {
      cleanup();
    }
    this.#waiting?.resolve(false);
    this.#inFlight?.resolve(false);
    this.#waiting = this.#inFlight = undefined;
  }

  /** The watermark, for tests and the inspector. */
  getWatermark(): Watermark | undefined {
    return this.#watermark;
  }

  onReconnect(): void {
    void this.#begin({kind: 'reconnect', resolve: () => {}});
  }

  load(): Promise<boolean> {
    return new Promise((resolve) => void this.#begin({kind: 'load', resolve}));
  }

  async #begin(exchange: Exchange): Promise<void> {
    // The state read back from storage decides what the first sync says.
    await this.#loaded;
    const engine = this.#engine;
    if (this.#destroyed || engine === undefined || !engine.isOnline()) {
      exchange.resolve(false);
      return;
    }
    if (this.#link.getState() === 'negotiating') {
      // A resync asked for while an earlier one waits replaces it: the same link, the same answer.
      this.#waiting?.resolve(false);
      this.#waiting = exchange;
      return;
    }
    this.#decide(exchange);
  }

  /** The handshake is over: delta resync if the server speaks it, else the base protocol. */
  #decide(exchange: Exchange): void {
    const engine = this.#engine;
    if (this.#destroyed || engine === undefined || !engine.isOnline()) {
      exchange.resolve(false);
    } else if (!this.#link.has(DELTA_FEATURE) || !engine.syncsBothWays()) {
      this.#resyncWithBase(exchange, false);
    } else if (this.#inFlight !== undefined) {
      // Its answer serves this resync too.
      exchange.resolve(false);
    } else {
      this.#sendSync(exchange, engine);
    }
  }

  #sendSync(exchange: Exchange, engine: ResyncEngine): void {
    const changes = this.#apart.take() ?? emptyChanges();
    const body: DeltaSyncBody = {
      epoch: this.#watermark?.epoch ?? null,
      since: this.#watermark?.seq ?? 0,
      changes,
    };
    engine.beginSyncing();
    this.#sent = changes;
    this.#inFlight = exchange;
    try {
      this.#link.send(DELTA_FEATURE, DeltaType.Sync, body);
    } catch (error) {
      this.#onError(toError(error));
      this.#abandon();
      this.#resyncWithBase(exchange, false);
    }
  }

  #onMessage(type: string, body: unknown): void {
    const exchange = this.#inFlight;
    const engine = this.#engine;
    if (exchange === undefined || engine === undefined) {
      this.#onError(new Error(`unexpected delta ${type} from the server`));
      return;
    }
    this.#inFlight = undefined;
    // Whatever the answer, the server has handled what this sync carried: merged it (changes,
    // fallback), or, in a room without a store, left it to the base protocol's announcement.
    this.#sent = undefined;
    if (type === DeltaType.Changes) {
      this.#onChanges(exchange, engine, body);
      return;
    }
    if (type === DeltaType.Fallback) {
      const fallback = parseDeltaFallback(body);
      if (typeof fallback === 'string') {
        this.#onError(new Error(fallback));
      } else {
        // Taken before the hash walk: what changes during it comes again next time, harmlessly.
        this.#setWatermark(fallback);
      }
    } else if (type !== DeltaType.Unsupported) {
      this.#onError(new Error(`unknown delta frame ${type} from the server`));
    }
    this.#scheduleSave();
    this.#resyncWithBase(exchange, false);
  }

  #onChanges(exchange: Exchange, engine: ResyncEngine, body: unknown): void {
    const answer = parseDeltaChanges(body);
    if (typeof answer === 'string') {
      this.#onError(new Error(answer));
      this.#resyncWithBase(exchange, false);
      return;
    }
    const applied =
      !isEmptyChanges(answer.changes) &&
      engine.applyRemote(answer.changes, 'delta changes', SERVER_ID);
    this.#setWatermark({epoch: answer.epoch, seq: answer.seq});
    this.#scheduleSave();
    const [tablesHash, valuesHash] = engine.store.getMergeableContentHashes();
    if (tablesHash === answer.hashes[0] && valuesHash === answer.hashes[1]) {
      engine.markSynced();
      exchange.resolve(applied);
    } else {
      // Something reached one side by another path, or was refused: the hash walk settles it.
      this.#resyncWithBase(exchange, applied);
    }
  }

  #resyncWithBase(exchange: Exchange, applied: boolean): void {
    const engine = this.#engine;
    if (engine === undefined || this.#destroyed) {
      exchange.resolve(applied);
    } else if (exchange.kind === 'load') {
      engine.pullWithBase().then((pulled) => exchange.resolve(applied || pulled));
    } else {
      engine.resyncWithBase();
      exchange.resolve(applied);
    }
  }

  /** The socket closed: a sync in flight is abandoned, what it carried goes with the next one. */
  #abandon(): void {
    if (this.#sent !== undefined) {
      const apart = new ChangeCoalescer();
      apart.add(this.#sent);
      const later = this.#apart.take();
      if (later !== undefined) {
        apart.add(later);
      }
      this.#apart = apart;
      this.#sent = undefined;
    }
    const exchanges = [this.#inFlight, this.#waiting];
    this.#inFlight = this.#waiting = undefined;
    for (const exchange of exchanges) {
      exchange?.resolve(false);
    }
    this.#engine?.settle();
  }

  /** Local writes while not online are what the next sync carries (live ones went as ContentDiffs). */
  #onTransaction(): void {
    const engine = this.#engine;
    if (engine === undefined || engine.isMerging() || engine.isOnline() || this.#destroyed) {
      return;
    }
    const changes = this.#access!.getTransactionChanges();
    if (!isEmptyChanges(changes)) {
      this.#apart.add(changes);
      this.#scheduleSave();
    }
  }

  #setWatermark(watermark: Watermark): void {
    this.#watermark = watermark;
  }

  async #loadState(): Promise<void> {
    try {
      const state = await this.#storage?.load();
      if (state !== undefined && isDeltaState(state)) {
        this.#watermark = state.watermark;
        if (state.unacknowledged !== undefined) {
          // Written before this session: older than anything written since.
          const apart = new ChangeCoalescer();
          apart.add(state.unacknowledged);
          const later = this.#apart.take();
          if (later !== undefined) {
            apart.add(later);
          }
          this.#apart = apart;
        }
      }
    } catch (error) {
      this.#onError(toError(error));
    }
  }

  /** Saves the state once per task, however many writes it took in. */
  #scheduleSave(): void {
    if (this.#storage === undefined || this.#saveScheduled) {
      return;
    }
    this.#saveScheduled = true;
    queueMicrotask(() => {
      this.#saveScheduled = false;
      const storage = this.#storage!;
      Promise.resolve()
        .then(() => storage.save(this.#currentState()))
        .catch((error: unknown) => this.#onError(toError(error)));
    });
  }

  #currentState(): DeltaState {
    const all = new ChangeCoalescer();
    for (const changes of [this.#sent, this.#apart.peek()]) {
      if (changes !== undefined) {
        all.add(changes);
      }
    }
    return {watermark: this.#watermark, unacknowledged: all.take()};
  }
}

const emptyChanges = (): MergeableChanges => [[{}], [{}], 1] as unknown as MergeableChanges;
