// The abuse run (issue 12): a syncstore server, in a child process of its own so that its memory
// is measured alone, serves one gated, SQLite-stored room where honest clients keep editing while
// offenders keep coming: a few at a time, each doing one kind of harm from
// test/ws/hostile-traffic.ts (huge ids, deep JSON, oversized values, sustained floods, channel
// floods, malformed bodies, thousands of tables, far-future clocks, replayed changes), each
// replaced by a fresh one when the server closes it or after a while. At the end it prints:
//
//   honest disconnects   times an honest client's connection left 'online' (should be 0)
//   lost changes         honest cells and values whose final value in the room is not the last
//                        one written (should be 0), compared leaf by leaf with each client's model
//   offenders            started, closed with their kind's code, closed otherwise, still open
//   server peak RSS/heap sampled every 100 ms in the server process; heap also after a full GC
//
//   npm run bench:abuse [-- --seconds 60 --honest 20 --offenders 6 --seed 1]
//
// Not a harness case (bench/cases): it compares nothing with TinyBase, whose server has no limits
// per client, and it is one long run rather than samples.
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {isDeepStrictEqual, parseArgs} from 'node:util';
import {createMergeableStore} from '../src/store/mergeable-store.js';
import type {MergeableStore} from '../src/store/types.js';
import {describeError} from '../src/synchronizers/errors.js';
import {
  createWsSynchronizer,
  type WsSynchronizer,
} from '../src/synchronizers/synchronizer-ws-client.js';
import {
  CLOSED_KINDS,
  type ClosedKind,
  HOSTILE_LIMITS,
  hostileAuthorize,
  OFFENCE_KINDS,
  Offender,
  type Random,
  seededRandom,
} from '../test/ws/hostile-traffic.js';

const SERVER_FLAG = '--abuse-server';
const thisFile = fileURLToPath(import.meta.url);
const ROOM = 'abuse';
/** How often each honest client edits, and how often tolerated offenders send their next batch. */
const EDIT_INTERVAL_MS = 100;
const OFFENDER_TICK_MS = 200;
/** A tolerated offender is replaced by a new one after this long. */
const OFFENDER_LIFETIME_MS = 5_000;
const MEMORY_SAMPLE_MS = 100;
const SETTLE_TIMEOUT_MS = 60_000;

type MemorySample = {rss: number; heapUsed: number};
type ServerMessage =
  | {type: 'port'; port: number}
  | {type: 'memory'; sample: MemorySample}
  | {type: 'report'; afterGc: MemorySample; ignored: Record<string, number>; clients: number};

// --- the server process ---------------------------------------------------------------------

/** Runs in the child: the server, its memory samples and its error counts, over IPC. */
async function runServer(db: string): Promise<void> {
  const {WebSocketServer} = await import('ws');
  const {createWsServer} = await import('../src/server/index.js');
  const send = (message: ServerMessage) => process.send?.(message);
  const ignored: Record<string, number> = {};
  const webSocketServer = new WebSocketServer({port: 0, host: '127.0.0.1'});
  await new Promise((resolve) => webSocketServer.once('listening', resolve));
  const wsServer = createWsServer(webSocketServer, {
    storage: db,
    authorize: hostileAuthorize,
    limits: HOSTILE_LIMITS,
    onIgnoredError: (error) => {
      // Counted by kind: the reason's first word(s), without client ids or counts.
      const key = describeError(error)
        .replace(/(client|peer) \S+/g, '$1')
        .replace(/\d+/g, 'N')
        .slice(0, 72);
      ignored[key] = (ignored[key] ?? 0) + 1;
    },
  });
  const sample = (): MemorySample => {
    const {rss, heapUsed} = process.memoryUsage();
    return {rss, heapUsed};
  };
  const sampler = setInterval(() => send({type: 'memory', sample: sample()}), MEMORY_SAMPLE_MS);
  process.on('message', async (message: string) => {
    if (message === 'report') {
      (globalThis as {gc?: () => void}).gc?.();
      send({type: 'report', afterGc: sample(), ignored, clients: wsServer.getStats().clients});
    } else if (message === 'stop') {
      clearInterval(sampler);
      await wsServer.destroy();
      process.exit(0);
    }
  });
  send({type: 'port', port: (webSocketServer.address() as {port: number}).port});
}

type ServerHandle = {
  port: number;
  child: ChildProcess;
  peak: MemorySample;
  first: MemorySample | undefined;
  report(): Promise<Extract<ServerMessage, {type: 'report'}>>;
};

const startServerProcess = (db: string): Promise<ServerHandle> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', thisFile, SERVER_FLAG, db],
      {stdio: ['ignore', 'inherit', 'inherit', 'ipc']},
    );
    process.once('exit', () => child.kill('SIGKILL'));
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    const handle: ServerHandle = {
      port: 0,
      child,
      peak: {rss: 0, heapUsed: 0},
      first: undefined,
      report: () =>
        new Promise((resolveReport) => {
          const onMessage = (message: ServerMessage) => {
            if (message.type === 'report') {
              child.off('message', onMessage);
              resolveReport(message);
            }
          };
          child.on('message', onMessage);
          child.send('report');
        }),
    };
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'port') {
        handle.port = message.port;
        resolve(handle);
      } else if (message.type === 'memory') {
        handle.first ??= message.sample;
        handle.peak = {
          rss: Math.max(handle.peak.rss, message.sample.rss),
          heapUsed: Math.max(handle.peak.heapUsed, message.sample.heapUsed),
        };
      }
    });
  });

// --- honest clients -------------------------------------------------------------------------

type Honest = {
  index: number;
  store: MergeableStore;
  synchronizer: WsSynchronizer;
  disconnects: number;
  /** The last thing written to each of its cells and values (null: deleted). */
  cells: Map<string, string | number | null>;
  values: Map<string, number>;
  writes: number;
};

const connectHonest = async (url: string, index: number): Promise<Honest> => {
  const store = createMergeableStore(`honest-${index}`);
  const synchronizer = await createWsSynchronizer(store, `${url}?token=honest`, 1);
  await synchronizer.startSync();
  const honest: Honest = {
    index,
    store,
    synchronizer,
    disconnects: 0,
    cells: new Map(),
    values: new Map(),
    writes: 0,
  };
  let last = synchronizer.getSyncStatus().connection;
  synchronizer.addSyncStatusListener(({connection}) => {
    if (last === 'online' && connection !== 'online') honest.disconnects++;
    last = connection;
  });
  return honest;
};

/** One edit to the client's own rows (so the final room is known exactly), or its own value. */
const honestEdit = (honest: Honest, random: Random): void => {
  const rowId = `h${honest.index}-${random.int(50)}`;
  const choice = random.int(10);
  honest.writes++;
  if (choice === 0) {
    const count = (honest.values.get(`count-${honest.index}`) ?? 0) + 1;
    honest.store.setValue(`count-${honest.index}`, count);
    honest.values.set(`count-${honest.index}`, count);
  } else if (choice === 1) {
    honest.store.delCell('notes', rowId, 'text');
    honest.cells.set(`${rowId}/text`, null);
  } else {
    const cellId = random.next() < 0.5 ? 'text' : 'size';
    const cell = cellId === 'text' ? `note ${random.int(1e6)}` : random.int(1000);
    honest.store.setCell('notes', rowId, cellId, cell);
    honest.cells.set(`${rowId}/${cellId}`, cell);
  }
};

/** Leaves of the honest models that the reader does not hold as last written. */
const lostChanges = (honest: Honest[], reader: MergeableStore): number => {
  let lost = 0;
  for (const client of honest) {
    for (const [key, cell] of client.cells) {
      const [rowId, cellId] = key.split('/') as [string, string];
      if ((reader.getCell('notes', rowId, cellId) ?? null) !== cell) lost++;
    }
    for (const [valueId, value] of client.values) {
      if (reader.getValue(valueId) !== value) lost++;
    }
  }
  return lost;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// --- the run --------------------------------------------------------------------------------

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      seconds: {type: 'string', default: '60'},
      honest: {type: 'string', default: '20'},
      offenders: {type: 'string', default: '6'},
      seed: {type: 'string', default: '1'},
    },
    strict: true,
  });
  const seconds = Number(values.seconds);
  const honestCount = Number(values.honest);
  const concurrentOffenders = Number(values.offenders);
  const random = seededRandom(Number(values.seed));

  const directory = mkdtempSync(join(tmpdir(), 'syncstore-abuse-'));
  const server = await startServerProcess(join(directory, 'abuse.db'));
  const url = `ws://127.0.0.1:${server.port}/${ROOM}`;
  const honest: Honest[] = [];
  for (let index = 0; index < honestCount; index++) honest.push(await connectHonest(url, index));
  console.error(
    `abuse run: ${seconds} s, ${honestCount} honest clients, ${concurrentOffenders} offenders at a time, seed ${values.seed}`,
  );

  const started = new Map<string, number>();
  const closedAsExpected = new Map<string, number>();
  const closedOtherwise: string[] = [];
  /** Set when the run ends: offenders still there are stopped by the run, not by the server. */
  let ending = false;
  let stoppedAtEnd = 0;
  const live = new Set<{offender: Offender; bornAt: number}>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const startOffender = () => {
    const kind = random.pick(OFFENCE_KINDS);
    const entry = {
      offender: new Offender(url, kind, seededRandom(random.int(2 ** 31))),
      bornAt: Date.now(),
    };
    count(started, kind);
    live.add(entry);
    void entry.offender.closed.then((outcome) => {
      live.delete(entry);
      if (ending && entry.offender.stoppedByClient) {
        stoppedAtEnd++;
        return;
      }
      const expected = CLOSED_KINDS[kind as ClosedKind];
      if (expected !== undefined) {
        if (outcome.code === expected.code && outcome.reason.startsWith(expected.reason)) {
          count(closedAsExpected, kind);
        } else {
          closedOtherwise.push(`${kind}: ${outcome.code} ${outcome.reason}`);
        }
      } else if (outcome.code !== 1000 && outcome.code !== 1005) {
        // A tolerated offender is only ever closed by itself.
        closedOtherwise.push(`${kind}: ${outcome.code} ${outcome.reason}`);
      }
    });
  };

  const endAt = Date.now() + seconds * 1000;
  const editTimer = setInterval(() => {
    for (const client of honest) honestEdit(client, random);
  }, EDIT_INTERVAL_MS);
  const offenderTimer = setInterval(() => {
    const honestRowIds = honest.flatMap((client) =>
      [...client.cells.keys()].map((key) => key.split('/')[0]!),
    );
    for (const entry of live) {
      if (
        !(entry.offender.kind in CLOSED_KINDS) &&
        Date.now() - entry.bornAt > OFFENDER_LIFETIME_MS
      ) {
        void entry.offender.stop();
      } else {
        entry.offender.act(honestRowIds);
      }
    }
    while (live.size < concurrentOffenders && Date.now() < endAt) startOffender();
  }, OFFENDER_TICK_MS);
  let lastProgress = Date.now();
  while (Date.now() < endAt) {
    await sleep(1000);
    if (Date.now() - lastProgress >= 10_000 && Date.now() < endAt) {
      lastProgress = Date.now();
      console.error(
        `  ${Math.round((endAt - Date.now()) / 1000)} s left; server peak RSS ${mib(server.peak.rss)}, heap ${mib(server.peak.heapUsed)}`,
      );
    }
  }
  clearInterval(editTimer);
  clearInterval(offenderTimer);
  ending = true;
  await Promise.all([...live].map(({offender}) => offender.stop()));

  // Settle: a reader joining now must end with every honest client's last writes.
  const reader = createMergeableStore('reader');
  const readerSync = await createWsSynchronizer(reader, `${url}?token=reader`, 1);
  await readerSync.startSync();
  const hashes = (store: MergeableStore) => JSON.stringify(store.getMergeableContentHashes());
  let settled = true;
  try {
    await waitFor(
      () => honest.every((client) => hashes(client.store) === hashes(reader)),
      'honest clients and a reader to converge',
    );
  } catch (error) {
    settled = false;
    console.error((error as Error).message);
  }
  const report = await server.report();

  const total = (map: Map<string, number>) => [...map.values()].reduce((sum, n) => sum + n, 0);
  const lines = [
    `honest clients          ${honestCount}, ${honest.reduce((sum, client) => sum + client.writes, 0)} edits`,
    `honest disconnects      ${honest.reduce((sum, client) => sum + client.disconnects, 0)}`,
    `lost changes            ${lostChanges(honest, reader)}${settled ? '' : ' (did not converge)'}`,
    `honest stores equal     ${honest.every((client) => isDeepStrictEqual(client.store.getContent(), reader.getContent()))}`,
    `offenders started       ${total(started)} (${[...started].map(([kind, n]) => `${kind} ${n}`).join(', ')})`,
    `closed with their code  ${total(closedAsExpected)}`,
    `stopped at the end      ${stoppedAtEnd}`,
    `closed otherwise        ${closedOtherwise.length}${closedOtherwise.length > 0 ? `: ${closedOtherwise.slice(0, 5).join('; ')}` : ''}`,
    `server memory at start  RSS ${mib(server.first?.rss ?? 0)}, heap ${mib(server.first?.heapUsed ?? 0)}`,
    `server peak             RSS ${mib(server.peak.rss)}, heap ${mib(server.peak.heapUsed)}`,
    `server after GC, end    RSS ${mib(report.afterGc.rss)}, heap ${mib(report.afterGc.heapUsed)}`,
    `room content            ${reader.getRowIds('notes').length} honest rows; tables ${reader.getTableIds().join(', ')}`,
    `server errors reported  ${Object.entries(report.ignored)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${n} × ${reason}`)
      .join('\n                        ')}`,
  ];
  console.log(lines.join('\n'));

  readerSync.destroy();
  for (const client of honest) client.synchronizer.destroy();
  server.child.removeAllListeners('exit');
  server.child.send('stop');
  await new Promise((resolve) => server.child.once('exit', resolve));
  rmSync(directory, {recursive: true, force: true});
}

if (process.argv[2] === SERVER_FLAG) {
  void runServer(process.argv[3]!);
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
