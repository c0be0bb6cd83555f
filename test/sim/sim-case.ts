// One simulated case, wholly determined by its seed: the system's shape (how many syncstore
// clients, whether a TinyBase client joins, timeouts, the kind and quality of the links), then a
// schedule of random edits, disconnects, partitions and server restarts on the virtual clock, then
// the heal: partitions end, links become reliable, every client is connected (a lossy link's
// client reconnects, since only a resync can find what such a link lost), and the clock runs
// until nothing is left to do. The case passes when every store, and the room's storage, holds the
// same content with the same hashes and every syncstore status says 'synced'.
import {createMergeableStore as createStoreWithEncodedApply} from '../../src/store/mergeable-store.js';
import {canonicalJson} from '../synchronizers/helpers.js';
import {applyEdit, EDIT_ACTIONS, type EditCommand} from '../synchronizers/scenario.js';
import {createRandom} from '../synchronizers/sim-network.js';
import {
  DeltaClient,
  type SimClient,
  type SimEnvironment,
  SyncstoreClient,
  TinyBaseClient,
} from './sim-client.js';
import {type LinkConditions, type LinkStats, RELIABLE_LINK} from './sim-links.js';
import {PATH_ID, SimServer} from './sim-server.js';
import {VirtualClock} from './virtual-clock.js';

export type CaseResult = {
  seed: number;
  /** Empty when the case converged and every status is 'synced'. */
  failures: string[];
  clients: number;
  withTinyBase: boolean;
  linkKind: string;
  edits: number;
  restarts: number;
  disconnects: number;
  /** Delta resyncs answered with changes, and with a fallback to the hash walk. */
  deltaChanges: number;
  deltaFallbacks: number;
  stats: LinkStats;
};

const CELLS: EditCommand['value'][] = [0, 1, -2, 3.5, 'a', '', 'ü', true, false, null, {x: 1}, [2]];
const ACTIONS = EDIT_ACTIONS;

const tracing = process.env.SIM_TRACE !== undefined;
const trace = (line: string): void => {
  if (tracing) {
    console.log(`${String(Date.now() - SIM_START).padStart(6)} ${line}`);
  }
};

/** How big a case may get. The default runs are small; long searches may use LARGE_CASES. */
export type CaseShape = {
  maxSyncstoreClients: number;
  minSteps: number;
  stepRange: number;
  /** Whether some syncstore clients speak delta resync (default); false replays older seeds. */
  deltaClients?: boolean;
};
export const SMALL_CASES: CaseShape = {maxSyncstoreClients: 3, minSteps: 2, stepRange: 14};
export const LARGE_CASES: CaseShape = {maxSyncstoreClients: 4, minSteps: 3, stepRange: 25};

/** Virtual time at which every case starts. */
export const SIM_START = Date.UTC(2024, 0, 1);

/** Runs the case of `seed` on its own virtual clock (installed as the global timers meanwhile). */
export async function runCase(seed: number, shape = SMALL_CASES): Promise<CaseResult> {
  const clock = new VirtualClock(SIM_START);
  clock.install();
  const restoreRandomIds = seedRandomIds(seed);
  try {
    return await runCaseOn(clock, seed, shape);
  } finally {
    restoreRandomIds();
    clock.uninstall();
  }
}

/**
 * Draws random ids (request and transaction ids) from the case's seed, so that a replay is exact;
 * returns the function that puts the platform's generator back.
 */
function seedRandomIds(seed: number): () => void {
  const random = createRandom(seed ^ 0x5eed);
  const webCrypto = globalThis.crypto;
  const original = Object.getOwnPropertyDescriptor(webCrypto, 'getRandomValues');
  Object.defineProperty(webCrypto, 'getRandomValues', {
    configurable: true,
    value: <T extends ArrayBufferView>(array: T): T => {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let index = 0; index < bytes.length; index++) {
        bytes[index] = Math.floor(random() * 256);
      }
      return array;
    },
  });
  return () => {
    if (original === undefined) {
      delete (webCrypto as {getRandomValues?: unknown}).getRandomValues;
    } else {
      Object.defineProperty(webCrypto, 'getRandomValues', original);
    }
  };
}

async function runCaseOn(clock: VirtualClock, seed: number, shape: CaseShape): Promise<CaseResult> {
  const random = createRandom(seed);
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)]!;
  const chance = (probability: number) => random() < probability;

  // The system.
  const syncstoreCount = 1 + Math.floor(random() * shape.maxSyncstoreClients);
  const withTinyBase = chance(0.25) || syncstoreCount === 1;
  const clientTimeoutSeconds = pick([0.2, 0.5, 1]);
  const serverTimeoutSeconds = pick([0.2, 0.5, 1]);
  const kind = chance(0.5) ? 'ordered' : 'lossy';
  let conditions: LinkConditions = {
    kind,
    minDelayMs: 0,
    maxDelayMs: 1 + Math.floor(random() * 40),
    dropRate: kind === 'lossy' ? random() * 0.2 : 0,
    duplicateRate: kind === 'lossy' ? random() * 0.2 : 0,
  };
  const stats: LinkStats = {sent: 0, delivered: 0, dropped: 0, duplicated: 0};
  const failures: string[] = [];
  const partitioned = new Set<SimClient>();
  // Drawn from a generator of their own, so that a seed's other choices stay what they were
  // before delta resync existed: which syncstore clients speak it, and how long each room's change
  // sequence is (unbounded, or so short that most reconnects find it compacted).
  const deltaRandom = createRandom(seed ^ 0xde17a);
  const deltaHistory = [undefined, undefined, 2, 8][Math.floor(deltaRandom() * 4)];
  const server = new SimServer(serverTimeoutSeconds, deltaHistory);
  const environment: SimEnvironment = {
    server,
    random,
    conditions: () => conditions,
    stats,
    isPartitioned: (client) => partitioned.has(client),
    problem: (description) => failures.push(description),
    trace,
  };
  const clients: SimClient[] = [];
  // syncstore clients with delta resync (extension peers) and without (plain sockets), mixed.
  for (let index = 0; index < syncstoreCount; index++) {
    const Client =
      deltaRandom() < 0.5 && shape.deltaClients !== false ? DeltaClient : SyncstoreClient;
    clients.push(new Client(`c${index}`, environment, clientTimeoutSeconds));
  }
  if (withTinyBase) {
    clients.push(new TinyBaseClient('tb', environment, clientTimeoutSeconds));
  }
  const result: CaseResult = {
    seed,
    failures,
    clients: clients.length,
    withTinyBase,
    linkKind: kind,
    edits: 0,
    restarts: 0,
    disconnects: 0,
    deltaChanges: 0,
    deltaFallbacks: 0,
    stats,
  };
  const reconnectLater = (client: SimClient, minMs: number) =>
    setTimeout(() => client.connect(), minMs + Math.floor(random() * 300));

  try {
    // Clients come online at random moments.
    for (const client of clients) {
      reconnectLater(client, 0);
    }
    const steps = shape.minSteps + Math.floor(random() * shape.stepRange);
    for (let step = 0; step < steps; step++) {
      await clock.advance(Math.floor(random() * 60));
      const roll = random() * 12;
      const client = pick(clients);
      if (roll < 8) {
        result.edits++;
        const edit: EditCommand = {
          kind: 'edit',
          peer: 0,
          action: pick(ACTIONS),
          tableId: pick(['t1', 't2']),
          rowId: pick(['r1', 'r2', 'r3']),
          cellId: pick(['c1', 'c2']),
          value: pick(CELLS),
        };
        trace(`${client.name} edits: ${JSON.stringify(edit)}`);
        applyEdit(client.store, edit);
      } else if (roll < 9) {
        if (client.isConnected()) {
          trace(`${client.name} disconnects`);
          result.disconnects++;
          client.disconnect();
          reconnectLater(client, 1);
        }
      } else if (roll < 10) {
        trace(`${client.name} is partitioned`);
        partitioned.add(client);
      } else if (roll < 11) {
        if (partitioned.delete(client) && (kind === 'ordered' || chance(0.5))) {
          trace(`${client.name}'s partition ends with a reconnect`);
          // An ordered (TCP) link never resumes after losing bytes: the heartbeat replaces it.
          client.disconnect();
          reconnectLater(client, 1);
        }
      } else {
        result.restarts++;
        trace('server restarts');
        server.restart();
        for (const each of clients) {
          if (each.isConnected()) {
            each.dropConnection();
            reconnectLater(each, 20);
          }
        }
      }
    }

    // The heal.
    trace('heal');
    conditions = RELIABLE_LINK;
    for (const client of clients) {
      if (partitioned.has(client) || kind === 'lossy') {
        client.disconnect();
      }
    }
    partitioned.clear();
    for (const client of clients) {
      client.connect();
    }
    await clock.runUntilQuiet();

    checkConverged(clients, server, failures);
    for (const client of clients) {
      if (client instanceof DeltaClient) {
        result.deltaChanges += client.deltaAnswers.changes ?? 0;
        result.deltaFallbacks += client.deltaAnswers.fallback ?? 0;
      }
    }
  } catch (error) {
    failures.push(`threw: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    for (const client of clients) {
      client.destroy();
    }
    await server.close();
    clock.clear();
  }
  return result;
}

function checkConverged(clients: SimClient[], server: SimServer, failures: string[]): void {
  const stored = createStoreWithEncodedApply('stored');
  const storedChanges = server.storage.readRoom(PATH_ID);
  if (storedChanges !== undefined) {
    stored.applyEncodedMergeableChanges(storedChanges);
  }
  const [first, ...others] = clients;
  const expectedHashes = canonicalJson(first!.store.getMergeableContentHashes());
  const expectedContent = canonicalJson(first!.store.getContent());
  const expectedMergeable = canonicalJson(first!.store.getMergeableContent());
  const views: [string, {getMergeableContentHashes(): unknown; getContent(): unknown}][] = [
    ...others.map((client) => [client.name, client.store] as [string, SimClient['store']]),
    ['storage', stored],
  ];
  for (const [name, store] of views) {
    if (canonicalJson(store.getMergeableContentHashes()) !== expectedHashes) {
      failures.push(`${name}'s hashes differ from ${first!.name}'s`);
    }
    if (canonicalJson(store.getContent()) !== expectedContent) {
      failures.push(
        `${name}'s content ${canonicalJson(store.getContent())} differs from ${first!.name}'s ${expectedContent}`,
      );
    }
  }
  for (const client of others) {
    if (canonicalJson(client.store.getMergeableContent()) !== expectedMergeable) {
      failures.push(
        `${client.name}'s stamps ${canonicalJson(client.store.getMergeableContent())} differ from ${first!.name}'s ${expectedMergeable}`,
      );
    }
  }
  for (const client of clients) {
    if (client instanceof SyncstoreClient || client instanceof DeltaClient) {
      // A store's maintained hashes must be those of its stamps, recomputed from scratch.
      const recomputed = createStoreWithEncodedApply('recomputed');
      recomputed.applyMergeableChanges(client.store.getMergeableContent());
      const maintained = canonicalJson(client.store.getMergeableContentHashes());
      if (canonicalJson(recomputed.getMergeableContentHashes()) !== maintained) {
        failures.push(`${client.name}'s maintained hashes ${maintained} are not its content's`);
      }
      const {phase, connection} = client.synchronizer.getSyncStatus();
      if (phase !== 'synced' || connection !== 'online') {
        failures.push(`${client.name}'s status is ${connection}/${phase}, not online/synced`);
      }
    }
  }
}
