// Hostile but well-formed traffic for a syncstore server, drawn from a seeded generator: what the
// fuzz test (test/ws/fuzz.test.ts) and the abuse run (bench/abuse.ts) throw at a room while
// honest clients sync in it. Each offender is one raw socket doing one kind of harm. Some kinds
// break a limit per client (docs/protocol.md §6.9) or the wire format and must be closed with
// that limit's code; the others are tolerated (the client stays) but must change nothing.
import {WebSocket} from 'ws';
import {encodeHlc, getClientId} from '../../src/store/hlc.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import {createRandom} from '../synchronizers/sim-network.js';

/** The limits the hostile traffic is measured against: small enough to reach quickly. */
export const HOSTILE_LIMITS = {
  maxIdBytes: 256,
  maxValueBytes: 64 * 1024,
  maxDepth: 16,
  channelsPerSocket: 4,
  messagesPerSecond: 1000,
} as const;

/** Kinds that must get their socket closed, with the close code and the reason's start. */
export const CLOSED_KINDS = {
  hugeId: {code: 1009, reason: 'syncstore:limit:id'},
  deepJson: {code: 1009, reason: 'syncstore:limit:depth'},
  hugeValue: {code: 1009, reason: 'syncstore:limit:value'},
  flood: {code: 1013, reason: 'syncstore:limit:messages'},
  channels: {code: 1013, reason: 'syncstore:limit:channels'},
  badShape: {code: 1007, reason: 'tinybase:14'},
} as const;

/**
 * Kinds the server must tolerate without a trace: a read-only client writing thousands of tables
 * (refused by the write gate), a writer stamping far into the future (refused by the merge, §2.4),
 * and a writer replaying, reordered, the changes it received (older or equal stamps: no change).
 */
export const TOLERATED_KINDS = ['manyTables', 'farFuture', 'replay'] as const;

export type ClosedKind = keyof typeof CLOSED_KINDS;
export type ToleratedKind = (typeof TOLERATED_KINDS)[number];
export type OffenceKind = ClosedKind | ToleratedKind;
export const OFFENCE_KINDS = [
  ...(Object.keys(CLOSED_KINDS) as ClosedKind[]),
  ...TOLERATED_KINDS,
] as OffenceKind[];

/** The token an offender of each kind connects with (see {@link hostileAuthorize}). */
export const tokenFor = (kind: OffenceKind): string =>
  kind === 'farFuture' || kind === 'replay' ? 'writer' : 'reader';

/**
 * Access by `?token=`: `honest` and `writer` may write, `reader` only reads, anything else is
 * refused. Offenders that write (`writer`) may write anything, so only what they write decides
 * whether the room changes.
 */
export const hostileAuthorize = (_pathId: string, request: {url?: string | undefined}) => {
  const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
  return token === 'honest' || token === 'writer'
    ? {}
    : token === 'reader'
      ? {readOnly: true}
      : undefined;
};

export type Random = {
  next(): number;
  /** An integer in [0, below). */
  int(below: number): number;
  pick<Thing>(things: readonly Thing[]): Thing;
};

export const seededRandom = (seed: number): Random => {
  const next = createRandom(seed);
  const int = (below: number) => Math.floor(next() * below);
  return {next, int, pick: (things) => things[int(things.length)]!};
};

const ID_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
const randomId = (random: Random, length: number): string =>
  Array.from({length}, () => ID_CHARACTERS[random.int(ID_CHARACTERS.length)]).join('');

/** A request or transaction id of the 16 characters the wire uses. */
const requestId = (random: Random): string => randomId(random, 16);

const OFFENDER_CLIENT_ID = getClientId('offender');
const nowHlc = (counter: number) => encodeHlc(Date.now(), counter, OFFENDER_CLIENT_ID);

type Cells = Record<string, [unknown, string]>;

/** A ContentDiff payload to the room (prefix ""), with tables `{tableId: {rowId: cells}}`. */
export const contentDiffFrame = (
  random: Random,
  tables: Record<string, Record<string, Cells>>,
  values: Cells = {},
): string => {
  const tablesStamp = Object.fromEntries(
    Object.entries(tables).map(([tableId, rows]) => [
      tableId,
      [
        Object.fromEntries(
          Object.entries(rows).map(([rowId, cells]) => [
            rowId,
            [Object.fromEntries(Object.entries(cells).map(([id, cell]) => [id, cell]))],
          ]),
        ),
      ],
    ]),
  );
  return `\n${encodeRemainder(requestId(random), 3, [[tablesStamp], [values], 1])}`;
};

/** JSON nested `depth` deep, arrays and objects mixed. */
const nestedJson = (random: Random, depth: number): unknown => {
  let thing: unknown = random.int(100);
  for (let level = 0; level < depth; level++) {
    thing = random.next() < 0.5 ? [thing] : {[randomId(random, 3)]: thing};
  }
  return thing;
};

/**
 * A batch of a flood: as many frames as the rate allows in a second. The offender sends one
 * batch after another until it is closed, so the flood is sustained however fast the server
 * takes the frames in (a token bucket refills while a slow server reads a burst).
 */
const floodBatch = (random: Random): string[] =>
  Array.from(
    {length: HOSTILE_LIMITS.messagesPerSecond},
    () => `S\n${encodeRemainder(requestId(random), 1, '')}`,
  );

/** Most a flooding offender leaves unsent in its socket before it waits for it to drain. */
const FLOOD_BUFFER_BYTES = 1024 * 1024;

/** Frames that must get the socket closed with the kind's code, sent in this order. */
const closedKindFrames = (kind: ClosedKind, random: Random): string[] => {
  const cell = (thing: unknown): [unknown, string] => [thing, nowHlc(random.int(1000))];
  switch (kind) {
    case 'hugeId': {
      const id = randomId(random, HOSTILE_LIMITS.maxIdBytes + 1 + random.int(4096));
      const where = random.int(4);
      return [
        where === 3
          ? contentDiffFrame(random, {}, {[id]: cell(1)})
          : contentDiffFrame(random, {
              [where === 0 ? id : 't']: {
                [where === 1 ? id : 'r']: {[where === 2 ? id : 'c']: cell(1)},
              },
            }),
      ];
    }
    case 'deepJson': {
      const depth = HOSTILE_LIMITS.maxDepth + 1 + random.int(2000);
      return [
        contentDiffFrame(random, {
          t: {r: {c: cell(`\uFFFD${JSON.stringify(nestedJson(random, depth))}`)}},
        }),
      ];
    }
    case 'hugeValue':
      return [
        contentDiffFrame(
          random,
          {},
          {v: cell('x'.repeat(HOSTILE_LIMITS.maxValueBytes + 1 + random.int(256 * 1024)))},
        ),
      ];
    case 'flood':
      // The first batch of a sustained flood (see Offender): ordinary questions to the store.
      return floodBatch(random);
    case 'channels':
      return [
        `S\n${JSON.stringify([requestId(random), -1, [0, 1]])}`,
        ...Array.from(
          {length: HOSTILE_LIMITS.channelsPerSocket + 1},
          (_, index) => `S\n${JSON.stringify([requestId(random), -1, [1, `flood-${index}`]])}`,
        ),
      ];
    case 'badShape':
      // Valid JSON, valid framing, a body of the wrong shape for its message type.
      return [
        random.pick([
          `\n${JSON.stringify([requestId(random), 3, {not: 'a diff'}])}`,
          `\n${JSON.stringify([requestId(random), 9, ''])}`,
          `\n${JSON.stringify([requestId(random), 3, [[{t: [{r: [{c: [1, 'not an hlc']}]}]}], [{}], 1]])}`,
          `\n${JSON.stringify([requestId(random), 5, [{t: 'rows?'}]])}`,
        ]),
      ];
  }
};

/** A ContentDiff writing `tableCount` tables of one cell each (stamped now). */
const manyTablesFrame = (random: Random, tableCount: number): string => {
  const tables: Record<string, Record<string, Cells>> = {};
  for (let index = 0; index < tableCount; index++) {
    tables[`spam${index}`] = {r: {c: [index, nowHlc(index % 60000)]}};
  }
  return contentDiffFrame(random, tables);
};

/** Over the honest clients' rows, stamped a year ahead: every receiver must refuse it. */
const farFutureFrame = (random: Random, honestRowIds: readonly string[]): string => {
  const time = Date.now() + 365 * 24 * 3600 * 1000 + random.int(1e9);
  const rowId = honestRowIds.length > 0 ? random.pick(honestRowIds) : 'r0';
  return contentDiffFrame(
    random,
    {notes: {[rowId]: {text: ['from the future', encodeHlc(time, 0, OFFENDER_CLIENT_ID)]}}},
    {clock: ['far ahead', encodeHlc(time, 1, OFFENDER_CLIENT_ID)]},
  );
};

/** The frames a tolerated offender sends next, given what it has received so far. */
export const toleratedFrames = (
  kind: ToleratedKind,
  random: Random,
  received: readonly string[],
  honestRowIds: readonly string[],
): string[] => {
  switch (kind) {
    case 'manyTables':
      // Once per offender: each refused new table costs the room a correction (a tombstone, kept;
      // docs/protocol.md §6.8, §9), so repeating it would measure the corrections, not the gate.
      return [manyTablesFrame(random, 1000 + random.int(2000))];
    case 'farFuture':
      return [farFutureFrame(random, honestRowIds)];
    case 'replay': {
      // What the room sent it (changes from "S"), resent to the room, shuffled.
      const diffs = received
        .filter((frame) => frame.startsWith('S\n') && /^S\n\[[^,]*,3,/.test(frame))
        .map((frame) => `\n${frame.slice(2)}`);
      const frames: string[] = [];
      for (let index = 0; index < Math.min(10, diffs.length * 2); index++) {
        frames.push(random.pick(diffs));
      }
      return frames;
    }
  }
};

/** How an offender's socket ended: undefined code while it is still open. */
export type OffenderOutcome = {kind: OffenceKind; code: number | undefined; reason: string};

/**
 * One hostile socket in the room at `roomUrl` (a `ws://…/room` URL without query). A kind that
 * must be closed sends its frames as soon as it is open; `closed` resolves with the close code.
 * A tolerated kind sends a new batch on each `act()` until `stop()`.
 */
export class Offender {
  readonly kind: OffenceKind;
  readonly outcome: OffenderOutcome;
  readonly closed: Promise<OffenderOutcome>;
  readonly #socket: WebSocket;
  readonly #random: Random;
  readonly #received: string[] = [];
  #acted = false;
  #floodTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(roomUrl: string, kind: OffenceKind, random: Random) {
    this.kind = kind;
    this.#random = random;
    this.outcome = {kind, code: undefined, reason: ''};
    // A multiplexed socket joins rooms by channel: its own path is the server's root.
    const url =
      kind === 'channels'
        ? `${new URL(roomUrl).origin}/?token=${tokenFor(kind)}`
        : `${roomUrl}?token=${tokenFor(kind)}`;
    this.#socket = new WebSocket(url, kind === 'channels' ? 'tinybase' : undefined);
    this.#socket.on('error', () => {});
    this.#socket.on('message', (data) => {
      // Kept only for replaying; the others need nothing they are sent.
      if (kind === 'replay' && this.#received.length < 500) this.#received.push(data.toString());
    });
    this.closed = new Promise((resolve) =>
      this.#socket.once('close', (code, reason) => {
        clearTimeout(this.#floodTimer);
        this.outcome.code = code;
        this.outcome.reason = reason.toString();
        resolve(this.outcome);
      }),
    );
    if (kind in CLOSED_KINDS) {
      this.#socket.once('open', () => {
        for (const frame of closedKindFrames(kind as ClosedKind, random)) this.#send(frame);
        if (kind === 'flood') this.#keepFlooding();
      });
    }
  }

  /** A tolerated offender's next batch (nothing before it is open, or for the other kinds). */
  act(honestRowIds: readonly string[]): void {
    if (this.kind === 'manyTables' && this.#acted) {
      return;
    }
    if (
      this.#socket.readyState !== WebSocket.OPEN ||
      !TOLERATED_KINDS.includes(this.kind as ToleratedKind)
    ) {
      return;
    }
    this.#acted = true;
    for (const frame of toleratedFrames(
      this.kind as ToleratedKind,
      this.#random,
      this.#received,
      honestRowIds,
    )) {
      this.#send(frame);
    }
  }

  isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /** Whether stop() closed the socket before the server did. */
  stoppedByClient = false;

  /** Closes the socket (if the server has not) and waits until it is closed. */
  async stop(): Promise<OffenderOutcome> {
    if (this.outcome.code === undefined) {
      this.stoppedByClient = true;
      this.#socket.close(1000, 'offender done');
    }
    return this.closed;
  }

  /** The next flood batch, once the socket has room, until the server closes it. */
  #keepFlooding(): void {
    this.#floodTimer = setTimeout(() => {
      if (this.#socket.readyState !== WebSocket.OPEN) return;
      if (this.#socket.bufferedAmount < FLOOD_BUFFER_BYTES) {
        for (const frame of floodBatch(this.#random)) this.#send(frame);
      }
      this.#keepFlooding();
    }, 1);
  }

  #send(frame: string): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(frame);
  }
}
