// Test-side, from-the-spec helpers for HLCs and hashes (docs/protocol.md §2, §3), so that
// expected stamps in tests are computed rather than copied from either implementation.

/** The HLC alphabet, in ascending ASCII order. */
export const HLC_ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** 2024-01-01T00:00:00Z, the start time of the spec's vectors. */
export const START_TIME = Date.UTC(2024, 0, 1);

/** The counter at which the clock carries into the next millisecond. */
export const COUNTER_LIMIT = 2 ** 24;

/** Five minutes: how far ahead of the receiver's clock an incoming HLC may be. */
export const MAX_FUTURE_OFFSET = 5 * 60 * 1000;

const utf8 = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes of a string, unsigned. */
export const fnv1a32 = (text: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash >>> 0;
};

/** Big-endian base-64 digits of a non-negative integer, in the HLC alphabet. */
const encodeDigits = (value: number, length: number): string => {
  let digits = '';
  for (let position = length - 1; position >= 0; position--) {
    digits += HLC_ALPHABET[Math.floor(value / 64 ** position) % 64];
  }
  return digits;
};

const decodeDigits = (digits: string): number => {
  let value = 0;
  for (const char of digits) {
    value = value * 64 + Math.max(0, HLC_ALPHABET.indexOf(char));
  }
  return value;
};

/** The 5-character client id a store created with this uniqueId puts in its HLCs. */
export const clientIdOf = (uniqueId: string): string =>
  encodeDigits(fnv1a32(uniqueId) % 2 ** 30, 5);

/** An HLC from its parts; `client` is a uniqueId (hashed) unless it is already 5 HLC chars. */
export const hlcOf = (time: number, counter: number, uniqueId: string): string =>
  encodeDigits(time, 7) + encodeDigits(counter, 4) + clientIdOf(uniqueId);

/** An HLC from a time, a counter and a 5-character client id. */
export const hlcWithClientId = (time: number, counter: number, clientId: string): string =>
  encodeDigits(time, 7) + encodeDigits(counter, 4) + clientId;

/** [time, counter, clientId] of an HLC. */
export const decodeHlc = (hlc: string): [number, number, string] => [
  decodeDigits(hlc.slice(0, 7)),
  decodeDigits(hlc.slice(7, 11)),
  hlc.slice(11),
];

/** Hash of a cell or value leaf: JSON of the (encoded) thing, ":" and its HLC. */
export const leafHash = (thing: unknown, hlc: string): number => {
  const encoded =
    thing !== null && typeof thing === 'object' ? `\uFFFD${JSON.stringify(thing)}` : thing;
  return fnv1a32(`${JSON.stringify(encoded ?? null)}:${hlc}`);
};

/** Hash of a row (from its cells' hashes) or of the values (from each value's hash). */
export const leafContainerHash = (childHashes: {[id: string]: number}): number => {
  let hash = 0;
  for (const [id, childHash] of Object.entries(childHashes)) {
    hash ^= fnv1a32(`${id}:${childHash}`) ^ fnv1a32(`${id}:0`);
  }
  return hash >>> 0;
};

/** Hash of a table (from its rows' hashes) or of the tables (from each table's hash). */
export const nodeContainerHash = (childHashes: {[id: string]: number}): number => {
  let hash = 0;
  for (const [id, childHash] of Object.entries(childHashes)) {
    hash ^= fnv1a32(`${id}:${childHash}`);
  }
  return hash >>> 0;
};

/** A clock the test moves by hand: every store given `clock.getNow` sees the same time. */
export class ManualClock {
  now: number;
  constructor(start = START_TIME) {
    this.now = start;
  }
  getNow = (): number => this.now;
  advance(milliseconds: number): void {
    this.now += milliseconds;
  }
}

type HashedStamp = [unknown, string, number];

/** Hashed content with every hash computed afresh from its cells and values (docs/protocol.md §3). */
export const withRecomputedHashes = (content: unknown): unknown => {
  const [[tables, tablesHlc], [values, valuesHlc]] = content as [
    [{[id: string]: HashedStamp}, string],
    [{[id: string]: HashedStamp}, string],
  ];
  const leaves = (stamps: {[id: string]: HashedStamp}) =>
    Object.fromEntries(
      Object.entries(stamps).map(([id, [thing, hlc]]) => [id, [thing, hlc, leafHash(thing, hlc)]]),
    );
  const hashesOf = (stamps: {[id: string]: unknown[]}) =>
    Object.fromEntries(Object.entries(stamps).map(([id, stamp]) => [id, stamp[2] as number]));
  const tablesThing = Object.fromEntries(
    Object.entries(tables).map(([tableId, [rows, tableHlc]]) => {
      const rowsThing = Object.fromEntries(
        Object.entries(rows as {[id: string]: HashedStamp}).map(([rowId, [cells, rowHlc]]) => {
          const cellsThing = leaves(cells as {[id: string]: HashedStamp});
          return [rowId, [cellsThing, rowHlc, leafContainerHash(hashesOf(cellsThing))]];
        }),
      );
      return [tableId, [rowsThing, tableHlc, nodeContainerHash(hashesOf(rowsThing))]];
    }),
  );
  const valuesThing = leaves(values);
  return [
    [tablesThing, tablesHlc, nodeContainerHash(hashesOf(tablesThing))],
    [valuesThing, valuesHlc, leafContainerHash(hashesOf(valuesThing))],
  ];
};
