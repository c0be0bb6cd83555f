// The server under hostile traffic (docs/protocol.md §6.8, §6.9): while honest clients edit a
// room, offender sockets drawn from a seeded generator send huge ids, deep JSON, oversized values,
// floods, a channel flood, malformed bodies, thousands of tables, far-future clocks and replayed,
// reordered changes (test/ws/hostile-traffic.ts). Checked: every offender that breaks a limit is
// closed with that limit's code and reason and no honest client is ever disconnected; the others
// stay and change nothing; honest clients converge on exactly what they wrote, and so does the
// room as stored in its SQLite file; the heap after the run is within a stated bound of before.
//
// Seed: FUZZ_SEED=<n> (default below); the seed is in the test's name, to replay a failure.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {afterAll, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {
  createWsSynchronizer,
  type WsSynchronizer,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import type {Connection} from '../../src/synchronizers/types.js';
import {
  CLOSED_KINDS,
  type ClosedKind,
  HOSTILE_LIMITS,
  hostileAuthorize,
  OFFENCE_KINDS,
  type OffenceKind,
  Offender,
  seededRandom,
} from './hostile-traffic.js';
import {createCleanups, expectConverged, startServer, waitUntil} from './support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const HONEST_CLIENTS = 4;
const ROUNDS = 20;
const WRITES_PER_ROUND = 5;
const EXTRA_OFFENDERS = 8;
/** Heap the run may leave behind (after a full GC), beyond what it started with. */
const HEAP_GROWTH_BOUND_BYTES = 48 * 1024 * 1024;

const directory = mkdtempSync(join(tmpdir(), 'syncstore-fuzz-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));
const cleanups = createCleanups();

/** A full garbage collection (vitest starts workers without --expose-gc). */
const collectGarbage = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
})();

const heapUsed = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/** An honest client: writes only its own rows, so what the room ends with is known exactly. */
type Honest = {
  store: MergeableStore;
  synchronizer: WsSynchronizer;
  connections: Connection[];
  /** What this client's rows and value should hold: the model of its writes. */
  rows: Record<string, Record<string, string | number>>;
  value: number;
};

const connectHonest = async (url: string, index: number): Promise<Honest> => {
  const store = createMergeableStore(`honest-${index}`);
  const synchronizer = await createWsSynchronizer(store, `${url}?token=honest`, 1);
  cleanups.push(() => synchronizer.destroy());
  await synchronizer.startSync();
  const connections: Connection[] = [synchronizer.getSyncStatus().connection];
  synchronizer.addSyncStatusListener(({connection}) => {
    if (connection !== connections.at(-1)) connections.push(connection);
  });
  return {store, synchronizer, connections, rows: {}, value: 0};
};

/** One honest edit: set or delete a cell of one of its rows, or bump its value. */
const honestWrite = (
  honest: Honest,
  index: number,
  random: ReturnType<typeof seededRandom>,
): void => {
  const rowId = `h${index}-${random.int(8)}`;
  const choice = random.int(10);
  if (choice === 0) {
    honest.value++;
    honest.store.setValue(`count-${index}`, honest.value);
  } else if (choice === 1 && honest.rows[rowId]?.text !== undefined) {
    honest.store.delCell('notes', rowId, 'text');
    delete honest.rows[rowId]!.text;
    if (Object.keys(honest.rows[rowId]!).length === 0) delete honest.rows[rowId];
  } else {
    const [cellId, cell] =
      random.next() < 0.5 ? ['text', `note ${random.int(1e6)}`] : ['size', random.int(1000)];
    honest.store.setCell('notes', rowId, cellId, cell);
    honest.rows[rowId] = {...honest.rows[rowId], [cellId]: cell};
  }
};

/** Every kind once, in a seeded order, then more of seeded kinds. */
const offencePlan = (random: ReturnType<typeof seededRandom>): OffenceKind[] => {
  const plan = [...OFFENCE_KINDS].sort(() => random.next() - 0.5);
  for (let index = 0; index < EXTRA_OFFENDERS; index++) plan.push(random.pick(OFFENCE_KINDS));
  return plan;
};

test(`hostile traffic closes only offenders and never corrupts the room (FUZZ_SEED=${SEED})`, async () => {
  const random = seededRandom(SEED);
  const db = join(directory, 'fuzz.db');
  const ignored: string[] = [];
  const server = await startServer({
    storage: db,
    authorize: hostileAuthorize,
    limits: HOSTILE_LIMITS,
    onIgnoredError: (error) => ignored.push(error.message),
  });
  let serverDestroyed = false;
  cleanups.push(() => (serverDestroyed ? undefined : server.wsServer.destroy()));
  const roomUrl = server.url('fuzz');

  const honest: Honest[] = [];
  for (let index = 0; index < HONEST_CLIENTS; index++) {
    honest.push(await connectHonest(roomUrl, index));
  }
  const heapBefore = heapUsed();

  const plan = offencePlan(random);
  const offenders: Offender[] = [];
  const perRound = Math.ceil(plan.length / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of plan.slice(round * perRound, (round + 1) * perRound)) {
      const offender = new Offender(roomUrl, kind, seededRandom(random.int(2 ** 31)));
      cleanups.push(() => offender.stop());
      offenders.push(offender);
    }
    honest.forEach((client, index) => {
      for (let write = 0; write < WRITES_PER_ROUND; write++) honestWrite(client, index, random);
    });
    const honestRowIds = honest.flatMap((client) => Object.keys(client.rows));
    for (const offender of offenders) offender.act(honestRowIds);
    // Let the traffic of this round reach the server before the next.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  // Every offender that broke a limit was closed with that limit's code and reason.
  const closable = offenders.filter((offender) => offender.kind in CLOSED_KINDS);
  await waitUntil(
    () => closable.every((offender) => offender.outcome.code !== undefined),
    'every offender that broke a limit to be closed',
  ).catch((error: Error) => {
    const open = closable.filter((offender) => offender.outcome.code === undefined);
    throw new Error(`${error.message}; still open: ${open.map(({kind}) => kind).join(', ')}`);
  });
  const outcomes = closable.map((offender) => offender.outcome);
  for (const outcome of outcomes) {
    const expected = CLOSED_KINDS[outcome.kind as ClosedKind];
    expect({kind: outcome.kind, code: outcome.code}).toEqual({
      kind: outcome.kind,
      code: expected.code,
    });
    expect(outcome.reason.startsWith(expected.reason), `${outcome.kind}: ${outcome.reason}`).toBe(
      true,
    );
    expect(ignored.some((message) => message.startsWith(expected.reason))).toBe(true);
  }
  // The others are still there, having changed nothing (checked below).
  const tolerated = offenders.filter((offender) => !(offender.kind in CLOSED_KINDS));
  expect(tolerated.length).toBeGreaterThan(0);
  expect(tolerated.filter((offender) => !offender.isOpen()).map(({kind}) => kind)).toEqual([]);

  // Honest clients were never disconnected, and hold exactly what they wrote, like the room.
  for (const client of honest) expect(client.connections).toEqual(['online']);
  const expectedTables = {notes: Object.assign({}, ...honest.map((client) => client.rows))};
  const expectedValues = Object.fromEntries(
    honest.flatMap((client, index) => (client.value > 0 ? [[`count-${index}`, client.value]] : [])),
  );
  const probe = createMergeableStore('probe');
  const probeSync = await createWsSynchronizer(probe, `${roomUrl}?token=reader`, 1);
  cleanups.push(() => probeSync.destroy());
  await probeSync.startSync();
  await expectConverged([...honest.map((client) => client.store), probe], 'honest convergence');
  expect(probe.getTables()).toEqual(expectedTables);
  expect(probe.getValues()).toEqual(expectedValues);

  // Bounded: rooms and clients are the honest ones (and the tolerated offenders), and the heap
  // after a full GC is within the bound of what it was before the traffic.
  for (const offender of tolerated) await offender.stop();
  await waitUntil(
    () => server.wsServer.getStats().clients === HONEST_CLIENTS + 1,
    'only honest clients and the probe left',
  );
  expect(server.wsServer.getPathIds()).toEqual(['fuzz']);
  const heapGrowth = heapUsed() - heapBefore;
  expect(heapGrowth).toBeLessThan(HEAP_GROWTH_BOUND_BYTES);

  // What the room stored is what the honest clients wrote: a new server on the same file serves it.
  probeSync.destroy();
  for (const client of honest) client.synchronizer.destroy();
  await server.wsServer.destroy();
  serverDestroyed = true;
  const again = await startServer({storage: db}, cleanups);
  const reader = createMergeableStore('reader');
  const readerSync = await createWsSynchronizer(reader, again.url('fuzz'), 1);
  cleanups.push(() => readerSync.destroy());
  await readerSync.startSync();
  await waitUntil(
    () => isDeepStrictEqual(reader.getTables(), expectedTables),
    'the stored room to load',
  );
  expect(reader.getValues()).toEqual(expectedValues);
  expect(reader.getMergeableContentHashes()).toEqual(probe.getMergeableContentHashes());
});
