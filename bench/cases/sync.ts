// Sync cases (issue 3): initial sync of N cells from a syncing store to an empty one that joins,
// and the case where two stores of N cells differ in one cell. Both engines run over the same
// in-memory bus (each library's createCustomSynchronizer, setTimeout(0) delivery, bodies passed
// by reference, a 5 s request timeout); each library's own LocalSynchronizer and
// BroadcastChannelSynchronizer (Node's global BroadcastChannel) are measured too, with their
// default timeouts. Every sample reports the messages sent and their payload bytes (JSON length of
// the bodies), counted outside the timed part.

import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createCustomSynchronizer as createTinybaseSynchronizer} from 'tinybase/synchronizers';
import {createBroadcastChannelSynchronizer as createTinybaseBroadcastChannelSynchronizer} from 'tinybase/synchronizers/synchronizer-broadcast-channel';
import {createLocalSynchronizer as createTinybaseLocalSynchronizer} from 'tinybase/synchronizers/synchronizer-local';
import {createMergeableStore as createSyncstoreStore} from '../../src/index.js';
import {createCustomSynchronizer as createSyncstoreSynchronizer} from '../../src/synchronizers/index.js';
import {createBroadcastChannelSynchronizer as createSyncstoreBroadcastChannelSynchronizer} from '../../src/synchronizers/synchronizer-broadcast-channel.js';
import {createLocalSynchronizer as createSyncstoreLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {
  type BenchCase,
  type CaseOptions,
  defineCase,
  type LibraryName,
  type Sample,
  sizesFor,
} from '../harness.js';
import {CELLS_PER_ROW, fillCells, type SyncedStore, TABLE_ID} from '../workload.js';

const GROUP = 'sync';
const REQUEST_TIMEOUT_SECONDS = 5;

type Send = (to: string | null, requestId: string | null, message: number, body: unknown) => void;
type Receive = (from: string, requestId: string | null, message: number, body: unknown) => void;

/** What the cases need of either library's store and synchronizer. */
type StoreUnderTest = SyncedStore;
interface SynchronizerUnderTest {
  startSync(): Promise<unknown>;
  destroy(): unknown;
}

type Transport = {send: Send; registerReceive: (receive: Receive) => void; destroy: () => void};

const createStore: Record<LibraryName, (uniqueId: string) => StoreUnderTest> = {
  syncstore: (uniqueId) => createSyncstoreStore(uniqueId) as unknown as StoreUnderTest,
  tinybase: (uniqueId) => createTinybaseStore(uniqueId) as unknown as StoreUnderTest,
};
const createCustom: Record<
  LibraryName,
  (store: StoreUnderTest, transport: Transport, timeout: number) => SynchronizerUnderTest
> = {
  syncstore: (store, {send, registerReceive, destroy}, timeout) =>
    createSyncstoreSynchronizer(
      store as never,
      send as never,
      registerReceive as never,
      destroy,
      timeout,
    ),
  tinybase: (store, {send, registerReceive, destroy}, timeout) =>
    createTinybaseSynchronizer(
      store as never,
      send as never,
      registerReceive as never,
      destroy,
      timeout,
    ),
};
/**
 * Each library's synchronizer over one in-process transport, with that transport's default
 * request timeout. Peers given the same `channel` meet; the LocalSynchronizer has a single
 * meeting place per library and ignores it.
 */
type InProcessTransport = Record<
  LibraryName,
  (store: StoreUnderTest, onSend: Send, channel: string) => SynchronizerUnderTest
>;
const localTransport: InProcessTransport = {
  syncstore: (store, onSend) => createSyncstoreLocalSynchronizer(store as never, onSend as never),
  tinybase: (store, onSend) => createTinybaseLocalSynchronizer(store as never, onSend as never),
};
// Both libraries' factories take onSend, so messages and payload are counted here as for Local.
const broadcastChannelTransport: InProcessTransport = {
  syncstore: (store, onSend, channel) =>
    createSyncstoreBroadcastChannelSynchronizer(store as never, channel, onSend as never),
  tinybase: (store, onSend, channel) =>
    createTinybaseBroadcastChannelSynchronizer(store as never, channel, onSend as never),
};
if (createStore.syncstore === createStore.tinybase) {
  throw new Error('bench/cases/sync.ts would compare TinyBase with itself');
}

/** An in-memory bus: setTimeout(0) per message, bodies by reference; it logs what was sent. */
class Bus {
  readonly #peers = new Map<string, Receive>();
  #inFlight = 0;
  #quietWaiters: (() => void)[] = [];
  sent: unknown[] = [];

  join(name: string): Transport {
    return {
      send: (to, requestId, message, body) => {
        this.sent.push(body);
        const recipients =
          to === null ? [...this.#peers.keys()].filter((peer) => peer !== name) : [to];
        this.#inFlight++;
        setTimeout(() => {
          this.#inFlight--;
          for (const recipient of recipients) {
            this.#peers.get(recipient)?.(name, requestId, message, body);
          }
          this.#checkQuiet();
        }, 0);
      },
      registerReceive: (receive) => {
        this.#peers.set(name, receive);
      },
      destroy: () => {
        this.#peers.delete(name);
      },
    };
  }

  /** Resolves once no delivery is scheduled (after the current ones have run). */
  whenQuiet(): Promise<void> {
    return new Promise((resolve) => {
      this.#quietWaiters.push(resolve);
      this.#checkQuiet();
    });
  }

  #checkQuiet(): void {
    if (this.#inFlight === 0 && this.#quietWaiters.length > 0) {
      // One more macrotask: a microtask may still be about to send.
      setTimeout(() => {
        if (this.#inFlight === 0) {
          const waiters = this.#quietWaiters.splice(0);
          for (const resolve of waiters) {
            resolve();
          }
        }
      }, 0);
    }
  }
}

function payloadBytes(bodies: unknown[]): number {
  let bytes = 0;
  for (const body of bodies) {
    // Undefined (tombstones) travels as one U+FFFC character on a JSON wire.
    bytes +=
      JSON.stringify(body, (_key, value) => (value === undefined ? '\uFFFC' : value))?.length ?? 0;
  }
  return bytes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type CustomInput = Record<
  LibraryName,
  {bus: Bus; source: StoreUnderTest; synchronizer: SynchronizerUnderTest}
>;
type Joiner = {store: StoreUnderTest; synchronizer: SynchronizerUnderTest; bus: Bus};

/**
 * Per library: a bus and a source store of `cells` cells that is syncing on it. Its own first
 * pull waits out the 5 s timeout, once, here in the untimed setup.
 */
async function setUpSources(cells: number): Promise<CustomInput> {
  const input = {} as CustomInput;
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    const bus = new Bus();
    const source = createStore[library]('source');
    fillCells(source, cells);
    const synchronizer = createCustom[library](source, bus.join('source'), REQUEST_TIMEOUT_SECONDS);
    await synchronizer.startSync();
    input[library] = {bus, source, synchronizer};
  }
  return input;
}

let joinerCount = 0;

function customSide(library: LibraryName, cells: number, oneCellDiffers: boolean) {
  return {
    prepare: (input: CustomInput): Joiner => {
      const {bus, source} = input[library];
      const store = createStore[library](`joiner${joinerCount++}`);
      if (oneCellDiffers) {
        store.setMergeableContent(source.getMergeableContent());
        store.setCell(TABLE_ID, 'r0', 'c0', 'changed');
        // syncstore computes hashes of loaded content lazily (TinyBase trusts the loaded ones):
        // bill that to the load, not to the sync being measured.
        store.getMergeableContentHashes();
      }
      const synchronizer = createCustom[library](
        store,
        bus.join(`joiner${joinerCount}`),
        REQUEST_TIMEOUT_SECONDS,
      );
      bus.sent = [];
      return {store, synchronizer, bus};
    },
    measure: async ({store, synchronizer, bus}: Joiner): Promise<Sample> => {
      const start = performance.now();
      await synchronizer.startSync();
      await bus.whenQuiet();
      const elapsed = performance.now() - start;
      return {
        value: elapsed,
        extras: {
          messages: bus.sent.length,
          'payload KB': payloadBytes(bus.sent) / 1024,
          'rows synced': store.getRowCount(TABLE_ID),
        },
      };
    },
    cleanup: ({store, synchronizer}: Joiner, input: CustomInput): void => {
      synchronizer.destroy();
      const {source} = input[library];
      if (oneCellDiffers) {
        // Both directions done: the source took the joiner's newer cell.
        if (source.getCell(TABLE_ID, 'r0', 'c0') !== 'changed') {
          throw new Error(`${library}: the one differing cell did not reach the source`);
        }
        source.setCell(TABLE_ID, 'r0', 'c0', 'v0');
      } else if (store.getRowCount(TABLE_ID) !== cells / CELLS_PER_ROW) {
        throw new Error(
          `${library}: the joiner has ${store.getRowCount(TABLE_ID)} rows, not ${cells / CELLS_PER_ROW}`,
        );
      }
    },
  };
}

type InProcessInput = Record<LibraryName, {source: StoreUnderTest; sent: unknown[]}>;
type InProcessJoiner = {
  store: StoreUnderTest;
  synchronizer: SynchronizerUnderTest;
  sourceSynchronizer: SynchronizerUnderTest;
};

/** Per library: a source store of `cells` cells, and the log of what the sample's peers send. */
function setUpInProcessSources(cells: number): InProcessInput {
  const input = {} as InProcessInput;
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    const source = createStore[library]('source');
    fillCells(source, cells);
    // syncstore hashes filled content lazily: do it once here rather than in the first sample.
    source.getMergeableContentHashes();
    input[library] = {source, sent: []};
  }
  return input;
}

/** How long an in-process transport case waits for the joiner to have everything. */
const IN_PROCESS_DEADLINE_MS = 5000;

let channelCount = 0;

/**
 * Each library's synchronizer on an in-process transport, timed until the joining store holds
 * every row. Every sample gets a fresh channel with its own source synchronizer (started in the
 * untimed prepare, where its lone first pull gives up), so a late message of an earlier sample is
 * never heard. TinyBase's short fixed timeouts (50 ms Local, 10 ms BroadcastChannel) can fail a
 * large initial sync, and it never retries; a sample still incomplete at the deadline counts as
 * the deadline (rows synced shows what arrived). The deadline bounds only the wait after
 * startSync: a sample whose startSync alone ran past it, leaving the store complete, reports its
 * real time rather than hiding it under the cap.
 */
function inProcessSide(library: LibraryName, cells: number, transport: InProcessTransport) {
  const connect = transport[library];
  return {
    prepare: async (input: InProcessInput): Promise<InProcessJoiner> => {
      const {source, sent} = input[library];
      const channel = `sync-bench-${channelCount++}`;
      const logSend: Send = (_to, _requestId, _message, body) => sent.push(body);
      const sourceSynchronizer = connect(source, logSend, channel);
      await sourceSynchronizer.startSync();
      const store = createStore[library](`joiner${joinerCount++}`);
      const synchronizer = connect(store, logSend, channel);
      sent.length = 0;
      return {store, synchronizer, sourceSynchronizer};
    },
    measure: async (
      {store, synchronizer}: InProcessJoiner,
      input: InProcessInput,
    ): Promise<Sample> => {
      const rows = cells / CELLS_PER_ROW;
      const start = performance.now();
      await synchronizer.startSync();
      while (
        store.getRowCount(TABLE_ID) < rows &&
        performance.now() - start < IN_PROCESS_DEADLINE_MS
      ) {
        await sleep(5);
      }
      const complete = store.getRowCount(TABLE_ID) === rows;
      const elapsed = complete ? performance.now() - start : IN_PROCESS_DEADLINE_MS;
      await sleep(20);
      const {sent} = input[library];
      return {
        value: elapsed,
        extras: {
          messages: sent.length,
          'payload KB': payloadBytes(sent) / 1024,
          'rows synced': store.getRowCount(TABLE_ID),
        },
      };
    },
    cleanup: ({synchronizer, sourceSynchronizer}: InProcessJoiner): void => {
      synchronizer.destroy();
      sourceSynchronizer.destroy();
    },
  };
}

/** The initial sync case of an in-process transport, e.g. "LocalSynchronizer". */
function inProcessCase(
  transportName: string,
  transport: InProcessTransport,
  cells: number,
  samples: number | undefined,
  warmup: number | undefined,
): BenchCase {
  return defineCase<InProcessInput, InProcessJoiner>({
    group: GROUP,
    name: `initial sync to an empty store (${transportName}, ${IN_PROCESS_DEADLINE_MS / 1000} s cap)`,
    size: cells,
    samples,
    warmup,
    setup: () => setUpInProcessSources(cells),
    syncstore: inProcessSide('syncstore', cells, transport),
    tinybase: inProcessSide('tinybase', cells, transport),
  });
}

/** Fewer samples and no warm-up at 1M cells, one warm-up from 100k. */
function samplingFor(cells: number): {samples: number | undefined; warmup: number | undefined} {
  const big = cells >= 1_000_000;
  return {samples: big ? 5 : undefined, warmup: big ? 0 : cells >= 100_000 ? 1 : undefined};
}

export function cases(options: CaseOptions): BenchCase[] {
  const sizes = options.quick ? sizesFor(options) : [...sizesFor(options), 1_000_000];
  const list: BenchCase[] = [];
  for (const cells of sizes) {
    const {samples, warmup} = samplingFor(cells);
    list.push(
      defineCase<CustomInput, Joiner>({
        group: GROUP,
        name: 'initial sync to an empty store (custom bus)',
        size: cells,
        samples,
        warmup,
        setup: () => setUpSources(cells),
        teardown: (input) => {
          input.syncstore.synchronizer.destroy();
          input.tinybase.synchronizer.destroy();
        },
        syncstore: customSide('syncstore', cells, false),
        tinybase: customSide('tinybase', cells, false),
      }),
      inProcessCase('LocalSynchronizer', localTransport, cells, samples, warmup),
    );
    if (cells >= 1_000_000) {
      continue;
    }
    list.push(
      defineCase<CustomInput, Joiner>({
        group: GROUP,
        name: 'one cell differs (custom bus)',
        size: cells,
        warmup,
        setup: () => setUpSources(cells),
        teardown: (input) => {
          input.syncstore.synchronizer.destroy();
          input.tinybase.synchronizer.destroy();
        },
        syncstore: customSide('syncstore', cells, true),
        tinybase: customSide('tinybase', cells, true),
      }),
    );
  }
  // BroadcastChannel only where it is large: 100k (in quick runs too) and 1M.
  for (const cells of options.quick ? [100_000] : [100_000, 1_000_000]) {
    const {samples, warmup} = samplingFor(cells);
    list.push(inProcessCase('BroadcastChannel', broadcastChannelTransport, cells, samples, warmup));
  }
  return list;
}
