// Sync cases (issue 3): initial sync of N cells from a syncing store to an empty one that joins,
// and the case where two stores of N cells differ in one cell. Both engines run over the same
// in-memory bus (each library's createCustomSynchronizer, setTimeout(0) delivery, bodies passed
// by reference, a 5 s request timeout); each library's own LocalSynchronizer is measured too.
// Every sample reports the messages sent and their payload bytes (JSON length of the bodies),
// counted outside the timed part.

import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createCustomSynchronizer as createTinybaseSynchronizer} from 'tinybase/synchronizers';
import {createLocalSynchronizer as createTinybaseLocalSynchronizer} from 'tinybase/synchronizers/synchronizer-local';
import {createMergeableStore as createSyncstoreStore} from '../../src/index.js';
import {createCustomSynchronizer as createSyncstoreSynchronizer} from '../../src/synchronizers/index.js';
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
const createLocal: Record<
  LibraryName,
  (store: StoreUnderTest, onSend: Send) => SynchronizerUnderTest
> = {
  syncstore: (store, onSend) => createSyncstoreLocalSynchronizer(store as never, onSend as never),
  tinybase: (store, onSend) => createTinybaseLocalSynchronizer(store as never, onSend as never),
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

type LocalInput = Record<
  LibraryName,
  {source: StoreUnderTest; synchronizer: SynchronizerUnderTest; sent: unknown[]}
>;
type LocalJoiner = {store: StoreUnderTest; synchronizer: SynchronizerUnderTest};

/** Per library: a source store of `cells` cells syncing through that library's LocalSynchronizer. */
async function setUpLocalSources(cells: number): Promise<LocalInput> {
  const input = {} as LocalInput;
  for (const library of ['syncstore', 'tinybase'] as LibraryName[]) {
    const sent: unknown[] = [];
    const source = createStore[library]('source');
    fillCells(source, cells);
    const synchronizer = createLocal[library](source, (_to, _requestId, _message, body) =>
      sent.push(body),
    );
    await synchronizer.startSync();
    input[library] = {source, synchronizer, sent};
  }
  return input;
}

/** How long the LocalSynchronizer case waits for the joiner to have everything. */
const LOCAL_DEADLINE_MS = 5000;

/**
 * Each library's LocalSynchronizer with its own default request timeout, timed until the joining
 * store holds every row. TinyBase's fixed 50 ms timeout fails large initial syncs and never
 * retries; such a sample counts as the whole deadline (rows synced shows what arrived).
 */
function localSide(library: LibraryName, cells: number) {
  return {
    prepare: (input: LocalInput): LocalJoiner => {
      const store = createStore[library](`joiner${joinerCount++}`);
      const synchronizer = createLocal[library](store, (_to, _requestId, _message, body) =>
        input[library].sent.push(body),
      );
      input[library].sent.length = 0;
      return {store, synchronizer};
    },
    measure: async ({store, synchronizer}: LocalJoiner, input: LocalInput): Promise<Sample> => {
      const rows = cells / CELLS_PER_ROW;
      const start = performance.now();
      await synchronizer.startSync();
      while (store.getRowCount(TABLE_ID) < rows && performance.now() - start < LOCAL_DEADLINE_MS) {
        await sleep(5);
      }
      const complete = store.getRowCount(TABLE_ID) === rows;
      const elapsed = complete ? performance.now() - start : LOCAL_DEADLINE_MS;
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
    cleanup: ({synchronizer}: LocalJoiner): void => {
      synchronizer.destroy();
    },
  };
}

export function cases(options: CaseOptions): BenchCase[] {
  const sizes = options.quick ? sizesFor(options) : [...sizesFor(options), 1_000_000];
  const list: BenchCase[] = [];
  for (const cells of sizes) {
    const big = cells >= 1_000_000;
    const samples = big ? 5 : undefined;
    const warmup = big ? 0 : cells >= 100_000 ? 1 : undefined;
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
    );
    list.push(
      defineCase<LocalInput, LocalJoiner>({
        group: GROUP,
        name: 'initial sync to an empty store (LocalSynchronizer, 5 s cap)',
        size: cells,
        samples,
        warmup,
        setup: () => setUpLocalSources(cells),
        teardown: (input) => {
          input.syncstore.synchronizer.destroy();
          input.tinybase.synchronizer.destroy();
        },
        syncstore: localSide('syncstore', cells),
        tinybase: localSide('tinybase', cells),
      }),
    );
    if (big) {
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
  return list;
}
